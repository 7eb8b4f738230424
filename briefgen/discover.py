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

    @property
    def stem(self) -> str:
        return self.path.stem


def discover(content_root: Path, site_root: Path, problems: Problems) -> list[ContentFile]:
    """Every Markdown file below ``content_root``, sorted; hidden entries and escaping symlinks are skipped."""
    if not content_root.is_dir():
        problems.error(Problem(_shown(content_root, site_root), message="the content folder does not exist",
                               hint="create it, or set `content_dir` in briefgen.yaml"))
        return []
    root = content_root.resolve()
    prefix = _shown(content_root, site_root)
    found = []
    for relative, entry in _walk(str(content_root), ""):
        path = Path(entry.path)
        if entry.is_symlink() and not path.resolve().is_relative_to(root):
            problems.warn(Problem(f"{prefix}/{relative}", message="a symlink that leaves the content folder",
                                  hint="skipped; copy the file into content/ instead"))
            continue
        found.append(ContentFile(path=path, shown=f"{prefix}/{relative}"))
    return sorted(found, key=lambda f: f.shown)


def _walk(folder: str, relative: str):
    """(relative path, entry) of every Markdown file, skipping names that start with "." or "_"."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            name = f"{relative}{entry.name}"
            if entry.is_dir():
                if not entry.is_symlink() or Path(entry.path).resolve().is_dir():
                    yield from _walk(entry.path, name + "/")
            elif entry.name.lower().endswith(MARKDOWN_SUFFIXES) and entry.is_file():
                yield name, entry


def _shown(path: Path, site_root: Path) -> str:
    try:
        return path.relative_to(site_root).as_posix()
    except ValueError:
        return str(path)
