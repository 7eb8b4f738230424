"""Timeline events: list items that begin with a date, and front matter ``timeline:`` entries.

Accepted dates at the start of an item (bold or not, then a dash or a colon): ``2025-11-29``,
``29 November 2025``, ``November 29, 2025``, ``29/11/2025`` (day first unless the site says otherwise), and month
names in English, Spanish, French and Portuguese (``29 de noviembre de 2025``, ``29 novembre 2025``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from briefgen.model import TimelineEvent
from briefgen.sections import normalise

_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # French (accents removed by normalise)
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    # Portuguese
    "janeiro": 1, "fevereiro": 2, "marco": 3, "maio": 5, "junho": 6, "julho": 7,
    "setembro": 9, "outubro": 10, "dezembro": 12,
}

_MONTH_WORD = r"[^\W\d_]{3,10}\.?"
_BOLD = r"(?:\*\*|__)?"
_SEPARATOR = rf"{_BOLD}\s*(?:[—–]|-{{1,2}}|:){_BOLD}\s+"
_DATE_FORMS = (
    ("iso", r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    ("day_month", rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º)?\s+(?:de\s+)?(?P<mon>{_MONTH_WORD})\s+(?:de\s+)?(?P<y>\d{{4}})"),
    ("month_day", rf"(?P<mon>{_MONTH_WORD})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"),
    ("numeric", r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})"),
)
_ITEM_PATTERNS = tuple(
    (name, re.compile(rf"^\s*{_BOLD}(?P<date>{form}){_SEPARATOR}(?P<text>\S.*)$", re.DOTALL | re.IGNORECASE))
    for name, form in _DATE_FORMS
)


def parse_date(match: re.Match, form: str, day_first: bool) -> dt.date | None:
    try:
        year = int(match.group("y"))
        if form == "iso":
            return dt.date(year, int(match.group("m")), int(match.group("d")))
        if form == "numeric":
            first, second = int(match.group("a")), int(match.group("b"))
            day, month = (first, second) if day_first else (second, first)
            return dt.date(year, month, day)
        month = _MONTHS.get(normalise(match.group("mon")).rstrip("."))
        return dt.date(year, month, int(match.group("d"))) if month else None
    except ValueError:
        return None


def dated_item(source: str, day_first: bool = True) -> tuple[dt.date, str] | None:
    """``(date, rest of the item's Markdown)`` when a list item starts with a date, else None."""
    for form, pattern in _ITEM_PATTERNS:
        match = pattern.match(source)
        if match:
            date = parse_date(match, form, day_first)
            if date is not None:
                return date, match.group("text").strip()
    return None


def merge_events(events: Iterable[TimelineEvent]) -> tuple[TimelineEvent, ...]:
    """Sorted by date (stable within a day); the same date and text twice is one event."""
    seen: set[tuple[dt.date, str]] = set()
    merged = []
    for event in sorted(events, key=lambda e: e.date):
        key = (event.date, normalise(event.text))
        if key not in seen:
            seen.add(key)
            merged.append(event)
    return tuple(merged)
