"""Briefings as data: ``api/briefings.json`` (the index), ``api/briefings/<slug>.json`` (one briefing),
``api/stories.json`` and ``api/stories/<slug>.json``, ``api/actors.json`` and ``api/actors/<slug>.json``.

A public contract, described by the JSON Schemas in ``briefgen/schemas/`` (also published under
``api/schema/``). URLs are absolute, including those inside HTML fragments; dates are RFC 3339.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from briefgen.config import SiteConfig
from briefgen.feeds import absolutize
from briefgen.model import (
    SECTION_KINDS,
    Amendment,
    Briefing,
    BriefingContext,
    Change,
    Quote,
    Site,
    Story,
    Taxonomy,
    Term,
)
from briefgen.slugs import make_slug
from briefgen.stories import merged_timeline
from briefgen.urls import Urls, briefing_route, story_route, term_route

if TYPE_CHECKING:
    from briefgen.views import ImageView

SCHEMAS = Path(__file__).parent / "schemas"
SCHEMA_FILES = ("briefings.schema.json", "briefing.schema.json", "stories.schema.json", "story.schema.json",
                "actors.schema.json", "actor.schema.json")


def render_api_index(site: Site, config: SiteConfig, urls: Urls) -> bytes:
    """The index, one briefing per line (compact, so that large sites get a small, fast file)."""
    head = json.dumps({"version": 1, "site": {"title": config.title, "url": config.base_url,
                                              "language": config.language}}, ensure_ascii=False)[:-1]
    lines = [json.dumps(summary_record(b, config, urls, site.context(b.slug).change), ensure_ascii=False)
             for b in site.briefings]
    return (head + ', "briefings": [\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def schema_files() -> Iterator[tuple[str, bytes]]:
    for name in SCHEMA_FILES:
        yield f"api/schema/{name}", (SCHEMAS / name).read_bytes()


def dump(value: Any) -> bytes:
    """Compact JSON: thousands of records, read by programs (``jq .`` shows them indented)."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def summary_record(briefing: Briefing, config: SiteConfig, urls: Urls,
                   change: Change | None = None) -> dict[str, Any]:
    return {
        "slug": briefing.slug,
        "title": briefing.title,
        "date": briefing.date.isoformat(),
        "updated": modified_date(briefing),
        "corrected": briefing.corrections[-1].date.isoformat() if briefing.corrections else None,
        "summary": briefing.summary,
        "url": urls.absolute(briefing_route(briefing.slug)),
        "tags": list(briefing.tags),
        "regions": list(briefing.regions),
        "actors": list(briefing.actors),
        "story": briefing.story,
        "lang": briefing.lang or config.language,
        "authors": [{"name": a.name, "slug": a.slug, "url": urls.absolute(term_route("authors", a.slug))}
                    for a in briefing.authors],
        "status": briefing.status,
        "escalation_level": briefing.escalation_level,
        "change": change.direction if change else None,
    }


def summary_key(briefing: Briefing, change: Change | None = None) -> str:
    """Everything :func:`summary_record` reads from a briefing (the config and URLs are in the build key): the
    index changes only when one of these does, not on every edit of a body."""
    return repr((briefing.slug, briefing.title, briefing.date, modified_date(briefing), briefing.corrections[-1:],
                 briefing.summary, briefing.tags,
                 briefing.regions, briefing.actors, briefing.authors, briefing.story, briefing.lang, briefing.status,
                 briefing.escalation_level, change))


def modified_date(briefing: Briefing) -> str | None:
    """When it was last changed (``updated:``, a correction or an update), or None if never."""
    return briefing.last_modified.isoformat() if briefing.revised else None


def stories_index(site: Site, config: SiteConfig, urls: Urls) -> dict[str, Any]:
    return {"version": 1, "stories": [_story_summary(story, urls) for story in site.stories]}


def story_record(story: Story, site: Site, config: SiteConfig, urls: Urls) -> dict[str, Any]:
    record = _story_summary(story, urls)
    record["briefings"] = [
        {**_reference(b, urls), "status": b.status, "escalation_level": b.escalation_level,
         "change": c.direction if (c := site.context(b.slug).change) else None}
        for b in story.briefings]
    record["timeline"] = [{"date": e.date.isoformat(), "text": e.text,
                           "briefing": urls.absolute(briefing_route(e.briefing.slug))}
                          for e in merged_timeline(story.briefings)]
    return record


def actors_index(actors: Taxonomy, config: SiteConfig, urls: Urls) -> dict[str, Any]:
    return {"version": 1, "actors": [
        {"name": term.name, "slug": term.slug, "url": urls.absolute(term_route("actors", term.slug)),
         "briefings": len(term.briefings), "quotes": len(_quotes_by(term))} for term in actors.terms]}


def actor_record(term: Term, config: SiteConfig, urls: Urls) -> dict[str, Any]:
    return {
        "name": term.name, "slug": term.slug, "url": urls.absolute(term_route("actors", term.slug)),
        "quotes": [{"text": quote.text, "role": quote.role, "date": briefing.date.isoformat(),
                    "briefing": urls.absolute(briefing_route(briefing.slug))} for briefing, quote in _quotes_by(term)],
        "briefings": [_reference(b, urls) for b in term.briefings],
    }


def _quotes_by(term: Term) -> list[tuple[Briefing, Quote]]:
    return [(b, q) for b in term.briefings for q in b.quotes if make_slug(q.speaker) == term.slug]


def _story_summary(story: Story, urls: Urls) -> dict[str, Any]:
    return {
        "slug": story.slug, "title": story.title, "description": story.description,
        "url": urls.absolute(story_route(story.slug)), "status": story.status,
        "escalation_level": story.escalation_level, "count": len(story.briefings),
        "first": story.briefings[-1].date.isoformat(), "latest": _reference(story.latest, urls),
    }


def _reference(briefing: Briefing, urls: Urls) -> dict[str, Any]:
    return {"slug": briefing.slug, "title": briefing.title, "url": urls.absolute(briefing_route(briefing.slug)),
            "date": briefing.date.isoformat(), "escalation_level": briefing.escalation_level}


def briefing_record(briefing: Briefing, config: SiteConfig, urls: Urls, context: BriefingContext,
                    image: ImageView | None = None, place: Callable[[str], str] | None = None) -> dict[str, Any]:
    """A briefing's record: its text by part (and each part's HTML with ``api: {html: true}``, its images put in
    place by ``place``), quotations, timeline and sources, its lead image, its place among the other briefings."""
    page = urls.absolute(briefing_route(briefing.slug))

    def body(html: str, text: str) -> dict[str, str]:
        if not config.api.html:
            return {"text": text}
        html = absolutize(urls.rebase_html(html), page)
        return {"html": place(html) if place else html, "text": text}
    record = summary_record(briefing, config, urls, context.change)
    record.update({
        "dateline": briefing.dateline,
        "image": _image_record(image) if image else None,
        "lead": body(briefing.lead_html, briefing.lead_text),
        "sections": {kind: _merged_section(briefing, kind, body) for kind in SECTION_KINDS},
        "other_sections": [{"heading": s.heading, "anchor": s.anchor, **body(s.html, s.text)}
                           for s in briefing.sections if not s.kinds],
        "quotes": [{"speaker": q.speaker, "role": q.role, "text": q.text, "section": q.section}
                   for q in briefing.quotes],
        "timeline": [{"date": e.date.isoformat(), "text": e.text} for e in briefing.timeline],
        "corrections": [{**_amendment_record(c, urls, page), "serious": c.serious} for c in briefing.corrections],
        "updates": [_amendment_record(u, urls, page) for u in briefing.updates],
        "sources": [{"name": s.name, "url": s.url or None} for s in briefing.sources],
        "word_count": briefing.word_count,
        "reading_time_minutes": briefing.reading_minutes,
        "warnings": list(briefing.warnings),
        "story_url": urls.absolute(story_route(context.story.slug)) if context.story else None,
        "previous": _reference(context.previous, urls) if context.previous else None,
        "next": _reference(context.next, urls) if context.next else None,
        "related": [_reference(b, urls) for b in context.related],
    })
    return record


def _amendment_record(amendment: Amendment, urls: Urls, page: str) -> dict[str, Any]:
    return {"date": amendment.date.isoformat(), "text": amendment.text,
            "html": absolutize(urls.rebase_html(amendment.html), page)}


def _image_record(image: ImageView) -> dict[str, Any]:
    feed = image.feed
    return {"url": feed.url, "width": feed.width or None, "height": feed.height or None, "type": feed.type or None,
            "alt": image.alt, "caption": image.caption, "credit": image.credit,
            "social": {"url": image.social.url, "width": image.social.width or None,
                       "height": image.social.height or None}}


def _merged_section(briefing: Briefing, kind: str,
                    body: Callable[[str, str], dict[str, str]]) -> dict[str, Any] | None:
    """Every section of one kind, merged in order; None when the briefing has none."""
    parts = [s for s in briefing.sections if kind in s.kinds]
    if not parts:
        return None
    return {"headings": [s.heading for s in parts], "anchor": kind,
            **body("".join(s.html for s in parts), "\n\n".join(s.text for s in parts if s.text))}
