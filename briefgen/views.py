"""Read-only views for templates: what a page shows, with URLs and display dates already worked out.

Templates never see parser objects or the config; they see these frozen records and ``Markup`` HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import tzinfo

from markupsafe import Markup

from briefgen.model import Briefing, Term
from briefgen.slugs import make_slug
from briefgen.urls import Urls, briefing_route, term_route

KIND_LABELS = {"context": "Context", "escalation": "Escalation", "reactions": "Reactions", "impact": "Impact"}


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class When:
    iso: str  # RFC 3339, for <time datetime>
    display: str  # "29 November 2025"

    @classmethod
    def of(cls, moment: dt.datetime, timezone: tzinfo) -> When:
        local = moment.astimezone(timezone)
        return cls(iso=local.isoformat(), display=f"{local.day} {local:%B %Y}")


@dataclass(frozen=True)
class SectionView:
    heading: str
    anchor: str
    extra_anchors: tuple[str, ...]
    html: Markup
    kinds: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class QuoteView:
    speaker: str
    role: str
    text: str
    section: str


@dataclass(frozen=True)
class EventView:
    iso: str  # YYYY-MM-DD
    display: str
    text: str


@dataclass(frozen=True)
class BriefingView:
    source: str  # the content file, for messages
    title: str
    url: str
    absolute_url: str
    date: When
    updated: When | None
    summary: str
    lead_html: Markup
    sections: tuple[SectionView, ...]
    toc: tuple[Link, ...]
    tags: tuple[Link, ...]
    regions: tuple[Link, ...]
    actors: tuple[str, ...]
    sources: tuple[Link, ...]
    quotes: tuple[QuoteView, ...]
    timeline: tuple[EventView, ...]
    timeline_after: str  # anchor of the section the timeline follows ("" = after the lead)
    quotes_after: str  # anchor of the section the quote cards follow ("" = after the lead)
    word_count: int
    reading_minutes: int
    status: str | None
    escalation_level: int | None
    story: str | None
    lang: str | None
    draft: bool
    extra: dict


@dataclass(frozen=True)
class TaxonomyLabels:
    plural: str  # "Tags"
    singular: str  # "Tag"


TAXONOMY_LABELS = {"tags": TaxonomyLabels("Tags", "Tag"), "regions": TaxonomyLabels("Regions", "Region")}


@dataclass(frozen=True)
class TermView:
    name: str
    url: str
    route: str
    count: int
    briefings: tuple[BriefingView, ...]


@dataclass(frozen=True)
class MonthView:
    label: str  # "November 2025"
    anchor: str  # "2025-11"
    url: str  # the month's own page
    count: int
    briefings: tuple[BriefingView, ...]  # may be empty on the archive index of a large site


@dataclass(frozen=True)
class Pagination:
    current: int
    total: int
    previous_url: str | None
    next_url: str | None


def briefing_view(briefing: Briefing, urls: Urls, timezone: tzinfo) -> BriefingView:
    route = briefing_route(briefing.slug)
    return BriefingView(
        source=briefing.source,
        title=briefing.title,
        url=urls.path(route),
        absolute_url=urls.absolute(route),
        date=When.of(briefing.date, timezone),
        updated=When.of(briefing.updated, timezone) if briefing.updated else None,
        summary=briefing.summary,
        lead_html=Markup(urls.rebase_html(briefing.lead_html)),
        sections=tuple(
            SectionView(heading=s.heading, anchor=s.anchor, extra_anchors=s.extra_anchors,
                        html=Markup(urls.rebase_html(s.html)),
                        kinds=s.kinds, labels=_labels(s.heading, s.kinds))
            for s in briefing.sections
        ),
        toc=tuple(Link(text=entry.text, url="#" + entry.anchor) for entry in briefing.toc if entry.level <= 2),
        tags=_term_links("tags", briefing.tags, urls),
        regions=_term_links("regions", briefing.regions, urls),
        actors=briefing.actors,
        sources=tuple(Link(text=source.name, url=source.url) for source in briefing.sources),
        quotes=tuple(QuoteView(speaker=q.speaker, role=q.role, text=q.text, section=q.section)
                     for q in briefing.quotes),
        timeline=tuple(EventView(iso=e.date.isoformat(), display=f"{e.date.day} {e.date:%B %Y}", text=e.text)
                       for e in briefing.timeline),
        timeline_after=_anchor_of_kind(briefing, "escalation"),
        quotes_after=_anchor_of_kind(briefing, "reactions"),
        word_count=briefing.word_count,
        reading_minutes=briefing.reading_minutes,
        status=briefing.status,
        escalation_level=briefing.escalation_level,
        story=briefing.story,
        lang=briefing.lang,
        draft=briefing.draft,
        extra=dict(briefing.extra),
    )


def _labels(heading: str, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """Kind labels above a heading, unless the heading already says exactly that."""
    labels = tuple(KIND_LABELS[kind] for kind in kinds)
    return () if labels == (heading.strip().rstrip(":.").title(),) else labels


def _anchor_of_kind(briefing: Briefing, kind: str) -> str:
    """The first section of ``kind`` (the timeline follows escalation, quote cards follow reactions),
    or else the last section."""
    for section in briefing.sections:
        if kind in section.kinds:
            return section.anchor
    return briefing.sections[-1].anchor if briefing.sections else ""


def _term_links(taxonomy: str, names: tuple[str, ...], urls: Urls) -> tuple[Link, ...]:
    return tuple(Link(text=name, url=urls.path(term_route(taxonomy, make_slug(name)))) for name in names)


def term_view(taxonomy: str, term: Term, urls: Urls, items: tuple[BriefingView, ...] = ()) -> TermView:
    """A term with ``items``: the briefings shown on one of its pages."""
    route = term_route(taxonomy, term.slug)
    return TermView(name=term.name, url=urls.path(route), route=route, count=len(term.briefings), briefings=items)
