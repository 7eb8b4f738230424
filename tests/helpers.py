"""Readers of generated output, as a user meets it: parsed HTML and every file of a build."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page_path(output: Path, base_path: str, html_file: Path) -> str:
    """The URL path a generated HTML file is served at."""
    relative = html_file.relative_to(output).as_posix()
    return base_path + (relative[:-len("index.html")] if relative.endswith("index.html") else relative)


def local_target(output: Path, base_path: str, url: str, page: str = "") -> Path | None:
    """The file a URL (resolved against ``page``) is served from, or None when it leaves the base path."""
    path = urlsplit(urljoin(page or base_path, url)).path
    if not path.startswith(base_path):
        return None
    relative = path[len(base_path):]
    target = output / relative
    if relative == "" or relative.endswith("/"):
        target = target / "index.html"
    return target


def internal_urls(page: BeautifulSoup) -> list[str]:
    urls = []
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in page.find_all(tag):
            value = element.get(attribute)
            if value and not value.startswith(("http://", "https://", "#", "mailto:")):
                urls.append(value)
    return urls
