"""Corrections and updates: front matter checks, the page, JSON-LD, feeds, the API, /corrections/ and stories."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import BASIC_CONFIG, briefing, run_cli, write_site
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from briefgen.api import SCHEMA_FILES, SCHEMAS

BASE = "https://example.org/demo/"
BODY = "Lead paragraph.\n\n## Context\n\nSome context.\n\n## Reactions\n\nSome reactions.\n"
CORRECTED = """\
corrections:
  - date: 2025-11-30T12:15:00
    text: An earlier version gave the wrong *day* for the declaration.
updates:
  - date: 2025-11-30T08:00:00
    text: Adds the regional reaction.
  - date: 2025-11-30T10:30:00
    text: Adds the airlines' statements."""


def corrected(serious: bool = False) -> str:
    notes = CORRECTED.replace("declaration.", "declaration.\n    serious: true") if serious else CORRECTED
    return ("---\ntitle: Airspace\ndate: 2025-11-29T18:30:00\nid: urn:x:airspace\nstory: crisis\n"
            f"escalation_level: 4\ntags: [airspace]\n{notes}\n---\n{BODY}")


def make_site(root: Path, airspace: str, policy: str = "") -> Path:
    return write_site(root, {
        "briefgen.yaml": BASIC_CONFIG + (f"corrections_policy: {policy}\n" if policy else ""),
        "content/2025-11-29-airspace.md": airspace,
        "content/2025-11-28-earlier.md": briefing("Earlier", "2025-11-28T09:00:00", BODY, story="crisis",
                                                  escalation_level=2, tags="[airspace]"),
        "content/2025-11-20-other.md": briefing("Other", "2025-11-20T09:00:00", BODY),
    })


def build(root: Path):
    result = run_cli("build", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "site"


def page(site: Path, route: str) -> BeautifulSoup:
    return BeautifulSoup((site / route / "index.html").read_text(encoding="utf-8"), "html.parser")


def json_ld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.select_one('script[type="application/ld+json"]').string)


def test_updates_open_the_briefing_and_corrections_close_it(tmp_path):
    site = build(make_site(tmp_path, corrected(), policy="https://example.org/policy/"))
    soup = page(site, "briefings/airspace")
    body = soup.select_one(".briefing__body")
    blocks = [child for child in body.find_all(recursive=False)]
    assert "amendments--updates" in blocks[0]["class"]  # before the lead
    updates = blocks[0]
    assert updates.find("h2").get_text() == "Updates" and updates["aria-labelledby"] == updates.find("h2")["id"]
    items = [li.get_text(" ", strip=True) for li in updates.select("li")]
    assert items == ["Updated 30 November 2025, 10:30 CET — Adds the airlines' statements.",
                     "Updated 30 November 2025, 08:00 CET — Adds the regional reaction."]  # newest first
    correction = body.select_one(".amendments--corrections")
    assert correction is not None and "amendments--serious" not in correction["class"]
    assert body.find_all(recursive=False).index(correction) > body.find_all(recursive=False).index(
        body.select("section.briefing__section")[-1])  # after the last section
    assert correction.find("strong").get_text() == "Correction"
    assert correction.find("time")["datetime"] == "2025-11-30T12:15:00+01:00"
    assert correction.find("em").get_text() == "day"  # Markdown
    assert correction.select_one(".amendments__policy a")["href"] == "https://example.org/policy/"
    dates = soup.select_one(".briefing__dates")
    assert dates.select("time")[1]["datetime"] == "2025-11-30T12:15:00+01:00"  # the latest change
    assert dates.find("a", href="#corrections").get_text() == "Corrected"


def test_a_serious_correction_comes_first(tmp_path):
    site = build(make_site(tmp_path, corrected(serious=True)))
    body = page(site, "briefings/airspace").select_one(".briefing__body")
    first = body.find_all(recursive=False)[0]
    assert "amendments--corrections" in first["class"] and "amendments--serious" in first["class"]
    assert "amendments--updates" in body.find_all(recursive=False)[1]["class"]


def test_json_ld_carries_each_correction_and_the_latest_change(tmp_path):
    site = build(make_site(tmp_path, corrected(), policy="https://example.org/policy/"))
    article = json_ld(page(site, "briefings/airspace"))
    assert article["dateModified"] == "2025-11-30T12:15:00+01:00"
    assert article["correction"] == [{"@type": "CorrectionComment", "datePublished": "2025-11-30T12:15:00+01:00",
                                      "text": "An earlier version gave the wrong day for the declaration."}]
    assert article["publisher"]["correctionsPolicy"] == article["publisher"]["publishingPrinciples"] \
        == "https://example.org/policy/"


def test_a_policy_inside_the_site_is_linked_and_checked(tmp_path):
    root = make_site(tmp_path, corrected(), policy="/about/corrections/")
    result = run_cli("build", cwd=root)
    assert result.exit_code == 1 and "about/corrections" in result.output  # the link checker finds no page there
    write_site(root, {"static/about/corrections/index.html": "<!doctype html><title>Policy</title>"})
    site = build(root)
    link = page(site, "corrections").select_one(".page-intro a")
    assert link["href"] == "https://example.org/demo/about/corrections/"


def test_feeds_keep_the_entry_id_and_carry_the_change(tmp_path):
    root = make_site(tmp_path, briefing("Airspace", "2025-11-29T18:30:00", BODY, id="urn:x:airspace",
                                        story="crisis", escalation_level=4, tags="[airspace]"))
    site = build(root)
    before = feedparser.parse(str(site / "atom.xml")).entries[0]
    (root / "content/2025-11-29-airspace.md").write_text(corrected(), encoding="utf-8")
    site = build(root)
    for name in ("atom.xml", "feed.xml"):
        feed = feedparser.parse(str(site / name))
        assert not feed.bozo, feed.bozo_exception
        entry = next(e for e in feed.entries if e.id == "urn:x:airspace")
        assert entry.id == before.id
        content = entry.content[0].value
        assert "Correction" in content and "wrong <em>day</em>" in content and "Adds the regional reaction." in content
    rss = ET.parse(site / "feed.xml").getroot()
    item = next(i for i in rss.iter("item") if i.findtext("guid") == "urn:x:airspace")
    assert item.findtext("{http://www.w3.org/2005/Atom}updated") == "2025-11-30T12:15:00+01:00"
    atom = feedparser.parse(str(site / "atom.xml"))
    assert next(e for e in atom.entries if e.id == "urn:x:airspace").updated == "2025-11-30T12:15:00+01:00"
    assert atom.feed.updated == "2025-11-30T12:15:00+01:00"
    item = next(i for i in json.loads((site / "feed.json").read_text())["items"] if i["id"] == "urn:x:airspace")
    assert item["date_modified"] == "2025-11-30T12:15:00+01:00"
    sitemap = (site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/demo/briefings/airspace/</loc><lastmod>2025-11-30T12:15:00+01:00</lastmod>" \
        in sitemap


def test_the_corrections_page_and_feeds_list_every_correction_newest_first(tmp_path):
    other = briefing("Other", "2025-11-20T09:00:00", BODY).replace(
        "---\nLead",
        "corrections:\n  - date: 2025-12-02\n    text: Fixes a name; see the [archive](/archive/).\n---\nLead")
    root = make_site(tmp_path, corrected())
    write_site(root, {"content/2025-11-20-other.md": other})
    site = build(root)
    items = page(site, "corrections").select(".correction-list__item")
    assert [i.select_one("h2 a").get_text() for i in items] == ["Other", "Airspace"]
    assert items[1].select_one("h2 a")["href"] == "/demo/briefings/airspace/#corrections"
    assert items[0].select_one("p a")["href"] == "/demo/archive/"  # root-relative links get the base path
    assert page(site, "briefings/other").select_one(".amendments a")["href"] == "/demo/archive/"
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse(str(site / "corrections" / name))
        assert not feed.bozo, feed.bozo_exception
        assert [e.title for e in feed.entries] == ["Correction: Other", "Correction: Airspace"]
        assert feed.entries[1].id == "urn:x:airspace#correction-1"
        assert feed.entries[1].link == BASE + "briefings/airspace/#corrections"
    data = json.loads((site / "corrections/feed.json").read_text())
    assert [i["id"] for i in data["items"]] == [BASE + "briefings/other/#correction-1", "urn:x:airspace#correction-1"]
    assert f'href="{BASE}archive/"' in data["items"][0]["content_html"]
    assert page(site, "").select_one('footer a[href="/demo/corrections/"]') is not None


def test_a_site_without_corrections_says_so_and_its_feeds_are_valid(tmp_path):
    root = make_site(tmp_path, briefing("Airspace", "2025-11-29T18:30:00", BODY))
    site = build(root)
    assert "No correction has been published" in page(site, "corrections").get_text()
    feed = feedparser.parse(str(site / "corrections/atom.xml"))
    assert not feed.bozo and feed.entries == [] and feed.feed.updated == "2025-11-29T18:30:00+01:00"


def test_api_records_carry_both_lists_and_match_the_schemas(tmp_path):
    site = build(make_site(tmp_path, corrected(serious=True)))
    record = json.loads((site / "api/briefings/airspace.json").read_text())
    assert record["updated"] == record["corrected"] == "2025-11-30T12:15:00+01:00"
    assert record["corrections"] == [{"date": "2025-11-30T12:15:00+01:00", "serious": True,
                                      "text": "An earlier version gave the wrong day for the declaration.",
                                      "html": "An earlier version gave the wrong <em>day</em> for the declaration."}]
    assert [u["text"] for u in record["updates"]] == ["Adds the regional reaction.", "Adds the airlines' statements."]
    schemas = {n: json.loads((SCHEMAS / n).read_text()) for n in SCHEMA_FILES}
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    Draft202012Validator(schemas["briefing.schema.json"], registry=registry).validate(record)
    Draft202012Validator(schemas["briefings.schema.json"], registry=registry).validate(
        json.loads((site / "api/briefings.json").read_text()))


def test_story_pages_show_the_correction_and_the_change_is_not_confused(tmp_path):
    # the older briefing is corrected after the newer one was published: the story's latest and its change hold
    earlier = briefing("Earlier", "2025-11-28T09:00:00", BODY, story="crisis", escalation_level=2).replace(
        "---\nLead", "corrections:\n  - date: 2025-12-05T09:00:00\n    text: Fixes a figure.\n---\nLead")
    root = make_site(tmp_path, briefing("Airspace", "2025-11-29T18:30:00", BODY, story="crisis",
                                        escalation_level=4))
    write_site(root, {"content/2025-11-28-earlier.md": earlier})
    site = build(root)
    story = page(site, "stories/crisis")
    assert story.select_one(".card__corrected")["href"] == "/demo/briefings/earlier/#corrections"
    assert json.loads((site / "api/stories/crisis.json").read_text())["latest"]["slug"] == "airspace"
    change = page(site, "briefings/airspace").select_one(".change")
    assert change is not None and "Escalated" in change.get_text()
    assert json.loads((site / "api/briefings/airspace.json").read_text())["change"] == "escalated"


@pytest.mark.parametrize("entry, where", [
    ("  - date: 2025-11-30\n", "5:5: corrections[0]: `text` is required"),
    ("  - text: Oops.\n", "5:5: corrections[0]: `date` is required"),
    ("  - date: 2025-11-28T10:00:00\n    text: Oops.\n", "5:11: corrections[0].date: dated before the briefing"),
    ("  - date: 2025-11-30\n    text: Oops.\n    by: desk\n", "7:9: corrections[0].by: unknown key"),
    ("  - date: 2025-11-30\n    text: Oops.\n    serious: very\n", "7:14: corrections[0].serious: expected true"),
    ("  - date: yesterday\n    text: Oops.\n", "5:11: corrections[0].date: expected a date"),
])
def test_bad_corrections_are_errors_at_their_line(tmp_path, entry, where):
    text = f"---\ntitle: Airspace\ndate: 2025-11-29T18:30:00\ncorrections:\n{entry}---\n{BODY}"
    result = run_cli("build", cwd=make_site(tmp_path, text))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"content/2025-11-29-airspace.md:{where}" in result.output, result.output


def test_an_update_on_the_day_of_a_date_only_briefing_is_accepted(tmp_path):
    text = ("---\ntitle: Airspace\ndate: 2025-11-29\nupdates:\n  - date: 2025-11-29\n    text: Adds a map.\n"
            "  - date: 2025-11-29T07:00:00\n    text: Adds a quote.\n---\n" + BODY)
    site = build(make_site(tmp_path, text))
    assert [t["datetime"] for t in page(site, "briefings/airspace").select(".amendments--updates time")] == [
        "2025-11-29T07:00:00+01:00", "2025-11-29T00:00:00+01:00"]
