"""Benchmark builds of a site whose briefings each have a lead image.

    python3 benchmarks/images.py --count 1000 --runs 3 [--folder /tmp/bimg] [--keep]

The corpus is benchmarks/corpus.py's briefings kept as folder briefings, `content/briefing-000123/index.md`
with `image: {src: lead.jpg, alt, caption, credit}` in its front matter and a deterministic 2400×1600 JPEG
(quality 90, photo-like: blurred shapes and grain; seeded by the briefing's number) beside it. A corpus
already complete in --folder for the same --count is reused (files the last run changed are restored).
Scenarios (whole `briefgen build` processes, median of --runs runs each): cold build after `briefgen clean`;
rebuild with nothing changed; rebuild after one briefing's text is edited (another briefing each run); after
one lead image is replaced by new bytes; after the output folder (and its spare) is deleted with the cache
kept. Then the site's size, its images' share and the number of image files. The output is a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps, features

sys.path.insert(0, str(Path(__file__).parent))
from corpus import LAST, briefing  # noqa: E402
from run import timed  # noqa: E402

SIZE, DRAWN = (2400, 1600), (600, 400)  # images are drawn small, upscaled, then given full-size grain
OUTPUT = "site"  # the config's output_dir
STAMP, TOUCHED = ".bench-images", ".bench-touched"  # a complete corpus; briefings a run changed
SETTLE = 2.1  # seconds past the window in which briefgen does not trust a file's timestamp (as in run.py)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif")
CONFIG = "title: Benchmark briefings\nbase_url: https://bench.example.org/\ntimezone: UTC\nper_page: 20\n"
BRIEFGEN = [sys.executable, "-m", "briefgen"]


# ---- the corpus -------------------------------------------------------------------------------------------


def slug(index: int) -> str:
    return f"briefing-{index:06d}"


def colour(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(256), rng.randrange(256), rng.randrange(256)


def lead_image(index: int, variant: int = 0) -> bytes:
    """The JPEG bytes of briefing ``index``'s lead image; another ``variant`` gives another picture."""
    rng = random.Random(f"lead-{index}-{variant}")
    picture = ImageOps.colorize(Image.linear_gradient("L").resize(DRAWN), colour(rng), colour(rng))
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randint(5, 9)):
        x, y = rng.randrange(-100, DRAWN[0]), rng.randrange(-60, DRAWN[1])
        draw.ellipse((x, y, x + rng.randrange(40, 300), y + rng.randrange(30, 200)), fill=colour(rng))
    blotches = Image.frombytes("RGB", (60, 40), rng.randbytes(60 * 40 * 3)).resize(DRAWN, Image.BICUBIC)
    picture = Image.blend(picture, blotches, 0.2).filter(ImageFilter.GaussianBlur(3)).resize(SIZE, Image.BICUBIC)
    grain = Image.frombytes("L", SIZE, rng.randbytes(SIZE[0] * SIZE[1])).convert("RGB")
    out = io.BytesIO()
    Image.blend(picture, grain, 0.06).save(out, "JPEG", quality=90)
    return out.getvalue()


def write_image(job: tuple[Path, int, int]) -> None:
    path, index, variant = job
    path.write_bytes(lead_image(index, variant))


def texts(count: int, image_key: bool):
    """(index, index.md text) of every briefing: corpus.py's briefings with an image: key in the front matter."""
    rng, start = random.Random(2025), dt.datetime(2015, 1, 1, 8, 0)
    step = min(420, int((LAST - start).total_seconds() // 60 // max(count, 1)))  # as corpus.generate does
    for index in range(count):
        _, text = briefing(index, rng, start, step)
        if image_key:
            image = ("image:\n  src: lead.jpg\n"
                     f"  alt: \"Coloured shapes, generated for briefing {index}\"\n"
                     f"  caption: \"Lead image of briefing {index}\"\n  credit: \"Benchmark generator\"\n")
            text = text.replace("---\n", "---\n" + image, 1)
        yield index, text


def write_corpus(folder: Path, count: int, image_key: bool, only: set[int] | None = None) -> None:
    """Write the briefings (``only`` those, if given) and their images, the images in parallel."""
    content = folder / "content"
    jobs = []
    for index, text in texts(count, image_key):
        if only is None or index in only:
            (content / slug(index)).mkdir(parents=True, exist_ok=True)
            (content / slug(index) / "index.md").write_text(text, encoding="utf-8")
            jobs.append((content / slug(index) / "lead.jpg", index, 0))
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(write_image, jobs, chunksize=8))


def prepare(folder: Path, count: int, image_key: bool) -> str:
    """Make ``folder`` hold the corpus, reusing a complete one; says what was done."""
    expected = f"{count} briefings, image key {'yes' if image_key else 'no'}, generator 1\n"
    stamp, touched = folder / STAMP, folder / TOUCHED
    content = folder / "content"
    complete = stamp.is_file() and stamp.read_text() == expected and all(
        (content / slug(i) / name).is_file() for i in range(count) for name in ("index.md", "lead.jpg"))
    if complete:
        changed = {int(line) for line in touched.read_text().split()} if touched.is_file() else set()
        write_corpus(folder, count, image_key, changed)
        touched.unlink(missing_ok=True)
        return f"reused the corpus in {folder} ({len(changed)} changed briefings restored)"
    stamp.unlink(missing_ok=True)
    shutil.rmtree(content, ignore_errors=True)
    started = time.perf_counter()
    write_corpus(folder, count, image_key)
    (folder / "briefgen.yaml").write_text(CONFIG, encoding="utf-8")
    touched.unlink(missing_ok=True)
    stamp.write_text(expected)
    return f"generated {count} briefings and images in {folder} in {time.perf_counter() - started:.1f} s"


def touch(folder: Path, index: int) -> None:
    """Record that briefing ``index`` is about to change, so that the next run restores it."""
    with (folder / TOUCHED).open("a") as handle:
        handle.write(f"{index}\n")


# ---- the scenarios ----------------------------------------------------------------------------------------


def scenarios(site: Path, count: int) -> dict:
    """Scenario name -> what to do before each of its timed builds (in this order)."""
    edits, images = itertools.count(), itertools.count()

    def clean() -> None:
        subprocess.run([*BRIEFGEN, "clean", "-q"], cwd=site, check=True)

    def settle() -> None:
        time.sleep(SETTLE)

    def edit() -> None:
        number = next(edits)
        index = (count // 2 + number) % count
        touch(site, index)
        path = site / "content" / slug(index) / "index.md"
        head, rule, body = path.read_text(encoding="utf-8").partition("\n---\n\n")
        lead, rest = body.split("\n", 1)  # the lead paragraph: append a sentence to it
        path.write_text(f"{head}{rule}{lead} An added sentence, number {number}.\n{rest}", encoding="utf-8")
        settle()

    def new_image() -> None:
        number = next(images)
        index = (count // 3 + number) % count
        touch(site, index)
        write_image((site / "content" / slug(index) / "lead.jpg", index, number + 1))
        settle()

    def drop_output() -> None:
        from briefgen.write import spare_path

        for folder in (site / OUTPUT, spare_path(site / OUTPUT)):
            shutil.rmtree(folder, ignore_errors=True)

    return {"cold build (`briefgen clean`, then build)": clean, "rebuild, nothing changed": settle,
            "rebuild, one briefing's text edited": edit, "rebuild, one lead image replaced": new_image,
            "output folder deleted, cache kept": drop_output}


def measure(site: Path, count: int, runs: int) -> dict[str, list[float]]:
    results = {}
    for name, before in scenarios(site, count).items():
        print(f"  {name}…", file=sys.stderr)
        results[name] = [timed([*BRIEFGEN, "build", "-q"], site, before)[0] for _ in range(runs)]
    return results


def tree(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def megabytes(paths: list[Path]) -> str:
    return f"{sum(path.stat().st_size for path in paths) / 1e6:.1f} MB"


def report(site: Path, count: int, runs: int, results: dict[str, list[float]]) -> None:
    sources = [site / "content" / slug(index) / "lead.jpg" for index in range(count)]
    print(f"\n{count} briefings with a {SIZE[0]}×{SIZE[1]} lead image each (JPEG quality 90, "
          f"{megabytes(sources)}), {os.cpu_count()} cores, median of {runs} runs\n")
    print("| scenario | median s | runs |")
    print("|---|---:|---|")
    for name, times in results.items():
        print(f"| {name} | {statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} |")
    files, images = tree(site / OUTPUT), tree(site / OUTPUT / "images")
    kinds = Counter(path.suffix.lower().lstrip(".") for path in files if path.suffix.lower() in IMAGE_SUFFIXES)
    print(f"\nsite (`{OUTPUT}/`): {megabytes(files)} in {len(files)} files; "
          f"`{OUTPUT}/images/`: {megabytes(images)} in {len(images)} files")
    print(f"image files in the site: {sum(kinds.values())} "
          f"({', '.join(f'{n} {kind}' for kind, n in sorted(kinds.items())) or 'none'})")
    print(f"Pillow {Image.__version__}; writes AVIF: {'yes' if features.check('avif') else 'no'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="briefings in the corpus (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (the median is reported)")
    parser.add_argument("--folder", type=Path,
                        help="site folder for the corpus, reused by later runs with the same --count "
                             "(default: a temporary folder)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the built site and the cache (and a temporary folder); the corpus in "
                             "--folder is always kept")
    parser.add_argument("--no-image-key", action="store_true",
                        help="dry check of the timing code only: leave the image: key out of the front "
                             "matter, for a briefgen that does not know it")
    args = parser.parse_args()
    folder = (args.folder or Path(tempfile.mkdtemp(prefix="briefgen-images-"))).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    print(prepare(folder, args.count, not args.no_image_key), file=sys.stderr)
    print("Measuring…", file=sys.stderr)
    results = measure(folder, args.count, args.runs)
    report(folder, args.count, args.runs, results)
    if not args.keep:
        if args.folder:
            subprocess.run([*BRIEFGEN, "clean", "-q"], cwd=folder, check=True)
        else:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
