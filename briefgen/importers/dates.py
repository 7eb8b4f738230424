"""Dates as news pages write them, in English, Spanish, French, Portuguese, German and Italian.

:func:`find_dates` finds every date in a line: ``November 30, 2025``, ``Nov. 30, 2025``, ``30 Nov 2025``,
``30 de noviembre de 2025``, ``1er décembre 2025``, ``30. November 2025``, ``2025-11-30``, ``30/11/2025`` (day
first unless told otherwise), each with an optional time (``14:05``, ``14h05``, ``14.05 Uhr``, ``2:05 pm``) and
time zone (``GMT``, ``+01:00``). A date without a year (``1er décembre``) is only accepted when a reference date
is given: it takes the year that puts it on or before the reference. Each date carries the label written before
it ("updated" for ``Updated:`` / ``Actualizado`` / ``Mis à jour`` / ``Atualizado`` / ``Aktualisiert`` /
``Aggiornato``, "published" for ``Published`` / ``Publicado`` / ``Publié`` …).

:func:`split_dateline` tells what else a line says besides its dates, so an importer can decide whether the
line is a dateline to drop or a sentence to keep.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "ene": 1, "abr": 4, "ago": 8, "dic": 12,
    # French (accents removed)
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7,
    # Portuguese
    "janeiro": 1, "fevereiro": 2, "marco": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12, "set": 9, "out": 10, "dez": 12,
    # German
    "januar": 1, "janner": 1, "februar": 2, "marz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "mrz": 3, "okt": 10,
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "ott": 10,
}

# Hours from UTC of the zone abbreviations that mean one thing; any other leaves the time in the site's zone.
ZONE_OFFSETS = {"UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "MEZ": 1,
                "MESZ": 2, "EET": 2, "EEST": 3, "EST": -5, "EDT": -4, "PST": -8, "PDT": -7, "MST": -7,
                "MDT": -6, "BRT": -3, "ART": -3, "VET": -4, "COT": -5}

UPDATED_WORDS = ("updated", "last updated", "update", "modified", "last modified", "edited", "revised",
                 "actualizado", "actualizada", "actualizacion", "ultima actualizacion", "act",
                 "mis a jour", "mise a jour", "modifie", "atualizado", "atualizada", "atualizacao",
                 "ultima atualizacao", "aktualisiert", "zuletzt aktualisiert", "aktualisierung",
                 "aggiornato", "aggiornata", "aggiornamento", "ultimo aggiornamento")
PUBLISHED_WORDS = ("published", "first published", "posted", "publicado", "publicada", "publie", "publiee",
                   "veroffentlicht", "erschienen", "pubblicato", "pubblicata", "creado", "created")

WEEKDAYS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
lunes martes miercoles jueves viernes sabado domingo lun mar mie jue vie sab dom
lundi mardi mercredi jeudi vendredi samedi dimanche
segunda terca quarta quinta sexta feira seg ter qua qui sex
montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so
lunedi martedi mercoledi giovedi venerdi sabato domenica
""".split())
# Words a dateline may hold besides its dates: the labels, and the small words around a date and a time.
CONNECTORS = frozenset("""
on at the a an of and le la el les los las de del du da do dos em en in am um alle ore il y et e und ed
ou or uhr h hrs hr horas heures ora time hora heure zeit last first ultima ultimo
""".split())

_ZONE = "(?-i:(?P<zone>" + "|".join(sorted(ZONE_OFFSETS, key=len, reverse=True)) + "))"
_MONTH = r"(?P<mon>[^\W\d_]{3,10})(?P<dot>\.)?"
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|re|º|ª|°|o|\.)?"
_AMPM = r"[ap]\.?\s?m\b\.?"
_CLOCK = (r"(?:(?P<hour>\d{1,2})[:h.](?P<minute>\d{2})(?::\d{2})?(?:\s*(?P<ampm>" + _AMPM + "))?"
          r"|(?P<hour12>\d{1,2})\s*(?:(?P<ampm12>" + _AMPM + r")|h\b))"
          r"(?:\s*(?:uhr|h|hrs|horas|heures)\b)?"
          r"(?:\s*" + _ZONE + r"?(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?(?!\w))?")
_TIME_SEPARATOR = r"(?:,|\||·|•|-|–|—|\bat\b|\bà\b|\bàs\b|\bas\b|\ba\s+las?\b|\bum\b|\balle\b|\bore\b|\bkl\.)"
_TIME = r"(?:(?:\s*" + _TIME_SEPARATOR + r")*\s*" + _CLOCK + ")?"
_FORMS = (
    ("iso", r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"
            r"(?:[T ](?P<isotime>\d{1,2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?P<isozone>Z|[+-]\d{2}:?\d{2})?)?"),
    ("day_month", rf"(?<![\d.,])(?P<d>\d{{1,2}}){_DAY_SUFFIX}\s*(?:de\s+)?{_MONTH}"
                  r"(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{4}))?(?!\d)"),
    ("month_day", rf"(?<!\w){_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y>\d{{4}})(?!\d))?"),
    ("numeric", r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)"),
)
_PATTERNS = tuple((name, re.compile(form + (_TIME if name != "iso" else ""), re.IGNORECASE))
                  for name, form in _FORMS)
_TIME_BEFORE = re.compile(_CLOCK + r"\s*[,|·•\-–—]?\s*(?:on\s+)?$", re.IGNORECASE)


class FoundDate(NamedTuple):
    """A date in a line: its value, the words that wrote it (with the time), where they are, and its label."""

    value: dt.date | dt.datetime
    text: str
    start: int
    end: int
    label: str = ""  # "updated", "published" or ""


def fold(text: str) -> str:
    """Lowercase and without accents, so "Mis à jour" and "mis a jour" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def find_date(line: str, *, day_first: bool = True, reference: dt.date | None = None) -> FoundDate | None:
    """The first date in ``line`` (see the module docstring for the forms), or None."""
    found = find_dates(line, day_first=day_first, reference=reference)
    return found[0] if found else None


def find_dates(line: str, *, day_first: bool = True, reference: dt.date | None = None) -> list[FoundDate]:
    """Every date in ``line``, left to right, each with its label."""
    candidates = []
    for form, pattern in _PATTERNS:
        for match in pattern.finditer(line):
            value = _value(match, form, day_first, reference)
            if value is not None:
                candidates.append((match.start(), -match.end(), value, match))
    found: list[FoundDate] = []
    for start, _, value, match in sorted(candidates, key=lambda c: (c[0], c[1])):
        if found and start < found[-1].end:
            continue
        text = match.group(0).rstrip(" ,")
        found.append(FoundDate(value, text, start, start + len(text)))
    found = [_with_time_before(line, date) for date in found]
    return _labelled(line, found)


def split_dateline(line: str, *, day_first: bool = True,
                   reference: dt.date | None = None) -> tuple[list[FoundDate], str]:
    """The dates of a line and what is left once they, their labels, weekdays and small words are taken out:
    ``"By Ana Ruiz | Updated: Sunday 30 November 2025, 14:05 GMT"`` → ``([…], "By Ana Ruiz")`` — "By" is kept,
    so the caller can tell a byline from a place name."""
    dates = find_dates(line, day_first=day_first, reference=reference)
    rest, cursor = [], 0
    for date in dates:
        rest.append(line[cursor:date.start])
        cursor = date.end
    rest.append(line[cursor:])
    words = re.findall(r"\w[\w'’.\-]*", " ".join(rest))
    kept = [w for w in words if not _is_date_word(w)]
    return dates, " ".join(kept)


_LABEL_WORDS = frozenset(word for phrase in UPDATED_WORDS + PUBLISHED_WORDS for word in phrase.split())


def _is_date_word(word: str) -> bool:
    folded = fold(word).rstrip(".")
    return folded in WEEKDAYS or folded in _LABEL_WORDS or folded in CONNECTORS or word.rstrip(".") in ZONE_OFFSETS


def _value(match: re.Match, form: str, day_first: bool, reference: dt.date | None) -> dt.date | dt.datetime | None:
    day = _day(match, form, day_first, reference)
    if day is None:
        return None
    if form == "iso":
        return _iso_time(day, match)
    return _with_time(day, match) or day


def _day(match: re.Match, form: str, day_first: bool, reference: dt.date | None) -> dt.date | None:
    groups = match.groupdict()
    try:
        if form == "iso":
            return dt.date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
        if form == "numeric":
            return _numeric(int(groups["a"]), int(groups["b"]), int(groups["y"]), day_first)
        month = MONTHS.get(fold(groups["mon"]))
        if month is None:
            return None
        if groups["y"] is None:
            return _without_year(month, int(groups["d"]), reference)
        return dt.date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None


def _numeric(first: int, second: int, year: int, day_first: bool) -> dt.date:
    """Day first (or month first), unless only the other order makes a date: 11/30/2025 is November 30."""
    day, month = (first, second) if day_first else (second, first)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, day, month)


def _without_year(month: int, day: int, reference: dt.date | None) -> dt.date | None:
    """The latest such day on or before the reference (a page is not dated after it was saved)."""
    if reference is None:
        return None
    for year in (reference.year, reference.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    return None


def _with_time(day: dt.date, match: re.Match) -> dt.datetime | None:
    groups = match.groupdict()
    hour_text = groups.get("hour") or groups.get("hour12")
    if hour_text is None:
        return None
    hour, minute = int(hour_text), int(groups.get("minute") or 0)
    ampm = fold(groups.get("ampm") or groups.get("ampm12") or "").replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_zone(groups))


def _zone(groups: dict) -> dt.tzinfo | None:
    offset, zone = groups.get("offset"), groups.get("zone")
    if offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    if zone in ZONE_OFFSETS:
        return dt.timezone(dt.timedelta(hours=ZONE_OFFSETS[zone]))
    return None


def _iso_time(day: dt.date, match: re.Match) -> dt.date | dt.datetime:
    if not match.group("isotime"):
        return day
    hour, minute = map(int, match.group("isotime").split(":"))
    if hour > 23 or minute > 59:
        return day
    zone = match.group("isozone")
    tzinfo = None
    if zone == "Z":
        tzinfo = dt.timezone.utc
    elif zone:
        tzinfo = _zone({"offset": zone})
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tzinfo)


def _with_time_before(line: str, date: FoundDate) -> FoundDate:
    """"14:05 GMT, 30 November 2025": a time written just before a date that has none."""
    if isinstance(date.value, dt.datetime):
        return date
    match = _TIME_BEFORE.search(line[:date.start])
    if match is None or match.group(0).strip() == "":
        return date
    value = _with_time(date.value, match)
    if value is None:
        return date
    start = match.start()
    return FoundDate(value, line[start:date.end], start, date.end)


_UPDATED = re.compile(r"(?<!\w)(?:" + "|".join(sorted(UPDATED_WORDS, key=len, reverse=True)) + r")(?!\w)")
_PUBLISHED = re.compile(r"(?<!\w)(?:" + "|".join(sorted(PUBLISHED_WORDS, key=len, reverse=True)) + r")(?!\w)")


def _labelled(line: str, dates: list[FoundDate]) -> list[FoundDate]:
    """Each date with the label closest before it, between it and the date before."""
    labelled, cursor = [], 0
    for date in dates:
        before = fold(line[cursor:date.start])
        updated = [m.end() for m in _UPDATED.finditer(before)]
        published = [m.end() for m in _PUBLISHED.finditer(before)]
        label = ""
        if updated or published:
            label = "updated" if max(updated, default=-1) > max(published, default=-1) else "published"
        labelled.append(date._replace(label=label))
        cursor = date.end
    return labelled
