"""Parse content files and render each briefing's own products, in a process pool for large batches.

Work goes out in chunks of file paths; plain data comes back: the briefing's metadata (its bodies dropped, so
listing pages and feeds never hold every page's HTML), its problems, and its products (page, JSON record, feed
content). Small batches run in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import os
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from briefgen.cache import source_digest
from briefgen.config import SiteConfig
from briefgen.errors import BuildFailed, Problem, Problems
from briefgen.markdown import MarkdownRenderer
from briefgen.model import Briefing
from briefgen.parse import ParseContext, actor_names, parse_briefing
from briefgen.render import PageRenderer
from briefgen.search import briefing_words
from briefgen.sections import SectionClassifier
from briefgen.selfcheck import links_in
from briefgen.theme import Theme

POOL_THRESHOLD = 48  # fewer files than this are parsed in this process
CHUNK = 64


@dataclass(frozen=True)
class Task:
    path: Path
    shown: str
    stem: str
    render: bool  # also render the briefing's products


@dataclass(frozen=True)
class Rendered:
    """A briefing's products, ready to write: its page and record, with the links they contain (found here,
    in the worker), and its feed content, compressed for the cache."""

    page: bytes
    record: bytes
    entry: bytes  # zlib-compressed UTF-8
    page_links: tuple[str, ...]
    record_links: tuple[str, ...]
    words: bytes = b""  # its words for the search index (``DocWords.encode``), when the site has search


@dataclass(frozen=True)
class Parsed:
    shown: str
    mtime_ns: int
    size: int
    digest: str
    recorded_ns: int  # when the file was read
    briefing: Briefing | None  # metadata only: lead and section bodies removed
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    products: Rendered | None


def parse_context(config: SiteConfig) -> ParseContext:
    """How a site's content files are read: its time zone, sanitising, section and actor tables."""
    return ParseContext(timezone=config.tz, renderer=MarkdownRenderer(sanitize=config.sanitize),
                        classifier=SectionClassifier.with_extra(config.sections), day_first=config.day_first,
                        words_per_minute=config.words_per_minute, actor_names=actor_names(config.actors))


class Worker:
    """Everything one process needs to parse and render; built once per process."""

    def __init__(self, config: SiteConfig, theme: Theme | None):
        self.context = parse_context(config)
        self.renderer = PageRenderer(config, theme) if theme is not None else None

    def run(self, task: Task) -> Parsed:
        recorded = time.time_ns()
        try:
            stat = task.path.stat()
            raw = task.path.read_bytes()
        except OSError as exc:
            problem = Problem(task.shown, message=f"cannot read the file: {exc.strerror}", hint="check its permissions")
            return Parsed(task.shown, 0, 0, "", 0, None, (problem,), (), None)
        problems = Problems()
        try:
            briefing = parse_briefing(raw, task.shown, task.stem, self.context, problems)
            products = self._products(briefing) if briefing is not None and task.render else None
        except BuildFailed:
            raise
        except (RecursionError, MemoryError, ValueError, TypeError, ArithmeticError, LookupError) as exc:
            # content must never crash a build; whatever slipped past the checks is reported at its file
            problems.error(Problem(task.shown, message=f"briefgen could not process this file ({type(exc).__name__}: "
                                   f"{str(exc)[:200]})", hint="simplify the part you changed last, and please "
                                   "report this as a briefgen bug"))
            briefing, products = None, None
        return Parsed(task.shown, stat.st_mtime_ns, stat.st_size, source_digest(task.shown, raw), recorded,
                      strip_bodies(briefing) if briefing is not None else None,
                      tuple(problems.errors), tuple(problems.warnings), products)

    def _products(self, briefing: Briefing) -> Rendered | None:
        if self.renderer is None:
            return None
        made = self.renderer.briefing_products(briefing)
        base_url = self.renderer.config.base_url
        return Rendered(page=made.page, record=made.record, entry=zlib.compress(made.entry_html.encode(), 6),
                        page_links=links_in(".html", made.page, base_url),
                        record_links=links_in(".json", made.record, base_url),
                        words=briefing_words(briefing).encode() if self.renderer.config.search else b"")


def strip_bodies(briefing: Briefing) -> Briefing:
    """The briefing without its HTML and text bodies: what listings, feeds and the index need."""
    meta = replace(briefing, lead_html="", lead_text="",
                   sections=tuple(replace(section, html="", text="") for section in briefing.sections))
    meta.timestamp  # computed here, in the worker, and kept with the cached metadata
    return meta


_process_worker: Worker | None = None  # one per worker process, set by the pool's initializer


def _initialise(config: SiteConfig, theme: Theme | None) -> None:
    global _process_worker
    _process_worker = Worker(config, theme)


def _run_chunk(tasks: list[Task]) -> list[Parsed]:
    return [_process_worker.run(task) for task in tasks]


def parse_all(tasks: list[Task], config: SiteConfig, theme: Theme | None,
              jobs: int | None = None) -> Iterator[Parsed]:
    """Parse (and render) every task, yielding results in task order as they arrive, so that the caller can
    write each briefing's products and let go of them."""
    jobs = jobs or os.cpu_count() or 1
    if len(tasks) < POOL_THRESHOLD or jobs == 1:
        worker = Worker(config, theme)
        for task in tasks:
            yield worker.run(task)
        return
    chunks = [tasks[start:start + CHUNK] for start in range(0, len(tasks), CHUNK)]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_initialise, initargs=(config, theme)) as pool:
        for chunk_results in pool.map(_run_chunk, chunks):
            yield from chunk_results
