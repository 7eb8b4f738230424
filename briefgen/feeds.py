"""RSS 2.0 and Atom 1.0 (built with feedgen) and JSON Feed 1.1, for the site and for every term.

- Entries are newest first; drafts and future-dated briefings never appear, whatever the build flags.
- Every date comes from the briefings, never the build clock, so rebuilds are byte-identical: a feed's
  ``updated``/``lastBuildDate`` is its newest entry's, or ``SOURCE_DATE_EPOCH`` (else 1970) when it is empty.
- An entry's id is its permalink (or front matter ``id``), so editing an article never changes it; front
  matter ``updated`` changes the entry's updated date only.
- Every URL inside the content is absolute, because feed readers have no base path.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from html import escape as escape_html
from typing import TYPE_CHECKING, Callable
from urllib.parse import urljoin

from briefgen import __version__
from briefgen.config import SiteConfig
from briefgen.model import Briefing, Byline, CorrectionItem
from briefgen.urls import Urls, briefing_route, term_route

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

    from briefgen.views import SharedImage

FEED_FILES = (("feed.xml", "application/rss+xml", "RSS"), ("atom.xml", "application/atom+xml", "Atom"),
              ("feed.json", "application/feed+json", "JSON Feed"))

_URL_ATTRIBUTE = re.compile(r"""(?P<name>\b(?:href|src|poster|cite))=(?P<value>"[^"]*"|'[^']*')""", re.IGNORECASE)
_SRCSET_ATTRIBUTE = re.compile(r"""\bsrcset=(?P<value>"[^"]*"|'[^']*')""", re.IGNORECASE)


@dataclass(frozen=True)
class FeedSpec:
    title: str
    route: str  # folder of the feed files: "" for the whole site, "tags/x/" for a tag
    briefings: tuple[Briefing, ...]  # newest first
    full: bool = True  # whole briefings, or summaries only
    limit: int = 20  # the newest this many
    # a feed of these corrections instead of briefings; ``briefings`` then holds the site's newest briefing, whose
    # date the feed gives as its own while no correction has been made
    corrections: tuple[CorrectionItem, ...] | None = None


@dataclass(frozen=True)
class FeedContext:
    config: SiteConfig
    urls: Urls
    entry_html: Callable[[Briefing], str]  # the full content of an entry, URLs already absolute
    change_of: Callable[[Briefing], str | None] = lambda briefing: None  # "escalated", "de-escalated", "held"
    note_html: Callable[[Briefing], str] = lambda briefing: ""  # what opens a summary-only entry (the change)
    image_of: Callable[[Briefing], SharedImage | None] = lambda briefing: None  # the lead image's feed version

    def content(self, briefing: Briefing, full: bool) -> str:
        """An entry's content: the whole briefing, or its note and summary."""
        if full:
            return self.entry_html(briefing)
        return self.note_html(briefing) + f"<p>{escape_html(briefing.summary or briefing.title, quote=False)}</p>"


def render_feed(spec: FeedSpec, context: FeedContext, name: str) -> bytes:
    """One feed file (``feed.xml``, ``atom.xml`` or ``feed.json``) of ``spec.briefings``, already limited."""
    if spec.corrections is not None:
        return _corrections_feed(spec, spec.corrections, context, name)
    items = spec.briefings
    if name == "feed.xml":
        return _generator(spec, items, context, name).rss_str(pretty=True)
    if name == "atom.xml":
        return _generator(spec, items, context, name).atom_str(pretty=True)
    return _json_feed(spec, items, context)


def entry_id(briefing: Briefing, urls: Urls) -> str:
    return briefing.guid or urls.absolute(briefing_route(briefing.slug))


def feed_updated(items: tuple[Briefing, ...]) -> dt.datetime:
    if items:
        return max(b.last_modified for b in items)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch) if epoch.isdigit() else 0, dt.timezone.utc)


def _local(moment: dt.datetime, config: SiteConfig) -> dt.datetime:
    return moment.astimezone(config.tz)


def _absolute_asset(value: str, config: SiteConfig) -> str:
    """An icon or logo: an absolute URL as it is, else a path among the files every language shares."""
    return value if re.match(r"https?://", value) else Urls(config.shared_base_url).absolute(value)


def _generator(spec: FeedSpec, items: tuple[Briefing, ...], context: FeedContext, name: str) -> FeedGenerator:
    feed = _feed_head(spec, context, name, feed_updated(items))
    if name == "feed.xml" and any(briefing.authors for briefing in items):
        feed.load_extension("dc", atom=False, rss=True)  # RSS names authors in dc:creator (<author> wants an email)
    if any(briefing.image for briefing in items):
        feed.load_extension("media")  # the lead image as media:content, which readers show as the entry's picture
    for briefing in items:
        _add_entry(feed, briefing, context, spec.full, rss=name == "feed.xml")
    return feed


def _feed_head(spec: FeedSpec, context: FeedContext, name: str, updated: dt.datetime) -> FeedGenerator:
    """A feed with its title, links (self, hubs, home), language, generator, author and dates, but no entries."""
    from feedgen.feed import FeedGenerator  # imported when a feed is rendered: most rebuilds render none

    config, urls = context.config, context.urls
    feed = FeedGenerator()
    home = urls.absolute(spec.route)
    feed.id(home)
    feed.title(spec.title)
    feed.subtitle(config.description or spec.title)
    feed.link(href=urls.absolute(spec.route + name), rel="self")
    if name == "atom.xml":
        for hub in config.websub.hubs:
            feed.link(href=hub, rel="hub")
    else:  # feedgen writes only the self link into RSS, and no item's updated date
        feed.register_extension("more", _RssChannelLinks, _RssItemUpdated, atom=False, rss=True)
        feed.more.hubs = config.websub.hubs
    feed.link(href=home, rel="alternate")  # feedgen takes the RSS <link> from the last link
    feed.language(config.language)
    feed.generator("briefgen", __version__, "https://pypi.org/project/briefgen/")
    feed.author({"name": config.author or config.title})
    if config.feeds.icon:
        feed.icon(_absolute_asset(config.feeds.icon, config))
    if config.feeds.logo:
        feed.logo(_absolute_asset(config.feeds.logo, config))
    feed.updated(_local(updated, config))
    feed.lastBuildDate(_local(updated, config))
    return feed


_ATOM = "{http://www.w3.org/2005/Atom}"


class _RssOnly:
    """A feedgen extension that adds Atom elements to RSS only (feedgen's RSS already declares their namespace,
    for its self link)."""

    def extend_ns(self) -> dict:
        return {}

    def extend_atom(self, element):
        return element


class _RssChannelLinks(_RssOnly):
    """The WebSub hubs as ``<atom:link rel="hub">`` in an RSS channel, after its self link."""

    hubs: tuple[str, ...] = ()

    def extend_rss(self, feed):
        channel = feed[0]
        links = channel.findall(_ATOM + "link")
        position = list(channel).index(links[-1]) + 1 if links else len(channel)
        for offset, hub in enumerate(self.hubs):
            channel.insert(position + offset, channel.makeelement(_ATOM + "link", {"href": hub, "rel": "hub"}))
        return feed


class _RssItemUpdated(_RssOnly):
    """A revised item's last change as ``<atom:updated>`` (RSS 2.0 has no element for it)."""

    updated: str = ""

    def extend_rss(self, item):
        if self.updated:
            item.append(item.makeelement(_ATOM + "updated", {}))
            item[-1].text = self.updated
        return item


def _add_entry(feed: FeedGenerator, briefing: Briefing, context: FeedContext, full: bool, rss: bool) -> None:
    config, urls = context.config, context.urls
    link = urls.absolute(briefing_route(briefing.slug))
    entry = feed.add_entry(order="append")
    entry.id(entry_id(briefing, urls))
    entry.guid(entry_id(briefing, urls), permalink=briefing.guid is None)
    entry.title(briefing.title)
    entry.link(href=link, rel="alternate")
    entry.published(_local(briefing.date, config))
    entry.updated(_local(briefing.last_modified, config))
    if rss and briefing.revised:
        entry.more.updated = _local(briefing.last_modified, config).isoformat()
    # readers show an RSS description as HTML: escaped, a summary that mentions "<script>" stays text
    entry.summary(escape_html(briefing.summary or briefing.title, quote=False), type="html")
    entry.content(context.content(briefing, full), type="html")
    for author in briefing.authors:
        email = config.authors[author.slug].email if rss and author.slug in config.authors else ""
        if email:  # RSS's <author> is an email address; Atom and JSON Feed never show one
            entry.author({"name": author.name, "email": email})
        elif not rss:
            entry.author({"name": author.name, "uri": _author_page(author, urls)})
        if rss:
            entry.dc.dc_creator(author.name)
    for tag in briefing.tags:
        entry.category(term=tag)
    image = context.image_of(briefing)
    if image is not None:
        entry.media.content({"url": image.url, "medium": "image", **({"type": image.type} if image.type else {}),
                             **({"width": str(image.width), "height": str(image.height)} if image.width else {})})
    change = context.change_of(briefing)
    if change:
        entry.category(term=change)


def _json_feed(spec: FeedSpec, items: tuple[Briefing, ...], context: FeedContext) -> bytes:
    feed = _json_head(spec, context)
    feed["items"] = [_json_item(briefing, context, spec.full) for briefing in items]
    return _json_bytes(feed)


def _json_bytes(feed: dict) -> bytes:
    return (json.dumps(feed, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _json_head(spec: FeedSpec, context: FeedContext) -> dict:
    config, urls = context.config, context.urls
    feed: dict = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": urls.absolute(spec.route),
        "feed_url": urls.absolute(spec.route + "feed.json"),
        "description": config.description or spec.title,
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
    }
    if config.websub.hubs:
        feed["hubs"] = [{"type": "WebSub", "url": hub} for hub in config.websub.hubs]
    if config.feeds.icon:
        feed["favicon"] = _absolute_asset(config.feeds.icon, config)
    if config.feeds.logo:
        feed["icon"] = _absolute_asset(config.feeds.logo, config)
    return feed


def _json_item(briefing: Briefing, context: FeedContext, full: bool) -> dict:
    config, urls = context.config, context.urls
    link = urls.absolute(briefing_route(briefing.slug))
    item = {
        "id": entry_id(briefing, urls),
        "url": link,
        "title": briefing.title,
        "summary": briefing.summary or briefing.title,
        "date_published": _local(briefing.date, config).isoformat(),
        "date_modified": _local(briefing.last_modified, config).isoformat(),
        "tags": list(briefing.tags),
        "language": briefing.lang or config.language,
    }
    image = context.image_of(briefing)
    if image is not None:
        item["image"] = image.url
    if briefing.authors:
        item["authors"] = [{"name": author.name, "url": _author_page(author, urls)} for author in briefing.authors]
    item["content_html"] = context.content(briefing, full)
    change = context.change_of(briefing)
    if change or briefing.escalation_level is not None:
        item["_briefgen"] = {"escalation_level": briefing.escalation_level, "change": change}
    return item


def _corrections_feed(spec: FeedSpec, items: tuple[CorrectionItem, ...], context: FeedContext, name: str) -> bytes:
    """The site's corrections, newest first: each entry names the briefing, says what was corrected and links to
    the correction on its page."""
    if name == "feed.json":
        feed = _json_head(spec, context)
        feed["items"] = [_json_correction(item, context) for item in items]
        return _json_bytes(feed)
    updated = items[0].correction.date if items else feed_updated(spec.briefings)
    feed = _feed_head(spec, context, name, updated)
    for item in items:
        _add_correction(feed, item, context)
    return feed.rss_str(pretty=True) if name == "feed.xml" else feed.atom_str(pretty=True)


def correction_id(item: CorrectionItem, urls: Urls) -> str:
    """Stable as long as the briefing keeps its id and the correction its place among the briefing's."""
    return f"{entry_id(item.briefing, urls)}#correction-{item.number}"


def _correction_parts(item: CorrectionItem, context: FeedContext) -> tuple[str, str, str]:
    """The title, link and HTML content of a correction's entry."""
    briefing, correction = item.briefing, item.correction
    link = context.urls.absolute(briefing_route(briefing.slug)) + "#corrections"
    note = context.urls.rebase_html(correction.html)
    html = absolutize(f"<p><strong>Correction</strong> to <a href=\"{escape_html(link)}\">"
                      f"{escape_html(briefing.title, quote=False)}</a>: {note}</p>", link)
    return f"Correction: {briefing.title}", link, html


def _add_correction(feed: FeedGenerator, item: CorrectionItem, context: FeedContext) -> None:
    title, link, html = _correction_parts(item, context)
    identifier = correction_id(item, context.urls)
    entry = feed.add_entry(order="append")
    entry.id(identifier)
    entry.guid(identifier, permalink=False)
    entry.title(title)
    entry.link(href=link, rel="alternate")
    moment = _local(item.correction.date, context.config)
    entry.published(moment)
    entry.updated(moment)
    entry.summary(escape_html(item.correction.text, quote=False), type="html")
    entry.content(html, type="html")
    entry.category(term="correction")


def _json_correction(item: CorrectionItem, context: FeedContext) -> dict:
    title, link, html = _correction_parts(item, context)
    moment = _local(item.correction.date, context.config).isoformat()
    return {"id": correction_id(item, context.urls), "url": link, "title": title, "summary": item.correction.text,
            "date_published": moment, "date_modified": moment, "content_html": html, "tags": ["correction"],
            "language": item.briefing.lang or context.config.language}


def _author_page(author: Byline, urls: Urls) -> str:
    return urls.absolute(term_route("authors", author.slug))


def absolutize(html: str, page_url: str) -> str:
    """Resolve every link, image and srcset URL in ``html`` against the page it belongs to."""

    def one(match: re.Match) -> str:
        quote, value = match.group("value")[0], match.group("value")[1:-1].strip()
        if not value.startswith(("http://", "https://", "mailto:", "data:")):
            value = urljoin(page_url, value)
        return f"{match.group('name')}={quote}{value}{quote}"

    def srcset(match: re.Match) -> str:
        quote, value = match.group("value")[0], match.group("value")[1:-1]
        candidates = []
        for candidate in value.split(","):
            pieces = candidate.strip().split(None, 1)
            if pieces:
                pieces[0] = urljoin(page_url, pieces[0])
                candidates.append(" ".join(pieces))
        return f"srcset={quote}{', '.join(candidates)}{quote}"

    html = _URL_ATTRIBUTE.sub(one, html)
    return _SRCSET_ATTRIBUTE.sub(srcset, html) if "srcset=" in html else html
