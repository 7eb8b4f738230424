"""The Google News sitemap (the last two days before the build's "now"), lead images in sitemap.xml, robots.txt,
and the WebSub hubs every feed names."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
from conftest import BASIC_CONFIG, briefing, image_bytes, run_cli, write_site

from briefgen.model import Briefing, Site
from briefgen.sitemaps import NEWS_LIMIT, news_briefings, news_language

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "image": "http://www.google.com/schemas/sitemap-image/1.1"}
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # the tests' SOURCE_DATE_EPOCH
BODY = "Lead.\n\n## Context\n\nSome context.\n"


def news_site(root: Path, config: str = 'news_sitemap: {name: "The Test Desk"}\n') -> Path:
    return write_site(root, {
        "briefgen.yaml": BASIC_CONFIG + config,
        "content/old.md": briefing("Three days old", "2025-12-29T00:30:00", BODY),  # Madrid time: 2025-12-28 23:30 UTC
        "content/edge.md": briefing("Just inside", "2025-12-30T01:00:01", BODY),  # 2025-12-30 00:00:01 UTC
        "content/recent.md": briefing("Yesterday", "2025-12-31T12:00:00", BODY, lang="es"),
        "content/draft.md": briefing("A draft", "2025-12-31T13:00:00", BODY, draft="true"),
        "content/future.md": briefing("Tomorrow", "2026-01-02T09:00:00", BODY),
    })


def build(root: Path, *args: str) -> Path:
    result = run_cli("build", *args, cwd=root)
    assert result.exit_code == 0, result.output
    return root / "site"


def news_entries(site: Path) -> list[dict[str, str]]:
    root = ET.parse(site / "news-sitemap.xml").getroot()
    return [{"loc": url.findtext("s:loc", namespaces=NS),
             "name": url.findtext("news:news/news:publication/news:name", namespaces=NS),
             "language": url.findtext("news:news/news:publication/news:language", namespaces=NS),
             "date": url.findtext("news:news/news:publication_date", namespaces=NS),
             "title": url.findtext("news:news/news:title", namespaces=NS)} for url in root.findall("s:url", NS)]


def test_the_news_sitemap_lists_exactly_the_last_two_days(tmp_path):
    site = build(news_site(tmp_path))
    assert news_entries(site) == [
        {"loc": "https://example.org/demo/briefings/recent/", "name": "The Test Desk", "language": "es",
         "date": "2025-12-31T12:00:00+01:00", "title": "Yesterday"},
        {"loc": "https://example.org/demo/briefings/edge/", "name": "The Test Desk", "language": "en",
         "date": "2025-12-30T01:00:01+01:00", "title": "Just inside"}]
    robots = (site / "robots.txt").read_text()
    assert "Sitemap: https://example.org/demo/news-sitemap.xml" in robots
    assert "Sitemap: https://example.org/demo/sitemap.xml" in robots


def test_a_later_build_moves_the_window_even_when_no_file_changed(tmp_path, monkeypatch):
    root = news_site(tmp_path)
    build(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int((NOW + dt.timedelta(hours=1)).timestamp())))
    site = build(root)  # "Just inside" is now older than two days, "Tomorrow" not yet out
    assert [e["title"] for e in news_entries(site)] == ["Yesterday"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int((NOW + dt.timedelta(days=1, hours=9)).timestamp())))
    site = build(root)
    assert [e["title"] for e in news_entries(site)] == ["Tomorrow", "Yesterday"]


def test_the_news_sitemap_is_opt_in_and_true_names_it_after_the_site(tmp_path):
    site = build(news_site(tmp_path, config=""))
    assert not (site / "news-sitemap.xml").exists()
    assert "news-sitemap" not in (site / "robots.txt").read_text()
    site = build(news_site(tmp_path, config="news_sitemap: true\n"))
    assert {e["name"] for e in news_entries(site)} == {"Test Briefings"}


def test_a_bad_news_sitemap_setting_is_an_error_at_its_line(tmp_path):
    result = run_cli("build", cwd=news_site(tmp_path, config="news_sitemap: {title: X}\n"))
    assert result.exit_code == 1 and "briefgen.yaml:7:15: news_sitemap: expected `{name: …}`" in result.output


def test_at_most_a_thousand_newest_first():
    start = NOW - dt.timedelta(days=1)
    briefings = tuple(Briefing(source=f"{n}.md", slug=f"b{n}", guid=None, title=str(n),
                               date=start + dt.timedelta(seconds=n), updated=None, summary="", lead_html="",
                               lead_text="", sections=(), toc=(), word_count=0) for n in range(NEWS_LIMIT + 5))
    newest = tuple(sorted(briefings, key=lambda b: -b.timestamp))
    site = Site(briefings=newest, taxonomies=(), archive=(), syndicated=frozenset(b.slug for b in briefings))
    listed = news_briefings(site, NOW)
    assert len(listed) == NEWS_LIMIT and listed[0].slug == f"b{NEWS_LIMIT + 4}" and listed[-1].slug == "b5"


def test_news_languages_are_iso_639_with_google_chinese():
    assert [news_language(t) for t in ("en", "pt-BR", "zh-Hant", "zh-TW", "zh", "zh-Hans-CN")] == [
        "en", "pt", "zh-tw", "zh-tw", "zh-cn", "zh-cn"]


def test_sitemap_names_each_lead_image(tmp_path):
    root = write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG,
                                 "content/a.md": briefing("With a photo", "2025-11-29", BODY,
                                                          image="{src: photo.png, alt: A red square}"),
                                 "content/b.md": briefing("Without", "2025-11-28", BODY)})
    (root / "content/photo.png").write_bytes(image_bytes((900, 600)))
    site = build(root)
    urls = {u.findtext("s:loc", namespaces=NS): u.findtext("image:image/image:loc", namespaces=NS)
            for u in ET.parse(site / "sitemap.xml").getroot().findall("s:url", NS)}
    image = urls["https://example.org/demo/briefings/a/"]
    assert image.startswith("https://example.org/demo/images/") and (site / image.split("/demo/")[1]).is_file()
    assert urls["https://example.org/demo/briefings/b/"] is None


def test_every_feed_names_the_websub_hubs(tmp_path):
    hubs = ["https://hub.example/", "https://other.example/websub"]
    root = news_site(tmp_path, config=f"websub: {{hubs: [{', '.join(hubs)}]}}\n")
    site = build(root)
    feeds = [p for p in site.rglob("*") if p.name in ("feed.xml", "atom.xml", "feed.json")]
    assert len(feeds) >= 6  # the site's and the corrections' at least
    for path in feeds:
        if path.name == "feed.json":
            assert json.loads(path.read_text())["hubs"] == [{"type": "WebSub", "url": hub} for hub in hubs]
            continue
        feed = feedparser.parse(str(path))
        assert not feed.bozo, (path, feed.bozo_exception)
        links = {(link["rel"], link["href"]) for link in feed.feed.links}
        assert {("hub", hub) for hub in hubs} <= links and ("self", f"https://example.org/demo/"
                                                           f"{path.relative_to(site).as_posix()}") in links
    assert "hub" not in (build(news_site(tmp_path, config="")) / "feed.xml").read_text()


def test_a_hub_must_be_an_absolute_url(tmp_path):
    result = run_cli("build", cwd=news_site(tmp_path, config="websub: {hubs: [hub.example]}\n"))
    assert result.exit_code == 1 and "websub.hubs[0]: 'hub.example' is not an absolute http(s) URL" in result.output
