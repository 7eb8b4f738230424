"""Bylines and author pages, as readers, feed readers and programs meet them."""

from __future__ import annotations

import json

import feedparser
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from briefgen.api import SCHEMA_FILES, SCHEMAS
from conftest import BASIC_CONFIG, briefing, run_cli, write_site
from helpers import soup

AUTHORS = """authors:
  ana-souza:
    name: Ana Souza
    job_title: Caribbean correspondent
    bio: Covers the Caribbean.
    same_as: [https://social.example/@ana]
  peter-lindqvist: {name: Peter Lindqvist, email: peter@example.org}
  mei-tanaka: {name: Mei Tanaka}
"""


def build_site(tmp_path, files):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG + AUTHORS, **files})
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return tmp_path / "site"


def test_bylines_name_and_link_every_author_in_order(tmp_path):
    site = build_site(tmp_path, {
        "content/two.md": briefing("Two", "2025-11-29T10:00:00", authors="[ana-souza, peter-lindqvist]"),
        "content/three.md": briefing("Three", "2025-11-28", authors="[mei-tanaka, Ana Souza, Jon Free]"),
        "content/none.md": briefing("None", "2025-11-27")})
    two = soup(site / "briefings/two/index.html").select_one(".briefing__byline")
    assert two.get_text() == "By Ana Souza and Peter Lindqvist"
    assert [a["href"] for a in two.find_all("a")] == ["/demo/authors/ana-souza/", "/demo/authors/peter-lindqvist/"]
    three = soup(site / "briefings/three/index.html").select_one(".briefing__byline")
    assert three.get_text() == "By Mei Tanaka, Ana Souza and Jon Free"  # "Ana Souza" is the configured ana-souza
    assert three.find_all("a")[2]["href"] == "/demo/authors/jon-free/"  # a free name gets its own page
    assert soup(site / "briefings/none/index.html").select_one(".briefing__byline") is None
    card = soup(site / "index.html").find("a", href="/demo/briefings/two/").find_parent("article")
    assert "By Ana Souza and Peter Lindqvist" in card.get_text(" ", strip=True)


def test_author_pages_feeds_and_json_ld(tmp_path):
    site = build_site(tmp_path, {
        "content/two.md": briefing("Two", "2025-11-29T10:00:00", authors="[ana-souza, peter-lindqvist]"),
        "content/free.md": briefing("Free", "2025-11-28", authors="[Jon Free]")})
    index = soup(site / "authors/index.html")
    assert {a.get_text() for a in index.select("main a")} >= {"Ana Souza", "Peter Lindqvist", "Jon Free"}
    page = soup(site / "authors/ana-souza/index.html")
    assert page.select_one(".author__bio").get_text() == "Covers the Caribbean."
    assert page.select_one(".author__job").get_text() == "Caribbean correspondent"
    profile = next(json.loads(s.string) for s in page.find_all("script", type="application/ld+json")
                   if json.loads(s.string)["@type"] == "ProfilePage")
    assert profile["mainEntity"] == {"@type": "Person", "name": "Ana Souza", "jobTitle": "Caribbean correspondent",
                                     "description": "Covers the Caribbean.", "sameAs": ["https://social.example/@ana"],
                                     "url": "https://example.org/demo/authors/ana-souza/"}
    assert page.find("a", href="/demo/briefings/two/")
    for name in ("feed.xml", "atom.xml", "feed.json"):
        assert (site / "authors/jon-free" / name).is_file()
    article = json.loads(soup(site / "briefings/two/index.html").find("script", type="application/ld+json").string)
    assert article["author"] == [
        {"@type": "Person", "name": "Ana Souza", "url": "https://example.org/demo/authors/ana-souza/",
         "jobTitle": "Caribbean correspondent", "sameAs": ["https://social.example/@ana"]},
        {"@type": "Person", "name": "Peter Lindqvist", "url": "https://example.org/demo/authors/peter-lindqvist/"}]
    og = [m["content"] for m in soup(site / "briefings/two/index.html").find_all("meta", property="article:author")]
    assert og == ["https://example.org/demo/authors/ana-souza/", "https://example.org/demo/authors/peter-lindqvist/"]


def test_feeds_and_records_carry_the_authors(tmp_path):
    site = build_site(tmp_path, {
        "content/two.md": briefing("Two", "2025-11-29T10:00:00", authors="[ana-souza, peter-lindqvist]")})
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    assert [a["name"] for a in atom.entries[0].authors] == ["Ana Souza", "Peter Lindqvist"]
    assert atom.entries[0].authors[0]["href"] == "https://example.org/demo/authors/ana-souza/"
    rss = (site / "feed.xml").read_text()
    assert "<dc:creator>Ana Souza</dc:creator>" in rss and "<dc:creator>Peter Lindqvist</dc:creator>" in rss
    assert "<author>peter@example.org (Peter Lindqvist)</author>" in rss  # RSS's author is an email address
    assert "peter@example.org" not in (site / "atom.xml").read_text() + (site / "feed.json").read_text()
    assert not feedparser.parse(rss).bozo
    item = json.loads((site / "feed.json").read_text())["items"][0]
    assert item["authors"] == [{"name": "Ana Souza", "url": "https://example.org/demo/authors/ana-souza/"},
                               {"name": "Peter Lindqvist", "url": "https://example.org/demo/authors/peter-lindqvist/"}]
    record = json.loads((site / "api/briefings/two.json").read_text())
    assert [a["slug"] for a in record["authors"]] == ["ana-souza", "peter-lindqvist"]
    schemas = {n: json.loads((SCHEMAS / n).read_text()) for n in SCHEMA_FILES}
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    Draft202012Validator(schemas["briefing.schema.json"], registry=registry).validate(record)


def test_a_misspelt_author_slug_is_an_error_with_did_you_mean(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG + AUTHORS,
                          "content/a.md": briefing("A", "2025-11-29", authors="\n  - ana-sousa")})
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert "error: content/a.md:5:5: authors: `ana-sousa` is not a configured author — did you mean " \
           "`ana-souza` (Ana Souza)?" in result.output


def test_an_author_without_a_name_is_a_config_error(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG + "authors:\n  ana: {bio: Someone}\n",
                          "content/a.md": briefing("A", "2025-11-29")})
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 1 and "briefgen.yaml" in result.output and "`name:`" in result.output


def test_without_bylines_the_site_signs_its_briefings(tmp_path):
    site = build_site(tmp_path, {"content/a.md": briefing("A", "2025-11-29")})
    assert not (site / "authors").exists()
    article = json.loads(soup(site / "briefings/a/index.html").find("script", type="application/ld+json").string)
    assert article["author"]["@type"] == "Organization"
