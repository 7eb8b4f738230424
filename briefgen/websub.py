"""WebSub: which feeds a build changed, kept for ``briefgen ping`` in ``.briefgen-cache/websub.json``.

A build that names hubs (config ``websub.hubs``) compares the bytes of every feed it made with what the last build
recorded: the feeds whose bytes changed are the ones to announce. The record holds the digest of every feed (the
next build compares with them), the feeds this build changed (absolute URLs), the hubs they name, and which hub
has already been told of which feed (so that ``briefgen ping`` run again retries only what failed).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.cache import CACHE_DIR
from briefgen.config import SiteConfig
from briefgen.errors import BuildFailed, Problem

RECORD_NAME = "websub.json"
RECORD_VERSION = 1


@dataclass
class PingRecord:
    built: str  # when the build that changed the feeds ran (ISO 8601)
    hubs: tuple[str, ...]
    changed: tuple[str, ...]  # absolute URLs of the feeds whose bytes the build changed, in site order
    digests: dict[str, str] = field(default_factory=dict)  # every feed's path in the site → sha256 of its bytes
    delivered: dict[str, list[str]] = field(default_factory=dict)  # hub → the changed feeds it accepted
    # `briefgen ping` has run on this record: what it could not deliver is carried into the next build's record (a
    # record that was never pinged here, such as one a CI job uploads, is replaced whole)
    pinged: bool = False

    def pending(self, hub: str) -> list[str]:
        done = set(self.delivered.get(hub, ()))
        return [feed for feed in self.changed if feed not in done]


def record_path(config: SiteConfig) -> Path:
    return config.root / CACHE_DIR / RECORD_NAME


def read_record(path: Path) -> PingRecord | None:
    """The record at ``path``; None when there is none (no build with hubs yet) or it is unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != RECORD_VERSION:
            return None
        return PingRecord(built=str(data["built"]), hubs=tuple(data["hubs"]), changed=tuple(data["changed"]),
                          digests=dict(data["digests"]), delivered={h: list(f) for h, f in data["delivered"].items()},
                          pinged=data.get("pinged") is True)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_record(path: Path, record: PingRecord) -> None:
    """Write the record whole (a temporary file renamed over it), or raise :class:`BuildFailed`."""
    data = {"version": RECORD_VERSION, "built": record.built, "hubs": list(record.hubs),
            "changed": list(record.changed), "delivered": record.delivered, "digests": record.digests,
            "pinged": record.pinged}
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise BuildFailed([Problem(str(path), message=f"cannot record the changed feeds: {exc.strerror or exc}",
                                   hint="make room or fix the folder's permissions, then build again")]) from None


def feed_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


FEED_NAMES = ("feed.xml", "atom.xml", "feed.json")


def record_build(config: SiteConfig, fingerprints: dict[str, str], before: dict[str, str], built: str) -> None:
    """After a build that swapped its site in: record which feeds changed. ``fingerprints`` are the new site's
    files, ``before`` those of the site it replaced; a feed whose fingerprint is the same was carried over
    unchanged, and only the others are read and compared by bytes."""
    path = record_path(config)
    last = read_record(path)
    known = last.digests if last else {}
    changed, digests = [], {}
    for route in sorted(route for route in fingerprints if route.rsplit("/", 1)[-1] in FEED_NAMES):
        if fingerprints[route] == before.get(route) and route in known:
            digests[route] = known[route]
            continue
        file = config.output_path / route
        try:
            digests[route] = feed_digest(file.read_bytes())
        except OSError as exc:
            raise BuildFailed([Problem(str(file), message=f"cannot read the feed: {exc.strerror or exc}",
                                       hint="build again")]) from None
        if known.get(route) != digests[route]:
            changed.append(config.base_url + route)
    carried = _undelivered(last, config.websub.hubs) if last is not None and last.pinged else {}
    feeds = list(dict.fromkeys(changed + [feed for pending in carried.values() for feed in pending]))
    delivered = {hub: [feed for feed in feeds if feed not in changed and feed not in carried.get(hub, ())]
                 for hub in config.websub.hubs}
    write_record(path, PingRecord(built=built, hubs=config.websub.hubs, changed=tuple(feeds), digests=digests,
                                  delivered={hub: done for hub, done in delivered.items() if done}))


def _undelivered(record: PingRecord, hubs: tuple[str, ...]) -> dict[str, list[str]]:
    """What a ping of the last record could not deliver, by hub still configured."""
    return {hub: record.pending(hub) for hub in record.hubs if hub in hubs and record.pending(hub)}
