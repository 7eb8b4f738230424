"""Front matter and body parsing, one file at a time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from briefgen.errors import Problems
from briefgen.markdown import MarkdownRenderer
from briefgen.parse import ParseContext, first_sentences, parse_briefing

CONTEXT = ParseContext(timezone=ZoneInfo("America/Caracas"), renderer=MarkdownRenderer())


def parse(text: str, stem: str = "2025-11-29-a-file", raw: bytes | None = None):
    problems = Problems()
    result = parse_briefing(raw if raw is not None else text.encode("utf-8"), "content/x.md", stem, CONTEXT,
                            problems)
    return result, problems


def test_slug_from_file_name_without_date_prefix():
    briefing, _ = parse("---\ntitle: T\ndate: 2025-11-29\n---\n")
    assert briefing.slug == "a-file"


def test_explicit_slug_and_invalid_slug():
    briefing, _ = parse("---\ntitle: T\ndate: 2025-11-29\nslug: my-slug\n---\n")
    assert briefing.slug == "my-slug"
    _, problems = parse("---\ntitle: T\ndate: 2025-11-29\nslug: ../etc\n---\n")
    assert str(problems.errors[0]).startswith("content/x.md:4:7: slug: '../etc' is not a valid slug")


@pytest.mark.parametrize("value, expected", [
    ("2025-11-29", dt.datetime(2025, 11, 29, tzinfo=ZoneInfo("America/Caracas"))),
    ("2025-11-29 18:30:00", dt.datetime(2025, 11, 29, 18, 30, tzinfo=ZoneInfo("America/Caracas"))),
    ("2025-11-29T00:30:00+05:00", dt.datetime(2025, 11, 28, 19, 30, tzinfo=dt.timezone.utc)),
    ('"2025-11-29T10:00:00Z"', dt.datetime(2025, 11, 29, 10, tzinfo=dt.timezone.utc)),
])
def test_dates_are_timezone_aware(value, expected):
    briefing, problems = parse(f"---\ntitle: T\ndate: {value}\n---\n")
    assert not problems.errors
    assert briefing.date.tzinfo is not None
    assert briefing.date == expected


def test_bom_and_crlf_are_accepted():
    raw = "\ufeff---\r\ntitle: T\r\ndate: 2025-11-29\r\n---\r\nLead.\r\n\r\n## Context\r\n\r\nText.\r\n".encode()
    briefing, problems = parse("", raw=raw)
    assert not problems.errors
    assert briefing.sections[0].heading == "Context"
    assert briefing.sections[0].line == 7


def test_non_utf8_is_an_error_with_a_line_and_column():
    _, problems = parse("", raw=b"---\ntitle: T\ndate: 2025-11-29\n---\nbad \xff byte\n")
    assert str(problems.errors[0]) == "content/x.md:5:5: the file is not valid UTF-8 text — save it with UTF-8 encoding"


def test_all_front_matter_problems_are_reported_together():
    _, problems = parse("---\ntitle: 3\ndate: soon\ndraft: maybe\nescalation_level: 9\ntagz: [a]\n---\n")
    assert [str(p) for p in problems.errors] == [
        "content/x.md:6:1: tagz: unknown key — did you mean `tags`?",
        "content/x.md:3:7: date: expected a date, got a string 'soon' — write a date like 2025-11-29 or a date "
        "and time like 2025-11-29T18:30:00-04:00",
        "content/x.md:4:8: draft: expected true or false, got a string — write true or false",
        "content/x.md:5:19: escalation_level: 9 is out of range — use a whole number from 1 to 5",
    ]


def test_summary_falls_back_to_the_lead():
    briefing, _ = parse("---\ntitle: T\ndate: 2025-11-29\n---\nFirst sentence. Second one.\n\nAnother paragraph.\n")
    assert briefing.summary == "First sentence. Second one."


def test_first_sentences_cuts_at_a_sentence_end():
    text = "A short opening sentence. " + "word " * 100
    assert first_sentences(text, 60) == "A short opening sentence."


def test_sections_lead_and_word_count():
    briefing, _ = parse("---\ntitle: T\ndate: 2025-11-29\n---\nLead words here.\n\n## Why it matters\n\n"
                        "Four words right here.\n\n### Detail\n\nTwo more.\n")
    assert briefing.lead_text == "Lead words here."
    assert [(s.heading, s.anchor, s.line) for s in briefing.sections] == [("Why it matters", "impact", 7)]
    assert "<h3 id=\"detail\">" in briefing.sections[0].html
    assert briefing.word_count == 3 + 3 + 4 + 1 + 2


def test_duplicate_key_is_reported():
    _, problems = parse("---\ntitle: T\ndate: 2025-11-29\ntitle: U\n---\n")
    assert str(problems.errors[0]) == "content/x.md:4:1: title: this key appears twice — keep only one of them"
