"""Front matter: split it from the body, check every key, report each problem at its line and column."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

from briefgen.errors import Problem, Problems
from briefgen.model import SECTION_KINDS, SPEAKER_KINDS, ImageRef, Quote, Source, TimelineEvent
from briefgen.schema import (Field, Invalid, boolean, check_mapping, choice, integer, kind_of, mapping,
                             non_empty_text, text, text_list)
from briefgen.sections import normalise
from briefgen.slugs import is_valid_slug, make_slug
from briefgen.yamlsource import LocatedYaml, YamlSyntaxError, load_located

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
OTHER = "other"


@dataclass(frozen=True)
class FrontMatter:
    meta: dict[str, Any]
    located: LocatedYaml
    body: str
    body_first_line: int  # the file line the body starts on


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


FIRST_YEAR, LAST_YEAR = 1000, 9998  # any offset or time zone keeps such a date inside what Python can convert


def _instant(value: Any) -> dt.date | dt.datetime:
    """A briefing's date or updated date: a real date within years a page, a feed and a time zone can show."""
    when = _when(value)
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise Invalid(f"the year {when.year} is out of range", f"use a year from {FIRST_YEAR} to {LAST_YEAR}")
    return when


def _list_of_mappings(value: Any, what: str, example: str) -> list[dict]:
    if not isinstance(value, list):
        raise Invalid(f"expected a list of {what}, got {kind_of(value)}", f"write each entry as {example}")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise Invalid(f"expected a mapping, got {kind_of(item)}", f"write each entry as {example}", at=(index,))
    return value


def _only_keys(item: dict, index: int, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
    for key in item:
        if key not in allowed:
            raise Invalid("unknown key", "allowed keys: " + ", ".join(allowed), at=(index, key))
    for key in required:
        if not isinstance(item.get(key), (str, int, float, dt.date)) or not str(item[key]).strip():
            raise Invalid(f"`{key}` is required", f"add `{key}:` to this entry", at=(index,))


def _sources(value: Any) -> tuple[Source, ...]:
    if not isinstance(value, list):
        raise Invalid(f"expected a list of sources, got {kind_of(value)}", "write `- name: Reuters` and `url: …`")
    sources = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            sources.append(Source(name=item.strip(), url=""))
            continue
        if not isinstance(item, dict):
            raise Invalid(f"expected a mapping, got {kind_of(item)}", "write `- name: Reuters` and `url: …`",
                          at=(index,))
        _only_keys(item, index, ("name", "url"), ("name",))
        url = item.get("url") or ""
        if not isinstance(url, str) or (url and not re.match(r"https?://", url)):
            raise Invalid("`url` must be an absolute http(s) URL", "write url: https://…", at=(index, "url"))
        sources.append(Source(name=str(item["name"]).strip(), url=url.strip()))
    return tuple(sources)


def _quotes(value: Any) -> tuple[Quote, ...]:
    quotes = []
    for index, item in enumerate(_list_of_mappings(value, "quotes", "`- speaker: …` and `text: …`")):
        _only_keys(item, index, ("speaker", "text", "role", "section", "kind"), ("speaker", "text"))
        section = str(item.get("section") or "")
        if section and section not in SECTION_KINDS + (OTHER,):
            raise Invalid(f"{section!r} is not a section kind", "use context, escalation, reactions or impact",
                          at=(index, "section"))
        kind = str(item.get("kind") or "person")
        if kind not in SPEAKER_KINDS:
            raise Invalid(f"{kind!r} is not a kind of speaker", "use person, unnamed or institution",
                          at=(index, "kind"))
        quotes.append(Quote(speaker=str(item["speaker"]).strip(), text=str(item["text"]).strip(),
                            role=str(item.get("role") or "").strip(), section=section, kind=kind))
    return tuple(quotes)


def _timeline(value: Any) -> tuple[TimelineEvent, ...]:
    events = []
    for index, item in enumerate(_list_of_mappings(value, "events", "`- date: 2025-11-29` and `text: …`")):
        _only_keys(item, index, ("date", "text"), ("date", "text"))
        try:
            when = _when(item["date"])
        except Invalid as invalid:
            raise Invalid(invalid.message, invalid.hint, at=(index, "date")) from None
        day = when.date() if isinstance(when, dt.datetime) else when
        events.append(TimelineEvent(date=day, text=str(item["text"]).strip()))
    return tuple(events)


@dataclass(frozen=True)
class AmendmentNote:
    """One entry of ``corrections:`` or ``updates:`` as written: its date and its Markdown text."""

    date: dt.date | dt.datetime
    text: str
    serious: bool = False


def _amendments(kind: str, keys: tuple[str, ...]) -> Callable[[Any], tuple[AmendmentNote, ...]]:
    example = f"`- date: 2025-12-01T09:00` and `text: …` ({', '.join(keys)})"

    def check(value: Any) -> tuple[AmendmentNote, ...]:
        notes = []
        for index, item in enumerate(_list_of_mappings(value, kind, example)):
            _only_keys(item, index, keys, required=())  # required ones below, with hints of their own
            if item.get("date") is None:
                raise Invalid("`date` is required", f"add the date and time of the {kind[:-1]}: "
                              "`date: 2025-12-01T09:00`", at=(index,))
            note = item.get("text")
            if not isinstance(note, str) or not note.strip():
                raise Invalid("`text` is required" if note is None else f"expected text, got {kind_of(note)}",
                              f"say what the {kind[:-1]} is: `text: …`",
                              at=(index, "text") if "text" in item else (index,))
            serious = item.get("serious", False)
            if not isinstance(serious, bool):
                raise Invalid(f"expected true or false, got {kind_of(serious)}", "write `serious: true`",
                              at=(index, "serious"))
            try:
                when = _instant(item["date"])
            except Invalid as invalid:
                raise Invalid(invalid.message, invalid.hint, at=(index, "date")) from None
            notes.append(AmendmentNote(when, note.strip(), serious))
        return tuple(notes)
    return check


def _section_overrides(value: Any) -> dict[str, tuple[str, ...]]:
    """``{heading text: kind or [kinds] or "other"}`` → normalised heading → kinds."""
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping of headings to section kinds, got {kind_of(value)}",
                      'write e.g. `sections: {"How we got here": context}`')
    overrides = {}
    for heading, kinds in value.items():
        wanted = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(wanted, list) or not all(k in SECTION_KINDS + (OTHER,) for k in wanted):
            raise Invalid(f"{kinds!r} is not a section kind",
                          "use context, escalation, reactions, impact, a list of them, or other", at=(heading,))
        overrides[normalise(str(heading))] = tuple(k for k in SECTION_KINDS if k in wanted)
    return overrides


def _aliases(value: Any) -> tuple[str, ...]:
    """Old addresses of a briefing (``/2019/03/old-name/``), each kept as a route: a redirect page is made there."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list):
        raise Invalid(f"expected a list of paths, got {kind_of(value)}", 'write e.g. `aliases: ["/old/path/"]`')
    routes: dict[str, str] = {}  # by case-folded form: one file on the file systems of macOS and Windows
    for index, item in enumerate(values):
        route = alias_route(item)
        if route is None:
            raise Invalid(f"{item!r} is not a path in this site",
                          "write a path such as /news/2019/old-name/ (no host, no `..`, no `?` or `#`)",
                          at=(index,) if isinstance(value, list) else ())
        routes.setdefault(route.casefold(), route)
    return tuple(routes.values())


_ALIAS = re.compile(r"/?(?:[^/\s?#\x00-\x1f]+/)*[^/\s?#\x00-\x1f]*")


def alias_route(value: Any) -> str | None:
    """``/a/b`` → ``a/b/``, ``/a/b.html`` → ``a/b.html``; None for anything that is not a plain site path."""
    if not isinstance(value, str) or not _ALIAS.fullmatch(value.strip()):
        return None
    route = value.strip().lstrip("/")
    segments = route.split("/")
    if not route or any(segment in (".", "..") for segment in segments) or "%" in route:
        return None
    if segments[-1] == "index.html":
        return route.removesuffix("index.html")
    return route if route.endswith("/") or re.search(r"\.html?$", segments[-1]) else route + "/"


IMAGE_KEYS = ("src", "alt", "caption", "credit", "focus", "decorative")
_FOCUS_WORDS = {"center": (0.5, 0.5), "centre": (0.5, 0.5), "top": (0.5, 0.0), "bottom": (0.5, 1.0),
                "left": (0.0, 0.5), "right": (1.0, 0.5)}


def _image(value: Any) -> ImageRef:
    """``image: photo.jpg``, or a mapping of ``src``, ``alt``, ``caption``, ``credit``, ``focus``,
    ``decorative``. Whether ``alt`` may be missing is decided with ``image_alt`` (see :mod:`briefgen.parse`)."""
    example = "write `image: {src: photo.jpg, alt: What the photo shows}`"
    if isinstance(value, str):
        value = {"src": value}
    if not isinstance(value, dict):
        raise Invalid(f"expected a file name or a mapping, got {kind_of(value)}", example)
    for key in value:
        if key not in IMAGE_KEYS:
            raise Invalid("unknown key", "allowed keys: " + ", ".join(IMAGE_KEYS), at=(key,))
    src = value.get("src")
    if not isinstance(src, str) or not src.strip():
        raise Invalid("`src` is required", example, at=("src",) if "src" in value else ())
    fields = {}
    for key in ("alt", "caption", "credit"):
        if value.get(key) is not None:
            try:
                fields[key] = " ".join(text(value[key]).split())
            except Invalid as invalid:
                raise Invalid(invalid.message, invalid.hint, at=(key,)) from None
    decorative = value.get("decorative", False)
    if not isinstance(decorative, bool):
        raise Invalid(f"expected true or false, got {kind_of(decorative)}", "write true or false",
                      at=("decorative",))
    focus = _focus(value["focus"]) if value.get("focus") is not None else (0.5, 0.5)
    return ImageRef(src=src.strip(), focus=focus, decorative=decorative, **fields)


def _focus(value: Any) -> tuple[float, float]:
    """``top``, ``bottom left``, ``center``… or ``x,y`` as fractions (0.3,0.2) or percentages (30%,20%)."""
    hint = "write a place (top, center, bottom left…) or x,y such as 0.3,0.2 or 30%,20% from the top left corner"
    words = str(value).replace("-", " ").lower().split()
    if words and all(word in _FOCUS_WORDS for word in words):
        x, y = 0.5, 0.5
        for word in words:
            fx, fy = _FOCUS_WORDS[word]
            x, y = (fx if fx != 0.5 else x), (fy if fy != 0.5 else y)
        return x, y
    parts = [part.strip() for part in str(value).split(",")]
    try:
        numbers = [float(part[:-1]) / 100 if part.endswith("%") else float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 2 or not all(0 <= n <= 1 for n in numbers):
        raise Invalid(f"{value!r} is not a focus point", hint, at=("focus",))
    return numbers[0], numbers[1]


def _slug(value: Any) -> str:
    slug = text(value).strip()
    if not is_valid_slug(slug):
        suggestion = make_slug(slug)
        example = suggestion if suggestion.strip("-").replace("-", "").isalnum() and not suggestion.startswith("x-") \
            else "airspace-closed"
        raise Invalid(f"{slug!r} is not a valid slug", f"use lowercase letters, digits and hyphens, such as {example!r}")
    return slug


FRONT_MATTER_FIELDS = (
    Field("title", non_empty_text, required=True, hint='add `title: "…"` to the front matter'),
    Field("date", _instant, required=True, hint="add `date: 2025-11-29` to the front matter"),
    Field("updated", _instant),
    Field("summary", text, default=""),
    Field("slug", _slug),
    Field("id", non_empty_text),
    Field("tags", text_list, default=()),
    Field("regions", text_list, default=()),
    Field("actors", text_list, default=()),
    Field("sources", _sources, default=()),
    Field("draft", boolean, default=False),
    Field("lang", text),
    Field("translation_key", non_empty_text),
    Field("story", text),
    Field("status", choice("escalating", "steady", "de-escalating")),
    Field("escalation_level", integer(1, 5)),
    Field("sections", _section_overrides, default={}),
    Field("quotes", _quotes, default=()),
    Field("timeline", _timeline, default=()),
    Field("aliases", _aliases, default=()),
    Field("dateline", text, default=""),
    Field("authors", text_list, default=()),
    Field("image", _image),
    Field("image_alt", text),
    Field("corrections", _amendments("corrections", ("date", "text", "serious")), default=()),
    Field("updates", _amendments("updates", ("date", "text")), default=()),
    Field("extra", mapping, default={}),
)


def read_front_matter(source: str, shown_path: str, problems: Problems) -> FrontMatter | None:
    """Split and check the front matter of a normalised source text; None (with problems) when unusable.
    Blank lines before the front matter are accepted (some editors and exports add them)."""
    blank_lines = len(source) - len(source.lstrip("\n"))
    source = source[blank_lines:]
    match = _FRONT_MATTER.match(source)
    if not match:
        if re.match(r"---[ \t]*\n", source):
            problems.error(Problem(shown_path, 1, 1, None, "the front matter is never closed",
                                   "add a `---` line after its last key"))
        else:
            problems.error(Problem(shown_path, 1, 1, None, "no front matter found",
                                   "start the file with a `---` line, `title:` and `date:`, then a closing `---`"))
        return None
    try:
        located = load_located(match.group(1) or "", line_offset=1 + blank_lines)
    except YamlSyntaxError as exc:
        problems.error(Problem(shown_path, exc.line, exc.column, None, exc.message, exc.hint))
        return None
    errors_before = len(problems.errors)
    meta = check_mapping(located, FRONT_MATTER_FIELDS, problems, shown_path)
    if len(problems.errors) > errors_before:
        return None
    return FrontMatter(meta=meta, located=located, body=source[match.end():],
                       body_first_line=blank_lines + source[:match.end()].count("\n") + 1)
