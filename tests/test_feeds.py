"""Feeds read back the way feed readers and validators meet them: feedparser, RFC 4287, JSON Feed 1.1."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
from lxml import etree

from conftest import BASIC_CONFIG, EXAMPLE_BASE, briefing, run_cli, write_site
from helpers import local_target, soup, tree

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = EXAMPLE_BASE


def build(site: Path, *args: str) -> Path:
    result = run_cli("build", *args, cwd=site)
    assert result.exit_code == 0, result.output
    return site / "site"


def all_feeds(output: Path, name: str) -> list[Path]:
    return sorted(output.rglob(name))


@pytest.fixture
def example(example_output) -> Path:
    return example_output


def test_site_tag_and_region_feeds_exist_in_three_formats(example):
    folders = {p.parent.relative_to(example).as_posix() for p in example.rglob("feed.xml")}
    assert "." in folders
    assert {f for f in folders if f.startswith("tags/")} == {
        p.parent.relative_to(example).as_posix() for p in (example / "tags").glob("*/index.html")}
    assert {f for f in folders if f.startswith("regions/")} == {
        p.parent.relative_to(example).as_posix() for p in (example / "regions").glob("*/index.html")}
    for folder in folders:
        for name in ("feed.xml", "atom.xml", "feed.json"):
            assert (example / folder / name).is_file(), (folder, name)


def test_every_xml_feed_parses_without_bozo_newest_first(example):
    feeds = all_feeds(example, "feed.xml") + all_feeds(example, "atom.xml")
    assert len(feeds) > 20
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.entries or path.parent.name == "corrections", path  # a language may have no correction yet
        published = [e.published_parsed for e in feed.entries]
        assert published == sorted(published, reverse=True), path


def test_every_item_link_resolves_to_a_generated_page(example):
    for path in all_feeds(example, "feed.xml") + all_feeds(example, "atom.xml"):
        for entry in feedparser.parse(path.read_bytes()).entries:
            assert entry.link.startswith(BASE)
            assert local_target(example, "/briefings-demo/", entry.link.removeprefix("https://user.github.io")).is_file()
    for path in all_feeds(example, "feed.json"):
        for item in json.loads(path.read_text())["items"]:
            assert local_target(example, "/briefings-demo/", item["url"].removeprefix("https://user.github.io")).is_file()


def test_atom_has_rfc4287_required_elements(example):
    for path in all_feeds(example, "atom.xml"):
        feed = etree.parse(str(path)).getroot()
        assert feed.tag == ATOM + "feed"
        for required in ("id", "title", "updated", "author"):
            assert feed.find(ATOM + required) is not None, (path, required)
        selfs = [l.get("href") for l in feed.findall(ATOM + "link") if l.get("rel") == "self"]
        assert selfs == [BASE + quote(path.relative_to(example).as_posix())]
        for entry in feed.findall(ATOM + "entry"):
            for required in ("id", "title", "updated"):
                assert entry.find(ATOM + required) is not None, (path, required)
            assert any(l.get("rel", "alternate") == "alternate" for l in entry.findall(ATOM + "link"))
            content = entry.find(ATOM + "content")
            assert content is not None and content.get("type") == "html"
            assert entry.find(ATOM + "summary") is not None


def test_rss_has_self_link_and_channel_elements(example):
    for path in all_feeds(example, "feed.xml"):
        channel = etree.parse(str(path)).getroot().find("channel")
        for required in ("title", "link", "description", "language", "generator", "lastBuildDate"):
            assert channel.find(required) is not None, (path, required)
        self_link = channel.find(ATOM + "link")
        assert self_link.get("rel") == "self" and self_link.get("href") == BASE + quote(path.relative_to(example).as_posix())
        for item in channel.findall("item"):
            assert item.find("guid") is not None and item.find("pubDate") is not None
            assert item.findall("category")


def test_json_feed_1_1_required_fields(example):
    for path in all_feeds(example, "feed.json"):
        feed = json.loads(path.read_text())
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"] and feed["feed_url"] == BASE + quote(path.relative_to(example).as_posix())
        assert feed["home_page_url"].startswith(BASE)
        ids = [item["id"] for item in feed["items"]]
        assert len(ids) == len(set(ids)) and (ids or path.parent.name == "corrections")
        for item in feed["items"]:
            assert isinstance(item["id"], str) and item["content_html"]
            datetime.fromisoformat(item["date_published"])
        dates = [datetime.fromisoformat(i["date_published"]) for i in feed["items"]]
        assert dates == sorted(dates, reverse=True)


def test_full_content_has_the_structured_parts_and_absolute_urls(example):
    entry = next(e for e in feedparser.parse((example / "atom.xml").read_bytes()).entries
                 if e.link.endswith("/us-military-buildup-caribbean/"))
    html = entry.content[0].value
    assert "<h2>Escalation · Reactions: Escalation in the Caribbean and regional reactions</h2>" in html
    assert "<h3>Timeline</h3>" in html and "<h3>Who said what</h3>" in html
    assert "— Pete Hegseth, US Secretary of Defense" in html


def test_relative_urls_in_content_become_absolute(tmp_path):
    body = ('Lead [up](../other/) [root](/tags/) [frag](#impact) <img src="img/a.png" alt="pic">\n\n'
            '<img src="b.png" srcset="b-1x.png 1x, /c-2x.png 2x" alt="">\n\n## Context\n\nText.\n')
    images = {f"static/{name}": "x" for name in
              ("briefings/a/img/a.png", "briefings/a/b.png", "briefings/a/b-1x.png", "c-2x.png")}
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/a.md": briefing("A", "2025-11-01", body=body),
                          "content/other.md": briefing("Other", "2025-10-01"), **images})
    out = build(tmp_path)
    page = "https://example.org/demo/briefings/a/"
    atom = etree.parse(str(out / "atom.xml")).getroot().find(f"{ATOM}entry/{ATOM}content").text
    rss = etree.parse(str(out / "feed.xml")).getroot().find(
        "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded").text
    for html in (atom, rss):  # read raw: feedparser's sanitizer would drop srcset
        assert 'href="https://example.org/demo/briefings/other/"' in html
        assert 'href="https://example.org/demo/tags/"' in html  # root-relative in content = site root
        assert f'href="{page}#impact"' in html
        assert f'src="{page}img/a.png"' in html
        assert f'srcset="{page}b-1x.png 1x, https://example.org/demo/c-2x.png 2x"' in html
    item = json.loads((out / "feed.json").read_text())["items"][0]
    assert f'src="{page}img/a.png"' in item["content_html"]


def test_identical_files_under_two_names_each_link_to_their_own_page(tmp_path):
    text = briefing("Twin", "2025-11-01", body="Lead [impact](#impact).\n\n## Impact\n\nText.\n")
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/left.md": text, "content/right.md": text})
    out = build(tmp_path)
    for entry in feedparser.parse(str(out / "atom.xml")).entries:
        assert f'href="{entry.link}#impact"' in entry.content[0].value


def test_the_same_instant_in_all_three_formats(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG,
                          "content/a.md": briefing("Early", "2025-11-29T00:30:00+05:00")})
    out = build(tmp_path)
    instant = datetime(2025, 11, 28, 19, 30, tzinfo=timezone.utc)
    rss = feedparser.parse((out / "feed.xml").read_bytes()).entries[0]
    atom = feedparser.parse((out / "atom.xml").read_bytes()).entries[0]
    assert datetime(*rss.published_parsed[:6], tzinfo=timezone.utc) == instant
    assert datetime(*atom.published_parsed[:6], tzinfo=timezone.utc) == instant
    pub_date = etree.parse(str(out / "feed.xml")).getroot().find("channel/item/pubDate").text
    assert pub_date == "Fri, 28 Nov 2025 20:30:00 +0100"  # the site's time zone, Europe/Madrid
    item = json.loads((out / "feed.json").read_text())["items"][0]
    assert datetime.fromisoformat(item["date_published"]) == instant
    assert item["date_published"] == "2025-11-28T20:30:00+01:00"


def test_drafts_and_future_briefings_never_reach_a_feed(small_site):
    out = build(small_site, "--drafts", "--future")
    assert (out / "briefings/draft/index.html").is_file()
    for path in list(out.rglob("feed.xml")) + list(out.rglob("atom.xml")) + list(out.rglob("feed.json")):
        text = path.read_text()
        assert "A draft" not in text and "From the future" not in text, path


def test_feed_dates_come_from_the_briefings_not_the_clock(small_site):
    out = build(small_site)
    assert feedparser.parse((out / "feed.xml").read_bytes()).feed.updated == "Sun, 30 Nov 2025 00:00:00 +0100"
    assert feedparser.parse((out / "atom.xml").read_bytes()).feed.updated == "2025-11-30T00:00:00+01:00"


def test_two_builds_give_identical_feed_bytes(small_site, tmp_path):
    first = build(small_site, "--output", str(tmp_path / "one")).parent / "one"
    second = build(small_site, "--output", str(tmp_path / "two")).parent / "two"
    feeds = {k: v for k, v in tree(first).items() if k.endswith(("feed.xml", "atom.xml", "feed.json"))}
    assert feeds and feeds == {k: v for k, v in tree(second).items() if k in feeds}


def test_editing_an_article_keeps_its_id_and_updated_moves(small_site):
    out = build(small_site)
    before = feedparser.parse((out / "atom.xml").read_bytes()).entries
    path = small_site / "content/2025-11-29-airspace.md"
    path.write_text(path.read_text().replace("title: 'Airspace declared closed'",
                                             "title: 'Airspace closed'\nupdated: 2025-12-01T09:00:00")
                    + "\nA correction.\n")
    after = feedparser.parse((build(small_site) / "atom.xml").read_bytes()).entries
    old = next(e for e in before if e.title == "Airspace declared closed")
    new = next(e for e in after if e.title == "Airspace closed")
    assert new.id == old.id
    assert new.published == old.published and new.updated == "2025-12-01T09:00:00+01:00" != old.updated


def test_front_matter_id_keeps_identity_across_a_slug_change(small_site):
    path = small_site / "content/2025-11-30-call.md"
    path.write_text(path.read_text().replace("date:", "id: urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427\ndate:"))
    out = build(small_site)
    entry = next(e for e in feedparser.parse((out / "feed.xml").read_bytes()).entries if e.title == "The phone call")
    assert entry.id == "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    assert entry.link == "https://example.org/demo/briefings/call/"


def test_limit_summary_mode_icon_and_logo(small_site):
    (small_site / "briefgen.yaml").write_text(BASIC_CONFIG + "feeds:\n  limit: 2\n  content: summary\n"
                                              "  icon: icon.png\n  logo: https://cdn.example.org/logo.png\n")
    write_site(small_site, {"static/icon.png": "png"})
    out = build(small_site)
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    assert len(atom.entries) == 2
    content = atom.entries[0].content[0].value
    assert content.startswith("<p>") and "Some context" not in content  # the summary, not the briefing
    assert atom.feed.icon == "https://example.org/demo/icon.png"
    assert atom.feed.logo == "https://cdn.example.org/logo.png"
    json_feed = json.loads((out / "feed.json").read_text())
    assert json_feed["favicon"] == "https://example.org/demo/icon.png"
    assert "Some context" not in json_feed["items"][0]["content_html"]
    rss = etree.parse(str(out / "feed.xml")).getroot()
    assert rss.find("channel/image/url").text == "https://cdn.example.org/logo.png"


def test_term_feeds_carry_summaries_unless_asked_for_whole_briefings(small_site):
    out = build(small_site)
    site_entry = feedparser.parse((out / "atom.xml").read_bytes()).entries[0]
    tag_entry = feedparser.parse((out / "tags/diplomacy/atom.xml").read_bytes()).entries[0]
    assert "Some context" in site_entry.content[0].value
    assert "Some context" not in tag_entry.content[0].value and tag_entry.summary
    (small_site / "briefgen.yaml").write_text(BASIC_CONFIG + "feeds:\n  term_content: full\n")
    out = build(small_site)
    tag_entry = feedparser.parse((out / "tags/diplomacy/atom.xml").read_bytes()).entries[0]
    assert "Some context" in tag_entry.content[0].value


def test_term_feeds_have_their_own_limit(small_site):
    (small_site / "briefgen.yaml").write_text(BASIC_CONFIG + "feeds:\n  limit: 3\n  term_limit: 1\n")
    out = build(small_site)
    assert len(feedparser.parse((out / "atom.xml").read_bytes()).entries) == 3
    for feed in out.glob("*/*/atom.xml"):  # every tag, region, actor and story
        assert len(feedparser.parse(feed.read_bytes()).entries) == 1, feed
    assert json.loads((out / "tags/diplomacy/feed.json").read_text())["items"][0]["id"]


def test_pages_advertise_their_feeds(example):
    tag_page = soup(example / "tags/airspace/index.html")
    alternates = [(l["type"], l["href"]) for l in tag_page.find_all("link", rel="alternate")]
    assert ("application/rss+xml", "/briefings-demo/tags/airspace/feed.xml") in alternates
    assert ("application/atom+xml", "/briefings-demo/tags/airspace/atom.xml") in alternates
    assert ("application/feed+json", "/briefings-demo/tags/airspace/feed.json") in alternates
    assert ("application/rss+xml", "/briefings-demo/feed.xml") in alternates
    visible = [a["href"] for a in tag_page.select("main a[type]")]
    assert visible == ["/briefings-demo/tags/airspace/feed.xml", "/briefings-demo/tags/airspace/atom.xml",
                       "/briefings-demo/tags/airspace/feed.json"]
    home = soup(example / "index.html")
    assert [a["href"] for a in home.select("footer a[type]")] == [
        "/briefings-demo/feed.xml", "/briefings-demo/atom.xml", "/briefings-demo/feed.json"]
    for link in home.find_all("link", rel="alternate"):
        assert local_target(example, "/briefings-demo/", link["href"]).is_file()
