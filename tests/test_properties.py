"""Property tests: any Markdown body and any front matter give a briefing or briefgen's own errors, never a crash."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import Problems
from briefgen.markdown import MarkdownRenderer
from briefgen.parse import ParseContext, parse_briefing

CONTEXT = ParseContext(timezone=ZoneInfo("Europe/Madrid"), renderer=MarkdownRenderer())

MARKDOWN_PIECES = st.sampled_from([
    "## Context\n", "## Escalation and reactions\n", "# Impact\n", "> quoted\n>\n> — Ana Pérez, role\n",
    '"A quoted sentence here," Petro said.\n', "« Une phrase citée ici », a déclaré Gil.\n",
    "- **2025-11-29** — event\n", "- 29/02/2025: not a date\n", "- 31 November 2025 — bad date\n",
    "1. item\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\ncode\n```\n", "[^1]\n\n[^1]: note\n",
    "<div>raw</div>\n", "***\n", "\n", "text with “curly” and «guillemets»\n", "    indented\n",
])
BODIES = st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=80)), max_size=12).map("".join)
YAML_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                        st.lists(st.text(max_size=10), max_size=3), st.dates().map(str))
FRONT_MATTER = st.dictionaries(
    st.sampled_from(["title", "date", "tags", "sections", "quotes", "timeline", "status", "escalation_level",
                     "sources", "slug", "summary", "unknown"]),
    YAML_VALUES, max_size=6)


def run(raw: bytes) -> None:
    problems = Problems()
    briefing = parse_briefing(raw, "content/x.md", "x", CONTEXT, problems)
    skipped = any(w.message == "a binary file, not text" for w in problems.warnings)
    assert (briefing is None) == bool(problems.errors or skipped)
    for problem in problems.errors + problems.warnings:
        assert str(problem).startswith("content/x.md")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_body_gives_a_briefing(body):
    run(("---\ntitle: T\ndate: 2025-11-29\n---\n" + body).encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(FRONT_MATTER, BODIES)
def test_any_front_matter_gives_a_briefing_or_clean_errors(meta, body):
    import yaml
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    run(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_briefing_or_clean_errors(raw):
    run(b"---\ntitle: T\ndate: 2025-11-29\n---\n" + raw)
    run(raw)
