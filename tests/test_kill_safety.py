"""A build killed at any moment leaves either the complete old site or the complete new one, never a mix and
never no site; the next build then gives exactly the new site.

Content A is a generated site of a few hundred briefings; content B changes a few of them, adds one and removes
one. Each run starts with A built in site/ (for incremental runs also with the cache and the spare beside it),
switches the content to B, starts `briefgen build` and SIGKILLs it after a random delay within the time such a
build takes (fixed seeds, so CI kills at the same moments).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

BRIEFINGS = 300
RUNS = 20
MARKER = ".briefgen-output"


def tree_hashes(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != MARKER}


def start_build(site: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--quiet"], cwd=site,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def build(site: Path) -> float:
    started = time.perf_counter()
    process = start_build(site)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors.decode()
    return time.perf_counter() - started


class Contents:
    """Switches a site's content folder between version A and version B."""

    def __init__(self, site: Path):
        self.content = site / "content"
        names = sorted(p.name for p in self.content.iterdir())
        self.a = {name: (self.content / name).read_bytes() for name in names}
        self.b = dict(self.a)
        for name in names[10:15]:
            self.b[name] = self.a[name].replace(b"## ", b"## Updated: ", 1) + b"\nAn added paragraph.\n"
        del self.b[names[20]]
        self.b["2030-01-01-added.md"] = self.a[names[0]].replace(b"briefing-000000", b"briefing-added")

    def use(self, version: dict[str, bytes]) -> None:
        for path in self.content.iterdir():
            if path.name not in version:
                path.unlink()
        for name, data in version.items():
            path = self.content / name
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_killed_build_leaves_the_old_or_the_new_site(tmp_path):
    site = corpus.generate(BRIEFINGS, tmp_path / "site-folder")
    contents = Contents(site)
    output, cache, spare = site / "site", site / ".briefgen-cache", site / ".site.briefgen-spare"

    build(site)
    old = tree_hashes(output)
    contents.use(contents.b)
    durations = {"incremental": build(site)}
    new = tree_hashes(output)
    assert old != new
    contents.use(contents.a)
    shutil.rmtree(cache)
    durations["cold"] = build(site)
    assert tree_hashes(output) == old

    outcomes = []
    for seed in range(RUNS):
        kind = "cold" if seed % 2 else "incremental"
        contents.use(contents.a)
        build(site)
        if kind == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        else:
            assert spare.is_dir() and cache.is_dir()
        assert tree_hashes(output) == old
        contents.use(contents.b)
        delay = random.Random(seed).uniform(0, durations[kind])
        process = start_build(site)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert output.is_dir(), f"run {seed} ({kind}, killed after {delay:.2f} s): no site/"
        after = tree_hashes(output)
        assert after in (old, new), f"run {seed} ({kind}, killed after {delay:.2f} s): a mixed site"
        outcomes.append("new" if after == new else "old")
        build(site)
        assert tree_hashes(output) == new, f"run {seed}: the build after the kill did not give the new site"
    assert "old" in outcomes  # the kills really landed during builds


def test_removing_a_briefing_from_a_later_page_updates_the_count_on_the_first(tmp_path):
    """Each listing page shows how many briefings its list has: its fingerprint covers that count."""
    from conftest import BASIC_CONFIG, briefing, run_cli, write_site

    files = {f"content/b{day}.md": briefing(f"B{day}", f"2025-11-{day:02d}", tags="[t]") for day in range(1, 6)}
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, **files})
    assert run_cli("build", cwd=tmp_path).exit_code == 0
    (tmp_path / "content" / "b1.md").unlink()
    assert run_cli("build", cwd=tmp_path).exit_code == 0
    incremental = tree_hashes(tmp_path / "site")
    assert run_cli("build", "--no-cache", "--output", "cold", cwd=tmp_path).exit_code == 0
    assert incremental == tree_hashes(tmp_path / "cold")
