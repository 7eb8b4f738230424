"""The model: frozen, typed records that flow from the parser to the renderer.

They hold plain data only (strings, numbers, dates, tuples), so they can be cached and sent between processes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SECTION_KINDS = ("context", "escalation", "reactions", "impact")


@dataclass(frozen=True)
class Source:
    name: str
    url: str


@dataclass(frozen=True)
class TextBlock:
    """A paragraph, block quote or list item as plain text: what quotes and timelines are found in."""

    kind: str  # "paragraph", "blockquote" or "list_item"
    text: str  # plain text; a block quote's paragraphs are separated by blank lines
    source: str  # the Markdown of a list item's first paragraph ("" for other kinds)
    line: int
    section: str  # anchor of the section it belongs to ("" for the lead)


@dataclass(frozen=True)
class Section:
    heading: str  # plain text of the heading
    anchor: str  # unique id within the briefing
    html: str  # the section body, without its heading
    text: str
    line: int  # 1-based line of the heading in the file
    kinds: tuple[str, ...] = ()  # which of SECTION_KINDS it covers; empty for other sections
    extra_anchors: tuple[str, ...] = ()  # more ids for the same place (a section covering two kinds)


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    role: str = ""
    section: str = ""  # anchor of the section it appears in ("" for the lead)
    line: int = 0


@dataclass(frozen=True)
class TimelineEvent:
    date: dt.date
    text: str
    line: int = 0


@dataclass(frozen=True)
class TocEntry:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Briefing:
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

    @property
    def last_modified(self) -> dt.datetime:
        return self.updated or self.date

    @property
    def timestamp(self) -> float:
        """``date`` as seconds since the epoch, computed once (sorting thousands of aware dates is slow)."""
        cached = self.__dict__.get("_timestamp")
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
class Site:
    """Everything the renderer needs: the published briefings (newest first) and what is derived from them."""

    briefings: tuple[Briefing, ...]
    taxonomies: tuple[Taxonomy, ...]
    archive: tuple[ArchiveMonth, ...]
    syndicated: frozenset[str] = frozenset()  # slugs that may appear in feeds: never drafts or future ones

    def taxonomy(self, key: str) -> Taxonomy:
        return next(t for t in self.taxonomies if t.key == key)
