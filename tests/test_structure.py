"""Structured briefings from fixture files (title / Markdown input / expected structure, as in markdown-it-py).

Each case in tests/fixtures/structure/*.txt is ``title``, ``.``, the file, ``.``, a JSON object, ``.``; only the
keys present in the JSON are compared. Every example briefing's structure is pinned in
tests/fixtures/examples/<slug>.json (regenerate with ``--update-golden`` and review the diff).
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefgen.errors import Problems
from briefgen.markdown import MarkdownRenderer
from briefgen.parse import ParseContext, parse_briefing
from conftest import REPO

FIXTURES = Path(__file__).parent / "fixtures"
CONTEXT = ParseContext(timezone=ZoneInfo("UTC"), renderer=MarkdownRenderer())


def read_cases(path: Path):
    lines = path.read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title = lines[index]
        assert lines[index + 1] == ".", f"{path.name}:{index + 2}: expected '.'"
        end_input = lines.index(".", index + 2)
        end_expected = lines.index(".", end_input + 1)
        yield pytest.param("\n".join(lines[index + 2:end_input]) + "\n",
                           json.loads("\n".join(lines[end_input + 1:end_expected])),
                           id=f"{path.stem}:{index + 1}:{title}")
        index = end_expected + 1


CASES = [case for path in sorted((FIXTURES / "structure").glob("*.txt")) for case in read_cases(path)]


def parse(text: str, context: ParseContext = CONTEXT):
    problems = Problems()
    briefing = parse_briefing(text.encode("utf-8"), "content/case.md", "case", context, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    return briefing


def structure(briefing) -> dict:
    return {
        "sections": [[s.heading, list(s.kinds), s.anchor] for s in briefing.sections],
        "lead": briefing.lead_text,
        "quotes": [{"speaker": q.speaker, "role": q.role, "text": q.text, "section": q.section}
                   for q in briefing.quotes],
        "timeline": [[e.date.isoformat(), e.text] for e in briefing.timeline],
        "actors": list(briefing.actors),
        "warnings": list(briefing.warnings),
        "escalation_html": next((s.html for s in briefing.sections if "escalation" in s.kinds), None),
    }


@pytest.mark.parametrize("source, expected", CASES)
def test_fixture(source, expected):
    actual = structure(parse(source))
    assert {key: actual[key] for key in expected} == expected


EXAMPLES = sorted((REPO / "content").glob("*.md"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_briefing_structure(path, update_golden):
    context = ParseContext(timezone=ZoneInfo("America/Caracas"), renderer=MarkdownRenderer())
    actual = structure(parse(path.read_text(encoding="utf-8"), context))
    del actual["escalation_html"]
    expected_file = FIXTURES / "examples" / f"{path.stem}.json"
    if update_golden:
        expected_file.parent.mkdir(exist_ok=True)
        expected_file.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert actual == json.loads(expected_file.read_text(encoding="utf-8"))
    assert {kind for section in actual["sections"] for kind in section[1]} == {
        "context", "escalation", "reactions", "impact"}
    assert actual["quotes"] and actual["timeline"]


def test_month_first_numeric_dates_when_the_site_says_so():
    context = ParseContext(timezone=ZoneInfo("UTC"), renderer=MarkdownRenderer(), day_first=False)
    briefing = parse("---\ntitle: T\ndate: 2025-11-29\n---\n- 11/29/2025 — US style.\n", context)
    assert [(e.date.isoformat(), e.text) for e in briefing.timeline] == [("2025-11-29", "US style.")]


def test_site_config_extends_the_alias_table():
    from briefgen.sections import SectionClassifier
    context = ParseContext(timezone=ZoneInfo("UTC"), renderer=MarkdownRenderer(),
                           classifier=SectionClassifier.with_extra({"impact": ("Stakes for Caracas",)}))
    briefing = parse("---\ntitle: T\ndate: 2025-11-29\n---\n## Stakes for Caracas\n\nx\n", context)
    assert briefing.sections[0].kinds == ("impact",)


def test_reading_time_uses_words_per_minute():
    context = ParseContext(timezone=ZoneInfo("UTC"), renderer=MarkdownRenderer(), words_per_minute=100)
    briefing = parse("---\ntitle: T\ndate: 2025-11-29\n---\n" + "word " * 250 + "\n", context)
    assert briefing.word_count == 250 and briefing.reading_minutes == 3


def test_explicit_sections_naming_a_missing_heading_is_an_error():
    problems = Problems()
    parse_briefing(b"---\ntitle: T\ndate: 2025-11-29\nsections:\n  Nowhere: context\n---\n## Here\n", "content/x.md",
                   "x", CONTEXT, problems)
    assert [str(p) for p in problems.errors] == [
        "content/x.md:5:3: sections.Nowhere: no section has this heading — use the heading's exact text, "
        "e.g. `\"How we got here\": context`"]
