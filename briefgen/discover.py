"""Find the content files of a site: Markdown files under the content folder, in a stable order."""

from __future__ import annotations

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
    found = []
    for path in sorted(content_root.rglob("*")):
        relative = path.relative_to(content_root)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if path.suffix.lower() not in MARKDOWN_SUFFIXES or not path.is_file():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            problems.warn(Problem(_shown(path, site_root), message="a symlink that leaves the content folder",
                                  hint="skipped; copy the file into content/ instead"))
            continue
        found.append(ContentFile(path=path, shown=_shown(path, site_root)))
    return found


def _shown(path: Path, site_root: Path) -> str:
    try:
        return path.relative_to(site_root).as_posix()
    except ValueError:
        return str(path)
