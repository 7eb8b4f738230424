"""``briefgen import``: sources → briefgen files in the content folder, each validated, with a report.

Finds what each source is (raw text, a saved web page, an archive of another generator), calls the importer
for it, names the file ``YYYY-MM-DD-<slug>.md`` (archives keep their folder layout), keeps every slug and old
address unique, checks the file with briefgen's own parser and writes it. Sources are only ever read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shutil
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator

import yaml

from briefgen.config import SiteConfig
from briefgen.discover import discover
from briefgen.errors import BriefgenError, Problems
from briefgen.frontmatter import _FRONT_MATTER, alias_route
from briefgen.importers import GENERATORS, KINDS, Imported, Skip
from briefgen.importers.archive import ForeignFile, day_of, has_front_matter, import_foreign, language_suffix
from briefgen.importers.links import old_site_resolver, relink
from briefgen.parse import looks_binary, parse_briefing
from briefgen.slugs import make_slug, slug_from_filename
from briefgen.urls import briefing_route
from briefgen.workers import parse_context

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text")
# Folders of a site that never hold articles (build output, templates, data, dependencies).
NOT_ARTICLES = frozenset({"node_modules", "_site", "public", "_includes", "_layouts", "_data", "_sass", "layouts",
                          "archetypes", "themes", "static", "assets", "resources", "output", "__pycache__"})
FETCH_TIMEOUT = 20  # seconds
FETCH_LIMIT = 10_000_000  # bytes


@dataclass(frozen=True)
class ImportOptions:
    sources: tuple[str, ...]
    kind: str = "auto"
    into: Path | None = None
    dry_run: bool = False
    force: bool = False
    old_url: str | None = None  # where the old site is published: links into it that were not imported go there
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class Outcome:
    source: str  # as the user named it
    target: str | None = None  # the file written (or that would be, with --dry-run)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None  # why nothing was written


@dataclass
class ImportReport:
    outcomes: list[Outcome]
    archives: dict[str, str]  # each archive folder → the generator it was read as
    into: Path
    dry_run: bool

    @property
    def imported(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.skipped is None]

    @property
    def with_notes(self) -> list[Outcome]:
        return [o for o in self.imported if o.notes]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.skipped is not None]

    def note_counts(self) -> list[tuple[str, int]]:
        """How often each kind of note occurs (quoted values and numbers left out), most frequent first."""
        kinds = Counter(kind for outcome in self.imported for kind in {_note_kind(note) for note in outcome.notes})
        return sorted(kinds.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class _Item:
    """One source to import: a file (or a fetched page) and how to read it."""

    shown: str
    kind: str  # "text", "html" or "archive"
    path: Path | None = None
    url: str | None = None
    root: Path | None = None  # the archive folder it belongs to
    generator: str = "markdown"


Progress = Callable[[str, int, "int | None"], None]


def run_import(config: SiteConfig, options: ImportOptions, progress: Progress = lambda *a: None) -> ImportReport:
    if options.kind not in KINDS:
        raise BriefgenError(f"unknown source kind {options.kind!r} — use one of {', '.join(KINDS)}")
    into = (options.into or config.content_path).resolve()
    archives: dict[str, str] = {}
    items = list(_items(options, into, archives))
    writer = _Writer(config, options, into)
    read = []
    for done, item in enumerate(items, 1):
        read.append((item, *writer.read(item)))
        progress("reading", done, len(items))
    _link_originals([(item, article) for item, _, article, _ in read if article is not None])
    routes = writer.routes()
    for done, (item, outcome, article, target) in enumerate(read, 1):
        if article is not None:
            writer.finish(item, outcome, article, target, routes)
        progress("writing", done, len(read))
    return ImportReport([outcome for _, outcome, _, _ in read], archives, into, options.dry_run)


def _link_originals(articles: list[tuple[_Item, Imported]]) -> None:
    """An article that another one names as its original (``post.md`` beside ``post.fr.md``, whose translation
    key is ``post``) gets that key too, so that the build links them."""
    keys = {str(article.front_matter["translation_key"]) for _, article in articles
            if "translation_key" in article.front_matter}
    for item, article in articles:
        if item.path is None or item.kind != "archive" or "translation_key" in article.front_matter:
            continue
        name, _ = language_suffix(item.path)
        if name in keys:
            article.front_matter["translation_key"] = name


# ---- finding the sources ------------------------------------------------------------------------------------


def _items(options: ImportOptions, into: Path, archives: dict[str, str]) -> Iterator[_Item]:
    for source in options.sources:
        if re.match(r"https?://", source):
            yield _Item(shown=source, kind="html", url=source)
            continue
        path = Path(source).expanduser()
        if path.is_dir():
            yield from _archive_items(path, options.kind, into, archives)
        elif path.exists():
            yield _Item(shown=source, kind=_file_kind(path, options.kind, single=True), path=path)
        else:
            yield _Item(shown=source, kind="missing", path=path)


def _file_kind(path: Path, kind: str, single: bool) -> str:
    """How to read one file: as the user said, else by its name and first bytes."""
    if kind in ("text", "html"):
        return kind
    if kind in GENERATORS:
        return "archive"
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = _head(path)
    if suffix in HTML_SUFFIXES:
        return "archive" if has_front_matter(head) else "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "archive" if has_front_matter(head) or not single else "text"
    return "skip"


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(65536).decode("utf-8", "replace")
    except OSError:
        return ""


def _archive_items(folder: Path, kind: str, into: Path, archives: dict[str, str]) -> Iterator[_Item]:
    for root in _article_roots(folder):
        files = sorted(_walk(root, into), key=lambda p: p.as_posix())
        generator = kind if kind in GENERATORS else detect_generator(root, files)
        archives[str(root)] = generator
        for path in files:
            shown = path.as_posix()
            file_kind = _file_kind(path, kind, single=False)
            yield _Item(shown=shown, kind=file_kind, path=path, root=root, generator=generator)


def _article_roots(folder: Path) -> list[Path]:
    """The folders of a whole site that hold its articles (Jekyll's ``_posts`` and ``_drafts``, Hugo's and
    Pelican's ``content``), or the folder itself."""
    if (folder / "_posts").is_dir():
        return [folder / name for name in ("_posts", "_drafts") if (folder / name).is_dir()]
    if (folder / "content").is_dir() and any((folder / name).exists() for name in _SITE_CONFIGS):
        return [folder / "content"]
    return [folder]


_SITE_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "pelicanconf.py",
                 "_config.yml", ".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs")


def _walk(root: Path, into: Path) -> Iterator[Path]:
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in NOT_ARTICLES
                               and (here / d).resolve() != into and (not d.startswith("_") or d in ("_posts",
                                                                                                   "_drafts")))
        for name in names:
            if not name.startswith(".") and name.lower().endswith(MARKDOWN_SUFFIXES + HTML_SUFFIXES + TEXT_SUFFIXES):
                yield here / name


_GENERATOR_FILES = {
    "hugo": ("hugo.toml", "hugo.yaml", "hugo.json", "archetypes"),
    "jekyll": ("_config.yml", "_config.yaml", "Gemfile"),
    "eleventy": (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", ".eleventyignore"),
    "pelican": ("pelicanconf.py", "publishconf.py"),
}
SAMPLE_FILES = 300


def detect_generator(root: Path, files: list[Path]) -> str:
    """Which generator an archive was made for: its site's own files when they are there, its folder names
    (``_posts``), else the forms its files use (``+++`` front matter and ``{{< >}}`` shortcodes are Hugo's,
    ``{% name "…" %}`` shortcodes and Eleventy keys Eleventy's, Liquid tags in dated files Jekyll's,
    ``Key: value`` headers Pelican's)."""
    for folder in [root, *list(root.parents)[:3]]:
        for generator, names in _GENERATOR_FILES.items():
            if any((folder / name).exists() for name in names):
                return generator
    if "_posts" in root.parts or "_drafts" in root.parts:
        return "jekyll"
    votes: Counter[str] = Counter()
    for path in files[:SAMPLE_FILES]:
        head = _head(path)
        if head.startswith("+++") or re.search(r"\{\{[<%]", head):
            votes["hugo"] += 2
        if "eleventy" in head.lower() or re.search(r"\{%-?\s*[a-z_]+\s+\"", head):
            votes["eleventy"] += 1
        if re.match(r"\d{4}-\d{1,2}-\d{1,2}-", path.name) and re.search(r"\{%-?\s*(include|raw|highlight|link)",
                                                                         head):
            votes["jekyll"] += 1
        if re.match(r"(?i)title:\s*\S.*\n(?:[A-Za-z]+:.*\n)*\n", head) and not head.startswith("---"):
            votes["pelican"] += 1
    return votes.most_common(1)[0][0] if votes else "markdown"


# ---- importing one source -----------------------------------------------------------------------------------


class _Writer:
    """Imports sources one at a time into one folder: keeps slugs, file names and old addresses unique."""

    def __init__(self, config: SiteConfig, options: ImportOptions, into: Path):
        self.config = config
        self.options = options
        self.into = into
        self.context = parse_context(config)
        self.taken_slugs, self.taken_aliases = _site_names(config)
        self.targets: set[Path] = set()

    def read(self, item: _Item) -> tuple[Outcome, Imported | None, Path | None]:
        """First pass: the article and the file it goes to (slug and old addresses claimed), or why not."""
        outcome = Outcome(source=item.shown)
        try:
            article = self._read(item)
            target = self._target(item, article)
        except Skip as skip:
            outcome.skipped = str(skip)
            return outcome, None, None
        outcome.target = self._shown(target)
        return outcome, article, target

    def routes(self) -> dict[str, str]:
        """Every route the new site will have that an imported link may point at (the briefings, the old
        addresses that redirect to them, the site's home), by its case-folded form."""
        routes = {"": "", **self.taken_aliases}
        routes.update((briefing_route(slug).casefold(), briefing_route(slug)) for slug in self.taken_slugs)
        return routes

    def finish(self, item: _Item, outcome: Outcome, article: Imported, target: Path, routes: dict[str, str]) -> None:
        """Second pass, once every article's address is known: links, validation, writing."""
        try:
            self._relink(item, article, routes)
            self._write(target, self._validated(article, target))
            outcome.notes = article.notes
        except Skip as skip:
            outcome.skipped, outcome.target = str(skip), None

    def _relink(self, item: _Item, article: Imported, routes: dict[str, str]) -> None:
        old_page = article.old_paths[0] if article.old_paths else None
        brought: list[str] = []
        resolver = old_site_resolver(old_page, routes, self.options.old_url, self._bringer(item, brought))
        relinked = relink(article.body, resolver)
        article.body = relinked.body
        if brought:
            article.notes.append(f"{len(brought)} files it links to (images) copied into static/")
        if relinked.pointed_at_old_site:
            article.notes.append(f"{relinked.pointed_at_old_site} links to files of the old site now point there")
        if relinked.unlinked:
            article.notes.append(f"{relinked.unlinked} links to files of the old site that were not found were "
                                 "unlinked, their text kept (give --old-url to point them at the old site)")

    def _bringer(self, item: _Item, brought: list[str]):
        """Copies a file an archive article links to (an image in its page bundle, or in the old site's
        ``static/``, ``assets/`` or root) into the site's ``static/`` folder, served at the same path."""
        if item.kind != "archive" or item.path is None or item.root is None:
            return lambda route, path: False
        old_site = _site_folder(item.root)

        def bring(route: str, path: str) -> bool:
            if route.endswith("/") or route.endswith((".html", ".htm", ".md")):
                return False
            here = [item.path.parent / path] if not path.startswith("/") else []
            found = next((c for c in here + [item.root / route, old_site / route, old_site / "static" / route]
                          if _inside(c, old_site) and c.is_file()), None)
            if found is None:
                return False
            destination = self.config.root / "static" / route
            if destination.exists():
                return destination.is_file() and destination.read_bytes() == found.read_bytes()
            if not self.options.dry_run:
                try:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(found, destination)
                except OSError:
                    return False
            brought.append(route)
            return True

        return bring

    def _read(self, item: _Item) -> Imported:
        if item.kind == "missing":
            raise Skip("no such file or folder")
        if item.kind == "skip":
            raise Skip("not a text, Markdown or HTML file (use --from to say what it is)")
        raw = _fetch(item.url) if item.url else _read_bytes(item.path)
        if looks_binary(raw):
            raise Skip("a binary file, not text")
        fallback = self._file_date(item)
        if item.kind == "html":
            from briefgen.importers.html import import_html  # its extraction library loads only when needed
            return import_html(raw, url=item.url, accessed=self.options.today, fallback_date=fallback)
        text, notes = _decoded(raw)
        if item.kind == "text":
            from briefgen.importers.text import import_text
            article = import_text(text, fallback_date=fallback, name=item.path.name if item.path else "")
        else:
            root = item.root or item.path.parent
            relative = PurePosixPath(item.path.relative_to(root).as_posix())
            article = import_foreign(ForeignFile(text, relative, item.generator, root.name), fallback_date=fallback)
        article.notes[:0] = notes
        return article

    def _file_date(self, item: _Item) -> dt.date:
        if item.path is None:
            return self.options.today
        try:
            return dt.date.fromtimestamp(item.path.stat().st_mtime)
        except (OSError, ValueError, OverflowError):
            return self.options.today

    def _target(self, item: _Item, article: Imported) -> Path:
        """``YYYY-MM-DD-<slug>.md`` in the archive's folder layout; the slug made unique across the site."""
        front = article.front_matter
        folder = self.into
        if item.root is not None and item.path is not None:
            for part in item.path.parent.relative_to(item.root).parts:
                folder = folder / (part.lstrip("_") or "x")
        day = day_of(front["date"])
        wanted = str(front.get("slug") or _slug_of_name(item) or make_slug(str(front["title"])))
        slug = self._unique_slug(wanted, front, day, folder)
        if slug != wanted:
            article.notes.append(f"the slug `{wanted}` is taken: `{slug}` used instead")
        target = folder / _file_name(slug, day)
        if slug_from_filename(target.stem) != slug:
            front["slug"] = slug
        else:
            front.pop("slug", None)
        if item.path is not None and target.resolve() == item.path.resolve():
            raise Skip("the briefgen file would replace its own source; import into another folder (--into)")
        self.targets.add(target)
        self.taken_slugs[slug] = target
        self._unique_aliases(article)
        return target

    def _unique_slug(self, wanted: str, front: dict[str, Any], day: dt.date, folder: Path) -> str:
        """``wanted``, unless another file of the site (or of this import) has it: then with the language, the
        date or a number added. A file that is this very target (imported before) is not another file."""
        def free(slug: str) -> bool:
            target = folder / _file_name(slug, day)
            return target not in self.targets and self.taken_slugs.get(slug, target) == target
        suffixes = itertools.chain([front["lang"]] if front.get("lang") else [], [f"{day:%Y-%m-%d}"], range(2, 1000))
        for slug in itertools.chain([wanted], (make_slug(f"{wanted}-{suffix}") for suffix in suffixes)):
            if free(slug):
                return slug
        raise Skip(f"no free slug for `{wanted}`")

    def _unique_aliases(self, article: Imported) -> None:
        aliases = [a for a in article.front_matter.get("aliases", ()) if a.casefold() not in self.taken_aliases]
        for alias in article.front_matter.get("aliases", ()):
            if alias.casefold() in self.taken_aliases:
                article.notes.append(f"the old address `/{alias}` belongs to another briefing: no redirect for it")
        self.taken_aliases.update((alias.casefold(), alias) for alias in aliases)
        if aliases:
            article.front_matter["aliases"] = ["/" + a for a in aliases]
        else:
            article.front_matter.pop("aliases", None)

    def _validated(self, article: Imported, target: Path) -> str:
        """The file's text, checked by briefgen's own parser; a key briefgen cannot use moves under ``extra``."""
        front = article.front_matter
        for _ in range(len(front) + 1):
            text = render_file(front, article.body)
            problems = Problems()
            parse_briefing(text.encode("utf-8"), self._shown(target), target.stem, self.context, problems)
            if not problems.errors:
                return text
            keys = {p.key.split(".")[0] for p in problems.errors if p.key}
            movable = [k for k in keys if k in front and k not in ("title", "date", "extra")]
            if not movable:
                raise Skip(f"not a valid briefing: {problems.errors[0]}")
            extra = dict(front.get("extra") or {})
            for key in movable:
                extra[key] = front.pop(key)
                article.notes.append(f"`{key}` is not valid for briefgen; kept under extra")
            front["extra"] = extra
        raise Skip("not a valid briefing")

    def _write(self, target: Path, text: str) -> None:
        if target.exists() and not self.options.force:
            raise Skip(f"{self._shown(target)} already exists (use --force to replace it)")
        if self.options.dry_run:
            return
        temporary = target.with_name(f".{target.name}.importing")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise Skip(f"could not write {self._shown(target)}: {exc.strerror or exc}") from None

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.config.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def render_file(front: dict[str, Any], body: str) -> str:
    """A briefgen Markdown file: YAML front matter, then the body."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    head = yaml.dump(front, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    return f"---\n{head}---\n\n{body.strip(chr(10))}\n"


def _slug_of_name(item: _Item) -> str | None:
    """An archive file's slug as its generator made it: from the file name (a bundle's ``index.md``: its
    folder's name), without a leading date."""
    if item.kind != "archive" or item.path is None:
        return None
    stem = item.path.parent.name if item.path.stem == "index" else item.path.stem
    return slug_from_filename(stem)


def _file_name(slug: str, day: dt.date) -> str:
    return f"{slug}.md" if slug.startswith(f"{day:%Y-%m-%d}") else f"{day:%Y-%m-%d}-{slug}.md"


def _site_names(config: SiteConfig) -> tuple[dict[str, Path], dict[str, str]]:
    """The slugs (with the file that has each) and the old addresses (by case-folded form) the site's content
    already uses."""
    slugs: dict[str, Path] = {}
    aliases: dict[str, str] = {}
    problems = Problems()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for content_file in discover(config.content_path, config.root, problems):
        try:
            text = content_file.path.read_text("utf-8-sig")
            match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
            meta = yaml.load(match.group(1) or "", Loader=loader) if match else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            meta = None
        meta = meta if isinstance(meta, dict) else {}
        slugs[str(meta.get("slug") or slug_from_filename(content_file.stem))] = content_file.path.resolve()
        for alias in meta.get("aliases") or ():
            route = alias_route(alias)
            if route:
                aliases[route.casefold()] = route
    return slugs, aliases


def _site_folder(root: Path) -> Path:
    """The old site's own folder: the nearest one above the articles with a generator's config file."""
    for folder in list(root.resolve().parents)[:3]:
        if any((folder / name).exists() for name in _SITE_CONFIGS):
            return folder
    return root.resolve().parent


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder)
    except (OSError, ValueError):
        return False


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise Skip(f"cannot be read: {exc.strerror or exc}") from None


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "briefgen-import"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return response.read(FETCH_LIMIT)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Skip(f"could not fetch it ({reason}) — check the address, or save the page from a browser and "
                   "import the file") from None


def _decoded(raw: bytes) -> tuple[str, list[str]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace"), ["not UTF-8: read as Windows-1252"]


def _note_kind(note: str) -> str:
    """A note without its particulars (quoted values, numbers), to count notes of one kind together."""
    kind = re.sub(r"`[^`]*`|'[^']*'|\([^)]*\)", "…", note)
    return re.sub(r"\d[\d,.:-]*", "N", kind)
