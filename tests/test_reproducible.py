"""The same input gives the same bytes: in other folders, at other times, under other time zones, locales and
hash seeds; ``SOURCE_DATE_EPOCH`` decides what is "future" and changes nothing else."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import BASIC_CONFIG, REPO, briefing, run_cli, write_site


def tree_hashes(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def build_example(folder: Path, env: dict[str, str]) -> dict[str, str]:
    folder.mkdir(parents=True)
    shutil.copy(REPO / "briefgen.yaml", folder)
    shutil.copytree(REPO / "content", folder / "content")
    environment = {key: value for key, value in os.environ.items() if key not in ("TZ", "LANG", "LC_ALL")}
    environment.update(env)
    subprocess.run([sys.executable, "-m", "briefgen", "build", "--quiet", "--no-cache"], cwd=folder,
                   env=environment, check=True, capture_output=True)
    return tree_hashes(folder / "site")


def test_the_example_site_is_byte_identical_anywhere_and_any_time(tmp_path):
    first = build_example(tmp_path / "one", {"TZ": "America/Caracas", "LANG": "C", "PYTHONHASHSEED": "1",
                                             "SOURCE_DATE_EPOCH": "1767225600"})
    time.sleep(1.1)  # another second on the clock
    second = build_example(tmp_path / "elsewhere" / "two", {
        "TZ": "Asia/Tokyo", "LANG": "es_ES.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "4242",
        "SOURCE_DATE_EPOCH": "1767225600"})
    assert len(first) > 50
    assert first == second


def test_source_date_epoch_moves_only_what_is_future(tmp_path, monkeypatch):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG,
                          "content/now.md": briefing("Published", "2025-11-29", tags="[t]"),
                          "content/later.md": briefing("Dated June 2026", "2026-06-01", tags="[t]")})

    def build_at(epoch: int, output: str) -> dict[str, str]:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        result = run_cli("build", "--no-cache", "--output", output, cwd=tmp_path)
        assert result.exit_code == 0, result.output
        return tree_hashes(tmp_path / output)

    january, march, next_year = build_at(1767225600, "jan"), build_at(1772323200, "mar"), build_at(1798761600, "y27")
    assert january == march  # nothing depends on the clock itself
    assert "briefings/later/index.html" not in january
    assert "briefings/later/index.html" in next_year
    assert "Dated June 2026" in (tmp_path / "y27" / "feed.xml").read_text(encoding="utf-8")
    assert "Dated June 2026" not in (tmp_path / "jan" / "feed.xml").read_text(encoding="utf-8")
    now_then = (tmp_path / "jan" / "briefings" / "now" / "index.html").read_text(encoding="utf-8")
    now_later = (tmp_path / "y27" / "briefings" / "now" / "index.html").read_text(encoding="utf-8")
    assert "Dated June 2026" not in now_then and "Dated June 2026" in now_later  # now a related briefing
    assert without_slots(now_then) == without_slots(now_later)  # and nothing else changed


def without_slots(page: str) -> str:
    """A page without the parts that show other briefings (story neighbours, change, related briefings)."""
    tree = BeautifulSoup(page, "html.parser")
    for part in tree.select(".story-nav, .related, .change"):
        part.decompose()
    return re.sub(r"\s+", " ", str(tree))


def test_worker_processes_make_the_same_site_as_one_process(tmp_path):
    """Enough briefings for both process pools (parsing, and the forked one that makes every file), against a
    build that does everything in one process, then an edit rebuilt both ways."""
    files = {"briefgen.yaml": BASIC_CONFIG}
    for number in range(60):
        files[f"content/b{number:02d}.md"] = briefing(
            f"Briefing {number}", f"2025-10-{number % 28 + 1:02d}", story="harbour" if number % 3 else "border",
            tags=f"[t{number % 7}, t{number % 5}]",
            body=f"Lead {number}.\n\n## Context\n\nThe mayor said: \"Number {number} matters.\"\n")
    write_site(tmp_path, files)
    for jobs, output in (("2", "pooled"), ("1", "alone")):
        result = run_cli("build", "--jobs", jobs, "--output", output, cwd=tmp_path)
        assert result.exit_code == 0, result.output
    assert tree_hashes(tmp_path / "pooled") == tree_hashes(tmp_path / "alone")
    (tmp_path / "content/b07.md").write_text(briefing("Briefing 7, retitled", "2025-10-08", story="harbour"))
    time.sleep(2.1)  # past the window in which a file's time cannot be trusted
    assert run_cli("build", "--jobs", "2", "--output", "pooled", cwd=tmp_path).exit_code == 0
    assert run_cli("build", "--jobs", "1", "--no-cache", "--output", "alone", cwd=tmp_path).exit_code == 0
    assert tree_hashes(tmp_path / "pooled") == tree_hashes(tmp_path / "alone")
