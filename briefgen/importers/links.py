"""Links of an imported body that pointed into the old site, made to work in the new one.

An archive's articles link to each other and to the old site's images by relative or root-relative addresses.
In the new site a body is shown at ``/briefings/<slug>/``, so each such address is read as the old site read it
(against the article's old address), then kept when the new site has that path (another imported article's
redirect, a static file), pointed at the old site when its address is known (``--old-url``), or else unlinked
with its text kept: a build never fails on a link the import could not keep. Code is never touched.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Mapping
from urllib.parse import unquote, urljoin, urlsplit

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^(?P=indent)?(?P=fence)[`~]*[ \t]*$|\Z)",
                    re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_INLINE = re.compile(r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]\n]*\](?!\())*)\]\((?P<open><?)(?P<url>[^)\s>]*)>?"
                     r"(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_DEFINITION = re.compile(r"^(?P<lead> {0,3}\[[^\]\n]+\]:[ \t]*)<?(?P<url>[^\s>]+)>?", re.MULTILINE)
_ATTRIBUTE = re.compile(r"""(?P<tag><(?P<name>a|img|source|video|audio)\b[^>]*?)\b(?P<attr>href|src)=(?P<q>["'])"""
                        r"""(?P<url>[^"']*)(?P=q)""", re.IGNORECASE)
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_LOCAL = re.compile(r"^(?![a-z][a-z0-9+.-]*:|//|#|\?)", re.IGNORECASE)


@dataclass(frozen=True)
class Relinked:
    body: str
    kept: int  # links to paths the new site has
    pointed_at_old_site: int
    unlinked: int


Resolver = Callable[[str], "str | None"]  # a local address → the URL to use, or None to unlink it


def relink(body: str, resolve: Resolver) -> Relinked:
    """Every local link and image address of a Markdown body passed through ``resolve``."""
    counts = {"kept": 0, "old": 0, "unlinked": 0}
    made: set[str] = set()  # addresses this function wrote: not resolved again

    def new_url(url: str) -> str | None:
        found = resolve(url)
        counts["unlinked" if found is None else "old" if "://" in found else "kept"] += 1
        if found is not None:
            made.add(_escaped(found))
        return found

    def inline(match: re.Match) -> str:
        url = match.group("url")
        if not url or not _LOCAL.match(url) or url in made:
            return match.group(0)
        found = new_url(url)
        text = match.group("text")
        if found is None:
            return f"*({text or 'image'}: {url}, not imported)*" if match.group("bang") else text
        return f"{match.group('bang')}[{text}]({_escaped(found)}{match.group('title') or ''})"

    def definition(match: re.Match) -> str:
        url = match.group("url")
        if not _LOCAL.match(url):
            return match.group(0)
        found = new_url(url)
        return match.group("lead") + _escaped(found if found is not None else "#")

    def attribute(match: re.Match) -> str:
        url = match.group("url")
        if not url or not _LOCAL.match(url):
            return match.group(0)
        found = new_url(url)
        if found is None:
            return match.group("tag") + f'data-old-url={match.group("q")}{url}{match.group("q")}'
        return f'{match.group("tag")}{match.group("attr")}={match.group("q")}{found}{match.group("q")}'

    pieces = []
    for text, is_code in _split_fences(body):
        if not is_code:
            text, spans = _set_aside_code_spans(text)
            for _ in range(3):  # a link around an image is matched once the image inside it is done
                before, text = text, _INLINE.sub(inline, text)
                if text == before:
                    break
            text = _DEFINITION.sub(definition, text)
            text = _ATTRIBUTE.sub(attribute, text)
            text = _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], text)
        pieces.append(text)
    return Relinked("".join(pieces), counts["kept"], counts["old"], counts["unlinked"])


def _set_aside_code_spans(text: str) -> tuple[str, list[str]]:
    """Code spans replaced by numbered placeholders while links are read (a link's text may hold one)."""
    spans: list[str] = []

    def placeholder(match: re.Match) -> str:
        spans.append(match.group(0))
        return f"\x00{len(spans) - 1}\x00"

    return _CODE_SPAN.sub(placeholder, text), spans


def _escaped(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _split_fences(body: str):
    """The body as (text, is code) pieces: fenced code blocks are code."""
    position = 0
    for fence in _FENCE.finditer(body):
        yield body[position:fence.start()], False
        yield fence.group(0), True
        position = fence.end()
    yield body[position:], False


def old_site_resolver(old_page: str | None, new_routes: Mapping[str, str], old_url: str | None,
                      bring: Callable[[str, str], bool] = lambda route, path: False) -> Resolver:
    """Read a local address as the old site did (against the article's old path ``old_page``, a route such as
    ``news/2019/x/``), keep it where the new site has that route (``new_routes``: by case-folded form, as old
    sites were often served from case-blind file systems), or where ``bring(route, path)`` copies the old site's
    file (an image beside the article) into the new site, else point it at ``old_url``, else unlink."""
    base = "/" + (old_page or "")

    def resolve(url: str) -> str | None:
        parts = urlsplit(url)
        path = unquote(parts.path)
        joined = path if path.startswith("/") else posixpath.join(posixpath.dirname(base) + "/", path)
        route = posixpath.normpath(joined).strip("/")
        route = "" if route == "." else route + ("/" if path.endswith("/") and route else "")
        suffix = f"#{parts.fragment}" if parts.fragment else ""
        for candidate in (route, route + "/", route.removesuffix("index.html")):
            found = new_routes.get(candidate.casefold())
            if found is not None:
                return "/" + found + suffix
        if route and bring(route, path):
            return "/" + route + suffix
        if old_url:
            return urljoin(old_url.rstrip("/") + "/", joined.lstrip("/")) + suffix
        return None

    return resolve
