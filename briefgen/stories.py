"""Reading across briefings: stories, how each briefing changed the picture, and what is related.

Pure functions of the published briefings (newest first), so the same site always gives the same answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Iterable, Mapping

from briefgen.config import StoryInfo
from briefgen.model import Briefing, BriefingContext, Change, Story, StoryEvent
from briefgen.slugs import make_slug

RELATED_LIMIT = 4
NEIGHBOURS = 8  # candidates taken around a briefing in each group it belongs to (groups can be huge)
WEIGHTS = {"story": 3, "actor": 2, "tag": 1}


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
                 briefings=briefings, timeline=merged_timeline(briefings))


def _title_from(name: str) -> str:
    """A story written as a slug ("venezuela-crisis-2025") reads as words ("Venezuela crisis 2025")."""
    if " " in name or not re.fullmatch(r"[\w-]+", name):
        return name
    words = name.replace("_", "-").split("-")
    return " ".join([words[0].capitalize(), *words[1:]])


def merged_timeline(briefings: Iterable[Briefing]) -> tuple[StoryEvent, ...]:
    """Every dated event of the briefings, oldest first; an event told by several briefings (same date, same
    words once case, accents and punctuation are ignored) is kept once, linked to the earliest briefing."""
    seen: dict[tuple, StoryEvent] = {}
    for briefing in sorted(briefings, key=lambda b: (b.timestamp, b.slug)):
        for event in briefing.timeline:
            key = (event.date, _comparable(event.text))
            if key not in seen:
                seen[key] = StoryEvent(date=event.date, text=event.text, briefing=briefing)
    return tuple(sorted(seen.values(), key=lambda e: (e.date, e.briefing.timestamp, e.briefing.slug, e.text)))


def _comparable(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if c.isalnum() or c.isspace()).split())


def change_between(previous: Briefing, current: Briefing) -> Change | None:
    """Escalated, de-escalated or held, from the two briefings' escalation levels (None when one lacks it)."""
    if previous.escalation_level is None or current.escalation_level is None:
        return None
    difference = current.escalation_level - previous.escalation_level
    direction = "escalated" if difference > 0 else "de-escalated" if difference < 0 else "held"
    return Change(direction=direction, previous_level=previous.escalation_level, level=current.escalation_level,
                  previous=previous.slug)


def contexts(briefings: tuple[Briefing, ...], stories: tuple[Story, ...]) -> dict[str, BriefingContext]:
    """Each briefing's story neighbours, change since the previous one, and related briefings."""
    related = related_briefings(briefings)
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
    """Briefings sharing a story, actors or tags, best first: scored 3 per shared story, 2 per shared actor and
    1 per shared tag, ties broken by closeness in time, then slug. Candidates are the briefings nearest in time
    within each shared group, so the work stays linear however large a tag grows."""
    memberships = {b.slug: _groups(b) for b in briefings}
    groups: dict[tuple[str, str], list[Briefing]] = defaultdict(list)
    for briefing in sorted(briefings, key=lambda b: (b.timestamp, b.slug)):
        for group in memberships[briefing.slug]:
            groups[group].append(briefing)
    position = {group: {b.slug: i for i, b in enumerate(members)} for group, members in groups.items()}
    found = {}
    for briefing in briefings:
        mine = memberships[briefing.slug]
        candidates: dict[str, Briefing] = {}
        for group in mine:
            members, at = groups[group], position[group][briefing.slug]
            half = NEIGHBOURS // 2
            for other in members[max(0, at - half):at + half + 1]:
                if other.slug != briefing.slug:
                    candidates[other.slug] = other
        scored = sorted(candidates.values(), key=lambda other: (
            -sum(WEIGHTS[kind] for kind, _ in mine & memberships[other.slug]),
            abs(other.timestamp - briefing.timestamp), other.slug))
        found[briefing.slug] = tuple(scored[:RELATED_LIMIT + 2])  # room for the story neighbours left out later
    return found


def _groups(briefing: Briefing) -> set[tuple[str, str]]:
    groups = {("actor", make_slug(name)) for name in briefing.actors}
    groups |= {("tag", make_slug(tag)) for tag in briefing.tags}
    if briefing.story:
        groups.add(("story", make_slug(briefing.story)))
    return {group for group in groups if group[1]}
