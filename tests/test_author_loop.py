"""The author's loop: init, new, serve with live reload, check, list — and how the CLI feels."""

from __future__ import annotations

import datetime as dt
import http.server
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from briefgen.build import BuildOptions
from briefgen.cli import Progress, main
from briefgen.serve import DevServer
from conftest import BASIC_CONFIG, briefing, run_cli, write_site
from helpers import soup


def wait_for(predicate, seconds: float = 30.0, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out waiting")


# ---- init ---------------------------------------------------------------------------------------------------


def test_init_creates_a_site_that_builds_cleanly(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the welcome briefing is dated today: built today, it is published
    folder = tmp_path / "my-site"
    result = run_cli("init", str(folder), "--title", "Andes Watch", "--timezone", "America/Lima")
    assert result.exit_code == 0, result.output
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [".github/workflows/pages.yml", ".gitignore", "briefgen.yaml",
                     f"content/{dt.datetime.now(ZoneInfo('America/Lima')).date().isoformat()}-welcome.md"]
    config = (folder / "briefgen.yaml").read_text()
    assert 'title: "Andes Watch"' in config and "timezone: America/Lima" in config and config.count("\n# ") >= 3
    assert "/site/" in (folder / ".gitignore").read_text()
    built = run_cli("build", "--strict", cwd=folder)
    assert built.exit_code == 0, built.output
    assert "Warnings           0" in built.output
    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                              str(folder / ".github/workflows/pages.yml")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


def test_init_refuses_a_non_empty_folder_unless_forced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 1
    assert "is not empty — choose an empty folder, or pass --force" in result.output
    assert run_cli("init", str(tmp_path), "--force").exit_code == 0
    assert (tmp_path / "notes.txt").read_text() == "mine" and (tmp_path / "briefgen.yaml").is_file()


def test_init_rejects_an_unknown_time_zone(tmp_path):
    result = run_cli("init", str(tmp_path / "x"), "--timezone", "Mars/Base")
    assert result.exit_code == 1 and "--timezone: 'Mars/Base' is not a known IANA time zone" in result.output
    assert not (tmp_path / "x").exists()


# ---- new ----------------------------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path) -> Path:
    return write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/2025-11-01-first.md": briefing(
        "First", "2025-11-01", body="Lead.\n\n## Context\n\na\n\n## Escalation\n\nb\n\n## Reactions\n\nc\n\n"
                                    "## Impact\n\nd\n")})


@pytest.mark.parametrize("title, slug", [
    ("Crisis en el Caribe: ¿qué sigue?", "crisis-en-el-caribe-que-sigue"),
    ("أزمة فنزويلا والمجال الجوي", "أزمة-فنزويلا-والمجال-الجوي"),
    ("Réactions à Caracas", "reactions-a-caracas"),
])
def test_new_gives_readable_unicode_slugs(site, title, slug):
    result = run_cli("new", title, cwd=site)
    assert result.exit_code == 0, result.output
    today = dt.datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    path = site / "content" / f"{today}-{slug}.md"
    assert path.is_file(), result.output
    assert f"date: {today}" in path.read_text()


def test_new_briefing_has_the_four_sections_and_options(site):
    result = run_cli("new", "Airspace closed", "--story", "venezuela-2025", "--tags", "airspace, aviation", "--draft",
                     cwd=site)
    assert result.exit_code == 0
    path = next((site / "content").glob("*-airspace-closed.md"))
    text = path.read_text()
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Context", "## Escalation", "## Reactions", "## Impact"]
    assert 'story: "venezuela-2025"' in text and 'tags: ["airspace", "aviation"]' in text and "draft: true" in text
    built = run_cli("build", "--drafts", "--future", "--strict", cwd=site)  # the tests' clock is 2026-01-01
    assert built.exit_code == 0, built.output
    page = soup(site / "site/briefings/airspace-closed/index.html")
    assert "<!--" not in str(page.select_one(".briefing__section"))  # writing hints are not published
    assert run_cli("new", "Airspace closed", cwd=site).exit_code == 1  # refuses to overwrite


def test_new_refuses_to_overwrite(site):
    assert run_cli("new", "Same title", cwd=site).exit_code == 0
    result = run_cli("new", "Same title", cwd=site)
    assert result.exit_code == 1 and "already exists — choose another title, or edit that file" in result.output


# ---- list ---------------------------------------------------------------------------------------------------


def test_list_shows_status_dates_and_files(site):
    write_site(site, {"content/draft.md": briefing("A draft", "2025-10-01", draft="true"),
                      "content/later.md": briefing("Later", "2030-01-01T10:00:00")})
    everything = run_cli("list", cwd=site)
    assert everything.exit_code == 0
    lines = everything.output.splitlines()
    assert lines[0].split() == ["STATUS", "DATE", "UPDATED", "TITLE", "FILE"]
    assert lines[1].startswith("future") and "content/later.md" in lines[1]
    assert lines[-1] == "3 briefings."
    drafts = run_cli("list", "drafts", cwd=site).output
    assert "content/draft.md" in drafts and "content/later.md" not in drafts
    assert "content/later.md" in run_cli("list", "future", cwd=site).output
    published = run_cli("list", "published", cwd=site).output
    assert "content/2025-11-01-first.md" in published and "draft.md" not in published


# ---- check --------------------------------------------------------------------------------------------------


def test_check_passes_without_touching_the_output(site):
    result = run_cli("check", cwd=site)
    assert result.exit_code == 0, result.output
    assert re.search(r"All good: \d+ pages, \d+ anchors, \d+ feeds checked\.", result.output)
    assert not (site / "site").exists()


def test_check_reports_content_errors_and_warnings(site):
    write_site(site, {"content/bad.md": "---\ntitle: Bad\ndate: soon\n---\n",
                      "content/thin.md": briefing("Thin", "2025-11-02")})
    result = run_cli("check", cwd=site)
    assert result.exit_code == 1
    assert "error: content/bad.md:3:7: date: expected a date" in result.output
    assert "warning: content/thin.md: sections: missing escalation, reactions, impact" in result.output
    assert not (site / "site").exists()


def test_check_finds_a_missing_anchor(site):
    write_site(site, {"content/2025-11-02-second.md": briefing(
        "Second", "2025-11-02", body="See [the impact](../first/#impact) and [nothing](../first/#nowhere).\n")})
    result = run_cli("check", cwd=site)
    assert result.exit_code == 1
    assert ("error: content/2025-11-02-second.md: the link ../first/#nowhere on /demo/briefings/second/index.html "
            "points at a missing anchor #nowhere") in result.output
    assert "#impact" not in result.output.split("error:", 1)[1].split("\n")[0].replace("#nowhere", "")


class _LocalSite(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


def test_check_external_links_with_a_timeout(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LocalSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        write_site(site, {"content/2025-11-02-links.md": briefing(
            "Links", "2025-11-02", body=f"[ok]({base}/ok) [gone]({base}/gone)\n")})
        assert run_cli("check", cwd=site).exit_code == 0  # external links are not requested by default
        result = run_cli("check", "--external", "--timeout", "5", "--concurrency", "2", cwd=site)
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 1
    assert f"error: content/2025-11-02-links.md: the external link {base}/gone answers 404" in result.output
    assert f"{base}/ok " not in result.output


# ---- serve --------------------------------------------------------------------------------------------------


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serve_rebuilds_on_change_and_recovers_from_errors(site):
    server = DevServer(site / "briefgen.yaml", BuildOptions(), port=0)
    server.start()
    try:
        page_url = server.url + "briefings/first/"
        assert server.url.endswith("/demo/")
        status, html = fetch(page_url)
        assert status == 200 and "<h1" in html and "First" in html
        assert '<script src="/__briefgen/live.js?build=1"></script>' in html
        assert "live.js" not in (server.output / "briefings/first/index.html").read_text()  # only while serving
        source = site / "content/2025-11-01-first.md"
        source.write_text(source.read_text().replace("title: 'First'", "title: 'First, edited'"))
        wait_for(lambda: "First, edited" in fetch(page_url)[1])
        source.write_text(source.read_text().replace("date: 2025-11-01", "date: not-a-date"))
        wait_for(lambda: server.state.errors)
        assert server.state.errors[0].startswith("content/2025-11-01-first.md:3:7: date: expected a date")
        assert "First, edited" in fetch(page_url)[1]  # the last good site is still served
        source.write_text(source.read_text().replace("date: not-a-date", "date: 2025-11-01"))
        wait_for(lambda: not server.state.errors)
        assert fetch(server.url + "nowhere/")[0] == 404
        assert fetch(server.url.replace("/demo/", "/"))[0] == 200  # the host root redirects to the base path
    finally:
        server.stop()
    assert not server.output.exists()


def test_serve_command_reports_a_busy_port(site):
    blocker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LocalSite)
    try:
        result = run_cli("serve", "--port", str(blocker.server_address[1]), cwd=site)
    finally:
        blocker.server_close()
    assert result.exit_code == 1 and "cannot listen on 127.0.0.1" in result.output


# ---- feel ---------------------------------------------------------------------------------------------------


def test_colour_only_without_no_color(site, monkeypatch):
    write_site(site, {"content/thin.md": briefing("Thin", "2025-11-02")})
    coloured = CliRunner().invoke(main, ["build", "--config", str(site / "briefgen.yaml")], color=True)
    assert "\x1b[" in coloured.output
    monkeypatch.setenv("NO_COLOR", "1")
    plain = CliRunner().invoke(main, ["build", "--config", str(site / "briefgen.yaml")], color=True)
    assert "\x1b[" not in plain.output and "warning:" in plain.output


def test_progress_bar_appears_only_after_a_second(capsys):
    progress = Progress(enabled=True)
    progress("parsing", 1, 10)
    assert capsys.readouterr().err == ""
    progress.started -= 2
    progress("parsing", 5, 10)
    progress.finish()
    assert "parsing    [" + "#" * 15 + "." * 15 + "] 5/10" in capsys.readouterr().err
    quiet = Progress(enabled=False)
    quiet.started -= 2
    quiet("parsing", 5, 10)
    assert capsys.readouterr().err == ""


def test_verbose_build_names_the_base_url(site):
    result = run_cli("build", "--verbose", cwd=site)
    assert "Base URL: https://example.org/demo/" in result.output
