"""The command line: a thin click layer over the library. User errors never show a traceback.

Colour only on a terminal, never with ``NO_COLOR``; a progress bar only for builds that take over a second.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen import __version__
from briefgen.build import BuildOptions, BuildResult, build, build_time, load_site
from briefgen.config import CONFIG_NAME, SiteConfig, load_config, with_output
from briefgen.errors import BriefgenError, BuildFailed, Problem
from briefgen.faults import os_problem
from briefgen.importers import KINDS

if TYPE_CHECKING:
    from briefgen.ping import PingResult

PROGRESS_AFTER_SECONDS = 1.0


# ---- shared pieces ------------------------------------------------------------------------------------------


def echo_problems(problems: list[Problem], label: str, colour: str) -> None:
    for problem in problems:
        click.secho(f"{label}: ", fg=colour, bold=True, nl=False, err=True)
        click.echo(str(problem), err=True)


def fail(problems: list[Problem], what: str, consequence: str = "") -> None:
    echo_problems(problems, "error", "red")
    count = len(problems)
    click.secho(f"{what} failed with {count} error{'s' if count != 1 else ''}{consequence}.", fg="red", err=True)
    sys.exit(1)


KEPT = "; the previous site was left as it was"
REPLACED = "; the new site is in place, and the next build starts from a clean cache"


def consequence(failure: BuildFailed) -> str:
    return REPLACED if failure.site_replaced else KEPT


def user_errors(function):
    """Turn briefgen's own errors into messages and exit code 1, for every command."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except BuildFailed as failure:
            fail(failure.problems, "Build", consequence(failure))
        except BriefgenError as error:
            click.secho(f"error: {error}", fg="red", err=True)
            sys.exit(1)
        except OSError as error:  # a fault of the machine outside any build stage: still no traceback
            fail([os_problem(error, f"`briefgen {function.__name__.removesuffix('_command')}`")], "Command")

    return wrapper


def config_option(function):
    return click.option("--config", "config_path", metavar="PATH",
                        help=f"Site config file (default: ./{CONFIG_NAME}).")(function)


def verbosity_options(function):
    function = click.option("--verbose", "-v", is_flag=True, help="Print more detail.")(function)
    return click.option("--quiet", "-q", is_flag=True, help="Print errors only.")(function)


def load(config_path: str | None, base_url: str | None = None, output: str | None = None) -> SiteConfig:
    config = load_config(Path(config_path or CONFIG_NAME), base_url=base_url)
    return with_output(config, Path(output)) if output else config


class Progress:
    """A one-line progress bar on stderr, drawn only on a terminal and only once a build passes a second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < PROGRESS_AFTER_SECONDS or now - self.drawn_at < 0.1:
            return
        self.drawn_at, self.shown = now, True
        if total:
            filled = int(30 * done / total)
            line = f"{stage:<10} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
        else:
            line = f"{stage:<10} {done} files"
        click.echo("\r" + line.ljust(70), nl=False, err=True)

    def finish(self) -> None:
        if self.shown:
            click.echo("\r" + " " * 70 + "\r", nl=False, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.pass_context
def main(context: click.Context) -> None:
    """briefgen: structured news briefings from Markdown, as a static site with feeds.

    Start with `briefgen init my-site`, write with `briefgen new "Title"` and `briefgen serve`,
    publish with `briefgen build`.
    """
    if os.environ.get("NO_COLOR"):
        context.color = False


# ---- build --------------------------------------------------------------------------------------------------


@main.command("build")
@config_option
@click.option("--output", "-o", metavar="DIR", help="Output folder (default: output_dir from the config).")
@click.option("--base-url", metavar="URL", help="Absolute URL the site is served at, e.g. https://user.github.io/repo/.")
@click.option("--drafts", is_flag=True, help="Include briefings marked `draft: true`.")
@click.option("--future", is_flag=True, help="Include briefings dated in the future.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", is_flag=True, help="Ignore and keep no build cache: parse and render everything.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Worker processes (default: one per core).")
@click.option("--wait", default=120.0, show_default=True, metavar="SECONDS", type=click.FloatRange(0),
              help="How long to wait for another build of the same site to finish.")
@verbosity_options
@user_errors
def build_command(config_path, output, base_url, drafts, future, strict, no_cache, jobs, wait, quiet,
                  verbose) -> None:
    """Build the site into the output folder (site/ by default).

    Example: briefgen build --base-url https://user.github.io/briefings/
    """
    config = load(config_path, base_url, output)
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        result = build(config, BuildOptions(include_drafts=drafts, include_future=future, strict=strict,
                                            use_cache=not no_cache, jobs=jobs, lock_timeout=wait,
                                            on_wait=lambda message: click.echo(message, err=True)),
                       progress=progress)
    except BuildFailed as failure:
        progress.finish()
        fail(failure.problems, "Build", consequence(failure))
    progress.finish()
    if not quiet:
        echo_problems(result.warnings, "warning", "yellow")
        print_report(result, config, verbose)


def print_report(result: BuildResult, config: SiteConfig, verbose: bool) -> None:
    counts = result.report.counts
    rows = [
        ("Briefings", result.briefings),
        ("Pages", counts.get("page", 0)),
        ("Feeds", counts.get("feed", 0)),
        ("Data files", counts.get("data", 0)),
        ("Images", counts.get("image", 0)),
        ("Static files", counts.get("static", 0)),
        ("Other files", counts.get("meta", 0)),
        ("Warnings", len(result.warnings)),
    ]
    rows = [(label, value) for label, value in rows if value or label != "Images"]  # a site without images
    width = max(len(label) for label, _ in rows)
    click.echo()
    for label, value in rows:
        click.echo(f"  {label:<{width}}  {value:>6}")
    click.echo()
    if result.unchanged:
        click.secho(f"{config.title!r} in {config.display(result.output)}/ is up to date "
                    f"({result.elapsed * 1000:.0f} ms).", fg="green")
    else:
        click.secho(f"Built {config.title!r} into {config.display(result.output)}/ in {result.elapsed * 1000:.0f} ms "
                    f"({result.parsed} parsed, {result.report.written} written, {result.report.kept} unchanged).",
                    fg="green")
    if verbose:
        click.echo(f"Base URL: {config.base_url}")
        click.echo(f"Output: {result.output} ({result.report.bytes:,} bytes written; the site is "
                   f"{result.site_bytes / 1e6:,.1f} MB)")


@main.command("clean")
@config_option
@verbosity_options
@user_errors
def clean_command(config_path, quiet, verbose) -> None:
    """Remove the build cache and the output folder, so that the next build starts from nothing.

    Example: briefgen clean && briefgen build
    """
    from briefgen.build import clean

    config = load(config_path)
    for removed in clean(config):
        if not quiet:
            click.echo(f"  removed {config.display(removed)}")


# ---- import -------------------------------------------------------------------------------------------------

SHOWN_NOTE_KINDS = 12


@main.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--from", "kind", type=click.Choice(KINDS),
              default="auto", show_default=True, help="What the sources are (auto: recognised from each source).")
@click.option("--into", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (default: the site's content folder).")
@click.option("--dry-run", is_flag=True, help="Report what would be imported; write nothing.")
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@click.option("--old-url", metavar="URL", help="Where the old site is published: links to its files that were not "
              "imported (images) point there instead of being unlinked.")
@config_option
@verbosity_options
@user_errors
def import_command(sources, kind, into, dry_run, force, old_url, config_path, quiet, verbose) -> None:
    """Import articles: raw text copied from a news page, saved web pages (or an https:// address), or whole
    Jekyll, Hugo, Eleventy and Pelican archives. Sources are never changed.

    Example: briefgen import ~/notes/call.txt saved-page.html ~/old-site/_posts
    """
    from briefgen.importers.run import ImportOptions, run_import

    config = load(config_path)
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    report = run_import(config, ImportOptions(sources=tuple(sources), kind=kind, into=into, dry_run=dry_run,
                                              force=force, old_url=old_url), progress=progress)
    progress.finish()
    if not quiet:
        print_import_report(report, config, verbose)
    if not report.imported:
        sys.exit(1)


def print_import_report(report, config: SiteConfig, verbose: bool) -> None:
    for folder, generator in report.archives.items():
        click.echo(f"Read {folder} as a {generator} archive.")
    for outcome in report.outcomes:
        if outcome.skipped is None and (verbose or len(report.outcomes) <= 20):
            click.echo(f"  {outcome.source} -> {outcome.target}")
            for note in outcome.notes:
                click.echo(f"      note: {note}")
    kinds = report.note_counts()
    if kinds and not verbose and len(report.outcomes) > 20:
        click.echo("Notes (files; --verbose lists each file):")
        for kind, count in kinds[:SHOWN_NOTE_KINDS]:
            click.echo(f"  {count:>6}  {kind}")
        if len(kinds) > SHOWN_NOTE_KINDS:
            click.echo(f"  and {len(kinds) - SHOWN_NOTE_KINDS} other kinds of note")
    for outcome in report.skipped:
        click.secho("skipped: ", fg="yellow", bold=True, nl=False, err=True)
        click.echo(f"{outcome.source}: {outcome.skipped}", err=True)
    verb = "Would import" if report.dry_run else "Imported"
    summary = (f"{verb} {len(report.imported)} of {len(report.outcomes)} into {config.display(report.into)}/: "
               f"{len(report.with_notes)} with notes, {len(report.skipped)} skipped.")
    click.secho(summary, fg="green" if report.imported else "red")
    if report.imported and not report.dry_run:
        click.echo("Next: briefgen build")


# ---- init and new -------------------------------------------------------------------------------------------


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="My briefings", show_default=True, help="The site's title.")
@click.option("--timezone", default="UTC", show_default=True, help="IANA time zone for dates without an offset.")
@click.option("--force", is_flag=True, help="Add the site files even if the folder is not empty.")
@verbosity_options
@user_errors
def init_command(folder: Path, title: str, timezone: str, force: bool, quiet: bool, verbose: bool) -> None:
    """Create a new site: config, an example briefing, a GitHub Pages workflow, a .gitignore.

    Example: briefgen init my-briefings --title "Caribbean Crisis Briefings" --timezone America/Caracas
    """
    from briefgen.scaffold import init_site

    # "now" as builds see it (SOURCE_DATE_EPOCH included), so the welcome briefing is never in the future
    created = init_site(folder, title=title, timezone=timezone, now=build_time(), force=force)
    if not quiet:
        for path in created.paths:
            click.echo(f"  created {path}")
        click.secho(f"New site in {folder}. Next: cd {folder} && briefgen serve", fg="green")


@main.command("new")
@click.argument("title")
@config_option
@click.option("--story", metavar="STORY", help="Group the briefing into a story (front matter `story:`).")
@click.option("--tags", metavar="A,B", default="", help="Comma-separated tags.")
@click.option("--draft", is_flag=True, help="Mark the briefing as a draft.")
@verbosity_options
@user_errors
def new_command(title, config_path, story, tags, draft, quiet, verbose) -> None:
    """Create a briefing file with the four section headings, dated today in the site time zone.

    Example: briefgen new "Petro questions the airspace closure" --tags airspace,colombia --draft
    """
    from briefgen.scaffold import new_briefing

    config = load(config_path)
    tag_list = tuple(t.strip() for t in tags.split(",") if t.strip())
    path = new_briefing(config, title, story=story, tags=tag_list, draft=draft)
    if not quiet:
        click.secho(f"Created {config.display(path)}", fg="green")


# ---- serve --------------------------------------------------------------------------------------------------


@main.command("serve")
@config_option
@click.option("--port", "-p", default=8000, show_default=True, help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--drafts", is_flag=True, help="Include briefings marked `draft: true`.")
@click.option("--future", is_flag=True, help="Include briefings dated in the future.")
@verbosity_options
@user_errors
def serve_command(config_path, port, drafts, future, quiet, verbose) -> None:
    """Build, serve on 127.0.0.1 under the base path, rebuild on change and reload open pages.

    Example: briefgen serve --port 8000 --drafts
    """
    from briefgen.serve import DevServer

    def report(result) -> None:
        if isinstance(result, BuildFailed):
            echo_problems(result.problems, "error", "red")
            click.secho("The last good site is still served; fix the file and save.", fg="red", err=True)
        elif not quiet:
            echo_problems(result.warnings, "warning", "yellow")
            click.echo(f"Rebuilt {result.briefings} briefings in {result.elapsed * 1000:.0f} ms "
                       f"({result.report.written} files written).")

    server = DevServer(Path(config_path or CONFIG_NAME), BuildOptions(include_drafts=drafts, include_future=future),
                       port=port, on_build=report)
    try:
        server.start()
    except OSError as error:
        raise BriefgenError(f"--port: cannot listen on 127.0.0.1:{port} ({error.strerror}) — "
                            "choose another port, e.g. --port 8001") from None
    click.secho(f"Serving at {server.url} (Ctrl+C to stop)", fg="green")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.stop()


# ---- check --------------------------------------------------------------------------------------------------


@main.command("check")
@config_option
@click.option("--external", is_flag=True, help="Also request every external link (a few at a time).")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for each external link.")
@click.option("--concurrency", default=8, show_default=True, help="External links requested at once.")
@click.option("--drafts", is_flag=True, help="Include briefings marked `draft: true`.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@verbosity_options
@user_errors
def check_command(config_path, external, timeout, concurrency, drafts, strict, quiet, verbose) -> None:
    """Check config, content, internal links, anchors and feeds without touching the output folder.

    Example: briefgen check --external --timeout 5
    """
    from briefgen.check import check_site

    config = load(config_path)
    report = check_site(config, BuildOptions(include_drafts=drafts, strict=strict), external=external,
                        timeout=timeout, concurrency=concurrency)
    if not quiet or strict:
        echo_problems(report.warnings, "warning", "yellow")
    errors = report.errors + (report.warnings if strict else [])
    if errors:
        fail(errors, "Check")
    if not quiet:
        details = f"{report.pages} pages, {report.anchors} anchors, {report.feeds} feeds"
        if external:
            details += f", {report.external} external links"
        click.secho(f"All good: {details} checked.", fg="green")


# ---- ping ---------------------------------------------------------------------------------------------------


@main.command("ping")
@config_option
@click.option("--timeout", default=10.0, show_default=True, metavar="SECONDS",
              type=click.FloatRange(min=0, min_open=True), help="Seconds to wait for each hub's answer.")
@click.option("--retries", default=3, show_default=True, metavar="N", type=click.IntRange(0, 10),
              help="How often to ask again after no answer, a timeout, 429 or 5xx (waiting 1, 2, 4… seconds).")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send nothing.")
@verbosity_options
@user_errors
def ping_command(config_path, timeout, retries, dry_run, quiet, verbose) -> None:
    """Tell the WebSub hubs (config websub.hubs) which feeds the last build changed.

    Only feeds a hub has not accepted yet are sent, so running it again retries what failed.

    Example: briefgen build && briefgen ping
    """
    from briefgen.ping import PingOptions, plan_pings, send_pings
    from briefgen.websub import record_path

    try:
        config = load(config_path)
        plan = plan_pings(config)
        for note in plan.notes:
            click.secho("note: ", fg="yellow", bold=True, nl=False, err=True)
            click.echo(note, err=True)
        if plan.idle:
            if not quiet:
                click.echo(f"Nothing to ping: {plan.idle}.")
            return
        if dry_run:
            print_ping_plan(plan.pending)
            return
        results = send_pings(record_path(config), plan, PingOptions(timeout=timeout, retries=retries),
                             on_result=lambda result: print_ping_result(result, quiet, verbose))
    except BuildFailed as failure:
        fail(failure.problems, "Ping")
    failed = sum(len(result.failures) + len(result.unsent) for result in results)
    if failed:
        click.secho(f"{_count(failed, 'notification')} not delivered: run `briefgen ping` again to send "
                    f"{'them' if failed != 1 else 'it'} (what was delivered is not sent again).", fg="red", err=True)
        sys.exit(1)


def print_ping_plan(pending: dict[str, list[str]]) -> None:
    for hub, feeds in pending.items():
        click.echo(f"{hub} → would notify {_count(len(feeds), 'feed')}")
        for feed in feeds:
            click.echo(f"  {feed}")
    click.echo("Dry run: nothing was sent.")


def print_ping_result(result: PingResult, quiet: bool, verbose: bool) -> None:
    failed = len(result.failures) + len(result.unsent)
    if not quiet or failed:
        click.secho(f"{result.hub} → {_count(len(result.notified), 'feed')} notified"
                    + (f", {failed} failed" if failed else ""), fg="red" if failed else "green")
    if verbose:
        for feed in result.notified:
            click.echo(f"  notified {feed}")
    for failure in result.failures:
        click.echo(f"  {failure.feed}: {failure.reason}", err=True)
    if result.unsent and verbose:
        for feed in result.unsent:
            click.echo(f"  {feed}: not sent, as the hub could not be reached", err=True)
    elif result.unsent:
        click.echo(f"  {_count(len(result.unsent), 'more feed')} not sent, as the hub could not be reached "
                   "(--verbose lists them)", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


# ---- list ---------------------------------------------------------------------------------------------------


LIST_FILTERS = {
    "all": lambda states: True,
    "drafts": lambda states: "draft" in states,
    "future": lambda states: "future" in states,
    "published": lambda states: not states,
}


@main.command("list")
@click.argument("which", type=click.Choice(["all", "drafts", "future", "published"]), default="all")
@config_option
@verbosity_options
@user_errors
def list_command(which, config_path, quiet, verbose) -> None:
    """List briefings with their status, dates and files: all, drafts, future or published.

    Example: briefgen list drafts
    """
    config = load(config_path)
    loaded = load_site(config, BuildOptions(include_drafts=True, include_future=True))
    now = build_time()
    rows = []
    for briefing in sorted(loaded.briefings, key=lambda b: (-b.date.timestamp(), b.slug)):
        states = [name for name, on in (("draft", briefing.draft), ("future", briefing.date > now)) if on]
        if LIST_FILTERS[which](states):
            rows.append((", ".join(states) or "published",
                         briefing.date.astimezone(config.tz).strftime("%Y-%m-%d %H:%M"),
                         briefing.updated.astimezone(config.tz).strftime("%Y-%m-%d") if briefing.updated else "",
                         briefing.title, briefing.source))
    echo_problems(loaded.problems.errors, "error", "red")
    _table(("STATUS", "DATE", "UPDATED", "TITLE", "FILE"), rows)
    if not quiet:
        click.echo(f"{len(rows)} briefing{'s' if len(rows) != 1 else ''}.")
    if loaded.problems.errors:
        sys.exit(1)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    widths[3] = min(widths[3], 50)
    for index, row in enumerate([header, *rows]):
        cells = [str(cell) if len(str(cell)) <= width else str(cell)[:width - 1] + "…"
                 for cell, width in zip(row, widths)]
        line = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
        click.secho(line, bold=index == 0)
