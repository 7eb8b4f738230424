"""Every URL of a site goes through :class:`Urls`, which honours the path of ``base_url``.

A *route* is a path inside the site, without the base path: ``briefings/x/`` or ``feed.xml``. Routes that end
in ``/`` are written as ``index.html`` in that folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Urls:
    base_url: str  # absolute, ends with "/"

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def path(self, route: str) -> str:
        """Root-relative URL with the base path (works from any page depth, and from 404.html)."""
        return self.base_path + quote(route.lstrip("/"), safe="/#?=&%.~-_:")

    def absolute(self, route: str) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}{self.path(route)}"


def output_file(route: str) -> str:
    """The file a route is written to, relative to the output folder."""
    route = route.lstrip("/")
    if route == "" or route.endswith("/"):
        return route + "index.html"
    return route


def briefing_route(slug: str) -> str:
    return f"briefings/{slug}/"


def term_route(taxonomy: str, slug: str) -> str:
    return f"{taxonomy}/{slug}/"


def home_route(page: int) -> str:
    return "" if page == 1 else f"page/{page}/"
