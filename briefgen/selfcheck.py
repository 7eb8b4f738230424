"""The self-check run on every build before the new site is swapped in.

Every link, asset and feed URL the build emits must stay under the base path and point at a file the build
wrote. Links are gathered while the files stream to the writer (a fast attribute scan, not a full HTML parse),
and checked once every path is known. External links are not this check's business (``briefgen check
--external`` is).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from briefgen.errors import Problem

if TYPE_CHECKING:
    from briefgen.write import OutputSession

_HTML_URL = re.compile(rb"""\b(href|src|poster|srcset|content)=(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "#")
MAX_REPORTED = 50


@dataclass
class LinkChecker:
    base_url: str  # absolute, ends with "/"
    root: Path | None = None  # the site folder, to find a broken link's line in its content file
    found: list[tuple[str, str, str]] = field(default_factory=list)  # (output path, url, source file)
    _own_urls: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._own_urls = re.compile(re.escape(self.base_url.encode()) + rb"""[^\s"'<>\\]*""")

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    def scan(self, path: str, data: bytes, source: str = "") -> None:
        """Remember the URLs a file the build writes contains."""
        if path.endswith(".html"):
            for attribute, _, value in _HTML_URL.findall(data):
                for url in self._urls_of(attribute.decode().lower(), value.decode("utf-8", "replace")):
                    self.found.append((path, url, source))
        elif path.endswith((".xml", ".json", ".txt")):
            for match in self._own_urls.findall(data):
                self.found.append((path, match.decode("utf-8", "replace"), source))

    def _urls_of(self, attribute: str, value: str) -> list[str]:
        if attribute == "srcset":
            return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
        if attribute == "content":  # <meta content>: only URLs of this site
            return [value] if value.startswith(self.base_url) else []
        return [value.strip()]

    def problems(self, written: set[str], carried_over: "OutputSession | None" = None) -> list[Problem]:
        """Every target that leaves the base path or points at nothing, once each (as met on an HTML page,
        which names its content file, when there is one), at most MAX_REPORTED of them.

        Files carried over from the last build were checked then; when that build wrote files this one does not,
        pass the session so that those files are read and checked again."""
        if carried_over is not None:
            scanned = {page for page, _, _ in self.found}
            for path in sorted(written - scanned):
                self.scan(path, carried_over.read(path))
        problems = []
        reported: set[str] = set()
        pages_first = sorted(self.found, key=lambda found: not found[0].endswith(".html"))
        for page, url, source in pages_first:
            target, verdict = self._verdict(page, url, written)
            if verdict is None or target in reported:
                continue
            reported.add(target)
            problems.append(Problem(source or page, self._line_of(source, url), None, None,
                                    f"the link {url} on {self.base_path}{page} {verdict}",
                                    "fix the link, or remove it"))
            if len(problems) >= MAX_REPORTED:
                break
        return problems

    def _line_of(self, source: str, url: str) -> int | None:
        if not source or self.root is None:
            return None
        try:
            lines = (self.root / source).read_text(encoding="utf-8-sig", errors="replace").splitlines()
        except OSError:
            return None
        written = {url, "/" + url[len(self.base_path):] if url.startswith(self.base_path) else url}
        return next((number for number, line in enumerate(lines, 1) if any(w in line for w in written)), None)

    def _verdict(self, page: str, url: str, written: set[str]) -> tuple[str, str | None]:
        """(the path the URL leads to, what is wrong with it or None)."""
        if not url or url.startswith(_SKIPPED_SCHEMES) or url.startswith("//"):
            return url, None
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return url, None
        if parts.scheme:
            if not url.startswith(self.base_url):
                return url, None  # another site (or another project site on the same host)
            path = parts.path
        elif parts.path.startswith("/"):
            path = parts.path
        elif not parts.path:
            return url, None  # "?query" or "#fragment" on the same page
        else:
            page_dir = posixpath.dirname(self.base_path + page)
            path = posixpath.normpath(posixpath.join(page_dir, parts.path)) + ("/" if parts.path.endswith("/") else "")
        if not path.startswith(self.base_path):
            return path, f"leaves the base path {self.base_path}"
        if not _exists(unquote(path[len(self.base_path):]), written):
            return path, "points at a missing file"
        return path, None


def _exists(relative: str, written: set[str]) -> bool:
    if relative in ("", "/"):
        return "index.html" in written
    if relative.endswith("/"):
        return relative + "index.html" in written
    return relative in written or relative + "/index.html" in written
