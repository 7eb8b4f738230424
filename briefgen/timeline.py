"""Timeline events: list items that begin with a date, and front matter ``timeline:`` entries.

Accepted dates at the start of an item (bold or not, then a dash or a colon): ``2025-11-29``,
``29 November 2025``, ``November 29, 2025``, ``29/11/2025`` or ``29.11.2025`` (day first unless the site says
otherwise), and month names in every language of ``briefgen/languages/`` (``29 de noviembre de 2025``,
``1er mars 2026``, ``14. Mai 2026``, ``14 maggio 2026``, ``29 تشرين الثاني 2025``), with the Arab press's two
names of a month (``29 نوفمبر/تشرين الثاني 2025``); numbers in any digits (Arabic-Indic ``٢٩ نوفمبر ٢٠٢٥`` too).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from briefgen.lexicon import lexicon, normalise
from briefgen.model import TimelineEvent

_MONTHS = lexicon().months

# a month's name: one word ("Mai", "آب"), or two for the months the lexicon names with two ("تشرين الثاني")
_TWO_WORD_MONTHS = sorted({name.split()[0] for name in _MONTHS if " " in name}, key=len, reverse=True)
_MONTH_WORD = "(?:" + "".join(rf"{re.escape(first)}\s+[^\W\d_]{{2,10}}|" for first in _TWO_WORD_MONTHS) \
    + r"[^\W\d_]{2,10}\.?)"
_SAME_MONTH = rf"(?:\s*/\s*{_MONTH_WORD})?"  # the Arab press names both: "29 نوفمبر/تشرين الثاني 2025"
_BOLD = r"(?:\*\*|__)?"
_SEPARATOR = rf"{_BOLD}\s*(?:[—–]|-{{1,2}}|:){_BOLD}\s+"
_DATE_FORMS = (
    ("iso", r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    ("day_month", rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º|°|\.)?\s+(?:de\s+)?(?P<mon>{_MONTH_WORD}){_SAME_MONTH}"
                  r"\s+(?:de\s+)?(?P<y>\d{4})"),
    ("month_day", rf"(?P<mon>{_MONTH_WORD})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"),
    ("numeric", r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"),
)
_LEAD = "(?:" + "|".join(re.escape(lead) + (r"\s*" if lead.endswith(("'", "’")) else r"\s+")
                         for lead in lexicon().date_leads) + ")?"  # "Le 16 mai", "On May 2", "L'11 maggio"
_ITEM_PATTERNS = tuple(
    (name, re.compile(rf"^\s*{_BOLD}{_LEAD}(?P<date>{form}){_SEPARATOR}(?P<text>\S.*)$", re.DOTALL | re.IGNORECASE))
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
