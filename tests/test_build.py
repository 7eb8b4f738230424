"""End-to-end builds of small sites, checked by parsing the generated HTML."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from conftest import BASIC_CONFIG, briefing, run_cli, write_site
from helpers import internal_urls, local_target, page_path, soup, tree


def build(site: Path, *args: str):
    result = run_cli("build", *args, cwd=site)
    assert result.exit_code == 0, result.output
    return site / "site"


def titles(page) -> list[str]:
    return [h.get_text(strip=True) for h in page.select(".card__title")]


def test_builds_every_page_type(small_site):
    out = build(small_site)
    for relative in ["index.html", "page/2/index.html", "briefings/airspace/index.html", "briefings/call/index.html",
                     "briefings/background/index.html", "tags/index.html", "tags/united-states/index.html",
                     "archive/index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll", "feed.xml",
                     "atom.xml"]:
        assert (out / relative).is_file(), relative


def test_home_is_newest_first_and_paginated(small_site):
    out = build(small_site)
    assert titles(soup(out / "index.html")) == ["The phone call", "Airspace declared closed"]
    page2 = soup(out / "page/2/index.html")
    assert titles(page2) == ["Background"]
    assert page2.find("a", rel="prev")["href"] == "/demo/"
    assert soup(out / "index.html").find("a", rel="next")["href"] == "/demo/page/2/"


def test_drafts_and_future_briefings_are_left_out_unless_asked(small_site):
    out = build(small_site)
    assert not (out / "briefings/draft").exists()
    assert not (out / "briefings/future").exists()
    out = build(small_site, "--drafts", "--future")
    assert (out / "briefings/draft/index.html").is_file()
    assert (out / "briefings/future/index.html").is_file()


def test_briefing_page_structure(small_site):
    page = soup(build(small_site) / "briefings/airspace/index.html")
    assert page.find("h1").get_text() == "Airspace declared closed"
    assert page.html["lang"] == "en"
    assert [s["aria-labelledby"] for s in page.select("section.briefing__section")] == ["context", "impact"]
    assert [a["href"] for a in page.select("nav.toc a")] == ["#context", "#impact"]
    published = page.find("time")
    assert published["datetime"] == "2025-11-29T18:30:00+01:00"
    assert published.get_text() == "29 November 2025, 18:30 CET"  # given with a time: shown with it
    assert page.find("link", rel="canonical")["href"] == "https://example.org/demo/briefings/airspace/"
    assert [a.get_text() for a in page.select(".briefing__footer .tags a")] == ["airspace", "United States"]


def test_tags_differing_only_in_case_are_one_tag(small_site):
    out = build(small_site)
    tag_page = soup(out / "tags/united-states/index.html")
    assert titles(tag_page) == ["The phone call", "Airspace declared closed"]
    names = [a.get_text() for a in soup(out / "tags/index.html").select(".term-list a")]
    assert names == ["airspace", "diplomacy", "sanctions", "United States"]


def test_archive_groups_by_month_in_site_time_zone(small_site):
    out = build(small_site)
    page = soup(out / "archive/index.html")
    months = [h.a.get_text() for h in page.select(".archive-month h2")]
    assert months == ["November 2025", "September 2025"]
    assert [h.a["href"] for h in page.select(".archive-month h2")] == ["/demo/archive/2025/11/", "/demo/archive/2025/09/"]
    month = soup(out / "archive/2025/11/index.html")
    assert [a.get_text() for a in month.select(".archive-list a")] == ["The phone call", "Airspace declared closed"]


def test_every_internal_link_resolves_under_the_sub_path(small_site):
    write_site(small_site, {"content/other.md": briefing("Other", "2025-10-01")})
    out = build(small_site)
    checked = 0
    for html in out.rglob("*.html"):
        for url in internal_urls(soup(html)):
            target = local_target(out, "/demo/", url, page_path(out, "/demo/", html))
            assert target is not None, f"{html}: {url} leaves /demo/"
            assert target.is_file(), f"{html}: {url} is missing"
            checked += 1
    assert checked > 50


def test_base_url_option_moves_every_link(small_site):
    out = build(small_site, "--base-url", "https://user.github.io/other-repo/")
    page = soup(out / "index.html")
    assert all(url.startswith("/other-repo/") for url in internal_urls(page))
    assert "https://user.github.io/other-repo/sitemap.xml" in (out / "robots.txt").read_text()


def test_static_files_are_fingerprinted(small_site):
    out = build(small_site)
    href = soup(out / "index.html").find("link", rel="stylesheet")["href"]
    path, version = re.fullmatch(r"/demo/(static/style\.css)\?v=(\w+)", href).groups()
    assert hashlib.sha256((out / path).read_bytes()).hexdigest().startswith(version)


def test_sitemap_and_robots(small_site):
    out = build(small_site)
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://example.org/demo/briefings/call/</loc>" in sitemap
    assert "draft" not in sitemap
    assert (out / "robots.txt").read_text().endswith("Sitemap: https://example.org/demo/sitemap.xml\n")


def test_two_builds_are_byte_identical(small_site, tmp_path):
    first = tree(build(small_site, "--output", str(tmp_path / "one")).parent / "one")
    second = tree(build(small_site, "--output", str(tmp_path / "two")).parent / "two")
    assert first == second
    assert len(first) > 10


def test_failed_build_keeps_the_previous_site(small_site):
    out = build(small_site)
    before = tree(out)
    (small_site / "content/broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = run_cli("build", cwd=small_site)
    assert result.exit_code == 1
    assert tree(out) == before
    assert sorted(p.name for p in small_site.iterdir()) == [".briefgen-cache", ".site.briefgen-lock", "briefgen.yaml",
                                                             "content", "site"]


def test_refuses_an_output_folder_with_foreign_files(small_site):
    foreign = small_site / "mine"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious")
    result = run_cli("build", "--output", str(foreign), cwd=small_site)
    assert result.exit_code == 1
    assert "not empty and was not made by briefgen" in result.output
    assert (foreign / "thesis.docx").read_text() == "precious"


def test_refuses_the_site_folder_itself_as_output(small_site):
    result = run_cli("build", "--output", str(small_site), cwd=small_site)
    assert result.exit_code == 1
    assert "would replace" in result.output
    assert (small_site / "content").is_dir()


def test_site_templates_override_and_extend_the_default_theme(small_site):
    write_site(small_site, {"templates/base.html": """\
        {% extends "default/base.html" %}
        {% block head %}<meta name="x-custom" content="yes">{% endblock %}
        """})
    page = soup(build(small_site) / "index.html")
    assert page.find("meta", attrs={"name": "x-custom"})["content"] == "yes"
    assert page.find("main") is not None


def test_site_static_folder_is_copied_to_the_root(small_site):
    write_site(small_site, {"static/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    assert (build(small_site) / "favicon.svg").is_file()


def test_empty_site_builds(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/.keep": ""})
    out = build(tmp_path)
    assert "No briefings" in soup(out / "index.html").get_text()


def test_headings_only_h1_become_sections(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/a.md": briefing(
        "H1 article", "2025-11-01", body="Intro.\n\n# Background\n\nOne.\n\n# Outlook\n\nTwo.\n")})
    page = soup(build(tmp_path) / "briefings/a/index.html")
    assert [h.get_text() for h in page.select("section.briefing__section h2")] == ["Background", "Outlook"]


def test_a_briefing_kept_in_a_folder_takes_the_folder_name(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG,
                          "content/2026-04-02-harbour-fire/index.md": briefing("Harbour fire", "2026-04-02"),
                          "content/2026-04-02-harbour-fire/notes.txt": "not a briefing",
                          "content/index.md": briefing("Top", "2026-04-01")})
    assert run_cli("build", "--future", cwd=tmp_path).exit_code == 0
    assert (tmp_path / "site/briefings/harbour-fire/index.html").is_file()
    assert (tmp_path / "site/briefings/index/index.html").is_file()  # not in a folder of its own: its file name
    (tmp_path / "content/2026-04-02-harbour-fire/index.md").write_text(briefing("Harbour fire, update", "2026-04-02"))
    assert run_cli("build", "--future", cwd=tmp_path).exit_code == 0
    assert "Harbour fire, update" in (tmp_path / "site/briefings/harbour-fire/index.html").read_text()
