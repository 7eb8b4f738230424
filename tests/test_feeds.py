"""Feeds read back with feedparser, the way a feed reader meets them."""

from __future__ import annotations

import feedparser

from conftest import run_cli
from helpers import local_target


def build(site):
    result = run_cli("build", cwd=site)
    assert result.exit_code == 0, result.output
    return site / "site"


def test_rss_and_atom_parse_cleanly_newest_first(small_site):
    out = build(small_site)
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert [e.title for e in feed.entries] == ["The phone call", "Airspace declared closed", "Background"]
        assert feed.feed.title == "Test Briefings"
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links == [f"https://example.org/demo/{name}"]


def test_every_item_link_resolves_to_a_generated_page(small_site):
    out = build(small_site)
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    for entry in feed.entries:
        assert entry.link.startswith("https://example.org/demo/")
        assert local_target(out, "/demo/", entry.link.removeprefix("https://example.org")).is_file()


def test_full_content_with_absolute_urls(small_site):
    out = build(small_site)
    entry = next(e for e in feedparser.parse((out / "atom.xml").read_bytes()).entries
                 if e.title == "Airspace declared closed")
    html = entry.content[0].value
    assert 'href="https://example.org/demo/briefings/other/"' in html
    assert "<h2" in html and "Impact" in html


def test_feed_dates_come_from_the_briefings_not_the_clock(small_site):
    out = build(small_site)
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    assert rss.feed.updated == "Sun, 30 Nov 2025 00:00:00 +0100"
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    assert atom.feed.updated == "2025-11-30T00:00:00+01:00"


def test_drafts_never_reach_the_feed(small_site):
    out = build(small_site)
    text = (out / "feed.xml").read_text() + (out / "atom.xml").read_text()
    assert "A draft" not in text and "From the future" not in text
