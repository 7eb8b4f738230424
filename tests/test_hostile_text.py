"""Hostile text never escapes: HTML and script in every front-matter value and in the body are escaped in pages,
feeds, the JSON API and JSON-LD; dangerous link schemes are dropped; ``sanitize: true`` cleans raw HTML."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import briefing, run_cli, write_site
from helpers import soup

TITLE = "</script><script>alert('title')</script> \"quoted\" & <b>bold</b> \u202eright-to-left\u200f"
SUMMARY = "<img src=x onerror=alert('summary')> ]]> --> <!-- end"
TAG = "<script>alert('tag')</script>"
REGION = "\"><svg onload=alert('region')>"
ACTOR = "<iframe src=javascript:alert('actor')>"
STORY = "../<script>alert('story')</script>"
QUOTE = "<img src=x onerror=alert('quote')>"
HOSTILE_FRONT_MATTER = f"""\
---
title: {json.dumps(TITLE)}
date: 2025-11-29
summary: {json.dumps(SUMMARY)}
tags: [{json.dumps(TAG)}, "../../etc", "CON"]
regions: [{json.dumps(REGION)}]
actors: [{json.dumps(ACTOR)}]
story: {json.dumps(STORY)}
sources:
  - name: "<script>alert('source')</script>"
    url: "https://example.org/?q=\\"><script>alert('url')</script>"
quotes:
  - speaker: "<script>alert('speaker')</script>"
    role: "</script>"
    text: {json.dumps(QUOTE)}
timeline:
  - date: 2025-11-28
    text: "<script>alert('timeline')</script>"
---
"""
DANGEROUS_LINKS = """\
[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) [d](<java\tscript:alert(1)>)
[e](java&#9;script:alert(1)) [f](vbscript:msgbox(1)) [g](data:text/html;base64,PHNjcmlwdD4=)
![h](data:image/png;base64,iVBORw0KGgo=) ![i](data:image/svg+xml;base64,PHN2Zz4=) [j](%6Aavascript:alert(1))
[k](javascript&colon;alert(1)) [l](file:///etc/passwd) <javascript:alert(1)> [m][ref]

[ref]: javascript:alert(1)
"""
RAW_HTML = """\
<script>alert('raw')</script>
<iframe src="https://evil.example/"></iframe>

Inline <abbr title="United Nations">UN</abbr><sup>2</sup>, <img src="https://img.example/x.png" alt="x" onerror="alert('img')">,
<a href="javascript:alert('a')">raw link</a>, <span style="background:url(javascript:alert('style'))">styled</span>,
<b onclick="alert('click')">bold</b>.

<figure><img src="https://img.example/y.png" alt="y"><figcaption>A figure</figcaption></figure>

<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>
"""
BODY = "Lead.\n\n" + DANGEROUS_LINKS + "\n## Context <script>alert('heading')</script>\n\n" + RAW_HTML
SCRIPT_SOURCES = {"static/live.js"}  # no theme script is expected; JSON-LD is data


def build_site(root: Path, sanitize: bool | None = None) -> Path:
    config = "title: \"</script><script>alert('site')</script>\"\nbase_url: https://example.org/sub/\n"
    config += "api: {html: true}\n"  # the records then carry body HTML too, which must be as safe as the page's
    if sanitize is not None:
        config += f"sanitize: {'true' if sanitize else 'false'}\n"
    write_site(root, {"briefgen.yaml": config, "content/x.md": HOSTILE_FRONT_MATTER + BODY})
    result = run_cli("build", cwd=root)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return root / "site"


@pytest.fixture(scope="module")
def trusted(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("trusted"))


@pytest.fixture(scope="module")
def sanitized(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("sanitized"), sanitize=True)


def pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def body_fragment(page: BeautifulSoup) -> BeautifulSoup:
    """The article's rendered Markdown (lead and sections), where raw HTML may legitimately appear."""
    return page.select_one("main") or page


def injected_elements(page: BeautifulSoup) -> list:
    """Script, frame and SVG elements, and event-handler attributes, anywhere in a parsed page (but the theme's
    own: JSON-LD, its search script, the story chart)."""
    found = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"
             and not (s.get("src") or "").startswith("/sub/static/search.js?")]
    found += [tag for tag in page.find_all(["iframe", "svg", "object", "embed"]) if "chart" not in tag.get("class", [])]
    found += [tag for tag in page.find_all(True) if any(name.lower().startswith("on") for name in tag.attrs)]
    return found


MARKDOWN_LINK_TEXTS = set("abcdefghijklm")


def markdown_link_targets(page: BeautifulSoup) -> list[str]:
    """The targets of the Markdown links and images of DANGEROUS_LINKS (raw HTML has its own test)."""
    return ([a["href"] for a in page.find_all("a", href=True) if a.get_text() in MARKDOWN_LINK_TEXTS]
            + [img["src"] for img in page.find_all("img", src=True) if img.get("alt") in MARKDOWN_LINK_TEXTS])


def test_front_matter_values_are_escaped_in_every_page(sanitized):
    for path in pages(sanitized):
        page = soup(path)
        assert injected_elements(page) == [], path
    page = soup(sanitized / "briefings" / "x" / "index.html")
    assert page.find("h1").get_text() == TITLE
    assert TAG in page.get_text() and REGION in page.get_text() and QUOTE in page.get_text()


def test_json_ld_cannot_be_broken_out_of(trusted):
    for path in pages(trusted):
        for script in soup(path).find_all("script", type="application/ld+json"):
            data = json.loads(script.string)
            assert isinstance(data, dict)
    page = soup(trusted / "briefings" / "x" / "index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["headline"] == TITLE
    raw = (trusted / "briefings" / "x" / "index.html").read_text(encoding="utf-8")
    ld_start = raw.index('<script type="application/ld+json">')
    assert "</script" not in raw[ld_start + 10:raw.index("</script>", ld_start)].lower()


def test_feeds_carry_hostile_text_as_text(trusted):
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse(str(trusted / name))
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.entries[0].title == TITLE
    json_feed = json.loads((trusted / "feed.json").read_text(encoding="utf-8"))
    assert json_feed["items"][0]["title"] == TITLE
    assert json_feed["title"] == "</script><script>alert('site')</script>"


def test_summaries_stay_text_in_feeds_whose_readers_show_html(trusted):
    rss = feedparser.parse(str(trusted / "feed.xml")).entries[0]
    atom = feedparser.parse(str(trusted / "atom.xml")).entries[0]
    for entry in (rss, atom):
        assert BeautifulSoup(entry.summary, "html.parser").get_text() == SUMMARY


def test_json_api_round_trips_hostile_values(trusted):
    record = json.loads((trusted / "api" / "briefings" / "x.json").read_text(encoding="utf-8"))
    assert record["title"] == TITLE
    assert record["summary"] == SUMMARY
    assert TAG in record["tags"] and REGION in record["regions"] and ACTOR in record["actors"]
    assert record["story"] == STORY
    assert any(quote["text"] == QUOTE for quote in record["quotes"])
    listing = json.loads((trusted / "api" / "briefings.json").read_text(encoding="utf-8"))
    assert listing["briefings"][0]["title"] == TITLE


@pytest.mark.parametrize("mode", ["trusted", "sanitized"])
def test_dangerous_link_schemes_are_dropped(mode, request):
    output = request.getfixturevalue(mode)
    page = soup(output / "briefings" / "x" / "index.html")
    feed_html = feedparser.parse(str(output / "atom.xml")).entries[0].content[0].value
    record = json.loads((output / "api" / "briefings" / "x.json").read_text(encoding="utf-8"))
    fragments = [page, BeautifulSoup(feed_html, "html.parser"), BeautifulSoup(record["lead"]["html"], "html.parser")]
    for fragment in fragments:
        assert markdown_link_targets(fragment) == []  # each is left as text


def test_raw_html_is_kept_by_default(trusted):
    article = body_fragment(soup(trusted / "briefings" / "x" / "index.html"))
    assert article.find("script", string="alert('raw')") is not None  # trusted sites may embed what they like
    assert article.find("iframe") is not None


def sanitized_outputs(output: Path) -> list[BeautifulSoup]:
    page = body_fragment(soup(output / "briefings" / "x" / "index.html"))
    feed_html = feedparser.parse(str(output / "atom.xml")).entries[0].content[0].value
    rss_html = feedparser.parse(str(output / "feed.xml")).entries[0].content[0].value
    json_feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"][0]["content_html"]
    record = json.loads((output / "api" / "briefings" / "x.json").read_text(encoding="utf-8"))
    api_html = record["lead"]["html"] + record["sections"]["context"]["html"]
    return [page] + [BeautifulSoup(html, "html.parser") for html in (feed_html, rss_html, json_feed, api_html)]


def test_sanitize_strips_dangerous_html_everywhere_body_html_is_shown(sanitized):
    for fragment in sanitized_outputs(sanitized):
        assert injected_elements(fragment) == []
        assert not [tag for tag in fragment.find_all(style=True)]
        assert not [a for a in fragment.find_all("a") if (a.get("href") or "").strip().lower().startswith("javascript")]


def test_sanitize_keeps_ordinary_inline_html(sanitized):
    for fragment in sanitized_outputs(sanitized):
        assert fragment.find("abbr", title="United Nations") is not None
        assert fragment.find("sup") is not None
        assert fragment.find("table") is not None and fragment.find("td") is not None
        assert fragment.find("figure") is not None and fragment.find("figcaption") is not None
        assert fragment.find("img", alt="y") is not None
        assert fragment.find("b", string="bold") is not None


def test_sanitize_must_be_a_boolean(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": "title: T\nbase_url: https://example.org/\nsanitize: yes please\n",
                          "content/a.md": briefing("A", "2025-11-29")})
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert "briefgen.yaml:3:11: sanitize: expected true or false, got a string — write true or false" in result.output


def test_front_matter_source_urls_must_be_http(tmp_path):
    for url in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " data:text/html,x", "vbscript:x", "//evil.example/"):
        write_site(tmp_path, {"briefgen.yaml": "title: T\nbase_url: https://example.org/\n",
                              "content/a.md": briefing("A", "2025-11-29", sources=f"[{{name: S, url: {json.dumps(url)}}}]")})
        result = run_cli("build", cwd=tmp_path)
        assert result.exit_code == 1, url
        assert "sources[0].url: `url` must be an absolute http(s) URL" in result.output


def test_control_characters_never_reach_a_feed(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": "title: T\nbase_url: https://example.org/\n",
                          "content/a.md": '---\ntitle: "Bell\\a and NUL\\0 and \\x1b escape"\ndate: 2025-11-29\n'
                                          'tags: ["\\0"]\n---\nBody with a \x07 bell and a \x0c form feed.\n'})
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    feed = feedparser.parse(str(tmp_path / "site" / "atom.xml"))
    assert not feed.bozo
    assert feed.entries[0].title == "Bell and NUL and  escape"
    assert "\x07" not in feed.entries[0].content[0].value
