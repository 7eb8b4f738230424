"""Faults of the machine made for real, where the machine allows it: a full disk (a small tmpfs filled with
fallocate), a read-only file system (a remount), a file briefgen may not read, too few file handles, and two
builds of one site at once. Each skips with its reason where it cannot run."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from helpers import tree

pytestmark = pytest.mark.slow

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}


def briefgen(*args: str, cwd: Path, preexec=None, wait: bool = True):
    command = [sys.executable, "-m", "briefgen", *args]
    if not wait:
        return subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, preexec_fn=preexec,
                          timeout=300)


def example_site(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "briefgen.yaml", folder)
    shutil.copytree(REPO / "content", folder / "content")
    return folder


def edit(site: Path) -> None:
    first = sorted((site / "content").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")


def leftovers(site: Path) -> list[str]:
    return [p.name for p in site.iterdir() if p.name.startswith((".briefgen-tmp-", ".briefgen-old-"))] + [
        p.as_posix() for p in site.rglob("*.briefgen-new")]


@pytest.fixture
def tmpfs(tmp_path):
    """A 40 MB tmpfs of its own (needs root and mount)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40M", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["mount", "-o", "remount,rw", str(mount)], capture_output=True)
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path) -> Path:
    free = shutil.disk_usage(disk).free
    filler = disk / "filler"
    if subprocess.run(["fallocate", "-l", str(max(free - 8192, 4096)), str(filler)],
                      capture_output=True).returncode != 0:
        pytest.skip("fallocate cannot fill the tmpfs here")
    return filler


def test_a_full_disk_keeps_the_old_site_and_the_next_build_is_a_cold_one(tmpfs, tmp_path):
    if shutil.which("fallocate") is None:
        pytest.skip("fallocate(1) is not installed")
    site = example_site(tmpfs / "site-folder")
    assert briefgen("build", cwd=site).returncode == 0
    assert briefgen("build", cwd=site).returncode == 0  # a spare beside the output too
    edit(site)
    before = tree(site / "site")
    filler = fill(tmpfs)
    result = briefgen("build", cwd=site)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "the disk is full" in result.stderr and "free some space" in result.stderr
    assert tree(site / "site") == before
    assert leftovers(site) == []
    filler.unlink()
    assert briefgen("build", cwd=site).returncode == 0
    assert briefgen("build", "--no-cache", "--output", str(tmp_path / "cold"), cwd=site).returncode == 0
    assert tree(site / "site") == tree(tmp_path / "cold")


def test_a_read_only_file_system_is_said_plainly(tmpfs, tmp_path):
    site = example_site(tmpfs / "site-folder")
    assert briefgen("build", cwd=site).returncode == 0
    before = tree(site / "site")
    if subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True).returncode != 0:
        pytest.skip("cannot remount the tmpfs read-only here")
    result = briefgen("build", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "the file system is read-only" in result.stderr and "--output" in result.stderr
    assert tree(site / "site") == before
    elsewhere = briefgen("build", "--no-cache", "--output", str(tmp_path / "out"), cwd=site)
    assert elsewhere.returncode == 0, elsewhere.stderr  # the way out the message gives works


def test_a_file_briefgen_may_not_read(tmp_path):
    site = example_site(tmp_path / "site-folder")
    secret = sorted((site / "content").glob("*.md"))[0]
    secret.chmod(0)
    command_prefix = []
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv(1) to drop the permission-override capabilities")
        command_prefix = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
                          "--bounding-set=-dac_override,-dac_read_search", "--"]
    result = subprocess.run([*command_prefix, sys.executable, "-m", "briefgen", "build"], cwd=site, env=ENV,
                            capture_output=True, text=True, timeout=300)
    secret.chmod(0o644)
    if result.stderr.startswith("setpriv:"):
        pytest.skip(f"cannot drop capabilities here: {result.stderr.strip()}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert secret.name in result.stderr and "ermission" in result.stderr


def test_too_few_file_handles(tmp_path):
    site = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "corpus.py"), "300", str(site)], check=True,
                   capture_output=True)

    def few_files():
        resource.setrlimit(resource.RLIMIT_NOFILE, (12, 12))

    result = briefgen("build", "--no-cache", "--jobs", "2", cwd=site, preexec=few_files)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "too many files are open" in result.stderr and "ulimit -n" in result.stderr
    assert not (site / "site").exists()


def test_two_builds_at_once_one_waits_or_names_the_other(tmp_path):
    site = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "corpus.py"), "600", str(site)], check=True,
                   capture_output=True)
    lock = site / ".site.briefgen-lock"
    first = briefgen("build", "--jobs", "1", cwd=site, wait=False)
    deadline = time.monotonic() + 60
    while f"pid: {first.pid}" not in (lock.read_text() if lock.exists() else "") and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    if first.poll() is not None:
        pytest.skip("the first build finished before a second could start")
    refused = briefgen("build", "--wait", "0", cwd=site)
    waiting = briefgen("build", cwd=site, wait=False)  # waits for the first, then builds
    first.communicate(timeout=300)
    _, waiting_err = waiting.communicate(timeout=300)
    assert first.returncode == 0
    assert refused.returncode == 1 and f"process {first.pid}" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert waiting.returncode == 0, waiting_err
    assert "Waiting for another briefgen" in waiting_err
    assert briefgen("build", "--no-cache", "--output", str(tmp_path / "cold"), cwd=site).returncode == 0
    assert tree(site / "site") == tree(tmp_path / "cold")
