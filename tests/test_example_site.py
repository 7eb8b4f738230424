"""The repository's own example site: every briefing, tag page and feed, under a GitHub Pages sub-path."""

from __future__ import annotations

import feedparser

from conftest import EXAMPLE_BASE as BASE
from conftest import REPO
from helpers import internal_urls, local_target, page_path, soup


def test_example_site_has_enough_briefings_with_every_part(example_output):
    sources = sorted((REPO / "content").glob("*.md"))
    assert len(sources) >= 6
    pages = sorted(example_output.glob("**/briefings/*/index.html"))  # every language's folder
    assert len(pages) == len(sources)
    for page_file in pages:
        page = soup(page_file)
        assert len(page.select("section.briefing__section")) >= 3, page_file
        assert page.select(".sources li"), page_file
        assert page.select(".briefing__footer .tags a"), page_file
        assert page.find("blockquote") or "said" in page.get_text(), page_file


def test_example_site_links_stay_under_the_sub_path(example_output):
    for html in example_output.rglob("*.html"):
        for url in internal_urls(soup(html)):
            target = local_target(example_output, "/briefings-demo/", url,
                                  page_path(example_output, "/briefings-demo/", html))
            assert target is not None and target.is_file(), f"{html}: {url}"


def test_example_site_feeds(example_output):
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((example_output / name).read_bytes())
        assert not feed.bozo
        assert len(feed.entries) == len(list((example_output / "briefings").iterdir()))
        for entry in feed.entries:
            assert entry.link.startswith(BASE)
            assert local_target(example_output, "/briefings-demo/", entry.link.removeprefix("https://user.github.io")).is_file()


def test_example_site_tag_pages(example_output):
    tags = soup(example_output / "tags/index.html").select(".term-list a")
    assert len(tags) >= 5
    for link in tags:
        target = local_target(example_output, "/briefings-demo/", link["href"])
        assert soup(target).select(".card"), link["href"]
