"""The build's work in a process pool, in two passes.

1. **Parse** (:func:`parse_all`, :meth:`Worker.run`): a content file → its metadata (bodies dropped, so that
   listing pages and feeds never hold every page's HTML), its problems, and what later stages need from its
   body: its feed content, its words for the search index and the whole briefing, packed for the build cache.
2. **Make** (:func:`make_all`): once the whole site is known and planned, every file that must be written:
   each briefing's page and record (rendered once, from the packed briefing and its context: story neighbours,
   change, related briefings), then listing pages, feeds and data. Forked workers inherit the site and the
   plan, so only indices travel; each writes what it makes and sends back sizes and links.

Small batches run in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import collections
import gc
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
from briefgen.translations import language_of
from briefgen.write import write_file

POOL_THRESHOLD = 48  # fewer files than this are parsed in this process
CHUNK = 16
IN_FLIGHT = 8  # chunks per worker submitted ahead
Made = tuple[tuple[int, ...], tuple[tuple[str, ...], ...]]  # a job's files: their sizes, the links each holds
Item = TypeVar("Item")
Result = TypeVar("Result")
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
class PageJob:
    """A briefing's page and record to render and write."""

    body: str  # the source digest its packed briefing is kept under in the build cache
    context: BriefingContext
    targets: tuple[str | None, str | None]  # the files they go to (None: already there)
    language: str = ""  # which renderer makes them ("" : the only one)
    folder: str = ""  # its language's folder in the site ("" or "es/")


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
                        words_per_minute=config.words_per_minute, actor_names=actor_names(config.actors),
                        authors={slug: author.name for slug, author in config.authors.items()},
                        languages=tuple(language.code for language in config.languages))


class Worker:
    """Everything one process needs to parse and render; built once per process."""

    def __init__(self, config: SiteConfig, theme: Theme | None):
        self.config, self.theme = config, theme
        self.context = parse_context(config)
        self.renderers: dict[str, PageRenderer] = {}  # by language, made when first needed

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
        if self.theme is None:
            return None
        return Prepared(entry=zlib.compress(self.renderer_of(briefing).feed_entry(briefing).encode(), 6),
                        body=pack(briefing), words=briefing_words(briefing).encode() if self.config.search else b"")

    def renderer_of(self, briefing: Briefing) -> PageRenderer:
        """The renderer of the briefing's language (its feed entry's labels and addresses are that language's)."""
        code = language_of(briefing, self.config)
        if code not in self.renderers:
            self.renderers[code] = PageRenderer(self.config.for_language(code), self.theme)
        return self.renderers[code]


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
_process_making: _Making | None = None  # what a forked maker makes, set by the pool's initializer


@dataclass(frozen=True)
class _Making:
    """The second pass: briefing pages first, then every other output of the plan."""

    pages: list[PageJob]
    outputs: list[Planned]
    targets: list[str | None]  # where each output goes (None: already there)
    renderers: dict[str, PageRenderer]  # by language: a page is made by its language's
    cache: BuildCache
    fresh: bool  # the folder is new (see :func:`briefgen.write.write_file`)

    def make(self, indices: list[int]) -> list[Made]:
        """For each job: the sizes of the files written and the links each holds."""
        pages = [self.pages[index] for index in indices if index < len(self.pages)]
        bodies = self.cache.bodies(job.body for job in pages) if pages else {}
        return [self._page(self.pages[index], bodies) if index < len(self.pages)
                else self._output(index - len(self.pages)) for index in indices]

    def _page(self, job: PageJob, bodies: dict[str, bytes]) -> Made:
        outputs = self.renderers[job.language].briefing_outputs(unpack(bodies[job.body]), job.context)
        for target, data in zip(job.targets, outputs):
            self._write(target, data)
        base_url = self.base_url
        return (tuple(map(len, outputs)),
                (_unique(links_in(".html", outputs[0], base_url)), _unique(links_in(".json", outputs[1], base_url))))

    def _output(self, index: int) -> Made:
        output = self.outputs[index]
        data = output.make()
        self._write(self.targets[index], data)
        return (len(data),), (_unique(links_in(output.path, data, self.base_url)),)

    @property
    def base_url(self) -> str:
        """The whole site's (a language's renderer has its own folder's)."""
        return next(iter(self.renderers.values())).config.shared_base_url

    def _write(self, target: str | None, data: bytes) -> None:
        if target is not None:
            with doing("writing the site", target):
                write_file(target, data, self.fresh)


def _initialise(config: SiteConfig, theme: Theme | None) -> None:
    global _process_worker
    _process_worker = Worker(config, theme)


def _adopt(making: _Making) -> None:
    global _process_making
    gc.freeze()  # what the fork inherited stays shared: the collector need not walk (and copy) it again
    making.cache.reconnect()  # the parent's connection must not be used in a forked process
    _process_making = making


def _parse_chunk(tasks: list[Task]) -> list[Parsed]:
    return [_process_worker.run(task) for task in tasks]


def _make_chunk(indices: list[int]) -> list[Made]:
    return _process_making.make(indices)


def _unique(urls: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(urls))


def parse_all(tasks: list[Task], config: SiteConfig, theme: Theme | None,
              jobs: int | None = None) -> Iterator[Parsed]:
    """Parse every task, yielding results in task order as they arrive, so that the caller can store each
    briefing's products and let go of them."""
    jobs = jobs or os.cpu_count() or 1
    if len(tasks) < POOL_THRESHOLD or jobs == 1:
        worker = Worker(config, theme)
        yield from (worker.run(task) for task in tasks)
        return

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, initializer=_initialise, initargs=(config, theme))
    with Batch(tasks, jobs, start, _parse_chunk) as batch:
        yield from batch.results()


def make_all(pages: list[PageJob], outputs: list[Planned], targets: list[str | None],
             renderers: dict[str, PageRenderer],
             cache: BuildCache, fresh: bool,
             jobs: int | None = None) -> Iterator[Made]:
    """Render and write every briefing page and record of ``pages``, then make and write every planned output
    (listing pages, feeds, data): for each, in that order, the sizes of the files and the links they hold. The
    work is done in forked processes, which inherit the plan and the site it was made from (nothing is sent but
    indices); where processes cannot be forked, here."""
    making = _Making(pages, outputs, targets, renderers, cache, fresh)
    count = len(pages) + len(outputs)
    jobs = jobs or os.cpu_count() or 1
    if count < POOL_THRESHOLD or jobs == 1 or not CAN_FORK:
        for start in range(0, count, CHUNK):
            yield from making.make(list(range(start, min(count, start + CHUNK))))
        return

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_adopt, initargs=(making,))
    with Batch(range(count), jobs, start, _make_chunk) as batch:
        yield from batch.results()


class Batch:
    """Tasks done in a process pool, results in task order. At most a few chunks per worker are in flight, so
    that neither the tasks nor the results of a large site are ever all in memory."""

    def __init__(self, tasks: Iterable[Item], jobs: int, start: Callable[[], ProcessPoolExecutor],
                 chunk: Callable[[list[Item]], list[Result]]):
        self.jobs, self.tasks, self.chunk = jobs, iter(tasks), chunk
        self.pending: collections.deque = collections.deque()
        self.pool = start()
        self._submit()

    def results(self) -> Iterator[Result]:
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
        self.pool.shutdown(wait=True, cancel_futures=True)
