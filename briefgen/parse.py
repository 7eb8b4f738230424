"""One content file → one :class:`Briefing`, or the problems that explain why not.

A pure function of the file's bytes and the config: nothing is written, nothing global is touched.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from briefgen.errors import Problem, Problems
from briefgen.markdown import MarkdownRenderer
from briefgen.model import Briefing, Source
from briefgen.schema import (Field, Invalid, boolean, check_mapping, choice, integer, kind_of, mapping,
                             non_empty_text, text, text_list)
from briefgen.slugs import is_valid_slug, make_slug, slug_from_filename
from briefgen.yamlsource import YamlSyntaxError, load_located

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
SUMMARY_LENGTH = 220


@dataclass(frozen=True)
class ParseContext:
    timezone: ZoneInfo
    renderer: MarkdownRenderer


def _when(value: Any) -> dt.date | dt.datetime:
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            pass
    raise Invalid(f"expected a date, got {kind_of(value)}" + (f" {value!r}" if isinstance(value, str) else ""),
                  "write a date like 2025-11-29 or a date and time like 2025-11-29T18:30:00-04:00")


def _sources(value: Any) -> tuple[Source, ...]:
    if not isinstance(value, list):
        raise Invalid(f"expected a list of {{name, url}}, got {kind_of(value)}",
                      "write each source as `- name: …` and `url: …`")
    sources = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            sources.append(Source(name=item.strip(), url=""))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise Invalid("each source needs a `name`", "write `- name: Reuters` with an optional `url:`",
                          at=(index,))
        unknown = sorted(set(item) - {"name", "url"})
        if unknown:
            raise Invalid(f"unknown key {unknown[0]!r} in a source", "a source has only `name` and `url`",
                          at=(index, unknown[0]))
        url = item.get("url") or ""
        if not isinstance(url, str) or (url and not re.match(r"https?://", url)):
            raise Invalid("`url` must be an absolute http(s) URL", "write url: https://…", at=(index, "url"))
        sources.append(Source(name=item["name"].strip(), url=url.strip()))
    return tuple(sources)


def _slug(value: Any) -> str:
    slug = text(value).strip()
    if not is_valid_slug(slug):
        raise Invalid(f"{slug!r} is not a valid slug",
                      f"use lowercase letters, digits and hyphens, such as {make_slug(slug)!r}")
    return slug


FRONT_MATTER_FIELDS = (
    Field("title", non_empty_text, required=True, hint='add `title: "…"` to the front matter'),
    Field("date", _when, required=True, hint="add `date: 2025-11-29` to the front matter"),
    Field("updated", _when),
    Field("summary", text, default=""),
    Field("slug", _slug),
    Field("tags", text_list, default=()),
    Field("regions", text_list, default=()),
    Field("actors", text_list, default=()),
    Field("sources", _sources, default=()),
    Field("draft", boolean, default=False),
    Field("lang", text),
    Field("story", text),
    Field("status", choice("escalating", "steady", "de-escalating")),
    Field("escalation_level", integer(1, 5)),
    Field("extra", mapping, default={}),
)


def parse_briefing(raw: bytes, shown_path: str, stem: str, context: ParseContext, problems: Problems) -> Briefing | None:
    """Parse one file's bytes; report problems with ``shown_path`` and return None when it cannot be used."""
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problems.error(Problem(shown_path, line, None, None, "the file is not valid UTF-8 text",
                               "save it with UTF-8 encoding"))
        return None
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT_MATTER.match(source)
    if not match:
        problems.error(Problem(shown_path, 1, 1, None, "no front matter found",
                               "start the file with a `---` line, `title:` and `date:`, then a closing `---`"))
        return None
    try:
        located = load_located(match.group(1) or "", line_offset=1)
    except YamlSyntaxError as exc:
        problems.error(Problem(shown_path, exc.line, exc.column, None, exc.message, exc.hint))
        return None
    errors_before = len(problems.errors)
    meta = check_mapping(located, FRONT_MATTER_FIELDS, problems, shown_path)
    if len(problems.errors) > errors_before:
        return None

    body_first_line = source[:match.end()].count("\n") + 1
    body = context.renderer.parse(source[match.end():], body_first_line)
    date = _aware(meta["date"], context.timezone)
    return Briefing(
        source=shown_path,
        slug=meta["slug"] or slug_from_filename(stem),
        title=meta["title"],
        date=date,
        updated=_aware(meta["updated"], context.timezone) if meta["updated"] else None,
        summary=meta["summary"].strip() or first_sentences(body.lead.text or _first_section_text(body)),
        lead_html=body.lead.html,
        lead_text=body.lead.text,
        sections=body.sections,
        toc=body.toc,
        word_count=body.word_count,
        tags=meta["tags"],
        regions=meta["regions"],
        actors=meta["actors"],
        sources=meta["sources"],
        draft=meta["draft"],
        lang=meta["lang"],
        story=meta["story"],
        status=meta["status"],
        escalation_level=meta["escalation_level"],
        extra=meta["extra"],
    )


def _first_section_text(body) -> str:
    return body.sections[0].text if body.sections else ""


def _aware(value: dt.date | dt.datetime, timezone: ZoneInfo) -> dt.datetime:
    """Dates without a time mean midnight; values without an offset are in the site time zone."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone)
    return value


def first_sentences(text_: str, limit: int = SUMMARY_LENGTH) -> str:
    """The opening sentences of a text, cut at a sentence end (or a word) within ``limit`` characters."""
    paragraph = " ".join(text_.strip().split("\n\n", 1)[0].split())
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end >= limit // 3:
        return cut[:end + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"
