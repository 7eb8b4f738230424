"""`briefgen import` on archives of other generators, end to end: the files it writes, their validity, the
report, redirects from old addresses, and a build right after."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path, PurePosixPath

import pytest
import yaml

from briefgen.importers import Skip
from briefgen.importers.archive import ForeignFile, import_foreign, parse_when, split_front_matter
from briefgen.importers.links import old_site_resolver, relink
from conftest import BASIC_CONFIG, image_bytes, run_cli, write_site
from helpers import soup

FALLBACK = dt.date(2020, 1, 1)


def foreign(text: str, path: str = "2024-03-05-harbour-reopens.md", generator: str = "jekyll", root: str = "_posts"):
    return import_foreign(ForeignFile(text, PurePosixPath(path), generator, root), fallback_date=FALLBACK)


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


# ---- one file ------------------------------------------------------------------------------------------------


def test_jekyll_post_maps_keys_and_keeps_the_rest_under_extra():
    article = foreign("---\nlayout: post\ntitle: Harbour &amp; port reopen\ncategories: shipping trade\n"
                      "tags: [ports]\nexcerpt: Ships return after a week.\nauthor: Ana\nweight: 3\n---\n"
                      "The harbour reopened on Tuesday.\n")
    front = article.front_matter
    assert front["title"] == "Harbour & port reopen"
    assert front["date"] == dt.date(2024, 3, 5)
    assert front["tags"] == ["ports", "shipping", "trade"]
    assert front["summary"] == "Ships return after a week."
    assert front["extra"] == {"layout": "post", "author": "Ana", "weight": 3}
    assert front["aliases"] == ["shipping/trade/2024/03/05/harbour-reopens.html"]
    assert "date taken from the file name" in article.notes


def test_hugo_toml_front_matter_with_lastmod_draft_and_aliases():
    article = foreign('+++\ntitle = "Bridge inspection"\ndate = 2023-06-01T09:30:00-04:00\n'
                      'lastmod = 2023-06-02\ndraft = true\naliases = ["/old/bridge"]\nslug = "bridge"\n+++\n'
                      "Engineers checked the bridge.\n", path="2023/bridge.md", generator="hugo", root="news")
    front = article.front_matter
    assert front["date"] == dt.datetime(2023, 6, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert front["updated"] == dt.date(2023, 6, 2)
    assert front["draft"] is True
    assert front["slug"] == "bridge"
    assert article.old_paths == ["news/2023/bridge/", "old/bridge/"]


def test_json_and_pelican_front_matter():
    json_article = foreign('{\n"title": "Dam levels", "date": "2022-02-02"\n}\nThe dam is full.\n', path="dam.md",
                           generator="hugo", root="content")
    assert json_article.front_matter["title"] == "Dam levels"
    assert json_article.body.strip() == "The dam is full."
    pelican = foreign("Title: River floods\nDate: 2021-09-09 10:20\nCategory: weather\nStatus: draft\n\n"
                      "The river rose overnight.\n", path="river.md", generator="pelican", root="content")
    assert pelican.front_matter["date"] == dt.datetime(2021, 9, 9, 10, 20)
    assert pelican.front_matter["tags"] == ["weather"]
    assert pelican.front_matter["draft"] is True
    assert pelican.old_paths == ["river-floods.html"]


@pytest.mark.parametrize("value, expected", [
    ("2015-03-17 14:00:00 -4", dt.datetime(2015, 3, 17, 14, tzinfo=dt.timezone(dt.timedelta(hours=-4)))),
    ("2014-06-30 10:00:22 -0400", dt.datetime(2014, 6, 30, 10, 0, 22, tzinfo=dt.timezone(dt.timedelta(hours=-4)))),
    ("2020-01-05T08:00:00Z", dt.datetime(2020, 1, 5, 8, tzinfo=dt.timezone.utc)),
    ("2024-12-5", dt.date(2024, 12, 5)),
    ("last Tuesday", None),
    ("2024-02-30", None),
])
def test_dates_in_the_forms_generators_write(value, expected):
    assert parse_when(value) == expected


def test_quirks_are_accepted_and_noted():
    article = foreign("\n\n---\ntitle: First\ntitle: Second\n---\nBody text.\n", path="2024-12-5-quirk.md")
    assert article.front_matter["title"] == "Second"
    assert article.front_matter["date"] == dt.date(2024, 12, 5)
    assert any("given twice" in note for note in article.notes)
    assert any("blank lines" in note for note in article.notes)


def test_percent_encoded_and_overlong_slugs_become_valid():
    article = foreign("---\ntitle: Caf\u00e9\nslug: caf%C3%A9-news\n---\nText.\n")
    assert article.front_matter["slug"] == "cafe-news"
    long = foreign("---\ntitle: Long\nslug: " + "-".join(["word"] * 60) + "\n---\nText.\n")
    assert len(long.front_matter["slug"]) <= 120


@pytest.mark.parametrize("text, reason", [
    ("---\ntitle: Only front matter\ndate: 2024-01-01\n---\n", "front matter only"),
    ("---\ndate: 2024-01-01\n---\nNo title anywhere.\n", "no title"),
    ("---\ntitle: [unclosed\n---\nText.\n", "not valid YAML"),
    ("---\ntitle: never closed\nText.\n", "never closed"),
])
def test_files_that_are_not_articles_are_skipped_with_a_reason(text, reason):
    with pytest.raises(Skip, match=reason):
        foreign(text)


def test_hugo_section_index_and_undated_files_without_front_matter_are_skipped():
    with pytest.raises(Skip, match="section index"):
        foreign("---\ntitle: News\n---\nAll news.\n", path="_index.md", generator="hugo")
    with pytest.raises(Skip, match="no front matter"):
        foreign("# Read me\n\nHow this folder works.\n", path="README.md")


def test_front_matter_splitter_names_the_form():
    assert split_front_matter("+++\ntitle = 'x'\n+++\nBody").format == "toml"
    assert split_front_matter("Plain text only.").format == ""


def test_links_into_the_old_site_are_kept_redirected_or_unlinked():
    routes = {"news/2019/other/": "news/2019/other/", "": ""}
    resolve = old_site_resolver("news/2019/this/", routes, None)
    body = ("See [the other one](../other/) and ![a chart](chart.png).\n\n"
            "```\n[not a link](../code/)\n```\n\nCode: `[x](../y/)` stays. [Home](/).\n")
    result = relink(body, resolve)
    assert "[the other one](/news/2019/other/)" in result.body
    assert "*(a chart: chart.png, not imported)*" in result.body
    assert "[not a link](../code/)" in result.body and "`[x](../y/)`" in result.body
    assert "[Home](/)" in result.body
    assert (result.kept, result.unlinked) == (2, 1)
    with_old = relink("![a chart](chart.png)", old_site_resolver("news/2019/this/", routes, "https://old.example/"))
    assert with_old.body == "![a chart](https://old.example/news/2019/this/chart.png)"


# ---- the command ---------------------------------------------------------------------------------------------


def _archive(root: Path) -> Path:
    return write_site(root, {
        "_config.yml": "title: Old site\n",
        "_posts/2024-03-05-harbour-reopens.md": """\
            ---
            layout: post
            title: Harbour reopens
            categories: [shipping]
            tags: [ports, trade]
            author: Ana Souza
            excerpt: Ships return after a week of closure.
            ---
            The harbour reopened on Tuesday after a week. See [the earlier storm](/shipping/2024/03/01/storm.html).

            {% include figure.html src="/img/harbour.jpg" %}

            ## Reactions

            > "We are back in business," said the harbour master.
            """,
        "_posts/2024-03-01-storm.md": """\
            ---
            title: Storm closes the harbour
            permalink: /shipping/2024/03/01/storm.html
            redirect_from: [/storm/]
            ---
            A storm closed the harbour for a week.
            """,
        "_posts/2024-03-02-hidden.md": "---\ntitle: Hidden\npublished: false\n---\nNot yet.\n",
        "_posts/2024-03-03-empty.md": "---\ntitle: Empty\n---\n",
        "_posts/notes.txt": "Harbour notes\n\nA paragraph about the harbour that was copied by hand.\n",
    })


@pytest.fixture
def site(tmp_path) -> Path:
    return write_site(tmp_path / "site", {"briefgen.yaml": BASIC_CONFIG, "content/.keep": ""})


def test_import_then_build_a_jekyll_site(tmp_path, site):
    old = _archive(tmp_path / "old")
    before = {p: p.read_bytes() for p in old.rglob("*") if p.is_file()}
    result = run_cli("import", str(old), cwd=site)
    assert result.exit_code == 0, result.output
    assert "as a jekyll archive" in result.output
    assert "Imported 4 of 5" in result.output and "1 skipped" in result.output
    assert "2024-03-03-empty.md: no text: front matter only" in result.output
    assert {p: p.read_bytes() for p in old.rglob("*") if p.is_file()} == before  # sources untouched

    harbour = site / "content/2024-03-05-harbour-reopens.md"
    meta = front_matter(harbour)
    assert meta["tags"] == ["ports", "trade", "shipping"]
    assert meta["aliases"] == ["/shipping/2024/03/05/harbour-reopens.html"]
    assert meta["extra"]["author"] == "Ana Souza"
    body = harbour.read_text()
    assert "[the earlier storm](/shipping/2024/03/01/storm.html)" in body
    assert "{% include figure.html" in body  # kept visibly, never run
    assert front_matter(site / "content/2024-03-02-hidden.md")["draft"] is True

    built = run_cli("build", cwd=site)
    assert built.exit_code == 0, built.output
    output = site / "site"
    redirect = soup(output / "shipping/2024/03/01/storm.html")
    target = "https://example.org/demo/briefings/storm/"
    assert redirect.find("link", rel="canonical")["href"] == target
    assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
    assert redirect.find("a")["href"] == target
    assert (output / "storm/index.html").exists()
    page = soup(output / "briefings/harbour-reopens/index.html")
    assert page.find("a", string="the earlier storm")["href"] == "/demo/shipping/2024/03/01/storm.html"


def test_import_twice_refuses_to_overwrite_unless_forced(tmp_path, site):
    old = _archive(tmp_path / "old")
    assert run_cli("import", str(old / "_posts"), cwd=site).exit_code == 0
    again = run_cli("import", str(old / "_posts"), cwd=site)
    assert again.exit_code == 1
    assert "already exists (use --force to replace it)" in again.output
    forced = run_cli("import", "--force", str(old / "_posts"), cwd=site)
    assert forced.exit_code == 0 and "Imported 4 of 5" in forced.output
    assert len(list((site / "content").rglob("*.md"))) == 4


def test_dry_run_writes_nothing(tmp_path, site):
    old = _archive(tmp_path / "old")
    result = run_cli("import", "--dry-run", str(old), cwd=site)
    assert result.exit_code == 0 and "Would import 4 of 5" in result.output
    assert not list((site / "content").rglob("*.md"))


def test_same_slug_in_two_languages_gets_the_language(tmp_path, site):
    old = write_site(tmp_path / "old", {
        "en/2024-01-01-newsletter.md": "---\ntitle: Newsletter\nlang: en\n---\nThis week.\n",
        "de/2024-01-01-newsletter.md": "---\ntitle: Rundbrief\nlang: de\n---\nDiese Woche.\n",
    })
    result = run_cli("import", "--from", "jekyll", str(old), "--into", "content/archive", cwd=site)
    assert result.exit_code == 0, result.output
    slugs = sorted(front_matter(p).get("slug") or p.stem[11:] for p in (site / "content").rglob("*.md"))
    assert slugs == ["newsletter", "newsletter-en"]  # the folders are read in order: de/ first
    assert run_cli("build", cwd=site).exit_code == 0


def test_nothing_importable_exits_1_and_names_each_file(tmp_path, site):
    missing = run_cli("import", str(tmp_path / "nowhere.md"), cwd=site)
    assert missing.exit_code == 1 and "no such file or folder" in missing.output
    assert "Traceback" not in missing.output


def test_a_redirect_may_not_replace_a_real_page(site):
    write_site(site, {"content/2024-01-01-a.md": "---\ntitle: A\ndate: 2024-01-01\naliases: [/tags/]\n---\nText.\n"})
    result = run_cli("build", cwd=site)
    assert result.exit_code == 1
    assert "content/2024-01-01-a.md: aliases: /tags/ is a page of the site itself" in result.output


def test_two_briefings_claiming_one_old_address_is_an_error(site):
    write_site(site, {
        "content/2024-01-01-a.md": "---\ntitle: A\ndate: 2024-01-01\naliases: [/old/]\n---\nText.\n",
        "content/2024-01-02-b.md": "---\ntitle: B\ndate: 2024-01-02\naliases: [/OLD]\n---\nText.\n",
    })
    result = run_cli("build", cwd=site)
    assert result.exit_code == 1
    assert "2 briefings claim the old address /old/" in result.output


@pytest.mark.parametrize("alias", ["https://other.example/x", "../up/", "/a?b=1"])
def test_an_alias_that_is_not_a_site_path_is_an_error(site, alias):
    write_site(site, {"content/2024-01-01-a.md": f"---\ntitle: A\ndate: 2024-01-01\naliases: ['{alias}']\n---\nT.\n"})
    result = run_cli("build", cwd=site)
    assert result.exit_code == 1 and "is not a path in this site" in result.output


def test_the_build_says_what_it_skipped(site):
    write_site(site, {
        "content/_posts/2024-01-01-a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n",
        "content/_index.md": "---\ntitle: Index\ndate: 2024-01-01\n---\nText.\n",
        "content/2024-01-02-b.md": "---\ntitle: B\ndate: 2024-01-02\ndraft: true\n---\nText.\n",
    })
    result = run_cli("build", cwd=site)
    assert result.exit_code == 0, result.output
    assert "content/_posts: 1 Markdown file not read: folders whose names start with `_` are skipped" in result.output
    assert "briefgen import content/_posts" in result.output
    assert "content: 1 Markdown file not read: names that start with `_` are skipped (_index.md)" in result.output
    assert "1 Markdown files found, but no briefing is published: content/2024-01-02-b.md (a draft)" in result.output


def test_blank_lines_before_front_matter_and_one_digit_days_build(site):
    write_site(site, {"content/2024-12-5-quirk.md": "\n\n---\ntitle: Quirk\ndate: 2024-12-05\n---\nText.\n"})
    result = run_cli("build", cwd=site)
    assert result.exit_code == 0, result.output
    assert (site / "site/briefings/quirk/index.html").exists()
    record = json.loads((site / "site/api/briefings/quirk.json").read_text())
    assert record["title"] == "Quirk"


def test_images_beside_the_articles_are_copied_into_static(tmp_path, site):
    old = write_site(tmp_path / "hugo", {
        "hugo.toml": "title = 'Old'\n",
        "static/img/map.png": "PNG",
        "content/news/bridge/index.md": "---\ntitle: Bridge\ndate: 2024-01-01\n---\n![the bridge](cover.jpg)\n\n"
                                        "![a map](/img/map.png) and ![gone](/img/missing.png)\n",
    })
    map_png, cover_jpg = image_bytes(fmt="PNG"), image_bytes(fmt="JPEG")
    (old / "static/img/map.png").write_bytes(map_png)
    (old / "content/news/bridge/cover.jpg").write_bytes(cover_jpg)
    result = run_cli("import", str(old), cwd=site)
    assert result.exit_code == 0, result.output
    body = (site / "content/news/bridge/2024-01-01-bridge.md").read_text()
    assert "![the bridge](/news/bridge/cover.jpg)" in body and "![a map](/img/map.png)" in body
    assert "*(gone: /img/missing.png, not imported)*" in body
    assert (site / "static/news/bridge/cover.jpg").read_bytes() == cover_jpg
    assert (site / "static/img/map.png").read_bytes() == map_png
    assert run_cli("build", cwd=site).exit_code == 0
    assert (site / "site/news/bridge/cover.jpg").is_file()
