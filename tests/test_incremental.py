"""Incremental builds: the build cache and carried-over outputs never give a different site than a cold build."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from helpers import tree

from briefgen.build import BuildOptions, build
from briefgen.config import load_config

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402

COUNT = 60  # above the size at which parsing moves to a process pool


def settle() -> None:
    """Wait out the window in which a file's timestamp alone cannot prove it unchanged."""
    time.sleep(2.1)


def built(site: Path, *args: str) -> Path:
    result = run_cli("build", "-q", *args, cwd=site)
    assert result.exit_code == 0, result.output
    return site / "site"


def cold_tree(site: Path, tmp_path: Path) -> dict[str, bytes]:
    output = tmp_path / "cold"
    built(site, "--no-cache", "--output", str(output))
    return {k: v for k, v in tree(output).items() if k != ".briefgen-output"}


def site_tree(output: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(output).items() if k != ".briefgen-output"}


@pytest.fixture
def corpus(tmp_path) -> Path:
    return generate(COUNT, tmp_path / "corpus")


def test_nothing_changed_means_nothing_written(corpus):
    built(corpus)
    settle()
    output = built(corpus)  # files written just before the first build were compared by content: now trusted
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    result = run_cli("build", cwd=corpus)
    assert "is up to date" in result.output
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == before


def test_an_edit_rebuilds_only_what_depends_on_it_and_matches_a_cold_build(corpus, tmp_path):
    built(corpus)
    settle()
    edited = sorted((corpus / "content").glob("*.md"))[7]
    edited.write_text(edited.read_text().replace("title: \"Briefing 7:", "title: \"Edited briefing 7:"))
    config = load_config(corpus / "briefgen.yaml")
    result = build(config, BuildOptions())
    assert result.parsed == 1
    assert 0 < result.report.written < 100 < result.report.kept
    assert site_tree(corpus / "site") == cold_tree(corpus, tmp_path)
    settle()
    again = build(config, BuildOptions())  # the spare folder, two builds old, is brought up to date
    assert again.unchanged or again.report.written == 0
    assert site_tree(corpus / "site") == cold_tree(corpus, tmp_path)


def test_a_series_of_edits_deletions_and_additions_matches_cold_builds(corpus, tmp_path):
    built(corpus)
    files = sorted((corpus / "content").glob("*.md"))
    steps = [
        lambda: files[3].write_text(files[3].read_text() + "\nOne more paragraph.\n"),
        lambda: files[10].unlink(),
        lambda: (corpus / "content" / "2030-01-01-new.md").write_text(
            "---\ntitle: A new one\ndate: 2025-12-24\ntags: [topic-001, brand-new-tag]\n---\n"
            "Lead.\n\n## Context\n\na\n\n## Escalation\n\nb\n\n## Reactions\n\nc\n\n## Impact\n\nd\n"),
        lambda: files[20].write_text(files[20].read_text().replace("draft: false", "").replace(
            "---\ntitle", "---\ndraft: true\ntitle", 1)),
    ]
    for step in steps:
        settle()
        step()
        built(corpus)
        assert site_tree(corpus / "site") == cold_tree(corpus, tmp_path)
    assert not (corpus / "site/briefings" / files[10].stem[11:]).exists()
    assert (corpus / "site/tags/brand-new-tag/index.html").is_file()


def test_an_edit_in_the_same_instant_as_the_build_is_seen(corpus):
    built(corpus)
    edited = sorted((corpus / "content").glob("*.md"))[5]
    text = edited.read_text()
    stat = edited.stat()
    edited.write_text(text.replace("Briefing 5:", "Briefing X:"))  # same size
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same timestamp as when it was read
    built(corpus)
    assert "Briefing X:" in (corpus / "site/briefings/briefing-000005/index.html").read_text()


def test_a_corrupt_cache_means_a_clean_rebuild(corpus, tmp_path):
    built(corpus)
    cache = corpus / ".briefgen-cache" / "build.sqlite"
    assert cache.is_file()
    for suffix in ("-wal", "-shm"):
        Path(str(cache) + suffix).unlink(missing_ok=True)
    cache.write_bytes(b"this is not a database" * 100)
    settle()
    files = sorted((corpus / "content").glob("*.md"))
    files[2].write_text(files[2].read_text() + "\nChanged.\n")
    built(corpus)
    assert site_tree(corpus / "site") == cold_tree(corpus, tmp_path)


def test_a_deleted_site_is_made_again_from_the_cache_and_what_the_cache_lost_is_parsed_again(corpus, tmp_path):
    built(corpus)
    shutil.rmtree(corpus / "site")
    result = build(load_config(corpus / "briefgen.yaml"), BuildOptions())
    assert result.parsed == 0  # every page made again from the briefings the cache keeps
    assert site_tree(corpus / "site") == cold_tree(corpus, tmp_path)
    with sqlite3.connect(corpus / ".briefgen-cache" / "build.sqlite") as db:
        db.execute("DELETE FROM entries WHERE rowid % 3 = 0")  # feed content of briefings whose pages are kept
        db.execute("DELETE FROM bodies WHERE rowid % 4 = 0")
    shutil.rmtree(corpus / "site")
    result = build(load_config(corpus / "briefgen.yaml"), BuildOptions())
    assert 0 < result.parsed < COUNT
    assert site_tree(corpus / "site") == cold_tree(corpus, tmp_path)


def test_a_config_change_invalidates_the_cache(corpus, tmp_path):
    built(corpus)
    config = corpus / "briefgen.yaml"
    config.write_text(config.read_text().replace("Benchmark briefings", "Renamed briefings"))
    output = built(corpus)
    assert "Renamed briefings" in (output / "briefings/briefing-000001/index.html").read_text()
    assert site_tree(output) == cold_tree(corpus, tmp_path)


def test_a_changed_output_folder_is_not_trusted(corpus, tmp_path):
    output = built(corpus)
    (output / "briefings/briefing-000004/index.html").unlink()
    (output / ".briefgen-output").write_text("build: something else\n")
    settle()
    built(corpus)
    assert site_tree(output) == cold_tree(corpus, tmp_path)


def test_no_cache_and_clean(corpus):
    built(corpus, "--no-cache")
    assert not (corpus / ".briefgen-cache" / "build.sqlite").exists()
    built(corpus)
    built(corpus)
    assert (corpus / ".briefgen-cache" / "build.sqlite").exists()
    result = run_cli("clean", cwd=corpus)
    assert result.exit_code == 0
    assert not (corpus / ".briefgen-cache").exists() and not (corpus / "site").exists()
    assert sorted(p.name for p in corpus.iterdir()) == ["briefgen.yaml", "content"]


@pytest.mark.slow
def test_benchmark_script_runs(tmp_path):
    completed = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--count", "30", "--runs", "1",
                                "--no-peers"], capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "incremental output identical to a cold build: True" in completed.stdout
    assert "| briefgen: rebuild, one briefing edited |" in completed.stdout


def test_a_fresh_checkout_with_the_restored_cache_and_output_parses_nothing(corpus, tmp_path):
    """The Pages workflow's case: another folder, every file's time new, the cache and the last output restored."""
    built(corpus)
    clone = tmp_path / "fresh-checkout"
    shutil.copytree(corpus, clone)  # a new absolute path
    later = time.time() + 3600
    for path in (clone / "content").rglob("*.md"):
        os.utime(path, (later, later))  # git gives every file a new time
    edited = sorted((clone / "content").glob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA one-line edit.\n", encoding="utf-8")
    result = run_cli("build", "--verbose", cwd=clone)
    assert result.exit_code == 0, result.output
    assert "1 parsed" in result.output
    incremental = {name: data for name, data in tree(clone / "site").items() if name != ".briefgen-output"}
    assert incremental == cold_tree(clone, tmp_path)


def site_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and path.name != ".briefgen-output")


def test_the_site_size_is_known_after_every_kind_of_build(corpus):
    config = load_config(corpus / "briefgen.yaml")
    for step in range(4):  # cold, into the spare, no change, after edits and a deletion
        if step == 3:
            files = sorted((corpus / "content").glob("*.md"))
            files[0].write_text(files[0].read_text(encoding="utf-8") + "\nMore words here.\n", encoding="utf-8")
            files[1].unlink()
        result = build(config, BuildOptions())
        assert result.site_bytes == site_bytes(corpus / "site"), step


def test_a_site_over_github_pages_limits_is_warned_about(small_site):
    from briefgen.build import PAGES_FILE_LIMIT, PAGES_SITE_LIMIT, pages_limits

    config = load_config(small_site / "briefgen.yaml")
    assert pages_limits({"index.html": 1000}, config) == []
    pages = {f"page-{number}.html": PAGES_FILE_LIMIT - 1 for number in range(PAGES_SITE_LIMIT // PAGES_FILE_LIMIT)}
    big = pages_limits({**pages, "api/briefings.json": PAGES_FILE_LIMIT + 1}, config)
    assert len(big) == 2
    assert "GitHub Pages publishes at most 1 GB" in big[0].message and "feeds.term_content" in big[0].hint
    assert big[1].path.endswith("site/api/briefings.json") and "over 100 MB" in big[1].message
