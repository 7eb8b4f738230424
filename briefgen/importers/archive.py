"""Articles of other generators → briefgen articles: Jekyll, Hugo, Eleventy, Pelican, or any folder of Markdown
files with front matter, by one set of rules.

The front matter is read in whichever form it comes (YAML ``---``, TOML ``+++``, JSON ``{…}``, Pelican
``Key: value`` headers), its keys are mapped to briefgen's by :data:`KEY_MAP` (the table the README prints), and
every key with no briefgen meaning is kept under ``extra:``: nothing is lost. Template code in the body goes
through :func:`convert_template_code`. Pure: the caller reads and writes the files.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from briefgen.frontmatter import alias_route
from briefgen.i18n import cldr_locale
from briefgen.importers import Imported, Skip
from briefgen.importers.templating import convert_template_code
from briefgen.slugs import is_valid_slug, make_slug
from briefgen.yamlsource import YamlSyntaxError, load_located, without_control_characters

FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[-_]|$)")

# Source key (lower case) → briefgen key. Keys not named here, and values briefgen cannot use, go under `extra`.
KEY_MAP: dict[str, str] = {
    "title": "title",
    "date": "date", "publishdate": "date", "pubdate": "date", "date_published": "date", "created": "date",
    "lastmod": "updated", "last_modified_at": "updated", "updated": "updated", "modified": "updated",
    "date_modified": "updated", "last_modified": "updated",
    "summary": "summary", "description": "summary", "excerpt": "summary", "deck": "summary",
    "subtitle": "summary", "abstract": "summary",
    "tags": "tags", "tag": "tags", "categories": "tags", "category": "tags", "topics": "tags", "keywords": "tags",
    "slug": "slug",
    "draft": "draft", "published": "draft", "status": "draft",
    "lang": "lang", "language": "lang", "locale": "lang",
    "translationkey": "translation_key", "translation_key": "translation_key", "ref": "translation_key",
    "aliases": "aliases", "redirect_from": "aliases", "permalink": "aliases", "url": "aliases",
    "source_url": "sources", "canonical": "sources", "canonical_url": "sources", "original_url": "sources",
}
# briefgen keys an archive may already use with briefgen's meaning (checked when the file is validated).
NATIVE_KEYS = ("story", "regions", "actors", "escalation_level", "sections", "quotes", "timeline", "sources", "id")


def source_keys(target: str) -> tuple[str, ...]:
    """The source keys that give one briefgen key, in the order they are preferred (the table's order)."""
    return tuple(key for key, mapped in KEY_MAP.items() if mapped == target)


SUMMARY_PREFERENCE = source_keys("summary")
DATE_PREFERENCE = source_keys("date")
UPDATED_PREFERENCE = source_keys("updated")


@dataclass(frozen=True)
class ForeignFile:
    """One file of an archive: its text, where it sits, and what the archive is."""

    text: str
    relative: PurePosixPath  # below the archive's root folder
    generator: str  # one of GENERATORS, or "markdown" when unknown
    root_name: str = ""  # the name of the archive's root folder ("posts", "content", "_posts")


@dataclass(frozen=True)
class FrontMatterBlock:
    format: str  # "yaml", "toml", "json", "pelican" or "" (none)
    data: dict[str, Any]
    body: str
    notes: tuple[str, ...] = ()


def has_front_matter(text: str) -> bool:
    return split_front_matter(_normalised(text)).format != ""


def import_foreign(source: ForeignFile, *, fallback_date: dt.date) -> Imported:
    """One file of another generator → an article; :class:`Skip` when it is not an article."""
    relative = source.relative
    if relative.name == "_index.md" or relative.name.startswith("_index."):
        raise Skip("a section index page (`_index.md`), not an article")
    block = split_front_matter(_normalised(source.text))
    notes = list(block.notes)
    if not block.format and not FILE_DATE.match(relative.stem):
        raise Skip("no front matter and no date in the file name: not an article "
                   "(add front matter with a title and a date to import it)")
    meta = {str(key).lower(): value for key, value in block.data.items()}
    lower_keys = {str(key).lower(): str(key) for key in block.data}
    mapper = _Mapper(meta, lower_keys, notes)
    body = block.body
    title = mapper.title(body)
    if not title:
        raise Skip("no title: neither a `title:` key nor a `# heading`")
    body = _without_repeated_title(body, title)
    converted = convert_template_code(body, page=meta)
    body = converted.body
    if not body.strip():
        target = meta.get("redirectto") or meta.get("redirect_to") or meta.get("redirect")
        raise Skip(f"a redirect to {target} with no text of its own" if target else "no text: front matter only")
    if converted.converted or converted.kept:
        kinds = ", ".join(converted.kinds)
        notes.append(f"template code: {converted.converted} converted to Markdown, {converted.kept} kept visibly "
                     f"as code ({kinds})")
    stem_date = _file_name_date(relative.stem)
    front: dict[str, Any] = {"title": title, "date": mapper.date(stem_date, fallback_date)}
    mapper.fill(front)
    name, suffix = language_suffix(relative)
    if suffix and "lang" not in front:
        front["lang"] = suffix  # Hugo's and Zola's x.fr.md
    if "lang" in front and "translation_key" not in front:
        # versions of one article share its file name: x.md and x.fr.md, or en/x.md and fr/x.md
        front["translation_key"] = name
    old_paths = mapper.old_paths(source, front)
    if old_paths:
        front["aliases"] = old_paths
    extra = mapper.leftovers()
    if extra:
        front["extra"] = extra
    return Imported(front_matter=front, body=body.strip("\n") + "\n", notes=notes, old_paths=old_paths,
                    converted=converted.converted, kept_as_notes=converted.kept)


# ---- splitting ----------------------------------------------------------------------------------------------

_YAML_BLOCK = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML_BLOCK = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
_PELICAN_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)$")


def _normalised(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return without_control_characters(text)


def split_front_matter(text: str) -> FrontMatterBlock:
    """The front matter in any of the forms generators use, and the body after it."""
    stripped = text.lstrip("\n \t")
    notes = ("blank lines before the front matter were ignored",) if stripped != text and stripped[:3] in (
        "---", "+++") else ()
    for name, reader in (("yaml", _yaml_block), ("toml", _toml_block), ("json", _json_block),
                         ("pelican", _pelican_block)):
        found = reader(stripped)
        if found is not None:
            data, body, more = found
            return FrontMatterBlock(name, data, body, notes + more)
    return FrontMatterBlock("", {}, text)


Found = tuple[dict, str, tuple[str, ...]]  # the data, the body, notes on what was odd


def _yaml_block(text: str) -> Found | None:
    match = _YAML_BLOCK.match(text)
    if not match:
        if re.match(r"---[ \t]*\n", text):
            raise Skip("the YAML front matter is never closed (no second `---` line)")
        return None
    try:
        located = load_located(match.group(1) or "", line_offset=1)
    except YamlSyntaxError as exc:
        raise Skip(f"the front matter is not valid YAML (line {exc.line}: {exc.message})") from None
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        raise Skip("the front matter is not a mapping of keys to values")
    # A key given twice is read as YAML loaders do (the last value wins), and said.
    notes = tuple(f"the key `{path[-1]}` is given twice (line {line}): the last value was kept"
                  for path, (line, _) in located.duplicate_keys)
    return data, text[match.end():], notes


def _toml_block(text: str) -> Found | None:
    match = _TOML_BLOCK.match(text)
    if not match:
        return None
    try:
        return tomllib.loads(match.group(1) or ""), text[match.end():], ()
    except tomllib.TOMLDecodeError as exc:
        raise Skip(f"the front matter is not valid TOML ({exc})") from None


def _json_block(text: str) -> Found | None:
    if not text.startswith("{"):
        return None
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:
        return None
    return (data, text[end:].lstrip(" \t").removeprefix("\n"), ()) if isinstance(data, dict) else None


def _pelican_block(text: str) -> Found | None:
    """Pelican's Markdown metadata: ``Key: value`` lines up to the first blank line, with a ``Title``."""
    head, _, body = text.partition("\n\n")
    data: dict[str, Any] = {}
    for line in head.split("\n"):
        match = _PELICAN_HEADER.match(line)
        if match:
            data[match.group(1)] = match.group(2).strip()
        elif line.startswith((" ", "\t")) and data:
            last = next(reversed(data))
            data[last] = f"{data[last]} {line.strip()}"
        else:
            return None
    return (data, body, ()) if any(key.lower() == "title" for key in data) else None


# ---- mapping ------------------------------------------------------------------------------------------------


class _Mapper:
    """Turns one source mapping into briefgen keys; what it cannot place is kept in ``extra``."""

    def __init__(self, meta: dict[str, Any], original_keys: dict[str, str], notes: list[str]):
        self.meta = meta
        self.original = original_keys
        self.notes = notes
        self.used: set[str] = set()

    def _take(self, key: str) -> Any:
        self.used.add(key)
        return self.meta.get(key)

    def title(self, body: str) -> str:
        value = self._take("title")
        if isinstance(value, (list, tuple)):
            value = " ".join(str(v) for v in value)
        title = _plain(value) if value is not None else ""
        if not title:
            heading = re.search(r"^#[ \t]+(.+?)[ \t#]*$", body, re.MULTILINE)
            if heading:
                title = _plain(heading.group(1))
                self.notes.append("title taken from the first heading")
        return title

    def date(self, stem_date: dt.date | None, fallback: dt.date) -> dt.date | dt.datetime:
        for key in DATE_PREFERENCE:
            if key in self.meta:
                self.used.add(key)
                when = parse_when(self.meta[key])
                if when is not None:
                    if key != "date":
                        self.notes.append(f"date taken from `{self.original[key]}`")
                    if stem_date and day_of(when) != stem_date:
                        self.notes.append(f"the file name says `{stem_date}`, `{self.original[key]}` says "
                                          f"`{day_of(when)}`: the front matter was kept")
                    return when
                self.notes.append(f"`{self.original[key]}: {self.meta[key]}` is not a date; kept under extra")
                self.used.discard(key)
        if stem_date:
            self.notes.append("date taken from the file name")
            return stem_date
        self.notes.append(f"no date found; the file's modification date `{fallback}` was used — check it")
        return fallback

    def fill(self, front: dict[str, Any]) -> None:
        self._updated(front)
        self._summary(front)
        self._tags(front)
        self._slug(front)
        self._draft(front)
        self._lang(front)
        self._translation_key(front)
        self._sources(front)
        self._expiry()
        for key in NATIVE_KEYS:
            if key in self.meta and key not in self.used and key not in front:
                front[key] = self._take(key)

    def leftovers(self) -> dict[str, Any]:
        """Every key no rule used, under its own name: kept under ``extra``."""
        return {self.original[key]: _plain_data(value) for key, value in self.meta.items() if key not in self.used}

    def _updated(self, front: dict[str, Any]) -> None:
        for key in UPDATED_PREFERENCE:
            if key in self.meta and "updated" not in front:
                when = parse_when(self.meta[key])
                if when is not None and _later(when, front["date"]):
                    self.used.add(key)
                    front["updated"] = when

    def _summary(self, front: dict[str, Any]) -> None:
        for key in SUMMARY_PREFERENCE:
            value = self.meta.get(key)
            if isinstance(value, str) and _plain(value):
                self.used.add(key)
                front["summary"] = _plain(_without_tags(value))
                if key != "summary":
                    self.notes.append(f"summary taken from `{self.original[key]}`")
                return

    def _tags(self, front: dict[str, Any]) -> None:
        tags: dict[str, str] = {}
        for key in source_keys("tags"):
            if key not in self.meta:
                continue
            values = _as_list(self.meta[key], split_spaces=key in ("categories", "category"))
            if values is None:
                continue
            self.used.add(key)
            for value in values:
                tags.setdefault(value.casefold(), value)
        if tags:
            front["tags"] = list(tags.values())

    def _slug(self, front: dict[str, Any]) -> None:
        value = self.meta.get("slug")
        if not isinstance(value, (str, int)) or not str(value).strip():
            return
        self.used.add("slug")
        wanted = unquote(str(value).strip()).strip("/")
        slug = wanted if is_valid_slug(wanted) else make_slug(wanted)
        if slug != str(value).strip():
            self.notes.append(f"the slug `{str(value)[:60]}` was made a valid slug: `{slug}`")
        front["slug"] = slug

    def _draft(self, front: dict[str, Any]) -> None:
        reasons = []
        if self.meta.get("draft") is True or str(self.meta.get("draft")).lower() == "true":
            reasons.append("draft")
        if self.meta.get("published") is False or str(self.meta.get("published")).lower() == "false":
            reasons.append("published: false")
        if str(self.meta.get("status", "")).lower() in ("draft", "hidden"):
            reasons.append(f"status: {self.meta['status']}")
        if self.meta.get("permalink") is False:
            reasons.append("permalink: false")
        for key in ("draft", "published", "status"):
            if key in self.meta and isinstance(self.meta[key], (bool, str)) and (
                    key != "status" or str(self.meta[key]).lower() in ("draft", "hidden", "published")):
                self.used.add(key)
        if reasons:
            front["draft"] = True
            if reasons != ["draft"]:
                self.notes.append(f"not published in the old site ({', '.join(reasons)}): imported as a draft")

    def _lang(self, front: dict[str, Any]) -> None:
        for key in source_keys("lang"):
            value = self.meta.get(key)
            if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", value.strip()):
                self.used.add(key)
                front["lang"] = value.strip().replace("_", "-")
                return

    def _translation_key(self, front: dict[str, Any]) -> None:
        for key in source_keys("translation_key"):
            value = self.meta.get(key)
            if isinstance(value, (str, int)) and str(value).strip():
                self.used.add(key)
                front["translation_key"] = str(value).strip()
                return

    def _sources(self, front: dict[str, Any]) -> None:
        for key in source_keys("sources"):
            url = self.meta.get(key)
            if isinstance(url, str) and re.match(r"https?://[^\s/]+", url.strip()):
                self.used.add(key)
                name = self.meta.get("source")
                if isinstance(name, str) and name.strip():
                    self.used.add("source")
                else:
                    name = urlsplit(url.strip()).hostname or url
                front["sources"] = [{"name": str(name).strip(), "url": url.strip()}]
                self.notes.append(f"`{self.original[key]}` became a source")
                return

    def _expiry(self) -> None:
        for key in ("expirydate", "expiry_date", "expires"):
            if key in self.meta:
                self.notes.append(f"`{self.original[key]}` kept under extra: briefings do not expire")

    def old_paths(self, source: ForeignFile, front: dict[str, Any]) -> list[str]:
        """The article's addresses in the old site, its own first: what its front matter says (``permalink``,
        ``url``), else its generator's default; then its other addresses (``aliases``, ``redirect_from``)."""
        paths: list[str] = []
        for key in ("permalink", "url"):
            value = self.meta.get(key)
            if not isinstance(value, str):
                continue
            self.used.add(key)
            if "{{" in value or "{%" in value:
                self.notes.append(f"the permalink `{value}` is template code; no redirect made for it")
            else:
                paths.append(_expand_permalink(value, front, source))
        if not paths:
            categories = _as_list(self.meta.get("categories") or self.meta.get("category"), split_spaces=True)
            guessed = default_path(source, front, categories or [])
            if guessed:
                paths.append(guessed)
        for key in ("aliases", "redirect_from"):
            for value in _as_list(self.meta.get(key), split_spaces=False) or ():
                self.used.add(key)
                paths.append(value)
        kept: list[str] = []
        for path in paths:
            route = old_route(path)
            if route is None:
                self.notes.append(f"the old address `{str(path)[:80]}` is not a path in the site; no redirect")
            elif route.casefold() not in {k.casefold() for k in kept}:  # one file on case-blind file systems
                kept.append(route)
        return kept


def _later(when: dt.date | dt.datetime, than: dt.date | dt.datetime) -> bool:
    return _sortable(when) > _sortable(than)


def _sortable(when: dt.date | dt.datetime) -> dt.datetime:
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day)
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def day_of(when: dt.date | dt.datetime) -> dt.date:
    """The calendar day of a date, or of a date and time (in its own offset)."""
    return when.date() if isinstance(when, dt.datetime) else when


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?")


def language_suffix(relative: PurePath) -> tuple[str, str]:
    """An article's name (a bundle's ``index.md``: its folder's) without a language suffix, and the suffix:
    ``post.fr.md`` → ("post", "fr"); ``post.md`` → ("post", "")."""
    stem = relative.stem
    base, dot, suffix = stem.rpartition(".")
    if not (dot and base and _LANGUAGE_CODE.fullmatch(suffix) and cldr_locale(suffix) is not None):
        base, suffix = stem, ""
    return (relative.parent.name if base == "index" else base), suffix.replace("_", "-")


def _file_name_date(stem: str) -> dt.date | None:
    match = FILE_DATE.match(stem)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


_WHEN = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
                   r"\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?")


def parse_when(value: Any) -> dt.date | dt.datetime | None:
    """A date or date-time in the forms generators accept: YAML/TOML dates, ISO text, offsets written
    ``-0400``, ``-04:00`` or ``-4``, ``Z`` or ``UTC``; None when the value is not one."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if not isinstance(value, str):
        return None
    match = _WHEN.fullmatch(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                           tzinfo=_offset(zone))
    except ValueError:
        return None


def _offset(zone: str | None) -> dt.tzinfo | None:
    if not zone:
        return None
    if zone in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _plain(value: Any) -> str:
    """A one-line text: HTML entities decoded (`&#8211;` → `–`), whitespace collapsed."""
    return " ".join(html.unescape(str(value)).split())


def _without_tags(value: str) -> str:
    return re.sub(r"<[^>]+>", "", value)


def _plain_data(value: Any) -> Any:
    """A value for ``extra``: dates and nested data stay as they are, anything else becomes text."""
    if isinstance(value, dict):
        return {str(k): _plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool, dt.date)):
        return value
    return str(value)


def _as_list(value: Any, *, split_spaces: bool) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
        parts = text.split(",") if "," in text or not split_spaces else text.split()
    elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        parts = [str(v) for v in value]
    else:
        return None
    return [" ".join(part.split()) for part in parts if part.strip()]


def _without_repeated_title(body: str, title: str) -> str:
    """An `# H1` repeating the title at the top of the body is dropped (the page shows the title)."""
    match = re.match(r"\s*#[ \t]+(.+?)[ \t#]*\n", body)
    if match and _plain(match.group(1)).casefold() == title.casefold():
        return body[match.end():]
    return body


# ---- old addresses ------------------------------------------------------------------------------------------


def old_route(path: Any) -> str | None:
    """An old address (a path, or a URL of the old site) as a route below the site root; None if not one."""
    if not isinstance(path, str) or not path.strip():
        return None
    parts = urlsplit(path.strip())
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    return alias_route(unquote(parts.path) or "/")


def default_path(source: ForeignFile, front: dict[str, Any], categories: list[str]) -> str | None:
    """Where the generator puts an article when its front matter names no address (each one's default)."""
    relative = source.relative
    stem = relative.parent.name if relative.stem == "index" else relative.stem
    folders = [part for part in relative.parent.parts if part not in ("", ".")]
    if relative.stem == "index":
        folders = folders[:-1]
    when = day_of(front["date"])
    title_part = FILE_DATE.sub("", stem) or stem
    if source.generator == "jekyll":
        parts = [*[make_slug(c) for c in categories], *folders, f"{when:%Y}", f"{when:%m}", f"{when:%d}", f"{front.get('slug') or title_part}.html"]
        return "/" + "/".join(parts)
    if source.generator == "hugo":
        section = [] if source.root_name in ("", "content") else [source.root_name]
        return "/" + "/".join([*section, *folders, str(front.get("slug") or stem)]) + "/"
    if source.generator == "eleventy":
        return "/" + "/".join([*([source.root_name] if source.root_name else []), *folders, stem]) + "/"
    if source.generator == "pelican":
        return f"/{front.get('slug') or make_slug(front['title'])}.html"
    return None


def _expand_permalink(pattern: str, front: dict[str, Any], source: ForeignFile) -> str:
    """Jekyll's and Hugo's permalink placeholders (``:year``, ``:title``…) filled for this article."""
    if ":" not in pattern.replace("://", ""):
        return pattern
    when = day_of(front["date"])
    stem = FILE_DATE.sub("", source.relative.stem) or source.relative.stem
    values = {
        "year": f"{when:%Y}", "month": f"{when:%m}", "day": f"{when:%d}", "i_month": str(when.month),
        "i_day": str(when.day), "short_year": f"{when:%y}", "title": str(front.get("slug") or stem),
        "slug": str(front.get("slug") or stem), "categories": "", "output_ext": ".html",
    }
    expanded = re.sub(r":([a-z_]+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    return re.sub(r"/{2,}", "/", expanded)
