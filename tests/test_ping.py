"""`briefgen ping`: WebSub publish notifications to a real hub on 127.0.0.1, retries, and the Pages workflow's job."""

from __future__ import annotations

import functools
import http.server
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import yaml
from conftest import BASIC_CONFIG, run_cli

from briefgen import __version__, ping
from briefgen.websub import read_record

BASE = "https://example.org/demo/"
SITE_FEEDS = {BASE + name for name in ("feed.xml", "atom.xml", "feed.json")}

Reply = tuple[int, dict[str, str], bytes]  # status, headers, body
NO_CONTENT: Reply = (204, {}, b"")


@dataclass(frozen=True)
class Received:
    form: dict[str, list[str]]
    content_type: str
    user_agent: str

    @property
    def feed(self) -> str:
        return self.form["hub.url"][0]


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that timed out has hung up before the answer: expected here, not worth a stack trace


class Hub:
    """A WebSub hub on 127.0.0.1 that keeps every notification it gets and answers as a test tells it:
    ``reply(feed, n)`` gives the answer to the n-th request (from 0) about that feed."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.reply: Callable[[str, int], Reply] = lambda feed, n: NO_CONTENT
        self.delay = 0.0  # seconds to wait before answering
        self.released = threading.Event()  # ends every wait when the test is over
        self._lock = threading.Lock()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("ascii")
                status, headers, answer = hub.answer(Received(parse_qs(body), self.headers.get("Content-Type", ""),
                                                              self.headers.get("User-Agent", "")))
                if hub.delay:
                    hub.released.wait(hub.delay)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(answer))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer)

        return Handler

    def answer(self, received: Received) -> Reply:
        with self._lock:
            earlier = sum(1 for other in self.received if other.form.get("hub.url") == received.form.get("hub.url"))
            self.received.append(received)
        return self.reply(received.form.get("hub.url", [""])[0], earlier)

    def feeds(self) -> set[str]:
        return {received.feed for received in self.received}

    def forget(self) -> None:
        self.received.clear()


@pytest.fixture
def hub() -> Iterator[Hub]:
    hub = Hub()
    thread = threading.Thread(target=hub.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield hub
    hub.released.set()
    hub.server.shutdown()
    hub.server.server_close()


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """The command's waits between retries, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(ping, "PingOptions", functools.partial(ping.PingOptions, sleep=waited.append))
    return waited


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def with_hubs(site: Path, *hubs: str) -> Path:
    (site / "briefgen.yaml").write_text(BASIC_CONFIG + f"websub: {{hubs: [{', '.join(hubs)}]}}\n")
    return site


def build(site: Path) -> None:
    result = run_cli("build", cwd=site)
    assert result.exit_code == 0, result.output


def changed_feeds(site: Path) -> set[str]:
    record = read_record(site / ".briefgen-cache/websub.json")
    assert record is not None
    return set(record.changed)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---- the command against a real hub -------------------------------------------------------------------------


def test_every_changed_feed_is_published_once_and_then_nothing_is_left(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    changed = changed_feeds(small_site)
    assert SITE_FEEDS <= changed and BASE + "tags/sanctions/feed.xml" in changed

    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 0, result.output
    assert f"{hub.url} → {len(changed)} feeds notified" in result.output
    assert sorted(received.feed for received in hub.received) == sorted(changed)  # each one once
    for received in hub.received:
        assert received.form["hub.mode"] == ["publish"] and set(received.form) == {"hub.mode", "hub.url"}
        assert received.content_type == "application/x-www-form-urlencoded"
        assert received.user_agent == f"briefgen/{__version__}"
    assert waits == []

    hub.forget()
    again = run_cli("ping", cwd=small_site)
    assert again.exit_code == 0 and hub.received == []
    assert (f"Nothing to ping: all {len(changed)} feeds the last build (at 2026-01-01 01:00 CET) changed were "
            "already delivered.") in again.output


def test_after_an_edit_only_the_feeds_whose_bytes_changed_are_sent(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    assert run_cli("ping", cwd=small_site).exit_code == 0
    call = small_site / "content/2025-11-30-call.md"
    call.write_text(call.read_text().replace("The phone call", "The phone call, transcribed"))  # in every feed
    build(small_site)
    hub.forget()

    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 0, result.output
    sent = hub.feeds()
    assert sent == changed_feeds(small_site)
    assert SITE_FEEDS <= sent
    assert {BASE + "tags/diplomacy/feed.xml", BASE + "tags/united-states/atom.xml"} <= sent  # the call's tags
    assert not any("/tags/sanctions/" in feed or "/tags/airspace/" in feed for feed in sent)  # others untouched


def test_a_build_that_changes_no_feed_leaves_nothing_to_ping(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    build(small_site)
    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 0 and hub.received == []
    assert "Nothing to ping: the last build (at 2026-01-01 01:00 CET) changed no feed." in result.output


def test_what_a_ping_could_not_deliver_waits_through_the_next_build(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    first = changed_feeds(small_site)
    hub.reply = lambda feed, n: (400, {}, b"not now")
    assert run_cli("ping", cwd=small_site).exit_code == 1
    call = small_site / "content/2025-11-30-call.md"
    call.write_text(call.read_text().replace("The phone call", "The phone call, transcribed"))
    build(small_site)  # changes only some feeds; the refused ones stay to be sent
    assert changed_feeds(small_site) == first
    hub.forget()
    hub.reply = lambda feed, n: NO_CONTENT
    assert run_cli("ping", cwd=small_site).exit_code == 0
    assert hub.feeds() == first


def test_a_record_never_pinged_here_is_replaced_by_the_next_build(small_site, hub, waits):
    # as in CI, where the build job uploads the record and the ping job's deliveries never come back
    build(with_hubs(small_site, hub.url))
    call = small_site / "content/2025-11-30-call.md"
    call.write_text(call.read_text().replace("The phone call", "The phone call, transcribed"))
    build(small_site)
    assert run_cli("ping", cwd=small_site).exit_code == 0
    assert not any("/tags/sanctions/" in feed for feed in hub.feeds())  # the first build's changes are not sent


def test_a_server_error_is_asked_again_after_a_wait(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    hub.reply = lambda feed, n: (500, {}, b"busy") if n == 0 else NO_CONTENT
    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 0, result.output
    changed = changed_feeds(small_site)
    assert len(hub.received) == 2 * len(changed) and hub.feeds() == changed
    assert waits == [1.0] * len(changed)
    assert f"→ {len(changed)} feeds notified" in result.output


def test_a_refusal_is_reported_and_sent_again_by_the_next_ping(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    refused = BASE + "feed.json"
    hub.reply = lambda feed, n: (400, {}, b"  hub.url is not\na feed  " + b"x" * 400) if feed == refused else NO_CONTENT
    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 1
    changed = changed_feeds(small_site)
    assert f"{hub.url} → {len(changed) - 1} feeds notified, 1 failed" in result.output
    reason = "HTTP 400: hub.url is not a feed " + "x" * (200 - len("hub.url is not a feed "))
    assert f"  {refused}: {reason}\n" in result.output  # the body's first 200 characters, on one line
    assert "1 notification not delivered: run `briefgen ping` again" in result.output
    assert [received.feed for received in hub.received].count(refused) == 1 and waits == []  # no retry

    hub.forget()
    hub.reply = lambda feed, n: NO_CONTENT
    again = run_cli("ping", cwd=small_site)
    assert again.exit_code == 0, again.output
    assert [received.feed for received in hub.received] == [refused]
    assert f"{hub.url} → 1 feed notified" in again.output
    assert "already delivered" in run_cli("ping", cwd=small_site).output


def test_too_many_requests_waits_as_long_as_the_hub_asks_up_to_a_minute(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    slow, slower = BASE + "feed.xml", BASE + "atom.xml"
    asked = {slow: "3", slower: "3600"}
    hub.reply = lambda feed, n: (429, {"Retry-After": asked[feed]}, b"") if feed in asked and n == 0 else NO_CONTENT
    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 0, result.output
    assert sorted(waits) == [3.0, 60.0]


def test_a_hub_that_answers_too_late_is_reported_as_a_timeout(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    hub.delay = 5
    result = run_cli("ping", "--timeout", "0.2", "--retries", "1", cwd=small_site)
    assert result.exit_code == 1
    assert ": timed out after 0.2 s (1 retry)\n" in result.output
    assert "more feeds not sent, as the hub could not be reached (--verbose lists them)" in result.output
    assert waits and set(waits) == {1.0}
    record = read_record(small_site / ".briefgen-cache/websub.json")
    assert record is not None and record.pending(hub.url) == list(record.changed)  # all still to send


def test_an_unreachable_hub_is_reported_and_the_rest_kept_for_later(small_site, waits):
    dead = f"http://127.0.0.1:{closed_port()}/"
    build(with_hubs(small_site, dead))
    result = run_cli("ping", "--verbose", cwd=small_site)
    assert result.exit_code == 1
    assert f"{dead} → 0 feeds notified, {len(changed_feeds(small_site))} failed" in result.output
    assert ": connection refused (3 retries)\n" in result.output
    assert "not sent, as the hub could not be reached" in result.output
    assert waits and sorted(waits) == sorted([1.0, 2.0, 4.0] * (len(waits) // 3))  # each feed tried: 1, 2, 4 s
    assert "notifications not delivered: run `briefgen ping` again" in result.output


def test_a_dry_run_lists_and_sends_nothing(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    result = run_cli("ping", "--dry-run", cwd=small_site)
    assert result.exit_code == 0, result.output
    assert hub.received == []
    assert f"{hub.url} → would notify {len(changed_feeds(small_site))} feeds" in result.output
    assert f"  {BASE}feed.xml\n" in result.output and "Dry run: nothing was sent." in result.output
    assert "would notify" in run_cli("ping", "--dry-run", cwd=small_site).output  # nothing recorded as sent


def test_without_hubs_there_is_nothing_to_ping(small_site):
    build(small_site)
    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 0
    assert "Nothing to ping: no hubs configured — add `websub: {hubs: [URL]}` to briefgen.yaml." in result.output


def test_before_any_build_there_is_nothing_to_ping(small_site, hub):
    result = run_cli("ping", cwd=with_hubs(small_site, hub.url))
    assert result.exit_code == 0 and hub.received == []
    assert "Nothing to ping: no build has recorded feed changes yet — run `briefgen build` first." in result.output


def test_only_hubs_the_feeds_were_built_with_are_told(small_site, hub, waits):
    build(with_hubs(small_site, hub.url))
    later = "https://hub.example.net/"
    with_hubs(small_site, hub.url, later)  # added after the build: the feeds do not name it yet
    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 0, result.output
    assert f"note: {later} is not told: the last build's feeds do not name it" in result.output
    assert hub.feeds() == changed_feeds(small_site)

    with_hubs(small_site, later)
    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 0
    assert f"note: {hub.url} is not told: it is no longer in websub.hubs" in result.output
    assert "Nothing to ping: the last build's feeds name none of the configured hubs" in result.output


def test_a_broken_config_is_a_message_not_a_traceback(small_site):
    (small_site / "briefgen.yaml").write_text(BASIC_CONFIG + "websub: {hubs: [not a url]}\n")
    result = run_cli("ping", cwd=small_site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Ping failed with 1 error." in result.output


# ---- retries, without the command ---------------------------------------------------------------------------


def test_retries_wait_one_two_then_four_seconds_and_say_how_often(hub):
    hub.reply = lambda feed, n: (503, {}, b"")
    waited: list[float] = []
    result = ping.notify_hub(hub.url, [BASE + "feed.xml"], ping.PingOptions(retries=3, sleep=waited.append))
    assert waited == [1.0, 2.0, 4.0] and len(hub.received) == 4
    assert result.notified == () and result.failures == (
        ping.Failure(BASE + "feed.xml", "HTTP 503 (Service Unavailable) (3 retries)"),)


def test_a_redirect_is_reported_not_followed(hub):
    hub.reply = lambda feed, n: (301, {"Location": "https://elsewhere.example/"}, b"")
    result = ping.notify_hub(hub.url, [BASE + "feed.xml"], ping.PingOptions(sleep=lambda seconds: None))
    assert result.failures[0].reason == "HTTP 301: the hub moved to https://elsewhere.example/ — update websub.hubs"
    assert len(hub.received) == 1


def test_accepted_answers_are_any_2xx(hub):
    hub.reply = lambda feed, n: (202, {}, b"queued")
    result = ping.notify_hub(hub.url, [BASE + "feed.xml", BASE + "atom.xml"], ping.PingOptions())
    assert result.notified == (BASE + "feed.xml", BASE + "atom.xml") and result.failures == ()


# ---- the Pages workflow -------------------------------------------------------------------------------------


def test_the_init_workflow_pings_after_deploying_and_builds_daily(tmp_path):
    assert run_cli("init", str(tmp_path / "site")).exit_code == 0
    path = tmp_path / "site/.github/workflows/pages.yml"
    workflow = yaml.safe_load(path.read_text())
    assert {"cron": "23 5 * * *"} in workflow[True]["schedule"]  # YAML 1.1 reads the key `on` as true
    build_steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("uses", step.get("run", "")) for step in build_steps]
    built = next(i for i, name in enumerate(names) if "briefgen build" in name)
    upload = next(i for i, name in enumerate(names) if name.startswith("actions/upload-artifact@v4"))
    assert built < upload
    assert build_steps[upload]["with"] == {"name": "websub-record", "path": ".briefgen-cache/websub.json",
                                           "if-no-files-found": "ignore", "include-hidden-files": True}

    job = workflow["jobs"]["ping"]
    assert job["needs"] == "deploy"
    steps = job["steps"]
    download = next(step for step in steps if step.get("uses", "").startswith("actions/download-artifact@v4"))
    assert download["with"] == {"name": "websub-record", "path": ".briefgen-cache"}
    assert download.get("continue-on-error") is True  # a site without hubs uploads no record
    runs = [step.get("run", "") for step in steps]
    assert f'python -m pip install "briefgen=={__version__}"' in runs
    assert steps.index(download) < runs.index("briefgen ping")

    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                              str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
