"""The renderer: the :class:`Site` → output files in memory (route and bytes). Pure: it writes nothing.

Page types live in :func:`render_site`; to add one, add a function that yields :class:`OutputFile` records.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import escape

import jinja2

from briefgen import __version__
from briefgen.api import render_api
from briefgen.config import SiteConfig
from briefgen.errors import BuildFailed, Problem
from briefgen.feeds import FEED_FILES, FeedContext, FeedSpec, render_feeds
from briefgen.model import Briefing, Site, Taxonomy
from briefgen.output import OutputFile
from briefgen.theme import Theme
from briefgen.urls import Urls, home_route, output_file, term_route
from briefgen.views import (TAXONOMY_LABELS, BriefingView, Link, MonthView, Pagination, briefing_view,
                            term_view)


RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str
    type: str
    label: str  # "RSS", "Atom", "JSON Feed"


@dataclass
class RenderContext:
    config: SiteConfig
    urls: Urls
    env: jinja2.Environment
    assets: dict[str, str]
    views: dict[str, BriefingView]
    entry_cache: dict[str, str] = field(default_factory=dict)

    def entry_html(self, briefing: Briefing) -> str:
        """A briefing's full feed content, rendered once however many feeds carry it."""
        if briefing.slug not in self.entry_cache:
            self.entry_cache[briefing.slug] = _render(self.env, "feed_entry.html", briefing=self.views[briefing.slug])
        return self.entry_cache[briefing.slug]

    def feed_links(self, route: str, title: str) -> tuple[FeedLink, ...]:
        return tuple(FeedLink(title=f"{title} ({label})", url=self.urls.path(route + name), type=kind, label=label)
                     for name, kind, label in FEED_FILES)


def render_site(site: Site, config: SiteConfig, theme: Theme) -> Iterator[OutputFile]:
    urls = Urls(config.base_url)
    views = {b.slug: briefing_view(b, urls, config.tz) for b in site.briefings}
    context = RenderContext(config=config, urls=urls, env=theme.environment(), assets=theme.asset_paths(),
                            views=views)
    ordered = [views[b.slug] for b in site.briefings]

    yield from _home_pages(context, ordered)
    for view in ordered:
        yield _page(context, "briefing.html", _route_of(view, urls), title=view.title,
                    description=view.summary, source=view.source, briefing=view)
    for taxonomy in site.taxonomies:
        yield from _taxonomy_pages(context, site, taxonomy)
    yield _page(context, "archive.html", "archive/", title="Archive", months=_months(site, views))
    yield _page(context, "404.html", "404.html", title="Page not found", canonical=False)
    yield from _feeds(context, FeedSpec(config.title, "", site.briefings), site)
    yield from render_api(site, config, urls)
    yield from _static(theme)
    yield from _site_static(config.root / "static")
    yield OutputFile("sitemap.xml", _sitemap(site, urls, config), "meta")
    yield OutputFile("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {urls.absolute('sitemap.xml')}\n".encode(),
                     "meta")
    yield OutputFile(".nojekyll", b"", "meta")
    if config.cname:
        yield OutputFile("CNAME", config.cname.encode() + b"\n", "meta")


def _route_of(view: BriefingView, urls: Urls) -> str:
    return view.url.removeprefix(urls.base_path)


def _feeds(context: RenderContext, spec: FeedSpec, site: Site) -> Iterator[OutputFile]:
    syndicated = tuple(b for b in spec.briefings if b.slug in site.syndicated)
    feed_context = FeedContext(config=context.config, urls=context.urls, entry_html=context.entry_html)
    yield from render_feeds(FeedSpec(spec.title, spec.route, syndicated), feed_context)


def _home_pages(context: RenderContext, ordered: list[BriefingView]) -> Iterator[OutputFile]:
    per_page = context.config.per_page
    total = max(1, -(-len(ordered) // per_page))
    for number in range(1, total + 1):
        pagination = Pagination(
            current=number,
            total=total,
            previous_url=context.urls.path(home_route(number - 1)) if number > 1 else None,
            next_url=context.urls.path(home_route(number + 1)) if number < total else None,
        )
        items = tuple(ordered[(number - 1) * per_page:number * per_page])
        title = context.config.title if number == 1 else f"{context.config.title} — page {number}"
        yield _page(context, "index.html", home_route(number), title=title,
                    description=context.config.description, briefings=items, pagination=pagination)


def _taxonomy_pages(context: RenderContext, site: Site, taxonomy: Taxonomy) -> Iterator[OutputFile]:
    labels = TAXONOMY_LABELS[taxonomy.key]
    terms = [term_view(taxonomy.key, term, context.views, context.urls) for term in taxonomy.terms]
    yield _page(context, "terms.html", f"{taxonomy.key}/", title=labels.plural, labels=labels, terms=tuple(terms))
    for term, view in zip(taxonomy.terms, terms):
        title = f"{labels.singular}: {term.name}"
        feeds = context.feed_links(view.route, f"{context.config.title}: {term.name}")
        yield _page(context, "term.html", view.route, title=title, labels=labels, term=view,
                    description=f"Briefings about {term.name}", feeds=feeds + _site_feeds(context))
        yield from _feeds(context, FeedSpec(f"{context.config.title}: {term.name}", view.route, term.briefings), site)


def _site_feeds(context: RenderContext) -> tuple[FeedLink, ...]:
    return context.feed_links("", context.config.title)


def _months(site: Site, views: dict[str, BriefingView]) -> tuple[MonthView, ...]:
    return tuple(
        MonthView(label=f"{dt.date(m.year, m.month, 1):%B %Y}", anchor=f"{m.year:04d}-{m.month:02d}",
                  briefings=tuple(views[b.slug] for b in m.briefings))
        for m in site.archive
    )


def _page(context: RenderContext, template: str, route: str, *, title: str, description: str = "",
          canonical: bool = True, feeds: tuple[FeedLink, ...] = (), source: str = "", **values) -> OutputFile:
    urls = context.urls
    config = context.config
    lang = (values["briefing"].lang if "briefing" in values else None) or config.language
    page = {
        "title": title,
        "description": description or config.description,
        "url": urls.path(route),
        "canonical": urls.absolute(route) if canonical else None,
        "lang": lang,
        "dir": "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr",
        "feeds": feeds or _site_feeds(context),
    }
    site = {
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "author": config.author,
        "base_url": config.base_url,
        "home": urls.path(""),
        "generator": f"briefgen {__version__}",
        "nav": (Link("Latest", urls.path("")), Link("Archive", urls.path("archive/")),
                Link("Tags", urls.path("tags/")), Link("Regions", urls.path("regions/"))),
        "feeds": _site_feeds(context),
    }
    html = _render(context.env, template, site=site, page=page, url=urls.path,
                   asset=lambda name: urls.path(context.assets[name]), to_json=_json_for_script, **values)
    return OutputFile(output_file(route), html.encode("utf-8"), "page", source)


def _render(env: jinja2.Environment, name: str, **values) -> str:
    try:
        return env.get_template(name).render(**values)
    except Exception as exc:  # a template may fail in any way; report where, never a traceback
        raise BuildFailed([_template_problem(exc, name)]) from None


def _json_for_script(value) -> str:
    """JSON safe inside <script>: no ``</script>`` breakout, no HTML comment openers."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _template_problem(exc: Exception, template: str) -> Problem:
    """Name the template file and line: from a syntax error, or from the innermost template frame."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    traceback = exc.__traceback__
    while traceback is not None:
        frame_file = traceback.tb_frame.f_code.co_filename
        if frame_file.endswith((".html", ".xml")):
            name, line = frame_file, traceback.tb_lineno
        traceback = traceback.tb_next
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return Problem(str(name or template), line, None, None, f"template error: {message}",
                   "fix the template (every variable it uses must exist)")


def _static(theme: Theme) -> Iterator[OutputFile]:
    for static in theme.static_files:
        yield OutputFile(static.route, static.source.read_bytes(), "static")


def _site_static(folder: Path) -> Iterator[OutputFile]:
    """The site's own ``static/`` folder, copied to the root of the output (favicons, images, CNAME…)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield OutputFile(path.relative_to(folder).as_posix(), path.read_bytes(), "static")


def _sitemap(site: Site, urls: Urls, config: SiteConfig) -> bytes:
    entries = [(urls.absolute(""), site.briefings[0].last_modified if site.briefings else None)]
    entries += [(urls.absolute(f"briefings/{b.slug}/"), b.last_modified) for b in site.briefings]
    entries += [(urls.absolute(term_route(taxonomy.key, t.slug)), t.briefings[0].last_modified)
                for taxonomy in site.taxonomies for t in taxonomy.terms]
    entries.append((urls.absolute("archive/"), None))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, modified in entries:
        lastmod = f"<lastmod>{modified.astimezone(config.tz).isoformat()}</lastmod>" if modified else ""
        lines.append(f"  <url><loc>{escape(loc)}</loc>{lastmod}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")
