"""``briefgen check``: everything a build would report, then what only a finished site shows.

1. Config and content are validated without writing the output folder (every error and warning).
2. The site is built into a temporary folder, which runs the build's own link self-check.
3. Every ``#anchor`` an internal link points at must exist on its page; every feed must parse.
4. With ``external=True``, links to other sites are requested, a few at a time, each with a timeout.
"""

from __future__ import annotations

import json
import re
import tempfile
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from briefgen import __version__
from briefgen.build import BuildOptions, build, load_site
from briefgen.config import SiteConfig
from briefgen.errors import BuildFailed, Problem
from briefgen.urls import briefing_route, output_file

_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_LINK = re.compile(r"""<(?:a|area)\b[^>]*?\bhref=["']([^"']+)["']""", re.IGNORECASE)
_EXTERNAL = re.compile(r"""<(?:a|img|source|link|script)\b[^>]*?\b(?:href|src)=["'](https?://[^"']+)["']""",
                       re.IGNORECASE)


@dataclass
class CheckReport:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pages: int = 0
    anchors: int = 0
    feeds: int = 0
    external: int = 0


def check_site(config: SiteConfig, options: BuildOptions, *, external: bool = False, timeout: float = 10.0,
               concurrency: int = 8) -> CheckReport:
    report = CheckReport()
    loaded = load_site(config, options)
    report.errors.extend(loaded.problems.errors)
    report.warnings.extend(loaded.problems.warnings)
    if report.errors:
        return report
    sources = {output_file(briefing_route(b.slug)): b.source for b in loaded.site.briefings}
    with tempfile.TemporaryDirectory(prefix="briefgen-check-") as folder:
        output = Path(folder) / "site"
        try:
            build(replace(config, output_dir=str(output)), options, cache_name="check")
        except BuildFailed as failure:
            report.errors.extend(failure.problems)
            return report
        pages = {p.relative_to(output).as_posix(): p.read_text(encoding="utf-8") for p in output.rglob("*.html")}
        report.pages = len(pages)
        _check_anchors(pages, sources, config, report)
        _check_feeds(output, report)
        if external:
            _check_external(pages, sources, config, report, timeout, concurrency)
    return report


def _check_anchors(pages: dict[str, str], sources: dict[str, str], config: SiteConfig, report: CheckReport) -> None:
    ids = {page: set(_ID.findall(html)) for page, html in pages.items()}
    base = config.base_path
    for page, html in pages.items():
        page_url = base + (page[:-len("index.html")] if page.endswith("index.html") else page)
        for href in _LINK.findall(html):
            parts = urlsplit(urljoin(page_url, href.replace("&amp;", "&")))
            if not parts.fragment or parts.scheme or not parts.path.startswith(base):
                continue
            target = output_file(unquote(parts.path[len(base):]) or "")
            if target not in ids:
                continue  # a missing page is the self-check's finding
            report.anchors += 1
            if unquote(parts.fragment) not in ids[target]:
                report.errors.append(Problem(sources.get(page, page), message=(
                    f"the link {href} on {base}{page} points at a missing anchor #{parts.fragment}"),
                    hint="link to an existing heading id, or remove the fragment"))


def _check_feeds(output: Path, report: CheckReport) -> None:
    for path in sorted(output.rglob("*")):
        name = path.relative_to(output).as_posix()
        try:
            if path.name in ("feed.xml", "atom.xml"):
                ElementTree.parse(path)
            elif path.name == "feed.json":
                json.loads(path.read_text(encoding="utf-8"))
            else:
                continue
        except (ElementTree.ParseError, ValueError) as exc:
            report.errors.append(Problem(name, message=f"the feed does not parse: {exc}",
                                         hint="report this as a briefgen bug"))
        report.feeds += 1


def _check_external(pages: dict[str, str], sources: dict[str, str], config: SiteConfig, report: CheckReport,
                    timeout: float, concurrency: int) -> None:
    where: dict[str, list[str]] = {}
    for page, html in sorted(pages.items()):
        for url in _EXTERNAL.findall(html):
            url = url.replace("&amp;", "&").split("#")[0]
            if not url.startswith(config.base_url):
                where.setdefault(url, []).append(sources.get(page, page))
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        results = list(pool.map(lambda url: (url, _probe(url, timeout)), sorted(where)))
    report.external = len(results)
    for url, failure in results:
        if failure:
            found_on = sorted(set(where[url]))
            report.errors.append(Problem(found_on[0], message=f"the external link {url} {failure}"
                                         + (f" (also in {len(found_on) - 1} more files)" if len(found_on) > 1 else ""),
                                         hint="update or remove the link"))


def _probe(url: str, timeout: float) -> str | None:
    """None when the URL answers; otherwise what went wrong."""
    headers = {"User-Agent": f"briefgen/{__version__} link check"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD: ask again with GET
            return f"answers {error.code} {error.reason}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"cannot be reached ({reason})"
    return None
