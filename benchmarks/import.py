"""Import each real-world archive into a new site, then build it: counts, skips by reason, and times.

    python3 benchmarks/import.py [--realworld ../shared/realworld] [--runs 3]

For each archive: files, imported, imported with notes, skipped (by reason), whether the build succeeded and
how many briefings it published, and the whole-process wall time of `briefgen import` and `briefgen build`
(medians of --runs runs, each in a fresh site). "Articles" are the files that have a title and a body: the
share imported and built is counted against them.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ARCHIVES = {
    "18f (Eleventy)": "18f/source/posts",
    "digitalgov (Hugo)": "digitalgov/source/news",
    "bitcoinops (Jekyll)": "bitcoinops/source/_posts",
}
NOT_ARTICLES = ("no text: front matter only", "a redirect to", "no title", "a section index page")
CONFIG = "title: Import benchmark\nbase_url: https://example.org/\n"


def run(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - started, done


def one_run(source: Path, work: Path) -> dict:
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    (site / "briefgen.yaml").write_text(CONFIG)
    briefgen = [sys.executable, "-m", "briefgen"]
    import_time, imported = run([*briefgen, "import", str(source)], site)
    build_time, built = run([*briefgen, "build", "--quiet"], site)
    skipped = Counter(_reason(line) for line in imported.stderr.splitlines() if line.startswith("skipped: "))
    summary = re.search(r"Imported (\d+) of (\d+) .*?: (\d+) with notes, (\d+) skipped", imported.stdout)
    count, files, noted, _ = (int(n) for n in summary.groups()) if summary else (0, 0, 0, 0)
    published = len(list((site / "site" / "api" / "briefings").glob("*.json"))) if built.returncode == 0 else 0
    return {"files": files, "imported": count, "notes": noted, "skipped": skipped, "build_ok": built.returncode == 0,
            "published": published, "import_s": import_time, "build_s": build_time,
            "build_error": built.stderr.strip().splitlines()[-1:] if built.returncode else []}


def _reason(line: str) -> str:
    reason = line.split(": ", 2)[-1]
    return re.sub(r"`[^`]*`|https?://\S+", "…", reason)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realworld", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "realworld")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    if not options.realworld.is_dir():
        sys.exit(f"{options.realworld} is not there: give --realworld the folder of the real-world archives")
    for name, folder in ARCHIVES.items():
        source = options.realworld / folder
        with tempfile.TemporaryDirectory() as work:
            results = [one_run(source, Path(work)) for _ in range(options.runs)]
        last = results[-1]
        not_articles = sum(n for reason, n in last["skipped"].items() if reason.startswith(NOT_ARTICLES))
        articles = last["files"] - not_articles
        import_s = statistics.median(r["import_s"] for r in results)
        build_s = statistics.median(r["build_s"] for r in results)
        print(f"\n{name}: {last['files']} files, {articles} articles (title and body)")
        print(f"  imported {last['imported']} ({last['imported'] / max(articles, 1):.1%} of the articles), "
              f"{last['notes']} with notes")
        for reason, count in last["skipped"].most_common():
            print(f"  skipped {count:>5}  {reason}")
        state = f"ok, {last['published']} briefings published" if last["build_ok"] else f"FAILED {last['build_error']}"
        print(f"  build: {state}")
        print(f"  time (median of {options.runs}): import {import_s:.1f} s, build {build_s:.1f} s, "
              f"together {import_s + build_s:.1f} s")


if __name__ == "__main__":
    main()
