"""The theme's languages: every visible word of a theme from per-language message files, and dates and numbers
formatted for the page's language by Babel (CLDR).

Messages live in ``i18n/<lang>.yaml`` beside a theme's ``templates/``: flat dotted keys (``nav.latest``), each a
text with ``{name}`` placeholders or, for a count, a mapping of CLDR plural categories (``one``, ``other``…).
They are looked up like templates: the site's own ``i18n/`` → the configured theme → the built-in default, key
by key, so a site overrides one message without copying a file. A message missing in a language is shown in
English (:func:`missing_messages` warns of it); a key missing in English too is a template error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence, Union

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from briefgen.errors import BuildFailed, Problem
from briefgen.views import When, zone_label
from briefgen.yamlsource import read_located

if TYPE_CHECKING:
    from briefgen.theme import Theme

Message = Union[str, Mapping[str, str]]  # a text, or its forms by CLDR plural category
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
FALLBACK_LANGUAGE = "en"
# briefgen's English has always written "29 November 2025, 14:05": day first, 24 hours, as most newsrooms outside
# the US do. CLDR's plain "en" is US English ("November 29, 2025, 2:05 PM"); a site wanting that says en-US.
FORMAT_LOCALES = {"en": "en_GB"}
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class MessageError(Exception):
    """A template asked for a message no file has, or left out a value its text needs."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---- message files --------------------------------------------------------------------------------------------


def message_folders(site_root: Path, theme_roots: Sequence[Path]) -> tuple[Path, ...]:
    """The ``i18n/`` folders of a site and its themes, most specific first (the order of template lookup)."""
    candidates = [site_root / "i18n", *(root / "i18n" for root in theme_roots)]
    return tuple(folder for folder in candidates if folder.is_dir())


def message_files(folders: Iterable[Path]) -> list[Path]:
    return [path for folder in folders for path in sorted(folder.glob("*.yaml")) if path.is_file()]


def read_messages(path: Path, shown: str | None = None) -> dict[str, Message]:
    """One message file; :class:`BuildFailed` naming every bad entry with its line."""
    shown = shown or str(path)
    located = read_located(path, shown, "the message file")
    if located.data is None:
        return {}
    if not isinstance(located.data, dict):
        raise BuildFailed([Problem(shown, 1, 1, message="a message file must be a mapping of keys to texts",
                                   hint="write one `key.name: text` per line")])
    messages: dict[str, Message] = {}
    problems = []
    for key, value in located.data.items():
        line, column = located.position((key,))
        wrong = _message_problem(key, value)
        if wrong:
            problems.append(Problem(shown, line, column, str(key), *wrong))
        else:
            messages[key] = value if isinstance(value, str) else dict(value)
    if problems:
        raise BuildFailed(problems)
    return messages


def _message_problem(key: Any, value: Any) -> tuple[str, str] | None:
    """What is wrong with one entry (message, hint), or None."""
    if not isinstance(key, str):
        return "a message key must be text", "write keys such as `nav.latest`"
    if isinstance(value, str):
        return None
    if isinstance(value, dict):
        unknown = [str(c) for c in value if c not in PLURAL_CATEGORIES]
        if unknown:
            return (f"{', '.join(unknown)} is not a CLDR plural category",
                    f"use {', '.join(PLURAL_CATEGORIES)}")
        if "other" not in value:
            return "plural forms need an `other` form", "add `other: …`, used for any count without its own form"
        if not all(isinstance(form, str) for form in value.values()):
            return "every plural form must be text", "quote the form"
        return None
    return (f"expected a text or plural forms, got {type(value).__name__}",
            "quote the text (YAML reads yes, no, numbers and dates as other things)")


def check_message_files(folders: Sequence[Path], shown: Callable[[Path], str] = str) -> None:
    """Read every message file once, so that a broken one stops the build at its start with every problem."""
    problems: list[Problem] = []
    for path in message_files(folders):
        try:
            read_messages(path, shown(path))
        except BuildFailed as failed:
            problems.extend(failed.problems)
    if problems:
        raise BuildFailed(problems)


def language_messages(folders: Sequence[Path], language: str) -> dict[str, Message]:
    """One language's messages over every folder, the most specific folder winning key by key."""
    merged: dict[str, Message] = {}
    for folder in reversed(folders):
        path = folder / f"{language}.yaml"
        if path.is_file():
            merged.update(read_messages(path))
    return merged


def fallback_chain(language: str) -> tuple[str, ...]:
    """Where a language's messages are looked for: its own tag, its base language, then English."""
    chain = [language, language.split("-")[0].lower(), FALLBACK_LANGUAGE]
    return tuple(dict.fromkeys(code for code in chain if code))


# ---- formatting ------------------------------------------------------------------------------------------------


def cldr_locale(code: str) -> Locale | None:
    """The CLDR locale of a language tag (``es``, ``pt-BR``, ``en_GB``), or None when CLDR does not know it."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def babel_locale(language: str) -> Locale:
    """The CLDR locale that formats a language's dates and numbers; English for a code CLDR does not know."""
    for code in (FORMAT_LOCALES.get(language.lower(), language), language.split("-")[0]):
        locale = cldr_locale(code)
        if locale is not None:
            return locale
    return Locale.parse(FORMAT_LOCALES[FALLBACK_LANGUAGE])


def language_name(code: str) -> str:
    """A language's name in itself, as a language menu shows it ("Español", "العربية"); the code if unknown."""
    locale = cldr_locale(code)
    name = (locale.get_display_name(locale) if locale is not None else None) or code
    return name[:1].upper() + name[1:]


def text_direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def _escape_text(text: str) -> str:
    """A message's own text made safe in HTML text and double-quoted attributes. Unlike ``escape`` it keeps
    apostrophes, as a template's literal text does ("briefing's", "L'essentiel")."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def _moment(value: Any) -> tuple[dt.date, dt.datetime | None]:
    """A value's calendar day and, when it has a time of day, its moment: from a :class:`When`, a datetime, a
    date, an ISO string, or anything with a ``first_day`` (an archive month)."""
    if isinstance(value, When):
        moment = value.moment or dt.datetime.fromisoformat(value.iso)
        return moment.date(), moment if value.timed else None
    if isinstance(value, dt.datetime):
        return value.date(), value
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value if len(value) != 7 else value + "-01")
        return parsed.date(), None
    first_day = getattr(value, "first_day", None)
    if isinstance(first_day, dt.date):
        return first_day, None
    raise TypeError(f"cannot format {type(value).__name__} as a date")


@dataclass(frozen=True)
class Translator:
    """The messages and the formats of one language. Called from templates as ``t(key, **params)``."""

    language: str
    catalogs: tuple[Mapping[str, Message], ...]  # the language's messages, then its fallbacks' (English last)
    locale: Locale

    @property
    def rtl(self) -> bool:
        return text_direction(self.language) == "rtl"

    def message(self, key: str) -> Message:
        for catalog in self.catalogs:
            if key in catalog:
                return catalog[key]
        files = dict.fromkeys(f"i18n/{code}.yaml" for code in (self.language, FALLBACK_LANGUAGE))
        raise MessageError(f"no message {key!r} in {' nor '.join(files)}: add it to the theme's "
                           f"i18n/{FALLBACK_LANGUAGE}.yaml, or correct the key")

    def text(self, key: str, **params: Any) -> str:
        """The message as plain text (for SVG, attributes built in Python, navigation labels)."""
        return self._fill(key, self._form(key, params), params, lambda value: value)

    def __call__(self, key: str, **params: Any) -> Markup:
        """The message as HTML: its text escaped, each value escaped unless it is already ``Markup``."""
        return Markup(self._fill(key, _escape_text(self._form(key, params)), params, escape))

    def forms(self, key: str) -> tuple[tuple[str, str], ...]:
        """A plural message's form for each category of this language, ``{count}`` left in (for scripts)."""
        message = self.message(key)
        if isinstance(message, str):
            return (("other", message),)
        categories = sorted(self.locale.plural_form.tags | {"other"}, key=PLURAL_CATEGORIES.index)
        return tuple((category, message.get(category, message["other"])) for category in categories)

    def _form(self, key: str, params: Mapping[str, Any]) -> str:
        message = self.message(key)
        if isinstance(message, str):
            return message
        count = params.get("count")
        if not isinstance(count, (int, float)) or isinstance(count, bool):
            raise MessageError(f"message {key!r} has plural forms: give it a number as count=…")
        return message.get(self.locale.plural_form(abs(count)), message["other"])

    def _fill(self, key: str, text: str, params: Mapping[str, Any], quote) -> str:
        def value(match: re.Match) -> str:
            name = match.group(1)
            if name not in params:
                raise MessageError(f"message {key!r} needs a value for {{{name}}}")
            return str(quote(self._shown(params[name])))
        return PLACEHOLDER.sub(value, text)

    def _shown(self, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.number(value)
        return value

    # the template helpers for dates and numbers

    def long_date(self, value: Any) -> str:
        """"29 November 2025", "29 de noviembre de 2025", "29 نوفمبر 2025"."""
        return format_date(_moment(value)[0], "long", locale=self.locale)

    def date_time(self, value: Any) -> str:
        """The date, and the time and zone when the moment had a time of day: "29 November 2025, 14:05 CET"."""
        day, moment = _moment(value)
        if moment is None:
            return format_date(day, "long", locale=self.locale)
        zone = zone_label(moment) if moment.tzinfo is not None else ""
        return self.text("dates.date_time", date=format_date(day, "long", locale=self.locale),
                         time=format_time(moment, "short", locale=self.locale), zone=zone).strip()

    def month_year(self, value: Any) -> str:
        """"November 2025", "noviembre de 2025": archive headings."""
        return format_skeleton("yMMMM", _moment(value)[0], locale=self.locale)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def join_list(self, items: Iterable[Any], style: str = "standard") -> Markup:
        """"A, B and C" (``style="or"``: "A, B or C") in this language, each item escaped unless it is Markup."""
        shown = [str(escape(item)) for item in items]
        return Markup(format_list(shown, style=style, locale=self.locale)) if shown else Markup("")

    def section_labels(self, section: Any) -> tuple[str, ...]:
        """The kind labels above a section's heading ("Context · Impact"), none when the heading says just that."""
        labels = tuple(self.text(f"kind.{kind}") for kind in section.kinds)
        heading = section.heading.strip().rstrip(":.").casefold()
        return () if len(labels) == 1 and labels[0].casefold() == heading else labels


def translator(folders: Sequence[Path], language: str) -> Translator:
    catalogs = tuple(language_messages(folders, code) for code in fallback_chain(language))
    return Translator(language=language, catalogs=catalogs, locale=babel_locale(language))


def theme_translator(theme: Theme, language: str) -> Translator:
    """The translator of a theme's pages in ``language``."""
    return translator(theme.i18n_folders, language)


def install(env: jinja2.Environment, translate: Translator) -> None:
    """Put a language's helpers into a Jinja environment: ``t``, ``section_labels`` and the date, number and list
    filters (``long_date``, ``date_time``, ``month_year``, ``number``, ``join_list``)."""
    env.globals.update(t=translate, section_labels=translate.section_labels)
    env.filters.update(long_date=translate.long_date, date_time=translate.date_time,
                       month_year=translate.month_year, number=translate.number, join_list=translate.join_list)


# ---- checks ---------------------------------------------------------------------------------------------------


def missing_messages(theme: Theme, languages: Iterable[str]) -> list[Problem]:
    """One warning per language whose messages lack keys the English messages have (they show in English)."""
    english = language_messages(theme.i18n_folders, FALLBACK_LANGUAGE)
    problems = []
    for language in dict.fromkeys(languages):
        if language.split("-")[0].lower() == FALLBACK_LANGUAGE:
            continue
        chain = [code for code in fallback_chain(language) if code != FALLBACK_LANGUAGE]
        known = set().union(*(language_messages(theme.i18n_folders, code) for code in chain))
        missing = [key for key in english if key not in known]
        if missing:
            listed = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
            count = f"{len(missing)} message{'s' if len(missing) != 1 else ''}"
            problems.append(Problem(f"i18n/{chain[-1]}.yaml", message=f"{count} missing ({listed}), shown in English",
                                    hint="add them"))
    return problems


def placeholders(message: Message) -> set[str]:
    """The ``{names}`` a message uses, over all its plural forms."""
    forms = [message] if isinstance(message, str) else list(message.values())
    return {name for form in forms for name in PLACEHOLDER.findall(form)}
