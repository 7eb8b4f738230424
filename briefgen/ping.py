"""``briefgen ping``: tell the WebSub hubs which feeds the last build changed.

For every hub that the config and the last build's feeds both name, and every changed feed that hub has not
accepted yet, one publish notification (a form POST of ``hub.mode=publish&hub.url=<feed>``). Connection failures,
timeouts, 429 and 5xx answers are asked again after a growing wait; other answers are final. After each hub the
record (``websub.json``) learns which feeds that hub accepted, so running the command again sends only the rest.
"""

from __future__ import annotations

import datetime as dt
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from briefgen import __version__
from briefgen.config import SiteConfig
from briefgen.websub import PingRecord, read_record, record_path, write_record

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3
FIRST_WAIT = 1.0  # seconds before the first retry; doubled before each next one
MAX_RETRY_AFTER = 60.0  # a hub's Retry-After is honoured up to this
BODY_SHOWN = 200  # characters of a refusal's body in the report
# Feeds of one hub notified at once: an edit changes the site's feeds and those of each of the briefing's tags,
# regions, actors and story (three formats each), often twenty requests or more, and most of their time is waiting.
WORKERS = 4


@dataclass(frozen=True)
class PingOptions:
    timeout: float = DEFAULT_TIMEOUT  # seconds for each request
    retries: int = DEFAULT_RETRIES
    sleep: Callable[[float], None] = time.sleep  # how to wait between tries (tests pass one that does not)


@dataclass(frozen=True)
class Failure:
    feed: str
    reason: str  # in plain words: "HTTP 400: …", "connection refused (3 retries)"


@dataclass(frozen=True)
class PingResult:
    """What one hub was told."""

    hub: str
    notified: tuple[str, ...]  # feeds the hub accepted
    failures: tuple[Failure, ...]
    unsent: tuple[str, ...] = ()  # feeds not tried once the hub could not be reached for another one


@dataclass(frozen=True)
class PingPlan:
    """What there is to do: each hub to tell and the feeds it still lacks, or why there is nothing."""

    record: PingRecord | None = None
    pending: dict[str, list[str]] = field(default_factory=dict)  # hub → feeds it has not accepted yet
    notes: tuple[str, ...] = ()  # hubs left out, and why
    idle: str = ""  # why there is nothing to send ("" when there is something)


# ---- what to send -------------------------------------------------------------------------------------------


def plan_pings(config: SiteConfig) -> PingPlan:
    if not config.websub.hubs:
        return PingPlan(idle="no hubs configured — add `websub: {hubs: [URL]}` to briefgen.yaml")
    record = read_record(record_path(config))
    if record is None:
        return PingPlan(idle="no build has recorded feed changes yet — run `briefgen build` first")
    notes = _left_out(config.websub.hubs, record.hubs)
    hubs = [hub for hub in config.websub.hubs if hub in record.hubs]  # feeds name only the hubs they were built with
    if not hubs:
        return PingPlan(record, notes=notes, idle="the last build's feeds name none of the configured hubs — run "
                                                  "`briefgen build`, then `briefgen ping`")
    pending = {hub: record.pending(hub) for hub in hubs}
    if any(pending.values()):
        return PingPlan(record, pending, notes)
    when = _local_time(record.built, config.tz)
    if not record.changed:
        return PingPlan(record, pending, notes, idle=f"the last build (at {when}) changed no feed")
    count = len(record.changed)
    return PingPlan(record, pending, notes, idle=f"all {count} feed{'s' if count != 1 else ''} the last build "
                                                 f"(at {when}) changed were already delivered")


def _left_out(configured: tuple[str, ...], recorded: tuple[str, ...]) -> tuple[str, ...]:
    new = [f"{hub} is not told: the last build's feeds do not name it — run `briefgen build` first"
           for hub in configured if hub not in recorded]
    gone = [f"{hub} is not told: it is no longer in websub.hubs" for hub in recorded if hub not in configured]
    return tuple(new + gone)


def _local_time(iso: str, zone: ZoneInfo) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    except ValueError:
        return iso


# ---- sending ------------------------------------------------------------------------------------------------


def send_pings(path: Path, plan: PingPlan, options: PingOptions,
               on_result: Callable[[PingResult], None] = lambda result: None) -> list[PingResult]:
    """Tell every hub of the plan of its pending feeds; record each hub's deliveries as soon as it is done."""
    results = []
    for hub, feeds in plan.pending.items():
        if not feeds or plan.record is None:  # a plan with pending feeds always has its record
            continue
        result = notify_hub(hub, feeds, options)
        on_result(result)
        _record_delivered(path, plan.record, hub, result.notified)
        results.append(result)
    return results


def _record_delivered(path: Path, planned: PingRecord, hub: str, feeds: tuple[str, ...]) -> None:
    # Read again: a build that ran meanwhile wrote a new record, whose changes are all still to be sent.
    record = read_record(path)
    if record is None or (record.built, record.changed) != (planned.built, planned.changed):
        return
    delivered = record.delivered.setdefault(hub, [])
    delivered.extend(feed for feed in feeds if feed not in delivered)
    record.pinged = True  # what was not delivered now waits for the next ping, even after another build
    write_record(path, record)


@dataclass(frozen=True)
class Answer:
    """How one notification went."""

    reason: str = ""  # why the hub did not accept it; "" when it did
    retry: bool = False  # worth asking again: no answer, a timeout, 429 or 5xx
    wait: float | None = None  # seconds the hub asked for (Retry-After)
    reached: bool = True  # the hub answered at all

    @property
    def accepted(self) -> bool:
        return not self.reason


def notify_hub(hub: str, feeds: list[str], options: PingOptions) -> PingResult:
    unreachable = threading.Event()  # set when the hub did not answer: the feeds not started yet are kept for later

    def notify_one(feed: str) -> Answer | None:
        if unreachable.is_set():
            return None
        answer = notify(hub, feed, options)
        if not answer.reached:
            unreachable.set()
        return answer

    with ThreadPoolExecutor(max_workers=min(WORKERS, len(feeds))) as pool:
        answers = list(pool.map(notify_one, feeds))
    notified, failures, unsent = [], [], []
    for feed, answer in zip(feeds, answers):
        if answer is None:
            unsent.append(feed)
        elif answer.accepted:
            notified.append(feed)
        else:
            failures.append(Failure(feed, answer.reason))
    return PingResult(hub, tuple(notified), tuple(failures), tuple(unsent))


def notify(hub: str, feed: str, options: PingOptions) -> Answer:
    """Tell ``hub`` that ``feed`` changed, asking again after 1, 2, 4… seconds while that may help."""
    request = _publish_request(hub, feed)
    for attempt in range(max(options.retries, 0) + 1):
        answer = _ask(request, options.timeout)
        if answer.accepted or not answer.retry or attempt >= options.retries:
            break
        options.sleep(answer.wait if answer.wait is not None else FIRST_WAIT * 2 ** attempt)
    if answer.retry and options.retries:
        tries = f"{options.retries} retr{'ies' if options.retries != 1 else 'y'}"
        return Answer(f"{answer.reason} ({tries})", retry=True, reached=answer.reached)
    return answer


def _publish_request(hub: str, feed: str) -> urllib.request.Request:
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed}).encode("ascii")
    return urllib.request.Request(hub, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "User-Agent": f"briefgen/{__version__}"})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would arrive as a GET without its form: report the new address instead."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _ask(request: urllib.request.Request, timeout: float) -> Answer:
    try:
        with _OPENER.open(request, timeout=timeout):
            return Answer()  # only 2xx gets here: hubs answer 202 or 204
    except urllib.error.HTTPError as error:
        return _refusal(error)
    except urllib.error.URLError as error:
        return _no_answer(error.reason, timeout)
    except (OSError, http.client.HTTPException) as error:  # a timeout or reset while reading the answer
        return _no_answer(error, timeout)
    except ValueError as error:
        return Answer(f"the hub's address cannot be used ({error})")


def _refusal(error: urllib.error.HTTPError) -> Answer:
    code = error.code
    if 300 <= code < 400:
        moved = error.headers.get("Location", "")
        return Answer(f"HTTP {code}: the hub moved{' to ' + moved if moved else ''} — update websub.hubs")
    body = _body_start(error)
    reason = f"HTTP {code}: {body}" if body else f"HTTP {code} ({error.reason})"
    if code == 429 or code >= 500:
        return Answer(reason, retry=True, wait=_retry_after(error.headers.get("Retry-After", "")))
    return Answer(reason)


def _body_start(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read(BODY_SHOWN * 4)
    except (OSError, http.client.HTTPException):
        return ""
    return " ".join(raw.decode("utf-8", "replace").split())[:BODY_SHOWN]


def _retry_after(value: str) -> float | None:
    """Seconds from a Retry-After header (an HTTP date is ignored: the usual wait applies), at most a minute."""
    value = value.strip()
    return min(float(value), MAX_RETRY_AFTER) if value.isdigit() else None


def _no_answer(reason: object, timeout: float) -> Answer:
    if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError
        return Answer(f"timed out after {timeout:g} s", retry=True, reached=False)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return Answer(f"the hub's certificate is not trusted ({reason.verify_message})", reached=False)
    if isinstance(reason, ConnectionRefusedError):
        words = "connection refused"
    elif isinstance(reason, ConnectionResetError):
        words = "the hub closed the connection"
    elif isinstance(reason, socket.gaierror):
        words = "the hub's host name was not found"
    elif isinstance(reason, OSError):
        words = (reason.strerror or str(reason) or type(reason).__name__).rstrip(".").lower()
    else:
        words = str(reason) or type(reason).__name__
    return Answer(words, retry=True, reached=False)
