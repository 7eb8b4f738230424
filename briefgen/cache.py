"""The persistent build cache: ``.briefgen-cache/cache.sqlite`` beside the config (stdlib ``sqlite3``).

It remembers, per content file, what parsing it gave (keyed by the file's bytes and the *build key*: briefgen's
version, the config and the theme), and per output file the fingerprint of the inputs it was rendered from.
Output fingerprints are trusted only while the output folder's marker names the build that recorded them, so a
site changed behind briefgen's back is rebuilt, not patched. A corrupt, locked or foreign cache file means a
clean rebuild, never a wrong site.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import json
import marshal
import pickle
import shutil
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from briefgen import __version__
from briefgen.errors import BuildFailed
from briefgen.faults import doing, os_problem

CACHE_DIR = ".briefgen-cache"
SCHEMA = 11
NEARLY_FULL_BYTES = 1 << 20
RACY_NS = 2_000_000_000  # a file modified this close to when it was read may change again unnoticed by its stat
NO_CACHE = "or build without it: --no-cache"
# SQLite's words for faults of the machine, and the error they are
_SQLITE_FAULTS = (("readonly", errno.EROFS), ("read-only", errno.EROFS), ("disk is full", errno.ENOSPC),
                  ("unable to open", errno.EACCES), ("disk i/o error", errno.EIO), ("out of memory", errno.ENOMEM))


def digest(*parts: bytes | str) -> str:
    """A short hash of the parts (text parts are joined with a separator that never occurs in them)."""
    hasher = hashlib.blake2b(digest_size=16)
    if parts and all(isinstance(part, str) for part in parts):  # one encode: the same bytes as part by part
        hasher.update(("\x00\x1f".join(parts) + "\x00\x1f").encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()
    for part in parts:
        if isinstance(part, str):
            hasher.update(part.encode("utf-8", "surrogatepass") + b"\x00\x1f")
        else:
            hasher.update(len(part).to_bytes(8, "little") + part)
    return hasher.hexdigest()


def source_digest(shown: str, raw: bytes) -> str:
    """What a content file's parse results are keyed by: its bytes and its path (which gives its slug, and so the
    address its feed entry's and search record's links are made from)."""
    return digest(shown, raw)


@dataclass(frozen=True)
class SourceEntry:
    """What one content file gave last time."""

    mtime_ns: int
    size: int
    digest: str
    value: Any  # the parse result (a briefing's metadata and its problems), as the build stored it
    recorded_ns: int = 0  # when the file was read: a file changed in the same instant is checked by content


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


class BuildCache:
    """A small key-value store over SQLite; every method degrades to "nothing cached" on a database error."""

    def __init__(self, path: Path | None, build_key: str):
        self.path = path
        self.build_key = build_key
        self._db = self._open() if path is not None else None
        self._inherited: sqlite3.Connection | None = None

    # ---- opening ----------------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection | None:
        with doing("opening the build cache", self.path, NO_CACHE):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n")
        for attempt in range(2):
            try:
                db = sqlite3.connect(self.path, timeout=2, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                stored = dict(db.execute("SELECT key, value FROM meta"))
                if stored.get("schema") != str(SCHEMA) or stored.get("build_key") != self.build_key:
                    db.executescript("DROP TABLE IF EXISTS sources; DROP TABLE IF EXISTS entries;"
                                     "DROP TABLE IF EXISTS outputs; DROP TABLE IF EXISTS words;"
                                     "DROP TABLE IF EXISTS search; DROP TABLE IF EXISTS bodies;"
                                     "DROP TABLE IF EXISTS images;"
                                     "DELETE FROM meta;")
                    db.executemany("INSERT INTO meta VALUES (?, ?)",
                                   [("schema", str(SCHEMA)), ("build_key", self.build_key),
                                    ("version", __version__)])
                db.executescript("""
                    CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER,
                                                        digest TEXT, value BLOB, recorded_ns INTEGER);
                    CREATE TABLE IF NOT EXISTS entries (digest TEXT PRIMARY KEY, html BLOB);
                    CREATE TABLE IF NOT EXISTS outputs (tree TEXT PRIMARY KEY, marker TEXT, fingerprints BLOB);
                    CREATE TABLE IF NOT EXISTS words (digest TEXT PRIMARY KEY, words BLOB);
                    CREATE TABLE IF NOT EXISTS bodies (digest TEXT PRIMARY KEY, body BLOB);
                    CREATE TABLE IF NOT EXISTS search (name TEXT PRIMARY KEY, data BLOB);
                    CREATE TABLE IF NOT EXISTS images (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER,
                                                       recorded_ns INTEGER, file BLOB);
                """)
                return db
            except (sqlite3.Error, OSError) as error:
                self._raise_fault(error, "opening the build cache")
                if attempt == 0 and self.path.exists():
                    self._discard()
        return None

    def _raise_fault(self, error: Exception, activity: str) -> None:
        """A cache the machine will not let briefgen read or write (read-only, full disk, permissions) is an error
        the user must hear about; a corrupt or foreign one is only dropped (the build starts clean)."""
        if isinstance(error, OSError):
            raise BuildFailed([os_problem(error, activity, self.path, NO_CACHE)]) from None
        message = str(error).lower()
        for words, code in _SQLITE_FAULTS:
            if words in message:
                if code == errno.EIO and _nearly_full(self.path.parent):
                    code = errno.ENOSPC  # SQLite says "disk I/O error" when its journal finds no room
                raise BuildFailed([os_problem(OSError(code, message), activity, self.path, NO_CACHE)]) from None

    def _discard(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(str(self.path) + suffix).unlink()
            except OSError:
                pass

    def reconnect(self) -> None:
        """In a forked process: a connection of its own, for reading. The parent's is kept referenced and never
        used or closed here (closing it could checkpoint the parent's database); forked workers end with
        ``os._exit``, which closes nothing."""
        if self._db is not None:
            self._inherited = self._db
            try:
                self._db = sqlite3.connect(self.path, timeout=2, isolation_level=None)
                self._db.execute("PRAGMA query_only=1")
            except sqlite3.Error:
                self._db = None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _safely(self, action, default=None):
        if self._db is None:
            return default
        try:
            return action(self._db)
        except (sqlite3.Error, OSError) as error:
            self._drop()
            self._raise_fault(error, "using the build cache")
            return default
        except (pickle.PickleError, zlib.error, EOFError, AttributeError, TypeError, ValueError):
            self._drop()  # a broken cache is dropped for the rest of the build
            return default

    def _drop(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    # ---- sources ----------------------------------------------------------------------------------------

    def sources(self) -> dict[str, SourceEntry]:
        def read(db):
            return {path: SourceEntry(mtime, size, file_digest, pickle.loads(value), recorded)
                    for path, mtime, size, file_digest, value, recorded in db.execute("SELECT * FROM sources")}
        # unpickling tens of thousands of small objects triggers the cycle collector over and over: pause it
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._safely(read, {})
        finally:
            gc.freeze()  # long-lived from here on: later collections need not walk them again
            if collecting:
                gc.enable()

    def source_stats(self) -> dict[str, tuple[int, int, int]]:
        """path → (mtime_ns, size, recorded_ns), without loading what parsing gave."""
        return self._safely(lambda db: {path: (mtime, size, recorded) for path, mtime, size, recorded in
                                        db.execute("SELECT path, mtime_ns, size, recorded_ns FROM sources")}, {})

    def put_sources(self, entries: Iterable[tuple[str, SourceEntry]], keep: set[str]) -> None:
        def write(db):
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
                           [(path, e.mtime_ns, e.size, e.digest, pickle.dumps(e.value, pickle.HIGHEST_PROTOCOL),
                             e.recorded_ns) for path, e in entries])
            gone = [(path,) for (path,) in db.execute("SELECT path FROM sources") if path not in keep]
            db.executemany("DELETE FROM sources WHERE path = ?", gone)
            db.execute("COMMIT")
        self._safely(write)

    # ---- image files: what each is (see briefgen.images.files), by path, size and time --------------------

    def images(self) -> dict[str, tuple[int, int, int, Any]]:
        """path → (mtime_ns, size, recorded_ns, ImageFile)."""
        return self._safely(lambda db: {path: (mtime, size, recorded, pickle.loads(file)) for path, mtime, size,
                                        recorded, file in db.execute("SELECT * FROM images")}, {})

    def put_images(self, files: dict[str, tuple[int, int, int, Any]], keep: set[str]) -> None:
        def write(db):
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO images VALUES (?, ?, ?, ?, ?)",
                           [(path, mtime, size, recorded, pickle.dumps(file, pickle.HIGHEST_PROTOCOL))
                            for path, (mtime, size, recorded, file) in files.items()])
            gone = [(path,) for (path,) in db.execute("SELECT path FROM images") if path not in keep]
            db.executemany("DELETE FROM images WHERE path = ?", gone)
            db.execute("COMMIT")
        self._safely(write)

    # ---- feed entry HTML, by source digest ----------------------------------------------------------------

    def entries(self, digests: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(digests))

        def read(db):
            found = {}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = db.execute(f"SELECT digest, html FROM entries WHERE digest IN ({','.join('?' * len(chunk))})",
                                  chunk)
                found.update((key, zlib.decompress(html).decode("utf-8")) for key, html in rows)
            return found
        return self._safely(read, {})

    def put_entries(self, entries: dict[str, bytes]) -> None:
        """Feed content by source digest, zlib-compressed UTF-8."""
        self._put_by_digest("entries", entries)

    def prune_entries(self, keep: set[str]) -> None:
        self._prune_by_digest("entries", keep)

    def _put_by_digest(self, table: str, rows: dict[str, bytes]) -> None:
        def write(db):
            db.execute("BEGIN")
            db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows.items())
            db.execute("COMMIT")
        if rows:
            self._safely(write)

    def _prune_by_digest(self, table: str, keep: set[str]) -> None:
        def prune(db):
            gone = [(key,) for (key,) in db.execute(f"SELECT digest FROM {table}") if key not in keep]
            db.executemany(f"DELETE FROM {table} WHERE digest = ?", gone)
        self._safely(prune)

    # ---- whole briefings, by source digest: what a page is rendered from when the file has not changed -----

    def bodies(self, digests: Iterable[str]) -> dict[str, bytes]:
        return self._rows("SELECT digest, body FROM bodies WHERE digest IN ({})", list(dict.fromkeys(digests)))

    def prepared(self) -> set[str]:
        """The digests whose whole briefing and feed content are both kept."""
        return self._safely(lambda db: {key for (key,) in db.execute(
            "SELECT digest FROM bodies JOIN entries USING (digest)")}, set())

    def put_bodies(self, bodies: dict[str, bytes]) -> None:
        self._put_by_digest("bodies", bodies)

    def prune_bodies(self, keep: set[str]) -> None:
        self._prune_by_digest("bodies", keep)

    # ---- search: each briefing's words by source digest, and the index's word shards and state -----------

    def words(self, digests: Iterable[str]) -> dict[str, bytes]:
        return self._rows("SELECT digest, words FROM words WHERE digest IN ({})", list(dict.fromkeys(digests)))

    def put_words(self, words: dict[str, bytes]) -> None:
        self._put_by_digest("words", words)

    def prune_words(self, keep: set[str]) -> None:
        self._prune_by_digest("words", keep)

    def search_state(self, space: str = "") -> Any:
        """The search index's state as :meth:`put_search` stored it, or None (also when it is damaged: the
        index is then rebuilt, and the rest of the cache stays in use). ``space``: a language's folder ("es/"),
        whose index is kept apart from the others."""
        row = self._safely(lambda db: db.execute("SELECT data FROM search WHERE name = ?", (space,)).fetchone())
        try:
            return marshal.loads(zlib.decompress(row[0])) if row is not None else None
        except (zlib.error, EOFError, ValueError, TypeError):
            return None

    def search_shards(self, names: Iterable[str], space: str = "") -> dict[str, bytes]:
        found = self._rows("SELECT name, data FROM search WHERE name IN ({})", [space + n for n in names if n])
        return {name[len(space):]: data for name, data in found.items()}

    def put_search(self, state: Any, changed: dict[str, bytes], gone: Iterable[str] | None, space: str = "") -> None:
        """The index's state (plain data) with its changed word shards; ``gone``: shards it no longer has
        (None: every stored shard of its space that is not in ``changed``)."""
        def write(db):
            db.execute("BEGIN")
            if gone is None and space:
                db.execute("DELETE FROM search WHERE substr(name, 1, ?) = ?", (len(space), space))
            elif gone is None:  # the default language's rows are the names without a language folder
                db.execute("DELETE FROM search WHERE instr(name, '/') = 0")
            else:
                db.executemany("DELETE FROM search WHERE name = ?", [(space + name,) for name in gone])
            db.executemany("INSERT OR REPLACE INTO search VALUES (?, ?)",
                           [(space + name, data) for name, data in changed.items()])
            db.execute("INSERT OR REPLACE INTO search VALUES (?, ?)", (space, zlib.compress(marshal.dumps(state), 1)))
            db.execute("COMMIT")
        self._safely(write)

    def _rows(self, query: str, keys: list[str]) -> dict[str, bytes]:
        def read(db):
            found = {}
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                found.update(db.execute(query.format(",".join("?" * len(chunk))), chunk))
            return found
        return self._safely(read, {})

    # ---- outputs ----------------------------------------------------------------------------------------

    def outputs(self, marker: str, tree: str = "site") -> dict:
        """Fingerprints of the files of ``tree`` ("site" or "spare"; "site-sizes" and "spare-sizes" give their
        byte sizes), if the folder's marker is still the one recorded with them."""
        def read(db):
            row = db.execute("SELECT marker, fingerprints FROM outputs WHERE tree = ?", (tree,)).fetchone()
            if row is None or row[0] != marker or not marker:
                return {}
            return marshal.loads(zlib.decompress(row[1]))
        return self._safely(read, {})

    def put_outputs(self, site: tuple[dict[str, str], str], spare: tuple[dict[str, str], str] | None,
                    summary: dict[str, Any], sizes: tuple[dict[str, int], dict[str, int]] = ({}, {})) -> None:
        """The (fingerprints, marker) of a site that has just been swapped in and of the spare beside it, the
        byte sizes of their files, and a summary for a later build with nothing to do. Each tree's values are
        one compressed value: a build reads and writes all of them at once."""
        spare = spare or ({}, "")
        trees = (("site", site), ("spare", spare), ("site-sizes", (sizes[0], site[1])),
                 ("spare-sizes", (sizes[1], spare[1])))

        def write(db):
            db.execute("BEGIN")
            for tree, (values, marker) in trees:
                db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)",
                           (tree, marker, zlib.compress(marshal.dumps(values), 1)))
            for tree, (_, marker) in trees[:2]:
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"{tree}_marker", marker))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('summary', ?)", (json.dumps(summary),))
            db.execute("COMMIT")
        self._safely(write)

    def related(self, key: str) -> dict[str, list[str]] | None:
        """Each briefing's related briefings (slugs) as last worked out, if that was for the same ``key``."""
        def read(db):
            row = db.execute("SELECT value FROM meta WHERE key = 'related'").fetchone()
            if row is None:
                return None
            stored = json.loads(row[0])
            return stored["related"] if stored["key"] == digest(key) else None
        return self._safely(read)

    def put_related(self, key: str, related: dict[str, list[str]]) -> None:
        self._safely(lambda db: db.execute("INSERT OR REPLACE INTO meta VALUES ('related', ?)",
                                           (json.dumps({"key": digest(key), "related": related}),)))

    def forget_outputs(self) -> None:
        """Before the output folder changes: if the build dies now, no stale fingerprint survives."""
        self._safely(lambda db: db.executescript(
            "DELETE FROM outputs; DELETE FROM meta WHERE key IN ('site_marker', 'spare_marker');"))

    def summary(self, output_marker: str) -> dict[str, Any] | None:
        def read(db):
            rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('site_marker', 'summary')"))
            if rows.get("site_marker") != output_marker or "summary" not in rows:
                return None
            return json.loads(rows["summary"])
        return self._safely(read)
