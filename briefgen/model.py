"""The model: frozen, typed records that flow from the parser to the renderer.

They hold plain data only (strings, numbers, dates, tuples), so they can be cached and sent between processes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

SECTION_KINDS = ("context", "escalation", "reactions", "impact")
SPEAKER_KINDS = ("person", "unnamed", "institution")


class _Record:
    """Base of the records kept by the hundred thousand (a briefing and its parts): slotted, so that no instance
    carries a dict (a quarter less memory), and pickled as the arguments of their constructor (loading slots
    one attribute at a time, pickle's default, would take 1.7× as long)."""

    __slots__ = ()

    def __reduce__(self):
        return type(self), tuple(getattr(self, name) for name in _init_fields(type(self)))


@functools.cache
def _init_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


@dataclass(frozen=True, slots=True)
class Source(_Record):
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class TextBlock(_Record):
    """A paragraph, block quote or list item as plain text: what quotes and timelines are found in."""

    kind: str  # "paragraph", "blockquote" or "list_item"
    text: str  # plain text; a block quote's paragraphs are separated by blank lines
    source: str  # the Markdown of a list item's first paragraph ("" for other kinds)
    line: int
    section: str  # anchor of the section it belongs to ("" for the lead)


@dataclass(frozen=True, slots=True)
class Section(_Record):
    heading: str  # plain text of the heading
    anchor: str  # unique id within the briefing
    html: str  # the section body, without its heading
    text: str
    line: int  # 1-based line of the heading in the file
    kinds: tuple[str, ...] = ()  # which of SECTION_KINDS it covers; empty for other sections
    extra_anchors: tuple[str, ...] = ()  # more ids for the same place (a section covering two kinds)


@dataclass(frozen=True, slots=True)
class Quote(_Record):
    speaker: str
    text: str
    role: str = ""
    section: str = ""  # anchor of the section it appears in ("" for the lead)
    line: int = 0
    kind: str = "person"  # who the speaker is: a "person", an "unnamed" source or an "institution"


@dataclass(frozen=True, slots=True)
class TimelineEvent(_Record):
    date: dt.date
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class TocEntry(_Record):
    level: int
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class ImageRef(_Record):
    """An image a briefing shows: its lead image (front matter ``image:``) or one in its text (Markdown)."""

    src: str  # as written: beside the Markdown file, "/…" in the site's static/ folder, or a remote URL
    alt: str = ""
    line: int = 0  # where it is written, for errors
    caption: str = ""
    credit: str = ""
    focus: tuple[float, float] = (0.5, 0.5)  # the point crops keep in view, as fractions of width and height
    decorative: bool = False  # adds nothing a reader needs: an empty alt text is right
    title: str = ""  # a Markdown image's title


@dataclass(frozen=True, slots=True)
class Amendment(_Record):
    """A correction or an update of a published briefing (front matter ``corrections:`` and ``updates:``)."""

    date: dt.datetime  # timezone-aware
    html: str  # the note, from Markdown; a single paragraph without its <p>
    text: str  # the note as plain text
    timed: bool = False  # written with a time of day
    serious: bool = False  # a correction of an error that changed the story's meaning: shown first
    line: int = 0


@dataclass(frozen=True, slots=True)
class Byline(_Record):
    """One author of a briefing: a configured author's slug and name, or a free name and its slug."""

    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Briefing(_Record):
    source: str  # the file as the user knows it, e.g. content/2025-11-29-airspace.md
    slug: str
    guid: str | None  # front matter `id`: keeps a feed entry's identity when the slug changes
    title: str
    date: dt.datetime  # timezone-aware
    updated: dt.datetime | None
    summary: str
    lead_html: str
    lead_text: str
    sections: tuple[Section, ...]
    toc: tuple[TocEntry, ...]
    word_count: int
    reading_minutes: int = 1
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    draft: bool = False
    lang: str | None = None
    story: str | None = None
    status: str | None = None
    escalation_level: int | None = None
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    warnings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    aliases: tuple[str, ...] = ()  # old addresses (routes) that redirect to this briefing
    timed: bool = False  # ``date`` was given with a time of day (else it is shown as a date only)
    updated_timed: bool = False
    dateline: str = ""  # where it was reported from: "CARACAS, Venezuela"
    authors: tuple[Byline, ...] = ()  # in byline order
    image: ImageRef | None = None  # the lead image
    images: tuple[ImageRef, ...] = ()  # images in the text, numbered as their placeholders in the HTML
    corrections: tuple[Amendment, ...] = ()  # oldest first
    updates: tuple[Amendment, ...] = ()  # oldest first
    translation_key: str = ""  # what its versions in other languages share (a multilingual site's only)
    translation: bool = False  # its file name says it is a version of another (a language suffix: x.es.md)
    _timestamp: float | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def revised(self) -> bool:
        """Changed after publication: an ``updated`` date, a correction or an update."""
        return self.updated is not None or bool(self.corrections or self.updates)

    @property
    def last_modified(self) -> dt.datetime:
        """The latest of its date, ``updated``, its corrections and its updates."""
        return self.modified[0]

    @property
    def modified(self) -> tuple[dt.datetime, bool]:
        """:attr:`last_modified`, and whether it was written with a time of day."""
        moments = [(self.date, self.timed), *((a.date, a.timed) for a in self.corrections + self.updates)]
        if self.updated is not None:
            moments.append((self.updated, self.updated_timed))
        latest = max(moment for moment, _ in moments)
        return latest, any(timed for moment, timed in moments if moment == latest)

    @property
    def timestamp(self) -> float:
        """``date`` as seconds since the epoch, computed once (sorting thousands of aware dates is slow)."""
        cached = self._timestamp
        if cached is None:
            cached = self.date.timestamp()
            object.__setattr__(self, "_timestamp", cached)
        return cached


@dataclass(frozen=True)
class Term:
    """One value of a taxonomy (a tag, a region), with the briefings that carry it, newest first."""

    name: str
    slug: str
    briefings: tuple[Briefing, ...]


@dataclass(frozen=True)
class Taxonomy:
    key: str  # the front matter key and URL folder: "tags", "regions"
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class ArchiveMonth:
    year: int
    month: int
    briefings: tuple[Briefing, ...]


@dataclass(frozen=True)
class Change:
    """How the situation moved since the story's previous briefing (the CrisisWatch convention)."""

    direction: str  # "escalated", "de-escalated" or "held"
    previous_level: int
    level: int
    previous: str  # slug of the previous briefing


@dataclass(frozen=True)
class StoryEvent:
    """One dated event of a story's merged timeline, with the briefing that reported it first."""

    date: dt.date
    text: str
    briefing: Briefing


@dataclass(frozen=True)
class Story:
    """Briefings sharing a front matter ``story:``, newest first (their merged timeline: ``stories.py``)."""

    slug: str
    name: str  # as written in the front matter (the most used spelling)
    title: str
    description: str
    briefings: tuple[Briefing, ...]

    @property
    def latest(self) -> Briefing:
        return self.briefings[0]

    @property
    def status(self) -> str | None:
        return next((b.status for b in self.briefings if b.status), None)

    @property
    def escalation_level(self) -> int | None:
        return next((b.escalation_level for b in self.briefings if b.escalation_level is not None), None)


@dataclass(frozen=True)
class Translation:
    """Another language's version of a briefing, as its page links to it."""

    lang: str
    slug: str
    title: str
    original: bool = False  # the version the others translate (in the site's default language)


@dataclass(frozen=True)
class BriefingContext:
    """What a briefing's page shows about the briefings around it."""

    story: Story | None = None
    previous: Briefing | None = None  # in its story, by date
    next: Briefing | None = None
    change: Change | None = None
    related: tuple[Briefing, ...] = ()
    translations: tuple[Translation, ...] = ()  # every version in another language, in the site's language order

    @property
    def empty(self) -> bool:
        return not (self.story or self.previous or self.next or self.change or self.related or self.translations)

    def key(self) -> str:
        """Everything the context shows, as text: a page is rendered again only when this changes."""
        def brief(b: Briefing | None) -> str:
            return f"{b.slug}\x1f{b.title}\x1f{b.timestamp}" if b else ""
        story = f"{self.story.slug}\x1f{self.story.title}" if self.story else ""
        change = repr(self.change) if self.change else ""
        return "\x1e".join([story, brief(self.previous), brief(self.next), change, *map(brief, self.related),
                             *map(repr, self.translations)])


EMPTY_CONTEXT = BriefingContext()


@dataclass(frozen=True)
class CorrectionItem:
    """One correction on the site's corrections page and feed: the briefing it corrects, and which it is."""

    briefing: Briefing
    correction: Amendment
    number: int  # among the briefing's corrections, oldest first, from 1: part of its feed entry's id


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs: the published briefings (newest first) and what is derived from them."""

    briefings: tuple[Briefing, ...]
    taxonomies: tuple[Taxonomy, ...]
    archive: tuple[ArchiveMonth, ...]
    syndicated: frozenset[str] = frozenset()  # slugs that may appear in feeds: never drafts or future ones
    stories: tuple[Story, ...] = ()
    corrections: tuple[CorrectionItem, ...] = ()  # newest first
    contexts: dict[str, BriefingContext] = field(default_factory=dict, compare=False, hash=False)  # by slug

    def context(self, slug: str) -> BriefingContext:
        return self.contexts.get(slug, EMPTY_CONTEXT)

    def taxonomy(self, key: str) -> Taxonomy:
        return next(t for t in self.taxonomies if t.key == key)
