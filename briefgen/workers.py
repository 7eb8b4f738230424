"""The work done for each briefing, in a process pool for large batches: two passes.

1. **Parse** (:meth:`Worker.run`): a content file → its metadata (bodies dropped, so that listing pages and
   feeds never hold every page's HTML), its problems, and what later stages need from its body: its feed
   content, its words for the search index and the whole briefing, pickled, for the second pass.
2. **Render** (:meth:`Worker.render`): once the whole site is known, a briefing and its context (story
   neighbours, change, related briefings) → its page and JSON record, each made once, with the links they hold.

Small batches run in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing
import os
import pickle
import sys
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from briefgen.cache import BuildCache, source_digest
from briefgen.config import SiteConfig
from briefgen.errors import BuildFailed, Problem, Problems
from briefgen.faults import doing
from briefgen.markdown import MarkdownRenderer
from briefgen.model import Briefing, BriefingContext
from briefgen.parse import ParseContext, actor_names, parse_briefing
from briefgen.render import PageRenderer, Planned
from briefgen.search import briefing_words
from briefgen.sections import SectionClassifier
from briefgen.selfcheck import links_in
from briefgen.theme import Theme
from briefgen.write import write_file

POOL_THRESHOLD = 48  # fewer files than this are parsed in this process
CHUNK = 64
IN_FLIGHT = 3  # chunks per worker submitted ahead
CAN_FORK = sys.platform == "linux"  # forking is unsafe on macOS and missing on Windows


@dataclass(frozen=True)
class Task:
    path: Path
    shown: str
    stem: str
    render: bool  # also prepare what the briefing's outputs are made from


@dataclass(frozen=True)
class Prepared:
    """What a briefing's outputs are made from, kept in the build cache by source digest."""

    entry: bytes  # feed content, zlib-compressed UTF-8
    body: bytes  # the whole briefing, for :meth:`Worker.render` (:func:`pack`)
    words: bytes = b""  # its words for the search index (``DocWords.encode``), when the site has search


@dataclass(frozen=True)
class RenderTask:
    body: bytes  # :func:`pack` of the whole briefing
    context: BriefingContext  # :meth:`BriefingContext.portable`
    targets: tuple[str | None, str | None]  # the files the page and record go to (None: already there)
    fresh: bool  # the folder is new (see :func:`briefgen.write.write_file`)


@dataclass(frozen=True)
class Rendered:
    """A briefing's page and record, written: their sizes and the links they contain."""

    sizes: tuple[int, int]
    links: tuple[tuple[str, ...], tuple[str, ...]]


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
    products: Prepared | None


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

    def _products(self, briefing: Briefing) -> Prepared | None:
        if self.renderer is None:
            return None
        return Prepared(entry=zlib.compress(self.renderer.feed_entry(briefing).encode(), 6), body=pack(briefing),
                        words=briefing_words(briefing).encode() if self.renderer.config.search else b"")

    def render(self, task: RenderTask) -> Rendered:
        briefing = unpack(task.body)
        outputs = self.renderer.briefing_outputs(briefing, task.context)
        base_url = self.renderer.config.base_url
        for target, data in zip(task.targets, outputs):
            if target is not None:
                with doing("writing the site", target):
                    write_file(target, data, task.fresh)
        return Rendered(sizes=(len(outputs[0]), len(outputs[1])),
                        links=(_unique(links_in(".html", outputs[0], base_url)),
                               _unique(links_in(".json", outputs[1], base_url))))


def pack(briefing: Briefing) -> bytes:
    return zlib.compress(pickle.dumps(briefing, pickle.HIGHEST_PROTOCOL), 1)


def unpack(body: bytes) -> Briefing:
    return pickle.loads(zlib.decompress(body))


def strip_bodies(briefing: Briefing) -> Briefing:
    """The briefing without its HTML and text bodies: what listings, feeds and the index need."""
    meta = replace(briefing, lead_html="", lead_text="",
                   sections=tuple(replace(section, html="", text="") for section in briefing.sections))
    meta.timestamp  # computed here, in the worker, and kept with the cached metadata
    return meta


_process_worker: Worker | None = None  # one per worker process, set by the pool's initializer
_process_plan: _Making | None = None  # what a forked maker makes, set by the pool's initializer


@dataclass(frozen=True)
class _Making:
    outputs: list[Planned]
    targets: list[str | None]  # where each goes (None: already there)
    fresh: bool
    base_url: str


def _initialise(config: SiteConfig, theme: Theme | None) -> None:
    global _process_worker
    _process_worker = Worker(config, theme)


def _adopt(plan: _Making, cache: BuildCache) -> None:
    global _process_plan
    cache.reconnect()  # the parent's connection must not be used in a forked process
    _process_plan = plan


def _parse_chunk(tasks: list[Task]) -> list[Parsed]:
    return [_process_worker.run(task) for task in tasks]


def _render_chunk(tasks: list[RenderTask]) -> list[Rendered]:
    return [_process_worker.render(task) for task in tasks]


def _make_chunk(indices: list[int]) -> list[tuple[int, tuple[str, ...]]]:
    return [_make(_process_plan, index) for index in indices]


def _make(plan: _Making, index: int) -> tuple[int, tuple[str, ...]]:
    """Make and write one planned output: its size and the links it holds."""
    output, target = plan.outputs[index], plan.targets[index]
    data = output.make()
    if target is not None:
        with doing("writing the site", target):
            write_file(target, data, plan.fresh)
    return len(data), _unique(links_in(output.path, data, plan.base_url))


def _unique(urls: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(urls))


Item = TypeVar("Item")
Result = TypeVar("Result")


def parse_all(tasks: list[Task], config: SiteConfig, theme: Theme | None,
              jobs: int | None = None) -> Iterator[Parsed]:
    """Parse every task, yielding results in task order as they arrive, so that the caller can store each
    briefing's products and let go of them."""
    with _briefing_batch(tasks, len(tasks), config, theme, jobs, Worker.run, _parse_chunk) as batch:
        yield from batch.rest()


def render_all(tasks: Iterable[RenderTask], count: int, config: SiteConfig, theme: Theme,
               jobs: int | None = None) -> Batch:
    """Render the ``count`` briefings of ``tasks`` (read lazily): pages and records in task order, taken as
    they are ready (:meth:`Batch.ready`) while this process does other work, then the rest."""
    return _briefing_batch(tasks, count, config, theme, jobs, Worker.render, _render_chunk)


def make_all(planned: list[Planned], targets: list[str | None], fresh: bool, base_url: str, cache: BuildCache,
             jobs: int | None = None) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Make and write each planned output (listing pages, feeds, data): its size and the links it holds, in
    order. The work is done in forked processes, which inherit the plan and the site it was made from (nothing
    is sent but indices); where processes cannot be forked, here."""
    plan = _Making(planned, targets, fresh, base_url)
    jobs = jobs or os.cpu_count() or 1
    if len(planned) < POOL_THRESHOLD or jobs == 1 or not CAN_FORK:
        return (_make(plan, index) for index in range(len(planned)))

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_adopt, initargs=(plan, cache))
    return _consumed(Batch(range(len(planned)), jobs, start, None, _make_chunk))


def _consumed(batch: Batch) -> Iterator:
    with batch:
        yield from batch.rest()


def _briefing_batch(tasks: Iterable[Item], count: int, config: SiteConfig, theme: Theme | None, jobs: int | None,
                    one: Callable[[Worker, Item], Result], chunk: Callable[[list[Item]], list[Result]]) -> Batch:
    jobs = jobs or os.cpu_count() or 1
    if count < POOL_THRESHOLD or jobs == 1:
        worker = Worker(config, theme)
        return Batch(tasks, jobs, None, lambda task: one(worker, task), chunk)

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, initializer=_initialise, initargs=(config, theme))
    return Batch(tasks, jobs, start, None, chunk)


class Batch:
    """Tasks done in a process pool (or, for a few, here), results in task order. At most a few chunks per
    worker are in flight, so that neither the tasks nor the results of a large site are ever all in memory."""

    def __init__(self, tasks: Iterable[Item], jobs: int, start: Callable[[], ProcessPoolExecutor] | None,
                 here: Callable[[Item], Result] | None, chunk: Callable[[list[Item]], list[Result]]):
        self.jobs, self.tasks, self.here, self.chunk = jobs, iter(tasks), here, chunk
        self.pending: collections.deque = collections.deque()
        self.pool = start() if start is not None else None
        if self.pool is not None:
            self._submit()

    def ready(self) -> Iterator[Result]:
        """The results already done, without waiting (in this process: none until :meth:`rest`)."""
        while self.pending and self.pending[0].done():
            yield from self.pending.popleft().result()
            self._submit()

    def rest(self) -> Iterator[Result]:
        """Every result not taken yet, waiting for each."""
        if self.pool is None:
            for task in self.tasks:
                yield self.here(task)
            return
        while self.pending:
            yield from self.pending.popleft().result()
            self._submit()

    def _submit(self) -> None:
        while len(self.pending) < IN_FLIGHT * self.jobs:
            part = list(itertools.islice(self.tasks, CHUNK))
            if not part:
                return
            self.pending.append(self.pool.submit(self.chunk, part))

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
