"""Reading across briefings: stories, how each briefing changed the picture, and what is related.

Pure functions of the published briefings (newest first), so the same site always gives the same answers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping

from briefgen.config import StoryInfo
from briefgen.model import Briefing, BriefingContext, Change, Story, StoryEvent
from briefgen.slugs import make_slug

RELATED_LIMIT = 4
NEIGHBOURS = 6  # candidates taken around a briefing in each group it belongs to (groups can be huge)
WEIGHTS = {"story": 3, "actor": 2, "tag": 1}
_WORD = re.compile(r"\w+")
SAME_EVENT = 0.75  # share of the shorter telling's words an event must have in common with another to be it


def build_stories(briefings: tuple[Briefing, ...], infos: Mapping[str, StoryInfo]) -> tuple[Story, ...]:
    """One story per distinct ``story:`` (compared by slug), ordered by their latest briefing, newest first."""
    members: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        if briefing.story:
            members[make_slug(briefing.story)].append(briefing)
    stories = [_story(slug, tuple(group), infos) for slug, group in members.items() if slug]
    return tuple(sorted(stories, key=lambda s: (-s.latest.timestamp, s.slug)))


def _story(slug: str, briefings: tuple[Briefing, ...], infos: Mapping[str, StoryInfo]) -> Story:
    spellings = sorted({b.story for b in briefings}, key=lambda name: (-sum(b.story == name for b in briefings), name))
    name = spellings[0]
    info = infos.get(name) or next((i for key, i in infos.items() if make_slug(key) == slug), None)
    title = info.title if info else _title_from(name)
    return Story(slug=slug, name=name, title=title, description=info.description if info else "",
                 briefings=briefings)


def _title_from(name: str) -> str:
    """A story written as a slug ("venezuela-crisis-2025") reads as words ("Venezuela crisis 2025")."""
    if " " in name or not re.fullmatch(r"[\w-]+", name):
        return name
    words = name.replace("_", "-").split("-")
    return " ".join([words[0].capitalize(), *words[1:]])


def merged_timeline(briefings: Iterable[Briefing]) -> tuple[StoryEvent, ...]:
    """Every dated event of the briefings, oldest first. An event told again by a later briefing — same date, and
    most words of the shorter telling found in the other (case and punctuation aside) — is kept once, in the
    words of the earliest briefing that told it and linked to that briefing."""
    kept: dict[dt.date, list[tuple[frozenset[str], StoryEvent]]] = defaultdict(list)
    for briefing in sorted(briefings, key=lambda b: (b.timestamp, b.slug)):
        for event in briefing.timeline:
            words = frozenset(_WORD.findall(event.text.casefold()))
            if not any(_same_event(words, seen) for seen, _ in kept[event.date]):
                kept[event.date].append((words, StoryEvent(date=event.date, text=event.text, briefing=briefing)))
    events = [event for day in kept.values() for _, event in day]
    return tuple(sorted(events, key=lambda e: (e.date, e.briefing.timestamp, e.briefing.slug, e.text)))


def _same_event(words: frozenset[str], other: frozenset[str]) -> bool:
    shorter = min(len(words), len(other))
    return shorter > 0 and len(words & other) >= SAME_EVENT * shorter


def change_between(previous: Briefing, current: Briefing) -> Change | None:
    """Escalated, de-escalated or held, from the two briefings' escalation levels (None when one lacks it)."""
    if previous.escalation_level is None or current.escalation_level is None:
        return None
    difference = current.escalation_level - previous.escalation_level
    direction = "escalated" if difference > 0 else "de-escalated" if difference < 0 else "held"
    return Change(direction=direction, previous_level=previous.escalation_level, level=current.escalation_level,
                  previous=previous.slug)


def contexts(briefings: tuple[Briefing, ...], stories: tuple[Story, ...],
             related: Mapping[str, tuple[Briefing, ...]]) -> dict[str, BriefingContext]:
    """Each briefing's story neighbours, change since the previous one, and related briefings (as given by
    :func:`related_briefings`)."""
    placed: dict[str, tuple[Story, Briefing | None, Briefing | None]] = {}
    for story in stories:
        oldest_first = story.briefings[::-1]
        for index, briefing in enumerate(oldest_first):
            previous = oldest_first[index - 1] if index > 0 else None
            following = oldest_first[index + 1] if index + 1 < len(oldest_first) else None
            placed[briefing.slug] = (story, previous, following)
    result = {}
    for briefing in briefings:
        story, previous, following = placed.get(briefing.slug, (None, None, None))
        neighbours = {b.slug for b in (previous, following) if b}
        result[briefing.slug] = BriefingContext(
            story=story, previous=previous, next=following,
            change=change_between(previous, briefing) if previous else None,
            related=tuple(b for b in related.get(briefing.slug, ()) if b.slug not in neighbours)[:RELATED_LIMIT])
    return result


def related_briefings(briefings: tuple[Briefing, ...]) -> dict[str, tuple[Briefing, ...]]:
    """Briefings sharing a story, actors or tags, best first: within each group a briefing belongs to, the
    briefings nearest in time score the group's weight (3 for the story, 2 per actor, 1 per tag); ties are
    broken by closeness in time, then slug. Looking only near each briefing keeps the work linear however large
    a tag grows."""
    memberships = {b.slug: _groups(b) for b in briefings}
    by_slug = {b.slug: b for b in briefings}
    when = {b.slug: b.timestamp for b in briefings}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for slug in sorted(by_slug, key=lambda slug: (when[slug], slug)):
        for group in memberships[slug]:
            groups[group].append(slug)
    position = {group: {slug: i for i, slug in enumerate(members)} for group, members in groups.items()}
    half = NEIGHBOURS // 2
    found = {}
    for slug, mine in memberships.items():
        scores: Counter[str] = Counter()
        for group in mine:
            members, at = groups[group], position[group][slug]
            scores.update(members[max(0, at - half):at + half + 1] * WEIGHTS[group[0]])
        del scores[slug]
        found[slug] = tuple(by_slug[other] for other in _best(scores, when, slug))
    return found


def relations_key(briefings: tuple[Briefing, ...]) -> str:
    """Everything :func:`related_briefings` reads, as text: equal keys give equal answers, so the answer can be
    kept between builds (most edits change none of it)."""
    return repr([(b.slug, b.timestamp, b.story, b.actors, b.tags) for b in briefings])


def _best(scores: Counter[str], when: dict[str, float], slug: str) -> list[str]:
    """The highest scores first, then the nearest in time, then by slug; a few more than shown, to leave room for
    the story neighbours that are shown elsewhere on the page."""
    wanted = RELATED_LIMIT + 2
    if not scores:
        return []
    threshold = sorted(scores.values(), reverse=True)[min(wanted, len(scores)) - 1]
    moment = when[slug]
    pool = [other for other, score in scores.items() if score >= threshold]  # sort only what can make the cut
    return sorted(pool, key=lambda other: (-scores[other], abs(when[other] - moment), other))[:wanted]


def _groups(briefing: Briefing) -> set[tuple[str, str]]:
    groups = {("actor", make_slug(name)) for name in briefing.actors}
    groups |= {("tag", make_slug(tag)) for tag in briefing.tags}
    if briefing.story:
        groups.add(("story", make_slug(briefing.story)))
    return {group for group in groups if group[1]}
