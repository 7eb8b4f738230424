"""RSS 2.0 and Atom 1.0 feeds, built with feedgen.

Entries are newest first; every date comes from the briefings (never the build clock), so rebuilds are
byte-identical; every URL inside the content is made absolute, because feed readers have no base path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from briefgen import __version__
from briefgen.config import SiteConfig
from briefgen.model import Briefing
from briefgen.output import OutputFile
from briefgen.urls import Urls, briefing_route

_URL_ATTRIBUTE = re.compile(r"""(?P<name>\b(?:href|src|poster|cite))=(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
                            re.IGNORECASE | re.DOTALL)
_SRCSET_ATTRIBUTE = re.compile(r"""\bsrcset=(?P<quote>["'])(?P<value>.*?)(?P=quote)""", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class FeedSpec:
    title: str
    route: str  # folder of the feed files: "" for the whole site, "tags/x/" for a tag
    briefings: tuple[Briefing, ...]  # newest first


def render_feeds(spec: FeedSpec, config: SiteConfig, urls: Urls) -> Iterator[OutputFile]:
    items = spec.briefings[:config.feeds.limit]
    yield OutputFile(spec.route + "feed.xml", _generator(spec, items, config, urls, "feed.xml").rss_str(pretty=True),
                     "feed")
    yield OutputFile(spec.route + "atom.xml",
                     _generator(spec, items, config, urls, "atom.xml").atom_str(pretty=True), "feed")


def _generator(spec: FeedSpec, items: tuple[Briefing, ...], config: SiteConfig, urls: Urls,
               name: str) -> FeedGenerator:
    feed = FeedGenerator()
    home = urls.absolute(spec.route)
    feed.id(home)
    feed.title(spec.title)
    feed.subtitle(config.description or spec.title)
    feed.link(href=urls.absolute(spec.route + name), rel="self")
    feed.link(href=home, rel="alternate")  # feedgen takes the RSS <link> from the last link
    feed.language(config.language)
    feed.generator("briefgen", __version__)
    feed.author({"name": config.author or config.title})
    newest = max((b.last_modified for b in items), default=None)
    if newest is not None:
        feed.updated(newest)
        feed.lastBuildDate(newest)
    else:
        feed.updated("1970-01-01T00:00:00Z")
        feed.lastBuildDate("1970-01-01T00:00:00Z")
    for briefing in items:
        _add_entry(feed, briefing, config, urls)
    return feed


def _add_entry(feed: FeedGenerator, briefing: Briefing, config: SiteConfig, urls: Urls) -> None:
    link = urls.absolute(briefing_route(briefing.slug))
    entry = feed.add_entry(order="append")
    entry.id(link)
    entry.guid(link, permalink=True)
    entry.title(briefing.title)
    entry.link(href=link, rel="alternate")
    entry.published(briefing.date)
    entry.updated(briefing.last_modified)
    entry.summary(briefing.summary or briefing.title)
    if config.feeds.content == "full":
        entry.content(absolutize(entry_html(briefing), link), type="html")
    for tag in briefing.tags:
        entry.category(term=tag)


def entry_html(briefing: Briefing) -> str:
    parts = [briefing.lead_html]
    for section in briefing.sections:
        parts.append(f'<h2 id="{section.anchor}">{_escape(section.heading)}</h2>\n{section.html}')
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def absolutize(html: str, page_url: str) -> str:
    """Resolve every link, image and srcset URL in ``html`` against the page it belongs to."""

    def one(match: re.Match) -> str:
        value = match.group("value").strip()
        return f'{match.group("name")}={match.group("quote")}{urljoin(page_url, value)}{match.group("quote")}'

    def srcset(match: re.Match) -> str:
        candidates = []
        for candidate in match.group("value").split(","):
            pieces = candidate.strip().split(None, 1)
            if pieces:
                pieces[0] = urljoin(page_url, pieces[0])
                candidates.append(" ".join(pieces))
        return f'srcset={match.group("quote")}{", ".join(candidates)}{match.group("quote")}'

    return _SRCSET_ATTRIBUTE.sub(srcset, _URL_ATTRIBUTE.sub(one, html))
