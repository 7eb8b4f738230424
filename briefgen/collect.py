"""Parsed briefings → the :class:`Site`: what is published, in which order, grouped into tags, regions, actors,
stories and months.

Also the place where URL collisions are found: every clash is reported in one message naming all its files.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import tzinfo
from typing import Callable, Iterator, Mapping

from briefgen.config import StoryInfo
from briefgen.errors import Problem, Problems
from briefgen.model import ArchiveMonth, Briefing, CorrectionItem, Site, Taxonomy, Term
from briefgen.slugs import make_slug
from briefgen.stories import build_stories, contexts, related_briefings


@dataclass(frozen=True)
class Selection:
    include_drafts: bool = False
    include_future: bool = False
    now: dt.datetime | None = None  # what "future" is measured against; None means include everything


def is_published(briefing: Briefing, selection: Selection) -> bool:
    if briefing.draft and not selection.include_drafts:
        return False
    if selection.include_future or selection.now is None:
        return True
    return briefing.timestamp <= selection.now.timestamp()


def newest_first(briefings) -> tuple[Briefing, ...]:
    return tuple(sorted(briefings, key=lambda b: (-b.timestamp, b.slug)))


TAXONOMIES = ("tags", "regions", "actors", "authors")


def collect(briefings: list[Briefing], selection: Selection, timezone: tzinfo, problems: Problems,
            stories: Mapping[str, StoryInfo] | None = None,
            related: Callable[[tuple[Briefing, ...]], Mapping[str, tuple[Briefing, ...]]] = related_briefings) -> Site:
    """The published briefings and everything derived from them; ``related`` may answer from a cache."""
    published = newest_first(b for b in briefings if is_published(b, selection))
    _report_slug_collisions(published, problems)
    _report_alias_collisions(published, problems)
    for_feeds = Selection(now=selection.now)
    grouped = build_stories(published, stories or {})
    return Site(
        briefings=published,
        taxonomies=tuple(Taxonomy(key, _terms(published, key)) for key in TAXONOMIES),
        archive=_archive(published, timezone),
        syndicated=frozenset(b.slug for b in published if is_published(b, for_feeds)),
        stories=grouped,
        corrections=_corrections(published),
        contexts=contexts(published, grouped, related(published)),
    )


def _corrections(briefings: tuple[Briefing, ...]) -> tuple[CorrectionItem, ...]:
    """Every correction of the published briefings, newest first."""
    items = [CorrectionItem(briefing, correction, number)
             for briefing in briefings for number, correction in enumerate(briefing.corrections, 1)]
    return tuple(sorted(items, key=lambda item: (-item.correction.date.timestamp(), item.briefing.slug,
                                                 -item.number)))


def _report_slug_collisions(briefings: tuple[Briefing, ...], problems: Problems) -> None:
    by_slug: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        by_slug[briefing.slug].append(briefing)
    for slug, clashing in sorted(by_slug.items()):
        if len(clashing) > 1:
            files = sorted(b.source for b in clashing)
            problems.error(Problem(files[0], key="slug",
                                   message=f"{len(files)} briefings share the URL /briefings/{slug}/: "
                                   + ", ".join(files),
                                   hint="give each a different `slug:` or file name"))


def _report_alias_collisions(briefings: tuple[Briefing, ...], problems: Problems) -> None:
    by_alias: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        for alias in briefing.aliases:
            by_alias[alias.casefold()].append(briefing)  # one file on case-blind file systems
    for alias, clashing in sorted(by_alias.items()):
        if len(clashing) > 1:
            files = sorted(b.source for b in clashing)
            problems.error(Problem(files[0], key="aliases",
                                   message=f"{len(files)} briefings claim the old address /{alias}: " + ", ".join(files),
                                   hint="keep it in one of them only"))


def _terms(briefings: tuple[Briefing, ...], key: str) -> tuple[Term, ...]:
    """Values grouped by slug; the most used spelling names the term (so "US" and "us" are one tag)."""
    members: dict[str, list[Briefing]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for briefing in briefings:
        for slug, tag in _values(briefing, key):
            if not members[slug] or members[slug][-1] is not briefing:
                members[slug].append(briefing)
            spellings[slug][tag] += 1
    terms = []
    for slug in sorted(members):
        name = sorted(spellings[slug].items(), key=lambda item: (-item[1], item[0]))[0][0]
        terms.append(Term(name=name, slug=slug, briefings=tuple(members[slug])))
    return tuple(terms)


def _values(briefing: Briefing, key: str) -> Iterator[tuple[str, str]]:
    """(slug, name) of each value a briefing has in a taxonomy: an author's slug is the configured one."""
    if key == "authors":
        return ((byline.slug, byline.name) for byline in briefing.authors)
    return ((make_slug(value), value) for value in getattr(briefing, key))


def _archive(briefings: tuple[Briefing, ...], timezone: tzinfo) -> tuple[ArchiveMonth, ...]:
    """Months in the site time zone, newest first."""
    months: dict[tuple[int, int], list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        local = briefing.date.astimezone(timezone)
        months[(local.year, local.month)].append(briefing)
    return tuple(ArchiveMonth(year=year, month=month, briefings=tuple(months[(year, month)]))
                 for year, month in sorted(months, reverse=True))
