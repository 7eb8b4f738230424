"""Property tests: any Markdown body and any front matter give a briefing or briefgen's own errors, never a crash.

The fast tier runs a few hundred cases; the slow tier (`-m slow`) parses 10,000 generated files, hostile values
included, and runs 300 whole builds through the CLI, with fixed seeds (`derandomize`) so CI is deterministic.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import Problems
from briefgen.markdown import MarkdownRenderer
from briefgen.parse import ParseContext, parse_briefing
from conftest import run_cli

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


# ---- hostile values, and the slow tier's ten thousand cases --------------------------------------------------

HOSTILE_STRINGS = st.sampled_from([
    "<script>alert(1)</script>", "</script><script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "data:text/html,<b>x</b>",
    "' \" ` < > &", "\x00", "a\x00b", "\u202e\u200f\u200e", "../", "../../etc/passwd", "/etc/passwd", "..\\..\\",
    "CON", "nul", "aux.txt", ".", "..", "???", "x" * 300, "é" * 200, "中" * 120, "]]>", "<!--", "-->", "{{ 1 }}",
    "{% raw %}", "\ufeff", "\r\n", "\t", "${x}", "%00", "%2e%2e/",
])
HOSTILE_TEXT = st.one_of(HOSTILE_STRINGS, st.lists(st.one_of(HOSTILE_STRINGS, st.text(max_size=12)), min_size=1,
                                                   max_size=4).map("".join))
HOSTILE_BODY_PIECES = st.one_of(MARKDOWN_PIECES, HOSTILE_TEXT.map(lambda s: s + "\n"), st.sampled_from([
    "[x](javascript:alert(1))\n", "![x](data:image/png;base64,AAAA)\n", "<script>alert(1)</script>\n",
    "<img src=x onerror=alert(1)>\n", "> " * 60 + "deep\n", "- " * 60 + "deep\n", "[" * 200 + "\n",
]))
HOSTILE_BODIES = st.lists(HOSTILE_BODY_PIECES, max_size=10).map("".join)
HOSTILE_FRONT_MATTER = st.fixed_dictionaries(
    {"title": HOSTILE_TEXT, "date": st.sampled_from(["2025-11-29", "2025-11-29T10:00:00+05:00", "2025-02-30",
                                                     "0000-01-01", "99999-01-01", "2025-11-29T10:00:00+99:00"])},
    optional={key: st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, max_size=3), YAML_VALUES)
              for key in ("tags", "regions", "actors", "story", "summary", "slug", "lang")}
    | {"quotes": st.lists(st.fixed_dictionaries({"speaker": HOSTILE_TEXT, "text": HOSTILE_TEXT}), max_size=2),
       "sources": st.lists(st.fixed_dictionaries({"name": HOSTILE_TEXT, "url": st.one_of(
           HOSTILE_TEXT, st.just("https://example.org/?q=<script>"))}), max_size=2),
       "draft": st.booleans()})


def hostile_file(meta: dict, body: str) -> bytes:
    import yaml
    return ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body).encode("utf-8", "surrogatepass")


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(HOSTILE_FRONT_MATTER, HOSTILE_BODIES)
def test_hostile_values_parse_or_give_clean_errors(meta, body):
    run(hostile_file(meta, body))


PARSE_CASES = 10_000
BUILD_CASES = 300


@pytest.mark.slow
@settings(max_examples=PARSE_CASES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.tuples(HOSTILE_FRONT_MATTER, HOSTILE_BODIES), st.tuples(FRONT_MATTER, BODIES)))
def test_ten_thousand_files_parse_or_give_clean_errors(case):
    run(hostile_file(*case))


@pytest.mark.slow
@settings(max_examples=BUILD_CASES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(HOSTILE_FRONT_MATTER, HOSTILE_BODIES), min_size=1, max_size=3))
def test_whole_builds_succeed_or_report_their_own_errors(files):
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "briefgen.yaml").write_text("title: T\nbase_url: https://example.org/sub/\n", encoding="utf-8")
        (site / "content").mkdir()
        for index, (meta, body) in enumerate(files):
            (site / "content" / f"{index}.md").write_bytes(hostile_file(meta, body))
        result = run_cli("build", "--no-cache", "--jobs", "1", cwd=site)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        for line in result.output.splitlines():
            assert not line.startswith(("error: ", "warning: ")) or line.split(": ", 1)[1].startswith(
                ("content/", str(site))), line
        if result.exit_code == 1:
            assert "the previous site was left as it was" in result.output
        else:
            assert (site / "site" / "index.html").is_file()
