"""Read-only views for templates: what a page shows, with URLs and display dates already worked out.

Templates never see parser objects or the config; they see these frozen records and ``Markup`` HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import tzinfo
from typing import Callable

from markupsafe import Markup

from briefgen.config import AuthorInfo
from briefgen.model import Amendment, Briefing, BriefingContext, Change, CorrectionItem, Story, Term
from briefgen.slugs import make_slug
from briefgen.stories import merged_timeline
from briefgen.urls import Urls, briefing_route, story_route, term_route

KIND_LABELS = {"context": "Context", "escalation": "Escalation", "reactions": "Reactions", "impact": "Impact"}


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class When:
    iso: str  # RFC 3339, for <time datetime>
    display: str  # "29 November 2025"
    time: str = ""  # "14:05 CET" or "14:05 UTC−4", when the moment was given with a time of day
    moment: dt.datetime | None = None  # aware, in the site's time zone: templates format it in the page's language
    timed: bool = False  # whether the moment was given with a time of day

    @classmethod
    def of(cls, moment: dt.datetime, timezone: tzinfo, timed: bool = False) -> When:
        local = moment.astimezone(timezone)
        time = f"{local:%H:%M} {zone_label(local)}" if timed else ""
        return cls(iso=local.isoformat(), display=f"{local.day} {local:%B %Y}", time=time, moment=local, timed=timed)

    @property
    def full(self) -> str:
        """The date, and the time with its zone when there is one: "29 November 2025, 14:05 CET"."""
        return f"{self.display}, {self.time}" if self.time else self.display


def zone_label(local: dt.datetime) -> str:
    """The zone a local time is in, as readers know it: its abbreviation where the time zone database has one
    made of letters ("CET", "EST", "UTC"), else the offset from UTC ("UTC−4", "UTC+5:30"), because many zones
    have no letters there and "-04" reads like a typo."""
    name = local.tzname() or ""
    if name.isalpha():
        return name
    offset = local.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


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
    day: dt.date | None = None  # for ``{{ event.day | long_date }}``


@dataclass(frozen=True)
class SharedImage:
    """One version of an image as other sites get it: Open Graph, JSON-LD, feeds."""

    url: str  # absolute
    width: int  # 0 when unknown (a remote image)
    height: int
    type: str  # its MIME type ("" when unknown)


@dataclass(frozen=True)
class ImageView:
    """A briefing's lead image, ready to show: the picture for its page and for its card, and the versions
    sharing, search engines and feeds get."""

    alt: str
    caption: str
    credit: str
    html: Markup  # the page's <picture>, fetched first
    card_html: Markup  # a small version, for listings
    social: SharedImage  # 1200×630 where the image allows: og:image, twitter:image
    structured: tuple[SharedImage, ...]  # the 16:9, 4:3 and 1:1 crops, for JSON-LD
    feed: SharedImage  # one version for feed readers

    @property
    def json_ld(self) -> list[dict]:
        """``NewsArticle.image``: an ImageObject per crop."""
        return [{"@type": "ImageObject", "url": image.url,
                 **({"width": image.width, "height": image.height} if image.width else {})}
                for image in self.structured]


@dataclass(frozen=True)
class AmendmentView:
    """A correction or an update, as a briefing's page and its feed entries show it."""

    date: When
    html: Markup
    text: str
    serious: bool = False

    @property
    def json_ld(self) -> dict:
        """A correction as schema.org's ``CorrectionComment``."""
        return {"@type": "CorrectionComment", "text": self.text, "datePublished": self.date.iso}


def amendment_views(amendments: tuple[Amendment, ...], urls: Urls, timezone: tzinfo) -> tuple[AmendmentView, ...]:
    """Newest first: a reader wants the latest change first."""
    return tuple(AmendmentView(date=When.of(a.date, timezone, a.timed), html=Markup(urls.rebase_html(a.html)),
                               text=a.text, serious=a.serious) for a in reversed(amendments))


@dataclass(frozen=True)
class BriefingView:
    source: str  # the content file, for messages
    title: str
    url: str
    absolute_url: str
    date: When
    updated: When | None
    summary: str
    dateline: str
    lead_html: Markup  # opening with the dateline when there is one
    sections: tuple[SectionView, ...]
    toc: tuple[Link, ...]
    tags: tuple[Link, ...]
    regions: tuple[Link, ...]
    actors: tuple[Link, ...]
    authors: tuple[BylineView, ...]  # in byline order
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
    image: ImageView | None = None
    corrections: tuple[AmendmentView, ...] = ()  # newest first
    updates: tuple[AmendmentView, ...] = ()  # newest first

    @property
    def corrections_first(self) -> bool:
        """A serious correction puts every correction at the top of the page, where no reader misses it."""
        return any(correction.serious for correction in self.corrections)


@dataclass(frozen=True)
class TaxonomyLabels:
    plural: str  # "Tags"
    singular: str  # "Tag"
    key: str = ""  # "tags": templates look its words up as messages (taxonomy.tags.plural…)


TAXONOMY_LABELS = {"tags": TaxonomyLabels("Tags", "Tag", "tags"),
                   "regions": TaxonomyLabels("Regions", "Region", "regions"),
                   "actors": TaxonomyLabels("Actors", "Actor", "actors"),
                   "authors": TaxonomyLabels("Authors", "Author", "authors")}
CHANGE_LABELS = {"escalated": "Escalated", "de-escalated": "De-escalated", "held": "Held"}


@dataclass(frozen=True)
class TermView:
    name: str
    url: str
    route: str
    count: int
    briefings: tuple[BriefingView, ...]


@dataclass(frozen=True)
class BylineView:
    """An author as a byline names them: with a link to their page."""

    text: str
    url: str
    absolute_url: str
    slug: str


@dataclass(frozen=True)
class AuthorView:
    """What an author's page says about them (from the config's ``authors:``; a free name has only its name)."""

    name: str
    bio: str = ""
    url: str = ""
    image: str = ""
    job_title: str = ""
    same_as: tuple[str, ...] = ()


def author_view(name: str, info: AuthorInfo | None, urls: Urls) -> AuthorView:
    if info is None:
        return AuthorView(name=name)
    image = info.image if "://" in info.image or not info.image else urls.path(info.image.lstrip("/"))
    return AuthorView(name=info.name, bio=info.bio, url=info.url, image=image, job_title=info.job_title,
                      same_as=info.same_as)


@dataclass(frozen=True)
class MonthView:
    label: str  # "November 2025"
    anchor: str  # "2025-11"
    url: str  # the month's own page
    count: int
    briefings: tuple[BriefingView, ...]  # may be empty on the archive index of a large site

    @property
    def first_day(self) -> dt.date:
        """The month's first day, so that ``{{ month | month_year }}`` names it in the page's language."""
        return dt.date(int(self.anchor[:4]), int(self.anchor[5:7]), 1)


@dataclass(frozen=True)
class Pagination:
    current: int
    total: int
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class ChangeView:
    direction: str  # "escalated", "de-escalated", "held"
    label: str  # "Escalated"
    previous_level: int
    level: int
    previous: Link  # the briefing compared with


@dataclass(frozen=True)
class LinkedBriefing:
    """A briefing named in another's page: its title, address and date."""

    title: str
    url: str
    date: When


@dataclass(frozen=True)
class ContextView:
    """A briefing's place among the others: its story, neighbours, change and related briefings."""

    story: Link | None
    previous: Link | None
    next: Link | None
    change: ChangeView | None
    related: tuple[LinkedBriefing, ...]


@dataclass(frozen=True)
class StoryEventView:
    iso: str
    display: str
    text: str
    briefing: Link
    day: dt.date | None = None  # for ``{{ event.day | long_date }}``


@dataclass(frozen=True)
class StoryView:
    slug: str
    title: str
    description: str
    url: str
    count: int
    status: str | None
    escalation_level: int | None
    latest: BriefingView
    first: When
    timeline: tuple[StoryEventView, ...]  # empty unless asked for (only a story's first page shows it)
    briefings: tuple[BriefingView, ...]  # those shown on one page


@dataclass(frozen=True)
class QuoteRefView:
    """One quotation on an actor's page, with where it was said."""

    speaker: str
    role: str
    text: str
    date: When
    briefing: Link  # to the quote's section of the briefing


def _with_dateline(lead: Markup, dateline: str) -> Markup:
    """The lead's first paragraph opened by the dateline, as newspapers print it: "CARACAS, Venezuela — …"."""
    if not dateline or not lead.startswith("<p>"):
        return lead
    return Markup('<p><span class="dateline">{}</span> — ').format(dateline) + Markup(str(lead)[len("<p>"):])


def _as_is(html: str) -> str:
    return html


def briefing_view(briefing: Briefing, urls: Urls, timezone: tzinfo, image: ImageView | None = None,
                  place: Callable[[str], str] = _as_is) -> BriefingView:
    """``image``: the lead image's view; ``place``: puts the pictures in place of the text's image placeholders."""
    route = briefing_route(briefing.slug)
    return BriefingView(
        source=briefing.source,
        title=briefing.title,
        url=urls.path(route),
        absolute_url=urls.absolute(route),
        date=When.of(briefing.date, timezone, briefing.timed),
        updated=_modified(briefing, timezone),
        summary=briefing.summary,
        dateline=briefing.dateline,
        lead_html=_with_dateline(Markup(place(urls.rebase_html(briefing.lead_html))), briefing.dateline),
        sections=tuple(
            SectionView(heading=s.heading, anchor=s.anchor, extra_anchors=s.extra_anchors,
                        html=Markup(place(urls.rebase_html(s.html))),
                        kinds=s.kinds, labels=_labels(s.heading, s.kinds))
            for s in briefing.sections
        ),
        toc=tuple(Link(text=entry.text, url="#" + entry.anchor) for entry in briefing.toc if entry.level <= 2),
        tags=_term_links("tags", briefing.tags, urls),
        regions=_term_links("regions", briefing.regions, urls),
        actors=_term_links("actors", briefing.actors, urls),
        authors=tuple(BylineView(text=a.name, url=urls.path(route), absolute_url=urls.absolute(route), slug=a.slug)
                      for a in briefing.authors for route in (term_route("authors", a.slug),)),
        sources=tuple(Link(text=source.name, url=source.url) for source in briefing.sources),
        quotes=tuple(QuoteView(speaker=q.speaker, role=q.role, text=q.text, section=q.section)
                     for q in briefing.quotes),
        timeline=tuple(EventView(iso=e.date.isoformat(), display=f"{e.date.day} {e.date:%B %Y}", text=e.text,
                                 day=e.date) for e in briefing.timeline),
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
        image=image,
        corrections=amendment_views(briefing.corrections, urls, timezone),
        updates=amendment_views(briefing.updates, urls, timezone),
    )


def _modified(briefing: Briefing, timezone: tzinfo) -> When | None:
    """When it was last changed (``updated``, a correction or an update); None if never."""
    if not briefing.revised:
        return None
    moment, timed = briefing.modified
    return When.of(moment, timezone, timed)


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


def story_link(story: Story, urls: Urls) -> Link:
    return Link(text=story.title, url=urls.path(story_route(story.slug)))


def change_view(change: Change | None, previous: Briefing | None, urls: Urls) -> ChangeView | None:
    if change is None or previous is None:
        return None
    return ChangeView(direction=change.direction, label=CHANGE_LABELS[change.direction],
                      previous_level=change.previous_level, level=change.level,
                      previous=_briefing_link(previous, urls))


def context_view(context: BriefingContext, urls: Urls, timezone: tzinfo) -> ContextView:
    return ContextView(
        story=story_link(context.story, urls) if context.story else None,
        previous=_briefing_link(context.previous, urls) if context.previous else None,
        next=_briefing_link(context.next, urls) if context.next else None,
        change=change_view(context.change, context.previous, urls),
        related=tuple(LinkedBriefing(title=b.title, url=urls.path(briefing_route(b.slug)),
                                     date=When.of(b.date, timezone)) for b in context.related),
    )


def story_view(story: Story, urls: Urls, timezone: tzinfo, items: tuple[BriefingView, ...], latest: BriefingView,
               with_timeline: bool = False) -> StoryView:
    """A story with ``items``: the briefings shown on one of its pages; its merged timeline only if asked."""
    events = merged_timeline(story.briefings) if with_timeline else ()
    return StoryView(
        slug=story.slug, title=story.title, description=story.description, url=urls.path(story_route(story.slug)),
        count=len(story.briefings), status=story.status, escalation_level=story.escalation_level,
        latest=latest, first=When.of(story.briefings[-1].date, timezone),
        timeline=tuple(StoryEventView(iso=e.date.isoformat(), display=f"{e.date.day} {e.date:%B %Y}", text=e.text,
                                      briefing=_briefing_link(e.briefing, urls), day=e.date) for e in events),
        briefings=items)


def quote_refs(actor: str, briefings: tuple[Briefing, ...], urls: Urls, timezone: tzinfo) -> tuple[QuoteRefView, ...]:
    """Every quote by ``actor`` (compared by slug) in ``briefings``, in their order."""
    wanted = make_slug(actor)
    return tuple(
        QuoteRefView(speaker=q.speaker, role=q.role, text=q.text, date=When.of(b.date, timezone),
                     briefing=Link(text=b.title, url=urls.path(briefing_route(b.slug))
                                   + (f"#{q.section}" if q.section not in ("", "lead", "other") else "")))
        for b in briefings for q in b.quotes if make_slug(q.speaker) == wanted)


@dataclass(frozen=True)
class CorrectionRefView:
    """One correction on the site's corrections page, with the briefing it corrects."""

    date: When
    html: Markup
    serious: bool
    briefing: Link  # to the corrections on the briefing's page
    published: When  # the briefing's own date


def correction_refs(items: tuple[CorrectionItem, ...], urls: Urls, timezone: tzinfo) -> tuple[CorrectionRefView, ...]:
    return tuple(CorrectionRefView(
        date=When.of(item.correction.date, timezone, item.correction.timed),
        html=Markup(urls.rebase_html(item.correction.html)),
        serious=item.correction.serious,
        briefing=Link(item.briefing.title, urls.path(briefing_route(item.briefing.slug)) + "#corrections"),
        published=When.of(item.briefing.date, timezone, item.briefing.timed)) for item in items)


def _briefing_link(briefing: Briefing, urls: Urls) -> Link:
    return Link(text=briefing.title, url=urls.path(briefing_route(briefing.slug)))
