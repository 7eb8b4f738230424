"""The pipeline in one readable place: config → discover → parse → collect → render → write."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from briefgen.collect import Selection, collect
from briefgen.config import SiteConfig
from briefgen.discover import discover
from briefgen.errors import BuildFailed, Problem, Problems
from briefgen.markdown import MarkdownRenderer
from briefgen.model import Briefing, Site
from briefgen.output import OutputFile
from briefgen.parse import ParseContext, parse_briefing
from briefgen.render import render_site
from briefgen.sections import SectionClassifier
from briefgen.selfcheck import LinkChecker
from briefgen.theme import load_theme
from briefgen.write import WriteReport, check_output_folder, write_site


@dataclass(frozen=True)
class BuildOptions:
    include_drafts: bool = False
    include_future: bool = False
    strict: bool = False


@dataclass
class LoadedSite:
    site: Site
    briefings: list[Briefing]  # every parsed briefing, drafts and future ones included
    problems: Problems


@dataclass
class BuildResult:
    site: Site
    output: Path
    report: WriteReport
    warnings: list[Problem] = field(default_factory=list)
    elapsed: float = 0.0


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that reproducible builds agree on what is "future"."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


Progress = Callable[[str, int, "int | None"], None]  # (stage, done, total or None)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    pass


def load_site(config: SiteConfig, options: BuildOptions, progress: Progress = _no_progress) -> LoadedSite:
    """Discover, parse and collect; problems are gathered, not raised."""
    problems = Problems()
    files = discover(config.content_path, config.root, problems)
    context = ParseContext(timezone=config.tz, renderer=MarkdownRenderer(),
                           classifier=SectionClassifier.with_extra(config.sections), day_first=config.day_first,
                           words_per_minute=config.words_per_minute)
    briefings = []
    for done, content_file in enumerate(files, 1):
        progress("parsing", done, len(files))
        try:
            raw = content_file.path.read_bytes()
        except OSError as exc:
            problems.error(Problem(content_file.shown, message=f"cannot read the file: {exc.strerror}",
                                   hint="check its permissions"))
            continue
        briefing = parse_briefing(raw, content_file.shown, content_file.stem, context, problems)
        if briefing is not None:
            briefings.append(briefing)
    selection = Selection(include_drafts=options.include_drafts, include_future=options.include_future,
                          now=build_time())
    site = collect(briefings, selection, config.tz, problems)
    return LoadedSite(site=site, briefings=briefings, problems=problems)


def _counted(files: Iterator[OutputFile], progress: Progress) -> Iterator[OutputFile]:
    for done, item in enumerate(files, 1):
        progress("writing", done, None)
        yield item


def build(config: SiteConfig, options: BuildOptions, progress: Progress = _no_progress) -> BuildResult:
    """Build the whole site into ``config.output_path``; raise :class:`BuildFailed` and keep the old site on error."""
    started = time.perf_counter()
    output = config.output_path
    check_output_folder(output, protected=(config.root, config.content_path))
    loaded = load_site(config, options, progress)
    loaded.problems.raise_if_errors(strict=options.strict)
    theme = load_theme(config.root, config.theme, config.display(config.config_path))
    links = LinkChecker(config.base_url, config.root)
    files = _counted(links.watch(render_site(loaded.site, config, theme)), progress)
    report = write_site(files, output, verify=links.problems)
    return BuildResult(site=loaded.site, output=output, report=report, warnings=loaded.problems.warnings,
                       elapsed=time.perf_counter() - started)
