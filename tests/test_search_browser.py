"""Search as a reader meets it: the example site under a GitHub Pages sub-path, in headless Chromium.

Slow tier. The queries' results are compared with the Python reading of the index (tests/helpers.py), so the
script's normalisation and ranking are checked against the indexer's.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest

from briefgen.search import words_of
from conftest import REPO, run_cli
from helpers import SearchReader, SubPathServer
from test_browser import ARTIFACTS, AXE, browser  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.slow

PREFIX = "/briefings-demo/"
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_NOT_TEXT = re.compile(r"<!--.*?-->|\]\([^)]*\)|https?://\S+", re.DOTALL)  # comments, link targets, bare URLs


@pytest.fixture(scope="module")
def served(example_output):
    with SubPathServer(example_output, PREFIX) as server:
        yield server.url, example_output


def body_only_word() -> tuple[str, str]:
    """(word, slug): a word of one example briefing's body that no other file and no title contains."""
    files = {path: path.read_text(encoding="utf-8") for path in sorted((REPO / "content").glob("*.md"))}
    everywhere = Counter(word for text in files.values() for word in set(words_of(text)))
    titles = {w for text in files.values() for w in words_of(re.search(r"^title: (.*)$", text, re.M).group(1))}
    for path, text in files.items():
        body = _NOT_TEXT.sub(" ", _FRONT_MATTER.sub("", text))
        for word in sorted(set(words_of(body))):
            if everywhere[word] == 1 and word not in titles and len(word) >= 7 and word.isascii() and word.isalpha():
                return word, path.stem[11:]
    raise AssertionError("no word occurs in only one briefing's body")


def results(page) -> list[str]:
    page.wait_for_function("document.getElementById('search-results').getAttribute('aria-busy') === 'false'"
                           " && document.querySelector('.search-count')")
    return [a.get_attribute("href") for a in page.query_selector_all(".search-result a")]


def test_a_word_from_one_body_typed_in_the_header_box_finds_that_briefing(served, browser):  # noqa: F811
    root, output = served
    word, slug = body_only_word()
    assert SearchReader(output).query(word) == [f"briefings/{slug}/"]
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    page.goto(root + "archive/")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(word.upper())
    box.press("Enter")
    page.wait_for_url(f"**{PREFIX}search/?q={word.upper()}")
    assert results(page) == [f"{PREFIX}briefings/{slug}/"]
    assert page.inner_text(".search-count") == "1 briefing found"
    assert page.input_value("#search-query") == word.upper()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    page.click(".search-result a")
    page.wait_for_url(f"**{PREFIX}briefings/{slug}/")
    assert page.inner_text("h1").strip() and page.url.endswith(f"{PREFIX}briefings/{slug}/")
    page.close()
    assert errors == []


def test_the_script_finds_what_the_index_holds_in_the_same_order(served, browser):  # noqa: F811
    root, output = served
    index = SearchReader(output)
    accented = next(w for p in sorted((REPO / "content").glob("*.md"))
                    for w in re.findall(r"\w+", p.read_text(encoding="utf-8")) if not w.isascii() and len(w) > 4)
    folded = "".join(c for c in unicodedata.normalize("NFKD", accented) if not unicodedata.combining(c)).upper()
    page = browser.new_page()
    for query in (folded, "venez", "oil sanc", "Maduro Trump", "the", "zzzzqx", "a"):
        page.goto(f"{root}search/?q={quote(query)}")
        expected = [PREFIX + route for route in index.query(query)]
        assert results(page) == expected, query
        count = page.inner_text(".search-count")
        if expected:
            assert count == f"{len(expected)} briefing{'s' if len(expected) > 1 else ''} found"
    assert index.query(folded)
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_search_page_with_results(served, browser, scheme):  # noqa: F811
    root, _ = served
    page = browser.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(root + "search/?q=venezuela")
    assert results(page)
    page.add_script_tag(path=str(AXE))
    report = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in report["violations"]] == []
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.close()


def test_show_more_adds_results_and_moves_focus_to_them(tmp_path, browser):  # noqa: F811
    import sys
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate
    site = generate(45, tmp_path / "corpus")
    output = site / "site"
    server = SubPathServer(output, PREFIX)
    result = run_cli("build", "-q", "--base-url", server.url, cwd=site)
    assert result.exit_code == 0, result.output
    with server:
        page = browser.new_page()
        page.goto(server.url + "search/?q=briefing")
        assert len(results(page)) == 20
        assert page.inner_text(".search-count") == "45 briefings found"
        for shown in (40, 45):
            page.click(".search-more")
            page.wait_for_function(f"document.querySelectorAll('.search-result').length === {shown}")
            first_new = shown - (20 if shown == 40 else 5)
            assert page.evaluate("document.activeElement.closest('.search-result') === "
                                 f"document.querySelectorAll('.search-result')[{first_new}]")
        assert page.is_hidden(".search-more")
        assert [a.get_attribute("href") for a in page.query_selector_all(".search-result a")] == [
            PREFIX + route for route in SearchReader(output).query("briefing")]
        page.close()


def test_without_javascript_the_page_says_so_and_links_elsewhere(served, browser):  # noqa: F811
    root, _ = served
    page = browser.new_page()
    page.context.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(root)
    page.get_by_role("search").get_by_role("searchbox").fill("venezuela")
    page.get_by_role("search").get_by_role("button").click()
    page.wait_for_url("**/search/?q=venezuela")
    assert "needs JavaScript" in page.locator(".search-note").inner_text()
    for name in ("archive", "tags"):
        assert page.get_by_role("link", name=name, exact=True).get_attribute("href") == f"{PREFIX}{name}/"
    assert page.locator(".search-result").count() == 0
    page.close()


def test_the_index_of_the_example_site_is_small(served):
    _, output = served
    size = sum(p.stat().st_size for p in Path(output, "search").rglob("*") if p.is_file())
    assert size < 400_000
