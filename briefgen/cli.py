"""The command line: a thin click layer over :mod:`briefgen.build`. User errors never show a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefgen import __version__
from briefgen.build import BuildOptions, BuildResult, build
from briefgen.config import CONFIG_NAME, SiteConfig, load_config, with_output
from briefgen.errors import BriefgenError, BuildFailed, Problem


def _echo_problems(problems: list[Problem], label: str, colour: str) -> None:
    for problem in problems:
        click.secho(f"{label}: ", fg=colour, bold=True, nl=False, err=True)
        click.echo(str(problem), err=True)


def _load(config_path: str | None, base_url: str | None, output: str | None) -> SiteConfig:
    config = load_config(Path(config_path or CONFIG_NAME), base_url=base_url)
    return with_output(config, Path(output)) if output else config


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """briefgen: structured news briefings from Markdown, as a static site with feeds.

    Run `briefgen build` in a folder with briefgen.yaml and content/.
    """


@main.command("build")
@click.option("--config", "config_path", metavar="PATH", help=f"Site config file (default: ./{CONFIG_NAME}).")
@click.option("--output", "-o", metavar="DIR", help="Output folder (default: output_dir from the config).")
@click.option("--base-url", metavar="URL", help="Absolute URL the site is served at, e.g. https://user.github.io/repo/.")
@click.option("--drafts", is_flag=True, help="Include briefings marked `draft: true`.")
@click.option("--future", is_flag=True, help="Include briefings dated in the future.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
@click.option("--verbose", "-v", is_flag=True, help="Also list every warning in full and the output folder.")
def build_command(config_path, output, base_url, drafts, future, strict, quiet, verbose) -> None:
    """Build the site into the output folder (site/ by default).

    Example: briefgen build --base-url https://user.github.io/briefings/
    """
    try:
        config = _load(config_path, base_url, output)
        result = build(config, BuildOptions(include_drafts=drafts, include_future=future, strict=strict))
    except BuildFailed as failure:
        _echo_problems(failure.problems, "error", "red")
        count = len(failure.problems)
        click.secho(f"Build failed with {count} error{'s' if count != 1 else ''}; "
                    "the previous site was left as it was.", fg="red", err=True)
        sys.exit(1)
    except BriefgenError as error:
        click.secho(f"error: {error}", fg="red", err=True)
        sys.exit(1)
    if not quiet:
        _echo_problems(result.warnings, "warning", "yellow")
        _print_report(result, config, verbose)


def _print_report(result: BuildResult, config: SiteConfig, verbose: bool) -> None:
    counts = result.report.counts
    rows = [
        ("Briefings", len(result.site.briefings)),
        ("Pages", counts.get("page", 0)),
        ("Feeds", counts.get("feed", 0)),
        ("Data files", counts.get("data", 0)),
        ("Static files", counts.get("static", 0)),
        ("Other files", counts.get("meta", 0)),
        ("Warnings", len(result.warnings)),
    ]
    width = max(len(label) for label, _ in rows)
    click.echo()
    for label, value in rows:
        click.echo(f"  {label:<{width}}  {value:>6}")
    click.echo()
    shown_output = config.display(result.output)
    click.secho(f"Built {config.title!r} into {shown_output}/ in {result.elapsed * 1000:.0f} ms.", fg="green")
    if verbose:
        click.echo(f"Base URL: {config.base_url}")
