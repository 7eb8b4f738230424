"""Find the content files of a site: Markdown files under the content folder, in a stable order."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import Problem, Problems

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class ContentFile:
    path: Path
    shown: str  # as the user knows it, relative to the site folder
    stem: str  # what its slug is made from (:func:`briefing_stem`)


def briefing_stem(path: Path, content_root: Path) -> str:
    """What a briefing's slug is made from: its file name without the extension, or, for an ``index.md`` in a
    folder of its own below the content folder (a briefing kept with its images), the folder's name."""
    name, dot, language = path.stem.partition(".")
    if name == "index" and path.parent.resolve() != content_root.resolve():
        return path.parent.name + dot + language  # index.es.md: the folder's Spanish version
    return path.stem


def discover(content_root: Path, site_root: Path, problems: Problems) -> list[ContentFile]:
    """Every Markdown file below ``content_root``, sorted; hidden entries and escaping symlinks are skipped."""
    if not content_root.is_dir():
        problems.error(Problem(shown_path(content_root, site_root), message="the content folder does not exist",
                               hint="create it, or set `content_dir` in briefgen.yaml"))
        return []
    root = content_root.resolve()
    prefix = shown_path(content_root, site_root)
    found = []
    skipped: list[tuple[str, os.DirEntry]] = []
    for relative, entry in _walk(str(content_root), "", root, (root,), prefix, problems, skipped):
        path = Path(entry.path)
        found.append(ContentFile(path=path, shown=f"{prefix}/{relative}", stem=briefing_stem(path, content_root)))
    _report_skipped(skipped, prefix, problems)
    return sorted(found, key=lambda f: f.shown)


def _report_skipped(skipped: list[tuple[str, os.DirEntry]], prefix: str, problems: Problems) -> None:
    """Markdown files are not read in folders whose names start with "_" (Jekyll's ``_posts``), nor when their
    own names do (Hugo's ``_index.md``): say so once per folder, with a count, instead of building less in
    silence."""
    files: dict[str, list[str]] = {}
    for relative, entry in skipped:
        shown = f"{prefix}/{relative}"
        if entry.is_dir(follow_symlinks=False):
            count = _markdown_count(entry.path)
            if count:
                problems.warn(Problem(shown, message=f"{count} Markdown file{'s' if count != 1 else ''} not read: "
                                      "folders whose names start with `_` are skipped",
                                      hint=f"rename the folder, or bring its articles in with `briefgen import {shown}`"))
        elif entry.name.lower().endswith(MARKDOWN_SUFFIXES):
            folder, _, name = shown.rpartition("/")
            files.setdefault(folder, []).append(name)
    for folder, names in sorted(files.items()):
        listed = ", ".join(sorted(names)[:3]) + (", …" if len(names) > 3 else "")
        problems.warn(Problem(folder, message=f"{len(names)} Markdown file{'s' if len(names) != 1 else ''} not "
                              f"read: names that start with `_` are skipped ({listed})",
                              hint="rename them if they are briefings"))


def _markdown_count(folder: str) -> int:
    return sum(name.lower().endswith(MARKDOWN_SUFFIXES) for _, _, names in os.walk(folder) for name in names)


def _walk(folder: str, relative: str, root: Path, open_folders: tuple[Path, ...], prefix: str, problems: Problems,
          skipped: list[tuple[str, os.DirEntry]]):
    """(relative path, entry) of every Markdown file, skipping names that start with "." or "_" (those with "_"
    are added to ``skipped``), and symlinks that leave the content folder or lead back into a folder being walked
    (a loop)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith((".", "_")):
                if entry.name.startswith("_"):
                    skipped.append((f"{relative}{entry.name}", entry))
                continue
            name = f"{relative}{entry.name}"
            try:
                is_dir = entry.is_dir()
                if not is_dir and not (entry.name.lower().endswith(MARKDOWN_SUFFIXES) and entry.is_file()):
                    continue
            except OSError:  # a symlink to itself, say
                problems.warn(Problem(f"{prefix}/{name}", message="cannot be read", hint="skipped; remove it"))
                continue
            real = Path(entry.path).resolve() if entry.is_symlink() else None
            if real is not None and not real.is_relative_to(root):
                problems.warn(Problem(f"{prefix}/{name}", message="a symlink that leaves the content folder",
                                      hint="skipped; copy the file into content/ instead"))
            elif is_dir and real is not None and real in open_folders:
                problems.warn(Problem(f"{prefix}/{name}", message="a symlink that loops back to a folder above it",
                                      hint="skipped; remove the link"))
            elif is_dir:
                yield from _walk(entry.path, name + "/", root, open_folders + ((real or Path(entry.path).resolve()),),
                                 prefix, problems, skipped)
            else:
                yield name, entry


def shown_path(path: Path, site_root: Path) -> str:
    """A path as the user knows it: relative to the site folder when inside it."""
    try:
        return path.relative_to(site_root).as_posix()
    except ValueError:
        return str(path)
