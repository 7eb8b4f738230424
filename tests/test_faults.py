"""Faults of the machine, injected at each point where a build reads or writes: one clear message, the old site
byte for byte, no leftovers, and the next build equal to a cold one."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import run_cli
from helpers import tree

from briefgen import build as build_module
from briefgen import write as write_module
from briefgen.build import BuildOptions, build, lock_path
from briefgen.cache import BuildCache
from briefgen.config import load_config
from briefgen.errors import BuildFailed
from briefgen.faults import SiteLock, cause, os_problem


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", str(args[0]) if args else None)


def read_only(*args, **kwargs):
    raise OSError(errno.EROFS, "Read-only file system", str(args[0]) if args else None)


def across_disks(path):
    raise OSError(errno.EXDEV, "Invalid cross-device link", str(path))


def denied(path):
    raise OSError(errno.EACCES, "Permission denied", path)


def sqlite_full(*args, **kwargs):
    raise sqlite3.OperationalError("database or disk is full")


def sqlite_read_only(*args, **kwargs):
    raise sqlite3.OperationalError("attempt to write a readonly database")


_OPEN = open


def failing_writes(*args, **kwargs):
    """``open`` for writing into the new site fails as on a full disk; everything else still works."""
    mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
    if any(flag in mode for flag in "wax+") and ".briefgen-tmp-" in str(args[0]):
        raise OSError(errno.ENOSPC, "No space left on device", str(args[0]))
    return _OPEN(*args, **kwargs)


# (what is broken, where, the injected fault, the words the user must read)
FAULTS = [
    ("a new file in the staging folder", "builtins.open", failing_writes, "writing the site failed: the disk is full"),
    ("a file replaced in the spare", "briefgen.write.os.replace", disk_full, "the disk is full"),
    ("the staging folder itself", "briefgen.write.tempfile.mkdtemp", read_only,
     "preparing the new site beside the output folder failed: the file system is read-only"),
    ("the swap into place", "briefgen.write._swap", disk_full, "putting the new site in place failed"),
    ("a swap across disks", "briefgen.write._swap", lambda new, output, spare: across_disks(output),
     "are on different disks"),
    ("the content folder", "briefgen.build.discover", lambda *args, **kwargs: denied("content"),
     "reading the content folder failed: permission denied"),
    ("the cache's outputs", "briefgen.cache.BuildCache.forget_outputs", lambda cache: cache._safely(sqlite_full),
     "using the build cache failed: the disk is full"),
]


@pytest.fixture
def site(small_site) -> Path:
    """A site built once (cold), then built again so that a spare exists, then edited: the next build has work."""
    for _ in range(2):
        assert run_cli("build", cwd=small_site).exit_code == 0
    (small_site / "content/2025-11-30-call.md").write_text(
        (small_site / "content/2025-11-30-call.md").read_text() + "\nOne more line.\n")
    return small_site


def leftovers(root: Path) -> list[str]:
    found = [p.name for p in root.iterdir() if p.name.startswith((".briefgen-tmp-", ".briefgen-old-"))]
    found += [p.as_posix() for p in root.rglob("*.briefgen-new")]
    return found


def cold(root: Path, into: Path) -> dict[str, bytes]:
    assert run_cli("build", "--no-cache", "--output", str(into), cwd=root).exit_code == 0
    return tree(into)


@pytest.mark.parametrize("what, target, fault, words", FAULTS, ids=[fault[0] for fault in FAULTS])
def test_a_fault_is_one_clear_error_the_old_site_stays_and_the_next_build_is_right(site, monkeypatch, tmp_path,
                                                                                    what, target, fault, words):
    before = tree(site / "site")
    if "staging" in what:  # no spare to bring up to date: a fresh folder is written
        shutil.rmtree(site / ".site.briefgen-spare")
    with monkeypatch.context() as patched:
        patched.setattr(target, fault)
        result = run_cli("build", cwd=site)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert words in result.output, result.output
    assert "— " in result.output  # what to do
    assert tree(site / "site") == before
    assert leftovers(site) == []
    assert run_cli("build", cwd=site).exit_code == 0
    assert tree(site / "site") == cold(site, tmp_path / "cold")


def test_a_cache_that_cannot_be_written_is_named_with_a_way_out(site, monkeypatch):
    before = tree(site / "site")
    monkeypatch.setattr(BuildCache, "put_sources", lambda cache, *args, **kwargs: cache._safely(sqlite_read_only))
    result = run_cli("build", cwd=site)
    assert result.exit_code == 1
    assert ".briefgen-cache/build.sqlite" in result.output
    assert "using the build cache failed: the file system is read-only" in result.output
    assert "--no-cache" in result.output
    assert "the new site is in place" in result.output  # the cache failed after the swap
    assert tree(site / "site") != before


def test_a_cache_saved_only_in_part_is_not_trusted(site, monkeypatch, tmp_path):
    monkeypatch.setattr(BuildCache, "put_outputs", lambda cache, *args, **kwargs: cache._safely(sqlite_full))
    assert run_cli("build", cwd=site).exit_code == 1
    monkeypatch.undo()
    (site / "content/2025-09-01-background.md").write_text(
        (site / "content/2025-09-01-background.md").read_text() + "\nEdited after the failure.\n")
    assert run_cli("build", cwd=site).exit_code == 0
    assert tree(site / "site") == cold(site, tmp_path / "cold")


def test_a_cache_folder_that_cannot_be_made(small_site, monkeypatch):
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name == ".briefgen-cache":
            raise OSError(errno.EACCES, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    result = run_cli("build", cwd=small_site)
    assert result.exit_code == 1
    assert "permission denied" in result.output and "--no-cache" in result.output
    assert "Traceback" not in result.output


def test_no_cache_needs_a_temporary_folder(small_site, monkeypatch):
    monkeypatch.setattr(tempfile, "TemporaryDirectory", lambda *a, **k: disk_full(tempfile.gettempdir()))
    result = run_cli("build", "--no-cache", cwd=small_site)
    assert result.exit_code == 1
    assert "making a temporary cache folder failed: the disk is full" in result.output


def test_a_failed_write_in_place_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(write_module.os, "replace", disk_full)
    with pytest.raises(OSError):
        write_module.replace_file(tmp_path, "page/index.html", b"<p>new</p>")
    assert list(tmp_path.rglob("*.briefgen-new")) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EMFILE, errno.ENAMETOOLONG,
                                  errno.EXDEV, errno.EIO])
def test_each_cause_is_said_in_plain_words_with_a_remedy(code):
    reason, remedy = cause(OSError(code, os.strerror(code)))
    assert reason and remedy and os.strerror(code).lower() not in remedy
    problem = os_problem(OSError(code, os.strerror(code), "/x/y"), "writing the site")
    assert str(problem).startswith("/x/y: writing the site failed: ")


def test_an_unknown_errno_keeps_the_systems_words():
    assert cause(OSError(errno.ETIMEDOUT, "Connection timed out"))[0] == "connection timed out"


# ---- two builds at once ---------------------------------------------------------------------------------------


def test_a_second_build_waits_for_the_first_and_names_it(small_site):
    config = load_config(small_site / "briefgen.yaml")
    told = []
    with SiteLock(lock_path(config.output_path), "the output folder"):
        started = time.monotonic()
        with pytest.raises(BuildFailed) as failure:
            build(config, BuildOptions(lock_timeout=0.5, on_wait=told.append))
        assert time.monotonic() - started >= 0.5
    message = str(failure.value)
    assert f"process {os.getpid()}" in message and "is still writing the output folder" in message
    assert told and f"process {os.getpid()}" in told[0]
    assert not (small_site / "site").exists()


def test_a_waiting_build_goes_on_when_the_first_finishes(small_site):
    config = load_config(small_site / "briefgen.yaml")
    lock = SiteLock(lock_path(config.output_path), "the output folder")
    lock.__enter__()
    threading.Timer(0.3, lock.__exit__, args=(None, None, None)).start()
    result = build(config, BuildOptions(lock_timeout=10))
    assert result.briefings == 3


def test_a_lock_left_by_a_killed_build_is_taken_over(small_site):
    config = load_config(small_site / "briefgen.yaml")
    lock_path(config.output_path).write_text("pid: 999999\nsince: 2026-01-01 00:00:00\n")  # nobody holds it
    assert build(config, BuildOptions(lock_timeout=0)).briefings == 3


def test_two_builds_of_one_cache_never_write_it_together(small_site, tmp_path):
    config = load_config(small_site / "briefgen.yaml")
    cache = build_module.cache_file(config)
    cache.parent.mkdir(parents=True, exist_ok=True)
    with SiteLock(cache.with_suffix(".lock"), "the build cache"):
        result = run_cli("build", "--output", str(tmp_path / "elsewhere"), "--wait", "0", cwd=small_site)
    assert result.exit_code == 1
    assert f"process {os.getpid()}" in result.output and "the build cache" in result.output


def test_clean_refuses_while_a_build_runs(small_site):
    assert run_cli("build", cwd=small_site).exit_code == 0
    config = load_config(small_site / "briefgen.yaml")
    with SiteLock(lock_path(config.output_path), "the output folder"):
        result = run_cli("clean", cwd=small_site)
    assert result.exit_code == 1 and "still writing" in result.output
    assert (small_site / "site").is_dir()
    assert run_cli("clean", cwd=small_site).exit_code == 0
    assert not lock_path(config.output_path).exists()


def test_stale_temporary_folders_are_removed_by_the_next_build(site):
    stale = site / ".briefgen-tmp-site-leftover"
    stale.mkdir()
    (stale / "index.html").write_text("half a site")
    assert run_cli("build", cwd=site).exit_code == 0
    assert not stale.exists()
