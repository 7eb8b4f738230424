"""The pipeline in one readable place: config → discover → parse → collect → render → write.

Builds are incremental: content files whose bytes have not changed are not parsed again (their metadata comes
from the build cache), and an output whose fingerprint has not changed is carried over instead of rendered.
Parsing and rendering a briefing's own page happen together, in a process pool for large batches; each page is
written as soon as it arrives, so no build ever holds every page's HTML in memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from briefgen import __version__
from briefgen.cache import CACHE_DIR, NO_CACHE, RACY_NS, BuildCache, SourceEntry, digest, source_digest
from briefgen.collect import Selection, collect, is_published
from briefgen.config import SiteConfig, StoryInfo
from briefgen.discover import ContentFile, briefing_stem, discover, shown_path
from briefgen.errors import BuildFailed, Problem, Problems
from briefgen.faults import SiteLock, doing
from briefgen.i18n import missing_messages
from briefgen.images import SiteImages, resolve_images
from briefgen.model import Briefing, BriefingContext, Site
from briefgen.render import (
    PageRenderer,
    PlanInputs,
    Planned,
    in_folder,
    plan_images,
    plan_redirects,
    plan_shared,
    plan_site,
)
from briefgen.search import DocWords, IndexState, SearchIndex, index_site, plan_search, readable
from briefgen.selfcheck import LinkChecker
from briefgen.sitemaps import news_window_moves
from briefgen.stories import related_briefings, relations_key
from briefgen.theme import Theme, load_theme
from briefgen.translations import LanguageSite, check_translations, language_sites
from briefgen.urls import briefing_route, output_file
from briefgen.websub import record_build
from briefgen.workers import PageJob, Parsed, Task, make_all, parse_all
from briefgen.write import MARKER, OutputSession, WriteReport, check_output_folder, read_marker, spare_path

Progress = Callable[[str, int, "int | None"], None]  # (stage, done, total or None)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    pass


@dataclass(frozen=True)
class BuildOptions:
    include_drafts: bool = False
    include_future: bool = False
    strict: bool = False
    use_cache: bool = True
    jobs: int | None = None  # worker processes (default: one per core)
    lock_timeout: float = 120.0  # seconds to wait for another build of the same output or cache
    on_wait: Callable[[str], None] | None = None  # told once when this build waits for another


@dataclass
class LoadedSite:
    site: Site
    briefings: list[Briefing]  # every parsed briefing (metadata only), drafts and future ones included
    problems: Problems
    digests: dict[str, str] = field(default_factory=dict)  # slug → digest of its source file
    parts: list[LanguageSite] = field(default_factory=list)  # each language's site, the default first

    @property
    def published(self) -> int:
        return sum(len(part.site.briefings) for part in self.parts)


@dataclass
class BuildResult:
    briefings: int  # published
    output: Path
    report: WriteReport
    warnings: list[Problem] = field(default_factory=list)
    elapsed: float = 0.0
    parsed: int = 0  # content files parsed in this build (the others came from the cache)
    unchanged: bool = False  # nothing to do: the site was already up to date
    site_bytes: int = 0  # the size of every file of the site


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that reproducible builds agree on what is "future"."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def cache_file(config: SiteConfig, name: str = "build") -> Path:
    return config.root / CACHE_DIR / f"{name}.sqlite"


def settings_key(config: SiteConfig) -> str:
    """briefgen's version and the config, except where the site folder and the output are."""
    return digest(__version__, repr(dataclasses.replace(config, output_dir="", config_path=Path(), root=Path())))


def build_key(config: SiteConfig, theme: Theme) -> str:
    """What every cached result of a build depends on: the settings and the theme's files."""
    return digest(settings_key(config), theme.fingerprint())


def selection_for(options: BuildOptions) -> Selection:
    return Selection(include_drafts=options.include_drafts, include_future=options.include_future, now=build_time())


# ---- loading: discover, parse (or reuse), collect ------------------------------------------------------------


class _Loader:
    """Discovers and parses content, reusing the cache, and hands each fresh briefing's products to a sink."""

    def __init__(self, config: SiteConfig, options: BuildOptions, cache: BuildCache, theme: Theme | None,
                 progress: Progress):
        self.config, self.options, self.cache, self.theme, self.progress = config, options, cache, theme, progress
        self.problems = Problems()
        self.entries: dict[str, SourceEntry] = {}
        self.fresh: list[tuple[str, SourceEntry]] = []
        self.parsed = 0

    def load(self, sink: Callable[[Parsed], None] | None, files: list[ContentFile] | None = None) -> LoadedSite:
        """Parse or reuse every content file (``files``: already discovered, with their problems in
        ``self.problems``)."""
        if files is None:
            files = discover(self.config.content_path, self.config.root, self.problems)
        cached = self.cache.sources()
        tasks = []
        for content_file in files:
            entry = self._unchanged(content_file, cached.get(content_file.shown))
            if entry is not None:
                self.entries[content_file.shown] = entry
            else:
                tasks.append(Task(content_file.path, content_file.shown, content_file.stem, self.theme is not None))
        self._parse(tasks, sink)
        for entry in self.entries.values():
            _, errors, warnings = entry.value
            self.problems.errors.extend(errors)
            self.problems.warnings.extend(warnings)
        briefings = [entry.value[0] for entry in self.entries.values() if entry.value[0] is not None]
        by_source = {entry.value[0].source: entry.digest for entry in self.entries.values() if entry.value[0]}
        if self.config.languages:
            check_translations(briefings, self.config, self.problems)
        selection = selection_for(self.options)
        parts = language_sites(briefings, self.config, lambda briefing: by_source[briefing.source],
                               lambda members, code: collect(members, selection, self.config.tz, self.problems,
                                                             _stories_in(self.config, code), self._related))
        return LoadedSite(site=parts[0].site, briefings=briefings, problems=self.problems, digests=parts[0].digests,
                          parts=parts)

    def _related(self, published: tuple[Briefing, ...]) -> dict[str, tuple[Briefing, ...]]:
        """:func:`related_briefings`, answered from the cache when no briefing's date, story, actors or tags
        changed since it was last worked out."""
        key = relations_key(published)
        by_slug = {b.slug: b for b in published}
        stored = self.cache.related(key)
        if stored is not None and stored.keys() == by_slug.keys():
            return {slug: tuple(by_slug[other] for other in others) for slug, others in stored.items()}
        related = related_briefings(published)
        self.cache.put_related(key, {slug: [b.slug for b in found] for slug, found in related.items()})
        return related

    def rerender(self, briefings: Iterable[Briefing], sink: Callable[[Parsed], None]) -> None:
        """Parse and render again briefings whose cached metadata was enough until now."""
        tasks = [Task(path, b.source, briefing_stem(path, self.config.content_path), True)
                 for b in briefings for path in (self.config.root / b.source,)]
        self._parse(tasks, sink, record_problems=False)

    def _unchanged(self, content_file: ContentFile, entry: SourceEntry | None) -> SourceEntry | None:
        """The cached entry when the file still has the same bytes, else None.

        Same size and modification time is trusted only for a file last modified well before it was read
        (as git does): a file saved twice within the clock's resolution is compared by content."""
        if entry is None:
            return None
        try:
            stat = content_file.path.stat()
        except OSError:
            return None
        same_stat = (stat.st_mtime_ns, stat.st_size) == (entry.mtime_ns, entry.size)
        if same_stat and stat.st_mtime_ns < entry.recorded_ns - RACY_NS:
            return entry
        try:
            unchanged = source_digest(content_file.shown, content_file.path.read_bytes()) == entry.digest
        except OSError:
            return None
        if not unchanged:
            return None
        refreshed = SourceEntry(stat.st_mtime_ns, stat.st_size, entry.digest, entry.value, time.time_ns())
        self.fresh.append((content_file.shown, refreshed))
        return refreshed

    def _parse(self, tasks: list[Task], sink: Callable[[Parsed], None] | None, record_problems: bool = True) -> None:
        for done, parsed in enumerate(parse_all(tasks, self.config, self.theme, self.options.jobs), 1):
            self.progress("parsing", done, len(tasks))
            entry = SourceEntry(parsed.mtime_ns, parsed.size, parsed.digest,
                                (parsed.briefing, parsed.errors, parsed.warnings), parsed.recorded_ns)
            if record_problems:
                self.entries[parsed.shown] = entry
                self.fresh.append((parsed.shown, entry))
            if sink is not None and parsed.products is not None:
                sink(parsed)
        self.parsed += len(tasks)


def load_site(config: SiteConfig, options: BuildOptions, progress: Progress = _no_progress) -> LoadedSite:
    """Discover, parse and collect, without rendering or writing; problems are gathered, not raised."""
    cache = BuildCache(cache_file(config, "content") if options.use_cache else None, settings_key(config))
    try:
        loader = _Loader(config, options, cache, None, progress)
        loaded = loader.load(sink=None)
        cache.put_sources(loader.fresh, keep=set(loader.entries))
        return loaded
    finally:
        cache.close()


def clean(config: SiteConfig) -> list[Path]:
    """Remove the cache folder, the output folder (only if briefgen made it) and its spare."""
    removed = []
    output = config.output_path
    lock = lock_path(output)
    with doing("cleaning", config.root), SiteLock(lock, f"the output folder {output}", timeout=0):
        for folder in (config.root / CACHE_DIR, spare_path(output), output):
            if folder.is_dir() and (folder.name == CACHE_DIR or (folder / MARKER).exists()):
                shutil.rmtree(folder)
                removed.append(folder)
        lock.unlink(missing_ok=True)  # held until closed: no build can take it in between
    return removed


# ---- building -------------------------------------------------------------------------------------------------


def build(config: SiteConfig, options: BuildOptions, progress: Progress = _no_progress, *,
          in_place: bool = False, cache_name: str = "build") -> BuildResult:
    """Build the site into ``config.output_path``; raise :class:`BuildFailed` and keep the old site on error."""
    started = time.perf_counter()
    output = config.output_path
    with doing("checking the output folder", output):
        check_output_folder(output, protected=(config.root, config.content_path), content=config.content_path)
    with doing("reading the theme", config.root):
        theme = load_theme(config.root, config.theme, config.display(config.config_path))
    with contextlib.ExitStack() as stack:
        stack.enter_context(SiteLock(lock_path(output), f"the output folder {output}", options.lock_timeout,
                                     options.on_wait))
        if options.use_cache:
            path = cache_file(config, cache_name)
            stack.enter_context(SiteLock(path.with_suffix(".lock"), f"the build cache {path}", options.lock_timeout,
                                         options.on_wait, NO_CACHE))
        else:  # a throwaway cache, so that --no-cache runs exactly the same pipeline
            with doing("making a temporary cache folder", tempfile.gettempdir()):
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="briefgen-cache-"))
            path = Path(folder) / "cache.sqlite"
        cache = BuildCache(path, build_key(config, theme))
        stack.callback(cache.close)
        return _build(config, options, theme, cache, progress, in_place, started)


def _stories_in(config: SiteConfig, code: str) -> dict[str, StoryInfo]:
    """The config's story titles and descriptions in one language (its own where the config gives them)."""
    return {name: info.in_language(code) for name, info in config.stories.items()}


def lock_path(output: Path) -> Path:
    """The lock file of an output folder, beside it (the folder itself is swapped whole)."""
    return output.parent / f".{output.name}.briefgen-lock"


class _Products:
    """Keeps what each freshly parsed briefing's outputs are made from (feed content, words, the whole
    briefing) in the build cache, by source digest."""

    def __init__(self, cache: BuildCache, selection: Selection):
        self.cache, self.selection = cache, selection
        self.entries: dict[str, bytes] = {}
        self.bodies: dict[str, bytes] = {}
        self.words: dict[str, bytes] = {}  # every fresh briefing's words, kept for the search index
        self.unsaved_words: dict[str, bytes] = {}
        self.latest: dict[str, str] = {}  # source → digest of its bytes when it was last read

    def __call__(self, parsed: Parsed) -> None:
        briefing, made = parsed.briefing, parsed.products
        if briefing is None or not is_published(briefing, self.selection):
            return
        self.latest[briefing.source] = parsed.digest
        self.entries[parsed.digest] = made.entry
        self.bodies[parsed.digest] = made.body
        if made.words:
            self.words[parsed.digest] = self.unsaved_words[parsed.digest] = made.words
        if len(self.bodies) >= 500:
            self.flush()

    def flush(self) -> None:
        self.cache.put_entries(self.entries)
        self.entries.clear()
        self.cache.put_bodies(self.bodies)
        self.bodies.clear()
        self.cache.put_words(self.unsaved_words)
        self.unsaved_words.clear()


def _own_outputs(briefing: Briefing, prefix: str = "") -> tuple[tuple[str, str], tuple[str, str]]:
    """(path, kind) of a briefing's page and of its JSON record, in its language's folder."""
    return ((prefix + output_file(briefing_route(briefing.slug)), "page"),
            (f"{prefix}api/briefings/{briefing.slug}.json", "data"))


def _own_fingerprint(key: str, own: str, context: BriefingContext) -> str:
    """What a briefing's page and record are made from: its source, and what its context shows."""
    return digest(key, own, "" if context.empty else context.key())


def _state(options: BuildOptions, files: Iterable[tuple[str, int, int]]) -> str:
    """What a build's result depends on besides the build key: the flags and every content file's stat."""
    return digest(repr((options.include_drafts, options.include_future, options.strict)),
                  *sorted(f"{path}\0{mtime}\0{size}" for path, mtime, size in files))


def _up_to_date(config: SiteConfig, options: BuildOptions, cache: BuildCache, marker: str,
                files: list[ContentFile], started: float) -> BuildResult | None:
    """The stored result when no content file changed since the last build and no briefing's date has come
    since; None when there is work to do. Costs a directory walk and a query, no parsing."""
    summary = cache.summary(marker)
    if not summary:
        return None
    stats = cache.source_stats()
    current = []
    for content_file in files:
        try:
            stat = content_file.path.stat()
        except OSError:
            return None
        known = stats.get(content_file.shown)
        if known is None or (stat.st_mtime_ns, stat.st_size) != known[:2] or stat.st_mtime_ns >= known[2] - RACY_NS:
            return None
        current.append((content_file.shown, stat.st_mtime_ns, stat.st_size))
    for image, recorded_ns in summary.get("images", ()):  # the images its briefings show
        try:
            stat = (config.root / image).stat()
        except OSError:
            return None
        if stat.st_mtime_ns >= recorded_ns - RACY_NS:
            return None
        current.append((image, stat.st_mtime_ns, stat.st_size))
    if summary.get("state") != _state(options, current) or build_time().timestamp() >= summary.get("until", 0):
        return None
    warnings = [Problem(**fields) for fields in summary.get("warnings", [])]
    return BuildResult(briefings=summary["briefings"], output=config.output_path,
                       report=WriteReport(counts=summary["counts"], kept=sum(summary["counts"].values())),
                       warnings=warnings, elapsed=time.perf_counter() - started, unchanged=True,
                       site_bytes=summary.get("site_bytes", 0))


def _build(config: SiteConfig, options: BuildOptions, theme: Theme, cache: BuildCache, progress: Progress,
           in_place: bool, started: float) -> BuildResult:
    marker = read_marker(config.output_path)
    discovery = Problems()
    with doing("reading the content folder", config.content_path):
        files = discover(config.content_path, config.root, discovery)
    done = _up_to_date(config, options, cache, marker, files, started)
    if done is not None:
        return done
    previous = cache.outputs(marker)
    spare_marker = read_marker(spare_path(config.output_path))
    spare = cache.outputs(spare_marker, "spare")
    known_sizes = (cache.outputs(marker, "site-sizes"), cache.outputs(spare_marker, "spare-sizes"))
    links = LinkChecker(config.base_url, config.root)
    with doing("preparing the new site beside the output folder", config.output_path.parent):
        session = OutputSession(config.output_path, previous, spare=spare, in_place=in_place,
                                known_sizes=known_sizes)
    try:
        with doing("reading the content", config.content_path):
            loader = _Loader(config, options, cache, theme, progress)
            loader.problems.extend(discovery)
            products = _Products(cache, selection_for(options))
            loaded = loader.load(sink=products, files=files)
        if files and not loaded.published:
            loaded.problems.warn(_nothing_published(shown_path(config.content_path, config.root), files,
                                                     loaded.briefings))
        with doing("reading the images", config.content_path):
            images = resolve_images(tuple(b for part in loaded.parts for b in part.site.briefings), config, cache,
                                    loaded.problems)
        loaded.problems.warnings.extend(missing_messages(theme, config.language_codes))
        loaded.problems.raise_if_errors(strict=options.strict)
        with doing("writing the site", session.target):
            renderers = {part.code: PageRenderer(part.config, theme, images) for part in loaded.parts}
            pages, outputs, indexes = [], [], []
            for part in loaded.parts:
                versions = _versions(part, images)
                pages += _briefing_pages(part, versions, loader, session, cache, products)
                renderer = renderers[part.code]
                inputs = PlanInputs(key=cache.build_key, digests=versions, now=build_time(),
                                    entry_html=partial(_entry_html, cache, part.digests, products.latest))
                index = _search_index(part, loader, cache, products) if config.search else None
                outputs.append(in_folder(plan_site(part.site, renderer, inputs), part.prefix))
                if index is not None:
                    indexes.append((part.prefix, index))
                    outputs.append(in_folder(plan_search(part.site, renderer, cache.build_key, part.digests, index),
                                             part.prefix))
            default = renderers[loaded.parts[0].code]
            outputs += [plan_shared([(part.site, renderers[part.code]) for part in loaded.parts], default, theme,
                                    cache.build_key, build_time()), plan_images(images)]
            _make(pages, _carry_over(itertools.chain(*outputs), session, progress), session, renderers, cache,
                  links, options.jobs, progress)
            redirects = itertools.chain(*(plan_redirects(part.site, renderers[part.code], cache.build_key,
                                                         session.has) for part in loaded.parts))  # once all is claimed
            _make([], _carry_over(redirects, session, progress), session, renderers, cache, links, options.jobs,
                  progress)
        problems = links.problems(session.report.paths, session if session.removed_paths() else None)
        if problems:
            raise BuildFailed(problems)
        token = digest(*sorted(f"{path}\0{fp}" for path, fp in session.fingerprints.items()))
        cache.forget_outputs()
        loaded.problems.warnings.extend(pages_limits(session.sizes, config))
        with doing("putting the new site in place", config.output_path):
            report = session.commit(token)
    except BaseException:
        session.abort()
        raise
    try:
        _remember(cache, loader, loaded, session, report, options, indexes,
                  None if in_place else (previous, known_sizes[0]), marker, token, images,
                  _next_change(loaded, options, news=bool(config.news_name)))
    except BuildFailed as failure:  # the site is right; the cache forgot its outputs, so nothing stale is trusted
        raise BuildFailed(failure.problems, site_replaced=True) from None
    if config.websub.hubs and options.use_cache and not in_place:  # the record is part of the build cache
        try:
            record_build(config, session.fingerprints, previous, build_time().isoformat())
        except BuildFailed as failure:
            raise BuildFailed(failure.problems, site_replaced=True) from None
    return BuildResult(briefings=loaded.published, output=config.output_path, report=report,
                       warnings=loaded.problems.warnings, elapsed=time.perf_counter() - started,
                       parsed=loader.parsed, site_bytes=sum(session.sizes.values()))


def _remember(cache: BuildCache, loader: _Loader, loaded: LoadedSite, session: OutputSession, report: WriteReport,
              options: BuildOptions, indexes: list[tuple[str, SearchIndex]],
              replaced: tuple[dict[str, str], dict[str, int]] | None, marker: str, token: str,
              images: SiteImages, until: float) -> None:
    """Record in the cache what this build read and wrote, for the next one."""
    cache.put_sources(loader.fresh, keep=set(loader.entries))
    kept_aside = None if replaced is None else (replaced[0], marker)  # the site just replaced is now the spare
    cache.put_outputs((session.fingerprints, token), kept_aside, {
        "briefings": loaded.published,
        "counts": report.counts,
        "warnings": [dataclasses.asdict(warning) for warning in loaded.problems.warnings],
        "state": _state(options, [(path, entry.mtime_ns, entry.size) for path, entry in loader.entries.items()]
                        + [(path, *stat) for path, stat in images.stats.items()]),
        "images": sorted([path, images.recorded[path]] for path in images.stats),
        "until": until,
        "site_bytes": sum(session.sizes.values()),
    }, sizes=(session.sizes, replaced[1] if replaced else {}))
    for space, index in indexes:
        update = index.update
        cache.put_search(update.state.plain(), update.changed, gone=None if update.rebuilt else update.gone,
                         space=space)
    current = {entry.digest for entry in loader.entries.values()}
    cache.prune_entries(current)
    cache.prune_bodies(current)
    cache.prune_words(current)


PAGES_SITE_LIMIT = 1_000_000_000  # GitHub Pages refuses a published site larger than 1 GB
PAGES_FILE_LIMIT = 100_000_000  # and a file larger than 100 MB


def pages_limits(sizes: dict[str, int], config: SiteConfig) -> list[Problem]:
    """Warnings for a site GitHub Pages would refuse, with the options that make it smaller."""
    problems = []
    total = sum(sizes.values())
    where = shown_path(config.output_path, config.root)
    if total > PAGES_SITE_LIMIT:
        problems.append(Problem(where, message=f"the site is {total / 1e9:.2f} GB, and GitHub Pages publishes at "
                                               "most 1 GB",
                                hint="keep `feeds.term_content: summary` and `api.html: false`, lower "
                                     "`feeds.term_limit` and `feeds.limit`, or set `search: false`"))
    for path in sorted(path for path, size in sizes.items() if size > PAGES_FILE_LIMIT):
        problems.append(Problem(f"{where}/{path}", message=f"{sizes[path] / 1e6:.0f} MB, and GitHub Pages refuses "
                                                           "files over 100 MB",
                                hint="lower `feeds.limit` or `per_page`"))
    return problems


NOTHING_PUBLISHED_SHOWN = 5


def _nothing_published(folder: str, files: list[ContentFile], briefings: list[Briefing]) -> Problem:
    """Markdown files were found, yet no briefing is published: say which files and why."""
    why = {b.source: " (a draft)" if b.draft else " (dated in the future)" for b in briefings}
    shown = [f"{f.shown}{why.get(f.shown, ' (not a briefing)')}" for f in files[:NOTHING_PUBLISHED_SHOWN]]
    more = f" and {len(files) - len(shown)} more" if len(files) > len(shown) else ""
    return Problem(f"{folder}/", message=f"{len(files)} Markdown files found, but no briefing "
                   f"is published: {', '.join(shown)}{more}",
                   hint="build with --drafts or --future to see them, or check their `draft:` and `date:`")


def _next_change(loaded: LoadedSite, options: BuildOptions, news: bool) -> float:
    """When the next future-dated briefing comes due, or (with a news sitemap) a briefing leaves the last two
    days: a build then has work to do even if no file changed."""
    now = build_time()
    due = float("inf") if options.include_future else \
        min((b.date.timestamp() for b in loaded.briefings if b.date > now), default=float("inf"))
    syndicated = [b for part in loaded.parts for b in part.site.briefings if b.slug in part.site.syndicated]
    return min(due, news_window_moves(syndicated, now)) if news else due


def _versions(part: LanguageSite, images: SiteImages) -> dict[str, str]:
    """slug → what a briefing's outputs show of it: its source, and its images when it has some."""
    return {b.slug: digest(own, shown.key) if (shown := images.of(b.source)) else own
            for b in part.site.briefings for own in (part.digests[b.slug],)}


def _briefing_pages(loaded: LanguageSite, versions: dict[str, str], loader: _Loader, session: OutputSession,
                    cache: BuildCache, products: _Products) -> list[tuple[Briefing, PageJob]]:
    """Each published briefing's page and record: carried over when neither the briefing nor what its page
    shows of the others (story neighbours, change, related) changed; else a job to render them from the whole
    briefing the cache keeps (the file is parsed again if it has none)."""
    todo = []
    for briefing in loaded.site.briefings:
        outputs = _own_outputs(briefing, loaded.prefix)
        if any(session.has(path) for path, _ in outputs):
            continue  # two files with one slug: collect() reports it
        context = loaded.site.context(briefing.slug)
        fingerprint = _own_fingerprint(cache.build_key, versions[briefing.slug], context)
        if all(session.can_keep(path, fingerprint) for path, _ in outputs):
            for path, kind in outputs:
                session.keep(path, kind, fingerprint, briefing.source)
        else:
            todo.append((briefing, fingerprint, context))
    products.flush()
    kept = cache.prepared()  # feeds need the entries of pages carried over too
    missing = [briefing for briefing in loaded.site.briefings if loaded.digests[briefing.slug] not in kept]
    if missing:
        loader.rerender(missing, products)
        products.flush()
    jobs = []
    for briefing, fingerprint, context in todo:
        own = loaded.digests[briefing.slug]
        body = own if own in kept else products.latest.get(briefing.source, own)  # changed again since read
        targets = tuple(session.claim(path, kind, fingerprint, briefing.source)
                        for path, kind in _own_outputs(briefing, loaded.prefix))
        jobs.append((briefing, PageJob(body, context, targets, loaded.code, loaded.prefix)))
    return jobs


class _Words:
    """Each briefing's words for the search index: fresh from this build's parsing, else from the cache, else
    (for a current briefing) by parsing and rendering its file again."""

    def __init__(self, loaded: LanguageSite, loader: _Loader, cache: BuildCache, products: _Products):
        self.loaded, self.loader, self.cache, self.products = loaded, loader, cache, products

    def previous(self, digests: list[str]) -> dict[str, bytes]:
        found = {d: self.products.words[d] for d in digests if d in self.products.words}
        found.update(readable(self.cache.words(d for d in digests if d not in found)))
        return found

    def current(self, digests: list[str]) -> dict[str, bytes]:
        found = self.previous(digests)
        missing = set(digests) - found.keys()
        if missing:
            self.loader.rerender([b for b in self.loaded.site.briefings if self.loaded.digests[b.slug] in missing],
                                 self.products)
            self.products.flush()
            # a file changed again since it was read has no words under its old digest: none until next build
            found.update({d: self.products.words.get(d, _NO_WORDS) for d in missing})
        return found

    def shards(self, names: list[str]) -> dict[str, bytes]:
        return self.cache.search_shards(names, space=self.loaded.prefix)


_NO_WORDS = DocWords((), ()).encode()


def _search_index(loaded: LanguageSite, loader: _Loader, cache: BuildCache, products: _Products) -> SearchIndex:
    return index_site(loaded.site, loaded.digests, IndexState.from_plain(cache.search_state(loaded.prefix)),
                      _Words(loaded, loader, cache, products))


def _make(pages: list[tuple[Briefing, PageJob]], to_make: list[Planned], session: OutputSession,
          renderers: dict[str, PageRenderer], cache: BuildCache, links: LinkChecker, jobs: int | None,
          progress: Progress) -> None:
    """Make every claimed file in the pool; record the size of what each worker wrote and the links it found."""
    targets = [session.claim(planned.path, planned.kind, planned.fingerprint) for planned in to_make]
    written = [([path for path, _ in _own_outputs(briefing, job.folder)], job.targets, briefing.source)
               for briefing, job in pages]
    written += [([planned.path], [target], "") for planned, target in zip(to_make, targets)]
    made = make_all([job for _, job in pages], to_make, targets, renderers, cache, session.fresh, jobs)
    for count, ((paths, claimed, source), (sizes, found)) in enumerate(zip(written, made), 1):
        progress("rendering", count, len(written))
        for path, target, size, urls in zip(paths, claimed, sizes, found):
            if target is not None:
                session.wrote(path, size)
            links.add(path, urls, source)


def _carry_over(outputs: Iterable[Planned], session: OutputSession, progress: Progress) -> list[Planned]:
    """Carry over every unchanged output; the others, to make."""
    to_make, claimed = [], set()
    for done, planned in enumerate(outputs, 1):
        progress("planning", done, None)
        if planned.path in claimed or session.has(planned.path) \
                or session.keep(planned.path, planned.kind, planned.fingerprint):
            continue
        to_make.append(planned)
        claimed.add(planned.path)
    return to_make


def _entry_html(cache: BuildCache, digests: dict[str, str], latest: dict[str, str], briefing: Briefing) -> str:
    """A briefing's feed content, as parsed (or parsed again, when its file changed while this build ran)."""
    own, again = digests[briefing.slug], latest.get(briefing.source, "")
    found = cache.entries([own, again])
    return found.get(own) or found.get(again) or ""

