"""Sitemaps for search engines: ``sitemap.xml`` (every page, with lead images) and the opt-in Google News
sitemap (``news-sitemap.xml``: the briefings of the last two days), and ``robots.txt``, which lists them.

A news sitemap depends on the build's "now" (``SOURCE_DATE_EPOCH`` when set): the same briefings inside the
window give the same bytes, and :func:`news_window_moves` tells the build when the window next changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Callable, Protocol, Sequence

from briefgen.config import SiteConfig
from briefgen.model import Briefing, BriefingContext, Site
from briefgen.urls import CORRECTIONS_ROUTE, Urls, briefing_route, story_route, term_route

NEWS_WINDOW = dt.timedelta(days=2)  # Google News reads articles published in the last two days
NEWS_LIMIT = 1000  # and at most this many per sitemap

_URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


@dataclass(frozen=True)
class SitemapEntry:
    loc: str  # absolute
    modified: str = ""  # ISO 8601, or "" when unknown
    image: str = ""  # absolute URL of its lead image, or ""
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, absolute URL) of every language version

    def key(self) -> str:
        return f"{self.loc} {self.modified} {self.image} {self.alternates}"


class _Alternate(Protocol):
    lang: str
    url: str


def sitemap_entries(site: Site, urls: Urls, config: SiteConfig, image_of: Callable[[Briefing], str],
                    alternates_of: Callable[[Briefing, BriefingContext], Sequence[_Alternate]] = lambda *_: (),
                    home: Sequence[_Alternate] = ()) -> list[SitemapEntry]:
    """Every page a search engine should know (the home page, briefings, term and story pages, the archive and the
    corrections), with its last modification and lead image."""
    def when(moment: dt.datetime | None) -> str:
        return moment.astimezone(config.tz).isoformat() if moment else ""
    def versions(alternates: Sequence[_Alternate]) -> tuple[tuple[str, str], ...]:
        return tuple((alternate.lang, alternate.url) for alternate in alternates)
    entries = [SitemapEntry(urls.absolute(""), when(site.briefings[0].last_modified if site.briefings else None),
                            alternates=versions(home))]
    entries += [SitemapEntry(urls.absolute(briefing_route(b.slug)), when(b.last_modified), image_of(b),
                             versions(alternates_of(b, site.context(b.slug)))) for b in site.briefings]
    entries += [SitemapEntry(urls.absolute(term_route(taxonomy.key, t.slug)), when(t.briefings[0].last_modified))
                for taxonomy in site.taxonomies for t in taxonomy.terms]
    entries += [SitemapEntry(urls.absolute(story_route(s.slug)), when(max(b.last_modified for b in s.briefings)))
                for s in site.stories]
    entries.append(SitemapEntry(urls.absolute("archive/")))
    latest = site.corrections[0].correction.date if site.corrections else None
    entries.append(SitemapEntry(urls.absolute(CORRECTIONS_ROUTE), when(latest)))
    return entries


def sitemap_xml(entries: list[SitemapEntry]) -> bytes:
    images = any(entry.image for entry in entries)
    alternates = any(entry.alternates for entry in entries)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             _URLSET + (' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' if images else "")
             + (' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if alternates else "") + ">"]
    for entry in entries:
        lastmod = f"<lastmod>{entry.modified}</lastmod>" if entry.modified else ""
        image = f"<image:image><image:loc>{_text(entry.image)}</image:loc></image:image>" if entry.image else ""
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{lang}" href="{escape(url)}"/>'
                        for lang, url in entry.alternates)
        lines.append(f"  <url><loc>{_text(entry.loc)}</loc>{lastmod}{image}{links}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def news_briefings(site: Site, now: dt.datetime) -> tuple[Briefing, ...]:
    """The syndicated briefings published in the two days up to ``now``, newest first, at most 1,000."""
    start = (now - NEWS_WINDOW).timestamp()
    recent = (b for b in site.briefings if b.slug in site.syndicated and start <= b.timestamp <= now.timestamp())
    return tuple(recent)[:NEWS_LIMIT]


@dataclass(frozen=True)
class NewsItem:
    timestamp: float
    loc: str
    language: str  # as Google News names it
    published: str  # ISO 8601 in the site's time zone
    title: str


def news_items(languages: list[tuple[Site, Urls, SiteConfig]], now: dt.datetime) -> tuple[NewsItem, ...]:
    """The news sitemap's briefings from every language, newest first, at most 1,000."""
    items = [NewsItem(b.timestamp, urls.absolute(briefing_route(b.slug)), news_language(b.lang or config.language),
                      b.date.astimezone(config.tz).isoformat(), b.title)
             for site, urls, config in languages for b in news_briefings(site, now)]
    return tuple(sorted(items, key=lambda item: (-item.timestamp, item.loc)))[:NEWS_LIMIT]


def news_window_moves(briefings: list[Briefing], now: dt.datetime) -> float:
    """When the news sitemap's window next loses a briefing (as seconds since the epoch; infinity if never)."""
    start = now - NEWS_WINDOW
    return min(((b.date + NEWS_WINDOW).timestamp() for b in briefings if start <= b.date <= now), default=float("inf"))


def news_sitemap_xml(items: tuple[NewsItem, ...], config: SiteConfig) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             _URLSET + ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for item in items:
        lines.append(
            f"  <url><loc>{_text(item.loc)}</loc><news:news>"
            f"<news:publication><news:name>{_text(config.news_name)}</news:name>"
            f"<news:language>{item.language}</news:language></news:publication>"
            f"<news:publication_date>{item.published}</news:publication_date>"
            f"<news:title>{_text(item.title)}</news:title></news:news></url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def news_language(tag: str) -> str:
    """A language as Google News names it: the ISO 639 code, except Chinese, which is zh-cn or zh-tw."""
    parts = tag.lower().replace("_", "-").split("-")
    if parts[0] == "zh":
        return "zh-tw" if {"hant", "tw", "hk", "mo"} & set(parts[1:]) else "zh-cn"
    return parts[0]


def robots_txt(urls: Urls, config: SiteConfig) -> bytes:
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {urls.absolute('sitemap.xml')}"]
    if config.news_name:
        lines.append(f"Sitemap: {urls.absolute(NEWS_SITEMAP)}")
    return ("\n".join(lines) + "\n").encode()


NEWS_SITEMAP = "news-sitemap.xml"


def _text(value: str) -> str:
    return escape(value, quote=False)
