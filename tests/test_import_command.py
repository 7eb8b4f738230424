"""`briefgen import` of single articles, end to end from the command line to the built site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BASIC_CONFIG, run_cli, write_site
from helpers import soup

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_a45e4b41f9898884.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def site(tmp_path) -> Path:
    return write_site(tmp_path / "site", {"briefgen.yaml": BASIC_CONFIG + "actors:\n  Gustavo Petro: [Petro]\n",
                                          "content/.keep": ""})


def records(site: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((site / "site/api/briefings").glob("*.json"))]


@pytest.mark.skipif(not SEED.is_file(), reason=f"the seed article is not at {SEED}")
def test_the_seed_imports_verbatim_into_a_four_section_briefing(site):
    result = run_cli("import", str(SEED), cwd=site)
    assert result.exit_code == 0, result.output
    built = run_cli("build", "--strict", cwd=site)
    assert built.exit_code == 0, built.output
    [record] = records(site)
    assert record["date"].startswith("2025-11-30")
    assert set(record["sections"]) == {"context", "escalation", "reactions", "impact"}
    assert any(q["speaker"] == "Gustavo Petro" and q["text"].startswith("I would like to know")
               for q in record["quotes"])
    page = soup(site / "site/briefings" / record["slug"] / "index.html").get_text()
    assert "Go up" not in page and "mins read" not in page


def test_text_and_html_articles_import_and_build(site):
    sources = [FIXTURES / "text", FIXTURES / "html/news_full.html"]
    result = run_cli("import", *map(str, sources), cwd=site)
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output  # the text fixture with only a title is skipped, with its reason
    built = run_cli("build", "--future", cwd=site)  # the undated article takes the file's date: today
    assert built.exit_code == 0, built.output
    titles = {record["title"] for record in records(site)}
    assert len(titles) >= 8
    html_record = next(r for r in records(site) if r["sources"] and r["sources"][0]["url"].startswith("https://"))
    assert html_record["sections"] or html_record["lead"]


def test_a_page_that_cannot_be_fetched_is_skipped_with_the_reason(site):
    result = run_cli("import", "http://127.0.0.1:9/story.html", cwd=site)
    assert result.exit_code == 1
    assert "could not fetch it" in result.output and "save the page from a browser" in result.output
    assert "Traceback" not in result.output


def test_unknown_source_kind_is_refused(site):
    result = run_cli("import", "--from", "wordpress", "x.xml", cwd=site)
    assert result.exit_code == 2 and "wordpress" in result.output
