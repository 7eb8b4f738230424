"""Every URL of a site goes through :class:`Urls`, which honours the path of ``base_url``.

A *route* is a path inside the site, without the base path: ``briefings/x/`` or ``feed.xml``. Routes that end
in ``/`` are written as ``index.html`` in that folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

_ROOT_RELATIVE = re.compile(r"""(?P<lead>\b(?:href|src|poster|cite)=(?P<quote>["']))/(?!/)""", re.IGNORECASE)
_PLAIN_ROUTE = re.compile(r"[A-Za-z0-9/#?=&%.~_:-]*")
_SRCSET = re.compile(r"""(?P<lead>\bsrcset=(?P<quote>["']))(?P<value>.*?)(?P=quote)""", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Urls:
    base_url: str  # absolute, ends with "/"
    site_url: str = ""  # a language's Urls: the whole site's base URL, which links written in content start from

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def path(self, route: str) -> str:
        """Root-relative URL with the base path (works from any page depth, and from 404.html)."""
        route = route.lstrip("/")
        if not _PLAIN_ROUTE.fullmatch(route):  # most routes need no escaping: skip the slow quote()
            route = quote(route, safe="/#?=&%.~-_:")
        return self.base_path + route

    def absolute(self, route: str) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}{self.path(route)}"

    def rebase_html(self, html: str) -> str:
        """Root-relative links written in content (``/briefings/x/``) are relative to the site, not the host:
        give them the base path, unless they already carry it. (On a multilingual site, the whole site's: an
        article's ``/archive/`` is the site's archive, whatever its language.)"""
        if self.site_url and self.site_url != self.base_url:
            return Urls(self.site_url).rebase_html(html)
        if self.base_path == "/":
            return html

        def rebased(url: str) -> str:
            if not url.startswith("/") or url.startswith("//") or url.startswith(self.base_path):
                return url
            return self.base_path + url[1:]

        def attribute(match: re.Match) -> str:
            rest = html[match.end() - 1:match.end() - 1 + len(self.base_path)]
            return match.group(0) if rest == self.base_path else match.group("lead") + self.base_path

        def srcset(match: re.Match) -> str:
            candidates = [" ".join([rebased(parts[0])] + parts[1:])
                          for parts in (c.split() for c in match.group("value").split(",")) if parts]
            return f'{match.group("lead")}{", ".join(candidates)}{match.group("quote")}'

        return _SRCSET.sub(srcset, _ROOT_RELATIVE.sub(attribute, html))


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


def story_route(slug: str) -> str:
    return f"stories/{slug}/"


def home_route(page: int) -> str:
    return page_route("", page)


def page_route(route: str, page: int) -> str:
    """Page ``page`` of a paginated list at ``route``: the route itself, then ``route/page/N/``."""
    return route if page == 1 else f"{route}page/{page}/"


CORRECTIONS_ROUTE = "corrections/"  # every correction on the site, newest first, with its feeds
