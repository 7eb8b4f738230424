"""One content file → one :class:`Briefing`, or the problems that explain why not.

A pure function of the file's bytes and the config: front matter, then the body split into lead and classified
sections, then what is derived from them: quotes, timeline, actors, summary, reading time, warnings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass, field, replace
from typing import Mapping
from zoneinfo import ZoneInfo

from briefgen.errors import Problem, Problems
from briefgen.frontmatter import FrontMatter, read_front_matter
from briefgen.markdown import BodyRules, MarkdownRenderer, ParsedBody
from briefgen.model import SECTION_KINDS, Amendment, Briefing, Byline, ImageRef, Quote, TimelineEvent
from briefgen.quotes import apply_corrections, find_quotes, is_attribution
from briefgen.sections import SectionClassifier, normalise
from briefgen.slugs import make_slug, slug_from_filename
from briefgen.timeline import dated_item, merge_events
from briefgen.yamlsource import without_control_characters

SUMMARY_LENGTH = 220


@dataclass(frozen=True)
class ParseContext:
    timezone: ZoneInfo
    renderer: MarkdownRenderer
    classifier: SectionClassifier = SectionClassifier()
    day_first: bool = True
    words_per_minute: int = 230
    actor_names: Mapping[str, str] = field(default_factory=dict)  # any spelling, casefolded → the actor's name
    authors: Mapping[str, str] = field(default_factory=dict)  # configured authors: slug → name
    languages: tuple[str, ...] = ()  # a multilingual site's languages, the default first


def actor_names(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """The config's ``actors:`` as a lookup table: each name and each of its other spellings → the name."""
    table = {}
    for name, others in aliases.items():
        for spelling in (name, *others):
            table[spelling.casefold()] = name
    return table


def parse_briefing(raw: bytes, shown_path: str, stem: str, context: ParseContext,
                   problems: Problems) -> Briefing | None:
    """Parse one file's bytes; report problems with ``shown_path`` and return None when it cannot be used."""
    source = _decode(raw, shown_path, problems)
    if source is None:
        return None
    front = read_front_matter(source, shown_path, problems)
    if front is None:
        return None
    meta = front.meta
    body = context.renderer.parse(front.body, front.body_first_line, _rules(meta["sections"], context))
    _check_section_overrides(front, body, shown_path, problems)

    base, language = _language(front, stem, shown_path, context, problems)
    quotes = [replace(q, speaker=_actor(q.speaker, context)) for q in _quotes(body, meta, context)]
    timeline = merge_events(meta["timeline"] + _dated_items(body, context))
    warnings = _missing_kinds(body, shown_path)
    for warning in warnings:
        problems.warn(warning)
    return Briefing(
        source=shown_path,
        slug=meta["slug"] or slug_from_filename(base),
        guid=meta["id"],
        title=meta["title"],
        date=_aware(meta["date"], context.timezone),
        updated=_aware(meta["updated"], context.timezone) if meta["updated"] else None,
        summary=meta["summary"].strip() or first_sentences(body.lead.text or _first_section_text(body)),
        lead_html=body.lead.html,
        lead_text=body.lead.text,
        sections=body.sections,
        toc=body.toc,
        word_count=body.word_count,
        reading_minutes=max(1, math.ceil(body.word_count / context.words_per_minute)),
        tags=meta["tags"],
        regions=meta["regions"],
        actors=tuple(dict.fromkeys([_actor(a, context) for a in meta["actors"]] + [q.speaker for q in quotes])),
        sources=meta["sources"],
        draft=meta["draft"],
        lang=language,
        story=meta["story"],
        status=meta["status"],
        escalation_level=meta["escalation_level"],
        quotes=tuple(quotes),
        timeline=timeline,
        warnings=tuple(w.message for w in warnings),
        extra=meta["extra"],
        aliases=meta["aliases"],
        timed=isinstance(meta["date"], dt.datetime),
        updated_timed=isinstance(meta["updated"], dt.datetime),
        dateline=" ".join(meta["dateline"].split()),
        authors=_bylines(front, shown_path, context, problems),
        image=_lead_image(front, shown_path, problems),
        images=body.images,
        corrections=_amendments(front, "corrections", context, shown_path, problems),
        updates=_amendments(front, "updates", context, shown_path, problems),
        translation_key=(meta["translation_key"] or slug_from_filename(base)) if context.languages else "",
        translation=bool(context.languages) and base != stem,
    )


def _language(front: FrontMatter, stem: str, shown_path: str, context: ParseContext,
              problems: Problems) -> tuple[str, str | None]:
    """The file's stem without a language suffix (``airspace.es`` → ``airspace``), and the briefing's language:
    ``lang:``, else the suffix; on a multilingual site it must be one of ``languages:``."""
    lang = front.meta["lang"]
    base, dot, suffix = stem.rpartition(".")
    if not (dot and base and suffix in context.languages):
        base, suffix = stem, ""
    if not context.languages:
        return stem, lang
    where = front.located.position(("lang",)) if lang else (1, 1)
    if lang and suffix and lang != suffix:
        problems.error(Problem(shown_path, *where, "lang", f"`lang: {lang}` contradicts the file name's .{suffix}",
                               f"rename the file or write `lang: {suffix}`"))
    elif lang and lang not in context.languages:
        problems.error(Problem(shown_path, *where, "lang", f"{lang!r} is not one of the site's languages",
                               "use one of " + ", ".join(context.languages) + ", or add it to `languages:` in "
                               "briefgen.yaml"))
    return base, lang or suffix or None


def _actor(name: str, context: ParseContext) -> str:
    return context.actor_names.get(name.casefold(), name)


def _decode(raw: bytes, shown_path: str, problems: Problems) -> str | None:
    """UTF-8 text (a BOM is dropped) with every line ending turned into ``\\n``; a binary file is skipped
    with a warning (an image saved with a .md name is not a briefing with a typo)."""
    if looks_binary(raw):
        problems.warn(Problem(shown_path, message="a binary file, not text",
                              hint="skipped; give it another extension or move it out of content/"))
        return None
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[:exc.start].count(b"\n") + 1
        column = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1
        problems.error(Problem(shown_path, line, column, None, "the file is not valid UTF-8 text",
                               "save it with UTF-8 encoding"))
        return None
    return without_control_characters(source.replace("\r\n", "\n").replace("\r", "\n"))


_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13}  # tab, line feed, form feed, carriage return are text
_TEXT_BYTES = bytes(byte for byte in range(256) if byte not in _CONTROL_BYTES)
BINARY_SNIFF_BYTES = 8000


def looks_binary(raw: bytes) -> bool:
    """A NUL byte in the first 8000 bytes (git's test), or more than one byte in ten a control character."""
    head = raw[:BINARY_SNIFF_BYTES]
    if b"\0" in head:
        return True
    controls = len(head.translate(None, _TEXT_BYTES))
    return bool(head) and controls * 10 > len(head)


def _rules(overrides: dict[str, tuple[str, ...]], context: ParseContext) -> BodyRules:
    def kinds_of(heading: str) -> tuple[str, ...]:
        explicit = overrides.get(normalise(heading))
        return explicit if explicit is not None else context.classifier.kinds(heading)

    return BodyRules(kinds_of=kinds_of,
                     is_dated=lambda item: dated_item(item, context.day_first) is not None,
                     is_attribution=is_attribution)


def _lead_image(front: FrontMatter, shown_path: str, problems: Problems) -> ImageRef | None:
    """The ``image:`` of the front matter, with its line and its ``image_alt:``; its alt text is required
    unless it is marked decorative (a screen reader user would otherwise hear nothing of it)."""
    image, alt = front.meta["image"], front.meta["image_alt"]
    if image is None:
        if alt is not None:
            line, column = front.located.position(("image_alt",))
            problems.warn(Problem(shown_path, line, column, "image_alt", "there is no `image:` to describe",
                                  "add `image: photo.jpg`, or remove `image_alt:`"))
        return None
    line, column = front.located.position(("image",), of_key=True)
    image = replace(image, line=line, alt=image.alt or " ".join((alt or "").split()))
    if not image.alt and not image.decorative:
        problems.error(Problem(shown_path, line, column, "image", "the image has no alt text",
                               "describe what it shows for readers who cannot see it: `alt: …` (or "
                               "`image_alt: …`); if it shows nothing they need, add `decorative: true`"))
    return image


def _amendments(front: FrontMatter, key: str, context: ParseContext, shown_path: str,
                problems: Problems) -> tuple[Amendment, ...]:
    """The ``corrections:`` or ``updates:`` of the front matter, oldest first, their text rendered; one dated
    before the briefing itself is an error (a date without a time counts as that whole day)."""
    published = _aware(front.meta["date"], context.timezone)
    amendments = []
    for index, note in enumerate(front.meta[key]):
        when = _aware(note.date, context.timezone)
        timed = isinstance(note.date, dt.datetime)
        line = front.located.position((key, index))[0]
        if (when < published) if timed else (when.date() < published.date()):
            line, column = front.located.position((key, index, "date"))
            problems.error(Problem(shown_path, line, column, f"{key}[{index}].date",
                                   f"dated before the briefing itself ({published.date().isoformat()})",
                                   "give the date and time it was made, after the briefing's `date:`"))
            continue
        rendered = context.renderer.note(note.text)
        amendments.append(Amendment(date=when, html=rendered.html, text=rendered.text, timed=timed,
                                    serious=note.serious, line=line))
    return tuple(sorted(amendments, key=lambda amendment: amendment.date))


def _bylines(front: FrontMatter, shown_path: str, context: ParseContext, problems: Problems) -> tuple[Byline, ...]:
    """Each of ``authors:``: a configured author by slug (or by a name that slugs to it), else a free name with
    its own page. A slug that nearly matches a configured one is an error: it would quietly make a second
    author."""
    bylines: dict[str, Byline] = {}
    for index, value in enumerate(front.meta["authors"]):
        name = " ".join(value.split())
        slug = name if name in context.authors else make_slug(name)
        if slug in context.authors:
            bylines.setdefault(slug, Byline(slug, context.authors[slug]))
            continue
        near = difflib.get_close_matches(slug, list(context.authors), n=1, cutoff=0.8)
        if near and name == slug:  # written as a slug: meant to be a configured one
            line, column = front.located.position(("authors", index))
            problems.error(Problem(shown_path, line, column, "authors", f"`{name}` is not a configured author",
                                   f"did you mean `{near[0]}` ({context.authors[near[0]]})? Or add it under "
                                   "`authors:` in briefgen.yaml"))
            continue
        if slug:
            bylines.setdefault(slug, Byline(slug, name))
    return tuple(bylines.values())


def _check_section_overrides(front: FrontMatter, body: ParsedBody, shown_path: str, problems: Problems) -> None:
    headings = {normalise(section.heading) for section in body.sections}
    for heading in front.located.data.get("sections") or {}:
        if normalise(str(heading)) not in headings:
            line, column = front.located.position(("sections", heading), of_key=True)
            problems.error(Problem(shown_path, line, column, f"sections.{heading}",
                                   "no section has this heading",
                                   "use the heading's exact text, e.g. `\"How we got here\": context`"))


def _quotes(body: ParsedBody, meta: dict, context: ParseContext) -> list[Quote]:
    kinds_by_anchor = {s.anchor: s.kinds for s in body.sections}
    found = [_with_section_kind(q, kinds_by_anchor) for q in find_quotes(body.blocks, meta["actors"])]
    return apply_corrections(found, meta["quotes"])


def _with_section_kind(quote: Quote, kinds_by_anchor: dict[str, tuple[str, ...]]) -> Quote:
    """A quote's section is named by its kind (reactions before the others), or "other"/"lead"."""
    if not quote.section:
        return replace(quote, section="lead")
    kinds = kinds_by_anchor.get(quote.section, ())
    preferred = "reactions" if "reactions" in kinds else (kinds[0] if kinds else "other")
    return replace(quote, section=preferred)


def _dated_items(body: ParsedBody, context: ParseContext) -> tuple[TimelineEvent, ...]:
    events = []
    for block in body.blocks:
        if block.kind == "list_item":
            found = dated_item(block.source, context.day_first)
            if found is not None:
                date, rest = found
                events.append(TimelineEvent(date=date, text=context.renderer.inline_text(rest), line=block.line))
    return tuple(events)


def _missing_kinds(body: ParsedBody, shown_path: str) -> list[Problem]:
    present = {kind for section in body.sections for kind in section.kinds}
    missing = [kind for kind in SECTION_KINDS if kind not in present]
    if not missing:
        return []
    return [Problem(shown_path, None, None, "sections", f"missing {', '.join(missing)}",
                    "add a heading such as `## " + missing[0].capitalize() + "`, or map an existing heading "
                    "with `sections:` in the front matter")]


def _first_section_text(body: ParsedBody) -> str:
    return body.sections[0].text if body.sections else ""


def _aware(value: dt.date | dt.datetime, timezone: ZoneInfo) -> dt.datetime:
    """Dates without a time mean midnight; values without an offset are in the site time zone."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone)
    return value


def first_sentences(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """The opening sentences of a text, cut at a sentence end (or a word) within ``limit`` characters."""
    paragraph = " ".join(text.strip().split("\n\n", 1)[0].split())
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end >= limit // 3:
        return cut[:end + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"
