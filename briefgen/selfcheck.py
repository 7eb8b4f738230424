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
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from briefgen.errors import Problem

if TYPE_CHECKING:
    from briefgen.write import OutputSession

_HTML_URL = re.compile(rb"""\b(href|src|poster|srcset|content)=("[^"]*"|'[^']*')""", re.IGNORECASE)
_SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "#")
MAX_REPORTED = 50


def links_in(path: str, data: bytes, base_url: str) -> tuple[str, ...]:
    """The URLs a file links to: every link and asset of an HTML page; this site's URLs in feeds and data."""
    if path.endswith(".html"):
        urls = []
        for attribute, value in _HTML_URL.findall(data):
            text = value[1:-1].decode("utf-8", "replace")
            attribute = attribute.lower()
            if attribute == b"srcset":
                urls.extend(candidate.split()[0] for candidate in text.split(",") if candidate.strip())
            elif attribute != b"content" or text.startswith(base_url):  # <meta content>: only this site's URLs
                urls.append(text.strip())
        return tuple(urls)
    if path.endswith((".xml", ".json", ".txt")):
        own = re.escape(base_url.encode()) + rb"""[^\s"'<>\\]*"""
        return tuple(match.decode("utf-8", "replace") for match in re.findall(own, data))
    return ()


@dataclass
class LinkChecker:
    base_url: str  # absolute, ends with "/"
    root: Path | None = None  # the site folder, to find a broken link's line in its content file
    # every distinct target (a path under the host) → where it was first met: (output path, url, source file)
    targets: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)  # output paths whose links were added
    _resolved: dict[str, str | None] = field(default_factory=dict)

    @cached_property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    def scan(self, path: str, data: bytes, source: str = "") -> None:
        self.add(path, links_in(path, data, self.base_url), source)

    def add(self, page: str, urls: tuple[str, ...], source: str = "") -> None:
        """Remember the targets of a file's links (an HTML page's occurrence is preferred in messages)."""
        self.checked.add(page)
        for url in urls:
            target = self._target(page, url)
            if target is None:
                continue
            known = self.targets.get(target)
            if known is None or (page.endswith(".html") and not known[0].endswith(".html")):
                self.targets[target] = (page, url, source)

    def _target(self, page: str, url: str) -> str | None:
        """The path on this host a URL leads to, or None when it is not this site's business."""
        if url in self._resolved:
            return self._resolved[url]
        relative = False
        if url.startswith(self.base_url):  # most URLs in feeds, data and the sitemap: no need to split them
            target = self.base_path + url[len(self.base_url):].partition("#")[0].partition("?")[0]
        elif not url or url.startswith(_SKIPPED_SCHEMES) or url.startswith("//"):
            target = None
        else:
            parts = urlsplit(url)
            if parts.scheme:
                target = parts.path if parts.scheme in ("http", "https") and url.startswith(self.base_url) else None
            elif parts.path.startswith("/"):
                target = parts.path
            elif not parts.path:
                target = None  # "?query" or "#fragment" on the same page
            else:
                relative = True
                page_dir = posixpath.dirname(self.base_path + page)
                target = posixpath.normpath(posixpath.join(page_dir, parts.path)) + (
                    "/" if parts.path.endswith("/") else "")
        if not relative:
            self._resolved[url] = target
        return target

    def problems(self, written: set[str], carried_over: "OutputSession | None" = None) -> list[Problem]:
        """Every target that leaves the base path or points at nothing, once each, at most MAX_REPORTED.

        Files carried over from the last build were checked then; when that build wrote files this one does not,
        pass the session so that those files are read and checked again."""
        if carried_over is not None:
            for path in sorted(written - self.checked):
                try:
                    self.scan(path, carried_over.read(path))
                except OSError:
                    continue  # a file that is not there is reported by the pages that link to it
        problems = []
        for target, (page, url, source) in sorted(self.targets.items(), key=lambda item: item[1]):
            verdict = self._verdict(target, written)
            if verdict is None:
                continue
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

    def _verdict(self, target: str, written: set[str]) -> str | None:
        if not target.startswith(self.base_path):
            return f"leaves the base path {self.base_path}"
        if not _exists(unquote(target[len(self.base_path):]), written):
            return "points at a missing file"
        return None


def _exists(relative: str, written: set[str]) -> bool:
    if relative in ("", "/"):
        return "index.html" in written
    if relative.endswith("/"):
        return relative + "index.html" in written
    return relative in written or relative + "/index.html" in written
