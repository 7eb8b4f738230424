"""The structured briefing as readers and programs meet it: the page, its JSON-LD, and the JSON API."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from briefgen.api import SCHEMA_FILES, SCHEMAS
from conftest import BASIC_CONFIG, EXAMPLE_BASE, briefing, run_cli, write_site
from helpers import soup

BASE = EXAMPLE_BASE


@pytest.fixture
def example(example_output):
    return example_output


def validator(name: str) -> Draft202012Validator:
    schemas = {n: json.loads((SCHEMAS / n).read_text()) for n in SCHEMA_FILES}
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return Draft202012Validator(schemas[name], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_every_emitted_json_file_matches_its_schema(example):
    index = json.loads((example / "api/briefings.json").read_text())
    validator("briefings.schema.json").validate(index)
    files = sorted((example / "api/briefings").glob("*.json"))
    assert len(files) == len(index["briefings"]) == 7
    single = validator("briefing.schema.json")
    for path in files:
        single.validate(json.loads(path.read_text()))
    for name in SCHEMA_FILES:
        assert (example / "api/schema" / name).read_bytes() == (SCHEMAS / name).read_bytes()


@pytest.mark.parametrize("index, folder, schema", [("stories", "stories", "story"), ("actors", "actors", "actor")])
def test_story_and_actor_files_match_their_schemas(example, index, folder, schema):
    listed = json.loads((example / f"api/{index}.json").read_text())
    validator(f"{index}.schema.json").validate(listed)
    files = sorted((example / "api" / folder).glob("*.json"))
    assert [p.stem for p in files] == sorted(item["slug"] for item in listed[index]) and files
    single = validator(f"{schema}.schema.json")
    for path in files:
        single.validate(json.loads(path.read_text()))


def test_schema_rejects_a_wrong_document(example):
    record = json.loads(next((example / "api/briefings").glob("*.json")).read_text())
    record["sections"]["context"] = {"headings": []}
    assert list(validator("briefing.schema.json").iter_errors(record))


def test_api_record_content(example):
    record = json.loads((example / "api/briefings/us-military-buildup-caribbean.json").read_text())
    assert record["url"] == BASE + "briefings/us-military-buildup-caribbean/"
    assert record["sections"]["escalation"]["headings"] == ["Escalation in the Caribbean and regional reactions"]
    assert record["sections"]["reactions"]["headings"] == ["Escalation in the Caribbean and regional reactions"]
    assert record["quotes"][0]["speaker"] == "Pete Hegseth"
    assert [e["date"] for e in record["timeline"]] == sorted(e["date"] for e in record["timeline"])
    assert record["reading_time_minutes"] == -(-record["word_count"] // 230)


def test_api_records_carry_html_only_when_asked(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/ports.md": briefing("Ports", "2025-11-01")})
    assert run_cli("build", cwd=tmp_path).exit_code == 0
    record = json.loads((tmp_path / "site/api/briefings/ports.json").read_text())
    assert "html" not in record["lead"] and "html" not in record["sections"]["context"]
    assert record["sections"]["context"]["text"]
    assert (tmp_path / "site/api/briefings/ports.json").read_text().count("\n") == 1  # compact: one line

    (tmp_path / "briefgen.yaml").write_text(BASIC_CONFIG + "api: {html: true}\n")
    assert run_cli("build", cwd=tmp_path).exit_code == 0
    record = json.loads((tmp_path / "site/api/briefings/ports.json").read_text())
    assert record["sections"]["context"]["html"].startswith("<p>")
    validator("briefing.schema.json").validate(record)


def test_briefing_page_shows_the_structure(example):
    page = soup(example / "briefings/us-military-buildup-caribbean/index.html")
    facts = {div.dt.get_text(): div.dd.get_text(" ", strip=True) for div in page.select("dl.facts > div")}
    assert set(facts) >= {"Published", "Reading time", "Status", "Escalation level", "Regions", "Actors"}
    assert facts["Escalation level"] == "3 of 5"
    for anchor in ("context", "escalation", "reactions", "impact", "timeline", "quotes", "sources", "top"):
        assert page.find(id=anchor) is not None, anchor
    assert page.select_one('section[aria-labelledby="escalation"] .section-label').get_text() == "Escalation · Reactions"
    events = page.select(".timeline__event time")
    assert [t["datetime"] for t in events] == sorted(t["datetime"] for t in events) and len(events) == 5
    card = page.select_one(".quote-card")
    assert card.select_one(".quote-card__speaker").get_text() == "Pete Hegseth"
    assert card.select_one(".quote-card__role").get_text() == "US Secretary of Defense"
    assert [li["id"] for li in page.select(".sources li")][:2] == ["source-1", "source-2"]
    assert page.select_one("a.back-to-top")["href"] == "#top"


def test_dated_lists_move_into_the_timeline(example):
    page = soup(example / "briefings/venezuelan-airspace-closed/index.html")
    escalation = page.select_one('section[aria-labelledby="escalation"]')
    assert not [li for li in escalation.select("li") if li.get_text().startswith("2025-")]
    timeline = page.select_one("section.timeline")
    assert escalation.find_next_sibling("section") is timeline


def test_json_ld_news_article(example):
    page = soup(example / "briefings/trump-maduro-phone-call/index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == page.find("h1").get_text()
    assert data["datePublished"].startswith("2025-11-30")
    assert data["url"] == BASE + "briefings/trump-maduro-phone-call/"


def test_missing_sections_warn_and_strict_fails(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG,
                          "content/a.md": briefing("Only context", "2025-11-01")})
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 0
    assert "warning: content/a.md: sections: missing escalation, reactions, impact — add a heading" in result.output
    strict = run_cli("build", "--strict", cwd=tmp_path)
    assert strict.exit_code == 1
    assert "error: content/a.md: sections: missing escalation, reactions, impact" in strict.output


def test_date_and_time_with_zone_between_headline_and_text_and_the_dateline(tmp_path):
    config = BASIC_CONFIG  # in Europe/Madrid
    write_site(tmp_path, {"briefgen.yaml": config,
                          "content/timed.md": briefing("Timed", "2025-11-30T14:05:00-04:00",
                                                       updated="2025-12-01T09:30:00Z",
                                                       dateline='"CARACAS, Venezuela"',
                                                       body="The lead.\n\n## Context\n\nSome context.\n"),
                          "content/day.md": briefing("Day only", "2025-11-29")})
    assert run_cli("build", cwd=tmp_path).exit_code == 0
    page = soup(tmp_path / "site/briefings/timed/index.html")
    header = page.select_one(".briefing__header")
    dates = header.select_one(".briefing__dates")
    assert header.find("h1").find_next("p", class_="briefing__dates") is dates  # after the headline
    assert dates.get_text(" ", strip=True) == \
        "Published 30 November 2025, 19:05 CET · Updated 1 December 2025, 10:30 CET"
    published = dates.find("time")["datetime"]
    article = json.loads(page.find("script", type="application/ld+json").string)
    assert published == "2025-11-30T19:05:00+01:00"
    assert article["datePublished"] == published and article["dateline"] == "CARACAS, Venezuela"
    lead = page.select_one(".briefing__lead p")
    assert lead.get_text().startswith("CARACAS, Venezuela — The lead.")
    assert json.loads((tmp_path / "site/api/briefings/timed.json").read_text())["dateline"] == "CARACAS, Venezuela"

    day = soup(tmp_path / "site/briefings/day/index.html")
    assert day.select_one(".briefing__dates").get_text(" ", strip=True) == "Published 29 November 2025"
    assert "dateline" not in json.loads(day.find("script", type="application/ld+json").string)


def test_a_zone_without_letters_is_shown_as_an_offset_from_utc(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG.replace("Europe/Madrid", "America/Caracas"),
                          "content/x.md": briefing("X", "2025-11-30T14:05:00")})
    assert run_cli("build", cwd=tmp_path).exit_code == 0
    dates = soup(tmp_path / "site/briefings/x/index.html").select_one(".briefing__dates")
    assert dates.get_text(" ", strip=True) == "Published 30 November 2025, 14:05 UTC−4"
    assert dates.find("time")["datetime"] == "2025-11-30T14:05:00-04:00"
