"""The renderer: the :class:`Site` → a plan of output files. Pure: it writes nothing.

Each :class:`Planned` output carries a *fingerprint* of everything it is made from and a function that makes its
bytes, so an incremental build renders only what changed. A briefing's own page and JSON record
(:meth:`PageRenderer.briefing_outputs`) and its feed content (:meth:`PageRenderer.feed_entry`) are made in the
worker processes. Page types live in :func:`plan_site`; to add one, add a generator of :class:`Planned` records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from briefgen import __version__
from briefgen.api import (
    actor_record,
    actors_index,
    briefing_record,
    dump,
    render_api_index,
    schema_files,
    stories_index,
    story_record,
    summary_key,
)
from briefgen.cache import CACHE_DIR, digest
from briefgen.charts import escalation_chart
from briefgen.config import SiteConfig
from briefgen.errors import BuildFailed, Problem
from briefgen.feeds import FEED_FILES, FeedContext, FeedSpec, absolutize, render_feed
from briefgen.i18n import install, language_name, text_direction, theme_translator
from briefgen.images import SiteImages
from briefgen.images.encode import encoder_version
from briefgen.images.markup import feed_figure, lead_view, placer
from briefgen.model import Briefing, BriefingContext, CorrectionItem, Site, Taxonomy
from briefgen.sitemaps import NEWS_SITEMAP, news_items, news_sitemap_xml, robots_txt, sitemap_entries, sitemap_xml
from briefgen.theme import Theme
from briefgen.urls import (
    CORRECTIONS_ROUTE,
    Urls,
    briefing_route,
    home_route,
    output_file,
    page_route,
    story_route,
    term_route,
)
from briefgen.views import (
    TAXONOMY_LABELS,
    BriefingView,
    BylineView,
    ImageView,
    Link,
    MonthView,
    Pagination,
    SharedImage,
    author_view,
    briefing_view,
    change_view,
    context_view,
    correction_refs,
    quote_refs,
    story_view,
    term_view,
)

TERM_TEMPLATES = {"actors": "actor.html", "authors": "author.html"}  # else term.html
ARCHIVE_INLINE_LIMIT = 500  # up to this many briefings, the archive index lists every title


@dataclass(frozen=True)
class Planned:
    path: str  # relative to the output folder
    kind: str  # "page", "feed", "data", "static" or "meta"
    fingerprint: str  # changes whenever anything the bytes are made from changes
    make: Callable[[], bytes]


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str
    type: str
    label: str  # "RSS", "Atom", "JSON Feed"


@dataclass(frozen=True)
class Alternate:
    """A page's version in a language (``hreflang``), or its ``x-default``."""

    lang: str
    url: str  # absolute
    title: str = ""

    @property
    def name(self) -> str:
        """The language's name in itself: "Español", "العربية"."""
        return language_name(self.lang)

    @property
    def path(self) -> str:
        """The URL without its host, as the site's own links are written."""
        return urlsplit(self.url).path

    @property
    def json_ld(self) -> dict:
        """This version as JSON-LD ``workTranslation`` / ``translationOfWork`` name it."""
        return {"@type": "NewsArticle", "url": self.url, "inLanguage": self.lang, "headline": self.title}


def _with_default(versions: list[Alternate]) -> tuple[Alternate, ...]:
    return (*versions, Alternate("x-default", versions[0].url, versions[0].title))


class PageRenderer:
    """Templates, URLs and assets of one build: renders any page. Cheap to rebuild in a worker process."""

    def __init__(self, config: SiteConfig, theme: Theme, images: SiteImages | None = None):
        self.config = config  # a language's own, on a multilingual site (SiteConfig.for_language)
        self.language = config.language  # the language of the theme's words, dates and numbers
        self.translator = theme_translator(theme, self.language)
        self.images = images or SiteImages()
        self.urls = Urls(config.base_url, config.shared_base_url)  # this language's pages
        self.shared = Urls(config.shared_base_url)  # what every language shares: static files, images
        cache = config.root / CACHE_DIR / "templates"
        try:
            cache.mkdir(parents=True, exist_ok=True)
        except OSError:
            cache = None
        self.env = theme.environment(cache)
        install(self.env, self.translator)
        self.assets = theme.asset_paths()
        self.site_values = self._site_values()
        self._cards: dict[tuple[str, int, bool], Markup] = {}  # a briefing's card is the same on every listing
        self._leads: dict[str, ImageView] = {}  # by source: one view of a lead image for its page and its feeds

    def view(self, briefing: Briefing) -> BriefingView:
        images = self.images.of(briefing.source)
        if images is None:
            return briefing_view(briefing, self.urls, self.config.tz)
        return briefing_view(briefing, self.urls, self.config.tz, image=self.lead(briefing),
                             place=placer(images, briefing.images, self.shared))

    def lead(self, briefing: Briefing) -> ImageView | None:
        """The view of a briefing's lead image, made once per process however many feeds and pages show it."""
        images = self.images.of(briefing.source)
        if images is None or images.lead is None:
            return None
        if briefing.source not in self._leads:
            self._leads[briefing.source] = lead_view(images.lead, self.shared)
        return self._leads[briefing.source]

    def feed_content(self, briefing: Briefing, entry: str) -> str:
        """A briefing's cached feed content with its images: the lead image first, each image of the text in
        place of its placeholder, every URL absolute."""
        images = self.images.of(briefing.source)
        if images is None:
            return entry
        lead = self.lead(briefing)
        figure = feed_figure(lead) if lead is not None else ""
        return figure + placer(images, briefing.images, self.shared, for_feed=True)(entry)

    def feed_image(self, briefing: Briefing) -> SharedImage | None:
        lead = self.lead(briefing)
        return lead.feed if lead is not None else None

    def image_url(self, briefing: Briefing) -> str:
        """The absolute URL of a version of its lead image ("" without one), for sitemaps."""
        image = self.feed_image(briefing)
        return image.url if image is not None else ""

    def feed_links(self, route: str, title: str) -> tuple[FeedLink, ...]:
        return tuple(FeedLink(title=f"{title} ({label})", url=self.urls.path(route + name), type=kind, label=label)
                     for name, kind, label in FEED_FILES)

    def _site_values(self) -> dict:
        config, urls = self.config, self.urls
        return {
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "author": config.author,
            "base_url": config.base_url,
            "home": urls.path(""),
            "generator": f"briefgen {__version__}",
            "nav": tuple(Link(self._menu_label(name), urls.path(route)) for name, route in (
                ("latest", ""), ("stories", "stories/"), ("actors", "actors/"), ("regions", "regions/"),
                ("tags", "tags/"), ("archive", "archive/"))),
            "feeds": self.feed_links("", config.title),
            "search": urls.path("search/") if config.search else None,  # the search page, for the header's box
            "corrections": urls.path(CORRECTIONS_ROUTE),
            "corrections_policy": config.corrections_policy_url,
            "publisher": self._publisher(),
        }

    def _menu_label(self, name: str) -> str:
        """A menu entry: the language's own label from the config's ``languages:``, else the theme's message."""
        return self.config.language_info(self.config.language).menu.get(name) or self.translator.text(f"nav.{name}")

    def _publisher(self) -> dict:
        """JSON-LD ``publisher``: the site, with its corrections policy when it has one."""
        config = self.config
        publisher = {"@type": "Organization", "name": config.author or config.title, "url": config.base_url}
        if config.corrections_policy:
            publisher["publishingPrinciples"] = publisher["correctionsPolicy"] = config.corrections_policy_url
        return publisher

    def page(self, template: str, route: str, *, title: str, description: str = "", canonical: bool = True,
             feeds: tuple[FeedLink, ...] = (), alternates: tuple[Alternate, ...] = (), **values) -> bytes:
        lang = (values["briefing"].lang if "briefing" in values else None) or self.language
        page = {
            "title": title,
            "description": description or self.config.description,
            "url": self.urls.path(route),
            "canonical": self.urls.absolute(route) if canonical else None,
            "lang": lang,
            "dir": text_direction(lang),
            "feeds": feeds or self.site_values["feeds"],
            "alternates": alternates,  # this page in every language it exists in, and x-default
        }
        values.setdefault("slot", _empty_slot)
        html = render_template(self.env, template, site=self.site_values, page=page, url=self.urls.path,
                               asset=lambda name: self.shared.path(self.assets[name]), to_json=_json_for_script,
                               card=self.card, author_ld=self.author_ld, **values)
        return without_indentation(html).encode("utf-8")

    def language_urls(self, code: str) -> Urls:
        return Urls(self.config.shared_base_url + self.config.prefix(code), self.config.shared_base_url)

    def alternates(self, briefing: Briefing, context: BriefingContext) -> tuple[Alternate, ...]:
        """A briefing in every language it exists in (itself included), then ``x-default``: its version in the
        default language, else itself. Reciprocal by construction: every version lists the same set."""
        if not context.translations:
            return ()
        own = Alternate(self.config.language, self.urls.absolute(briefing_route(briefing.slug)), briefing.title)
        others = [Alternate(t.lang, self.language_urls(t.lang).absolute(briefing_route(t.slug)), t.title)
                  for t in context.translations]
        return _with_default(sorted([own, *others], key=self._language_order))

    def home_alternates(self) -> tuple[Alternate, ...]:
        """Every language's home page, on a multilingual site."""
        if not self.config.languages:
            return ()
        return _with_default([Alternate(code, self.language_urls(code).absolute(""), "")
                              for code in self.config.language_codes])

    def _language_order(self, alternate: Alternate) -> int:
        return self.config.language_codes.index(alternate.lang)

    def author_ld(self, authors: tuple[BylineView, ...]) -> list[dict]:
        """JSON-LD ``author``: one Person per author, with their page and what the config says of them."""
        people = []
        for author in authors:
            info = self.config.authors.get(author.slug)
            person = {"@type": "Person", "name": author.text, "url": author.absolute_url}
            if info is not None and info.job_title:
                person["jobTitle"] = info.job_title
            if info is not None and (info.url or info.same_as):
                person["sameAs"] = [url for url in (info.url, *info.same_as) if url]
            people.append(person)
        return people

    def card(self, item: BriefingView | ListingItem, level: int, lead: bool = False) -> Markup:
        """A briefing's card in a listing (``partials/card.html``), rendered once per process for each heading
        level: thousands of listing pages repeat the same cards."""
        key = (item.url, level, lead)
        if key not in self._cards:
            self._cards[key] = Markup(render_template(self.env, "partials/card.html", item=item, level=level,
                                                      lead=lead))
        return self._cards[key]

    def change_note(self, briefing: Briefing, context: BriefingContext) -> str:
        """The change since the story's previous briefing, as a paragraph leading a feed entry ("" if none)."""
        change = change_view(context.change, context.previous, self.urls)
        if change is None:
            return ""
        previous = Link(change.previous.text, self.urls.absolute(briefing_route(context.change.previous)))
        return render_template(self.env, "partials/change_note.html", change=change, previous=previous)

    def briefing_outputs(self, briefing: Briefing, context: BriefingContext) -> tuple[bytes, bytes]:
        """A briefing's page and its JSON record (``api/briefings/<slug>.json``), with what the briefings around
        it add: its story and neighbours, the change since the previous one, related briefings."""
        view = self.view(briefing)
        values = {"briefing": view, "context": context_view(context, self.urls, self.config.tz)}

        def slot(name: str) -> Markup:  # a part of briefing.html that depends on other briefings
            return Markup(render_template(self.env, f"partials/slot_{name}.html", **values).strip())
        page = self.page("briefing.html", briefing_route(briefing.slug), title=view.title, description=view.summary,
                         briefing=view, slot=slot, alternates=self.alternates(briefing, context))
        images = self.images.of(briefing.source)
        place = placer(images, briefing.images, self.shared, for_feed=True) if images else None
        return page, dump(briefing_record(briefing, self.config, self.urls, context, view.image, place))

    def feed_entry(self, briefing: Briefing) -> str:
        """A briefing's feed content, URLs absolute (the change note that opens it is added per feed)."""
        view = self.view(briefing)
        return absolutize(render_template(self.env, "feed_entry.html", briefing=view), view.absolute_url)


_KEPT_AS_IS = re.compile(r"(<(?:pre|textarea)\b.*?</(?:pre|textarea)>)", re.DOTALL | re.IGNORECASE)
_INDENTATION = re.compile(r"\n[ \t\n]+")


def without_indentation(page: str) -> str:
    """The page without the templates' indentation and blank lines (a twentieth of a site's HTML), except in
    ``<pre>`` and ``<textarea>``, where spaces show. A line break stays wherever one was, so no two words or
    inline elements that were apart are joined."""
    if "<pre" not in page and "<textarea" not in page:
        return _INDENTATION.sub("\n", page)
    parts = _KEPT_AS_IS.split(page)  # odd parts are the blocks kept as they are
    return "".join(part if index % 2 else _INDENTATION.sub("\n", part) for index, part in enumerate(parts))


def _empty_slot(name: str) -> Markup:
    return Markup("")


def render_template(env: jinja2.Environment, name: str, **values) -> str:
    try:
        return env.get_template(name).render(**values)
    except Exception as exc:  # a template may fail in any way; report where, never a traceback
        raise BuildFailed([_template_problem(exc, name)]) from None


# ---- the plan ---------------------------------------------------------------------------------------------


class ListingItem:
    """A briefing on a listing page: its title and addresses at once, the rest of its :class:`BriefingView` when a
    template first asks for it. A card already rendered for that URL needs no view at all, so a build never
    holds every briefing's view at once (at 100,000 briefings they would take most of a gigabyte)."""

    __slots__ = ("url", "absolute_url", "title", "_briefing", "_make", "_view")

    def __init__(self, briefing: Briefing, urls: Urls, make: Callable[[Briefing], BriefingView]):
        route = briefing_route(briefing.slug)
        self.url, self.absolute_url, self.title = urls.path(route), urls.absolute(route), briefing.title
        self._briefing, self._make, self._view = briefing, make, None

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if self._view is None:
            self._view = self._make(self._briefing)
        return getattr(self._view, name)


@dataclass(frozen=True)
class PlanInputs:
    """What the plan is made from besides the site: the build key, each briefing's content digest, and a way to
    get any briefing's feed content. (Each briefing's own page and record are written where it is parsed.)"""

    key: str
    digests: dict[str, str]  # slug → digest of its source file
    entry_html: Callable[[Briefing], str]
    now: dt.datetime  # the build's "now": what the news sitemap's last two days end with


def plan_site(site: Site, renderer: PageRenderer, inputs: PlanInputs) -> Iterator[Planned]:
    """One language's pages, feeds and data (paths inside its folder: see :func:`in_folder`)."""
    config = renderer.config
    plan = _Plan(site, renderer, inputs)
    yield from plan.home_pages()
    yield from plan.stories()
    for taxonomy in site.taxonomies:
        yield from plan.taxonomy(taxonomy)
    yield from plan.archive()
    yield from plan.feeds(FeedSpec(config.title, "", site.briefings, full=config.feeds.content == "full",
                                   limit=config.feeds.limit))
    yield from plan.corrections()
    yield plan.planned("api/briefings.json", "data",
                       ("api", *(summary_key(b, site.context(b.slug).change) for b in site.briefings)),
                       lambda: render_api_index(site, config, renderer.urls))
    yield from plan.api_groups()


def in_folder(outputs: Iterator[Planned], folder: str) -> Iterator[Planned]:
    """A language's outputs in its folder ("es/"); the default language's stay where they are."""
    if not folder:
        yield from outputs
        return
    for planned in outputs:
        yield Planned(folder + planned.path, planned.kind, digest(planned.fingerprint, folder), planned.make)


def plan_shared(languages: list[tuple[Site, PageRenderer]], renderer: PageRenderer, theme: Theme, key: str,
                now: dt.datetime) -> Iterator[Planned]:
    """What every language shares: the 404 page, static files, schemas, sitemaps, robots.txt."""
    config = renderer.config
    planned = partial(_planned, key)
    yield planned("404.html", "page", ("404",),
                  lambda: renderer.page("404.html", "404.html", title=renderer.translator.text("not_found.title"),
                                        canonical=False))
    for path, data in schema_files():
        yield _literal(path, data)
    yield from _static(theme, config.root / "static")
    sitemap = [entry for site, own in languages
               for entry in sitemap_entries(site, own.urls, own.config, own.image_url, own.alternates,
                                              own.home_alternates())]
    yield planned("sitemap.xml", "meta", ("sitemap", *(entry.key() for entry in sitemap)),
                  lambda: sitemap_xml(sitemap))
    if config.news_name:
        news = news_items([(site, own.urls, own.config) for site, own in languages], now)
        yield planned(NEWS_SITEMAP, "meta", ("news", *(repr(item) for item in news)),
                      lambda: news_sitemap_xml(news, config))
    yield _literal("robots.txt", robots_txt(renderer.shared, config))
    yield _literal(".nojekyll", b"")
    if config.cname:
        yield _literal("CNAME", config.cname.encode() + b"\n")


class _Plan:
    def __init__(self, site: Site, renderer: PageRenderer, inputs: PlanInputs):
        self.site, self.renderer, self.inputs = site, renderer, inputs
        self.config, self.urls = renderer.config, renderer.urls

    def text(self, key: str, **params: Any) -> str:
        """A message of the theme in this language, as plain text (page titles, feed titles)."""
        return self.renderer.translator.text(key, **params)

    def item(self, briefing: Briefing) -> ListingItem:
        return ListingItem(briefing, self.urls, self.renderer.view)

    def member_digests(self, briefings: Sequence[Briefing]) -> list[str]:
        return [self.inputs.digests[b.slug] for b in briefings]

    def planned(self, path: str, kind: str, parts: Sequence[str], make: Callable[[], bytes]) -> Planned:
        return _planned(self.inputs.key, path, kind, parts, make)

    def paginated(self, route: str, briefings: tuple[Briefing, ...], kind: str, extra: Sequence[str],
                  page: Callable[[str, int, Pagination, tuple[BriefingView, ...]], bytes]) -> Iterator[Planned]:
        per_page = self.config.per_page
        total = max(1, -(-len(briefings) // per_page))
        for number in range(1, total + 1):
            members = briefings[(number - 1) * per_page:number * per_page]
            pagination = Pagination(
                current=number, total=total,
                previous_url=self.urls.path(page_route(route, number - 1)) if number > 1 else None,
                next_url=self.urls.path(page_route(route, number + 1)) if number < total else None)
            this_route = page_route(route, number)
            yield self.planned(output_file(this_route), "page",
                               (kind, *extra, str(number), str(total), str(len(briefings)),  # pages show the count
                                *self.member_digests(members)),
                               partial(lambda r, p, m: page(r, p.current, p, tuple(map(self.item, m))),
                                       this_route, pagination, members))

    def home_pages(self) -> Iterator[Planned]:
        def page(route, number, pagination, items):
            title = self.config.title if number == 1 else self.text("meta.home_page", site=self.config.title,
                                                                    number=number)
            return self.renderer.page("index.html", route, title=title, description=self.config.description,
                                      briefings=items, pagination=pagination,
                                      alternates=self.renderer.home_alternates() if number == 1 else ())
        yield from self.paginated(home_route(1), self.site.briefings, "home", (), page)

    def taxonomy(self, taxonomy: Taxonomy) -> Iterator[Planned]:
        if taxonomy.key == "authors" and not taxonomy.terms:
            return  # a site without bylines is signed by the site itself, as before
        labels = TAXONOMY_LABELS[taxonomy.key]
        index_parts = ("terms", *(f"{t.slug}\0{t.name}\0{len(t.briefings)}" for t in taxonomy.terms))

        def index() -> bytes:
            terms = tuple(term_view(taxonomy.key, term, self.urls) for term in taxonomy.terms)
            return self.renderer.page("terms.html", f"{taxonomy.key}/",
                                      title=self.text(f"taxonomy.{taxonomy.key}.plural"), labels=labels,
                                      terms=terms)
        yield self.planned(output_file(f"{taxonomy.key}/"), "page", index_parts, index)
        for term in taxonomy.terms:
            route = term_route(taxonomy.key, term.slug)
            title = f"{self.config.title}: {term.name}"
            feeds = self.renderer.feed_links(route, title) + self.renderer.site_values["feeds"]

            def page(page_route_, number, pagination, items, term=term, feeds=feeds):
                view = term_view(taxonomy.key, term, self.urls, items)
                extra, about = {}, "term"
                if taxonomy.key == "actors":  # an actor's page: what they said in the briefings shown
                    shown = term.briefings[(number - 1) * self.config.per_page:number * self.config.per_page]
                    extra["quotes"] = quote_refs(term.name, shown, self.urls, self.config.tz)
                if taxonomy.key == "authors":  # an author's page: who they are
                    extra["author"] = author_view(term.name, self.config.authors.get(term.slug), self.renderer.shared)
                    about = "author"
                return self.renderer.page(TERM_TEMPLATES.get(taxonomy.key, "term.html"), page_route_,
                                          title=f"{self.text(f'taxonomy.{taxonomy.key}.singular')}: {term.name}",
                                          labels=labels, term=view,
                                          pagination=pagination, feeds=feeds,
                                          description=self.text(f"meta.{about}", name=term.name), **extra)
            yield from self.paginated(route, term.briefings, "term", (term.name,), page)
            yield from self.feeds(self.term_feed(title, route, term.briefings))

    def archive(self) -> Iterator[Planned]:
        inline = len(self.site.briefings) <= ARCHIVE_INLINE_LIMIT

        def month_view(month, with_items: bool) -> MonthView:
            route = f"archive/{month.year:04d}/{month.month:02d}/"
            return MonthView(label=f"{dt.date(month.year, month.month, 1):%B %Y}",
                             anchor=f"{month.year:04d}-{month.month:02d}", url=self.urls.path(route),
                             count=len(month.briefings),
                             briefings=tuple(map(self.item, month.briefings)) if with_items else ())

        index_parts = ["archive", str(inline)]
        for month in self.site.archive:
            index_parts.append(f"{month.year}-{month.month}:{len(month.briefings)}")
            if inline:
                index_parts += self.member_digests(month.briefings)
        yield self.planned(output_file("archive/"), "page", index_parts, lambda: self.renderer.page(
            "archive.html", "archive/", title=self.text("archive.title"),
            months=tuple(month_view(m, inline) for m in self.site.archive)))
        for month in self.site.archive:
            view_route = f"archive/{month.year:04d}/{month.month:02d}/"
            yield self.planned(output_file(view_route), "page", ("month", *self.member_digests(month.briefings)),
                               partial(lambda m, r: self.renderer.page(
                                   "archive_month.html", r,
                                   title=f"{self.text('archive.title')}: "
                                         f"{self.renderer.translator.month_year(dt.date(m.year, m.month, 1))}",
                                   month=month_view(m, True)), month, view_route))

    def feeds(self, spec: FeedSpec) -> Iterator[Planned]:
        items = tuple(b for b in spec.briefings if b.slug in self.site.syndicated)[:spec.limit]
        context = FeedContext(config=self.config, urls=self.urls, entry_html=self.entry_html,
                              change_of=lambda b: c.direction if (c := self.site.context(b.slug).change) else None,
                              note_html=self.change_note, image_of=self.renderer.feed_image)
        changes = [self.change_key(b) for b in items]
        for name, _, _ in FEED_FILES:
            yield self.planned(spec.route + name, "feed",
                               ("feed", spec.title, "full" if spec.full else "summary", *self.member_digests(items),
                                *changes),
                               partial(render_feed, dataclasses.replace(spec, briefings=items), context, name))

    def corrections(self) -> Iterator[Planned]:
        """``/corrections/``: every correction on the site, newest first, and its feeds."""
        items, route = self.site.corrections, CORRECTIONS_ROUTE
        title = self.text("meta.corrections_feed", site=self.config.title)
        feeds = self.renderer.feed_links(route, title)
        def members(shown: tuple[CorrectionItem, ...]) -> list[str]:
            return [f"{i.briefing.slug}\0{i.number}\0{self.inputs.digests[i.briefing.slug]}" for i in shown]

        def page() -> bytes:
            return self.renderer.page("corrections.html", route, title=self.text("corrections.page_title"),
                                      feeds=feeds, description=self.text("meta.corrections", site=self.config.title),
                                      corrections=correction_refs(items, self.urls, self.config.tz))
        yield self.planned(output_file(route), "page", ("corrections", *members(items)), page)
        syndicated = tuple(i for i in items if i.briefing.slug in self.site.syndicated)[:self.config.feeds.limit]
        newest = tuple(b for b in self.site.briefings if b.slug in self.site.syndicated)[:1]
        spec = FeedSpec(title, route, newest, corrections=syndicated)
        context = FeedContext(config=self.config, urls=self.urls, entry_html=self.entry_html)
        for name, _, _ in FEED_FILES:
            yield self.planned(route + name, "feed", ("corrections-feed", *members(syndicated),
                                                      *self.member_digests(newest)),
                               partial(render_feed, spec, context, name))

    def term_feed(self, title: str, route: str, briefings: tuple[Briefing, ...]) -> FeedSpec:
        """The feed of a tag, region, actor or story."""
        options = self.config.feeds
        return FeedSpec(title, route, briefings, full=options.term_content == "full", limit=options.term_limit)

    def change_note(self, briefing: Briefing) -> str:
        """The change since the story's previous briefing, which opens every feed entry."""
        return self.renderer.change_note(briefing, self.site.context(briefing.slug))

    def entry_html(self, briefing: Briefing) -> str:
        """Feed content: the change since the story's previous briefing, then the briefing itself."""
        return self.change_note(briefing) + self.renderer.feed_content(briefing, self.inputs.entry_html(briefing))

    def change_key(self, briefing: Briefing) -> str:
        context = self.site.context(briefing.slug)
        return f"{context.change!r}\x1f{context.previous.title}" if context.change and context.previous else ""

    def stories(self) -> Iterator[Planned]:
        tz = self.config.tz
        index_parts = ("stories", *(f"{s.slug}\0{s.title}\0{s.description}\0{len(s.briefings)}\0"
                                    f"{self.inputs.digests[s.latest.slug]}" for s in self.site.stories))

        def index() -> bytes:
            # the latest briefing's full view (its image too): its card is the one every listing shows
            views = tuple(story_view(s, self.urls, tz, (), self.renderer.view(s.latest)) for s in self.site.stories)
            return self.renderer.page("stories.html", "stories/", title=self.text("stories.title"), stories=views,
                                      description=self.text("meta.stories"))
        yield self.planned(output_file("stories/"), "page", index_parts, index)
        for story in self.site.stories:
            route = story_route(story.slug)
            title = f"{self.config.title}: {story.title}"
            feeds = self.renderer.feed_links(route, title) + self.renderer.site_values["feeds"]

            def page(page_route_, number, pagination, items, story=story, feeds=feeds):
                return self.renderer.page(
                    "story.html", page_route_, title=story.title, feeds=feeds, pagination=pagination,
                    description=story.description or self.text("meta.story", story=story.title),
                    story=story_view(story, self.urls, tz, items, self.renderer.view(story.latest),
                                     with_timeline=number == 1),
                    chart=escalation_chart(story, "escalation-chart", tz, self.renderer.translator)
                    if number == 1 else "")
            yield from self.paginated(route, story.briefings, "story",
                                      (story.title, story.description, *self.member_digests(story.briefings)), page)
            yield from self.feeds(self.term_feed(title, route, story.briefings))

    def api_groups(self) -> Iterator[Planned]:
        """The stories and actors as data: an index of each, and one file per story and per actor."""
        site, config, urls = self.site, self.config, self.urls
        yield self.planned("api/stories.json", "data",
                           ("api-stories", *(f"{s.slug}\0{s.title}\0{s.description}\0"
                                             + "\0".join(self.member_digests(s.briefings)) for s in site.stories)),
                           lambda: dump(stories_index(site, config, urls)))
        for story in site.stories:
            yield self.planned(f"api/stories/{story.slug}.json", "data",
                               ("api-story", story.title, story.description, *self.member_digests(story.briefings),
                                *(self.change_key(b) for b in story.briefings)),
                               partial(lambda s: dump(story_record(s, site, config, urls)), story))
        actors = site.taxonomy("actors")
        yield self.planned("api/actors.json", "data",
                           ("api-actors", *(f"{t.slug}\0{t.name}\0" + "\0".join(self.member_digests(t.briefings))
                                            for t in actors.terms)),
                           lambda: dump(actors_index(actors, config, urls)))
        for term in actors.terms:
            yield self.planned(f"api/actors/{term.slug}.json", "data",
                               ("api-actor", term.name, *self.member_digests(term.briefings)),
                               partial(lambda t: dump(actor_record(t, config, urls)), term))


def plan_redirects(site: Site, renderer: PageRenderer, key: str, taken: Callable[[str], bool]) -> Iterator[Planned]:
    """A page at each old address of a briefing (front matter ``aliases``) that sends readers to it: a meta
    refresh, ``rel=canonical`` and a link, since static hosts have no server redirects. Planned last, so that
    an old address that is also a real page of the site is an error rather than a page overwritten."""
    redirects = [(output_file(alias), briefing) for briefing in site.briefings for alias in briefing.aliases]
    clashes = [Problem(briefing.source, None, None, "aliases", f"/{path.removesuffix('index.html')} is a page of "
                       "the site itself", "remove this old address, or move the page that is there")
               for path, briefing in redirects if taken(path)]
    if clashes:
        raise BuildFailed(clashes)
    for path, briefing in redirects:
        target = renderer.urls.absolute(briefing_route(briefing.slug))
        yield Planned(path, "page", digest(key, "redirect", path, target, briefing.title),
                      partial(renderer.page, "redirect.html", path, title=briefing.title, canonical=False,
                              target=target))


def plan_images(images: SiteImages) -> Iterator[Planned]:
    """Every version of every image the site shows; each fingerprint names the source's bytes (in the route)
    and how the version is made, so no theme or config change makes an image again."""
    quality, encoder = images.encoder.quality, encoder_version()
    for variant, source in images.variants():
        yield Planned(variant.route, "image", digest("image", variant.route, str(variant.box), variant.format,
                                                     f"{variant.width}x{variant.height}", str(quality), encoder),
                      partial(images.make, variant, source))


def _planned(key: str, path: str, kind: str, parts: Sequence[str], make: Callable[[], bytes]) -> Planned:
    """An output whose fingerprint is the build key, its path and everything its bytes are made from."""
    return Planned(path, kind, digest(key, path, *parts), make)


def _literal(path: str, data: bytes) -> Planned:
    return Planned(path, "meta", digest(path, data), lambda: data)


def _static(theme: Theme, site_static: Path) -> Iterator[Planned]:
    """The theme's static files under /static/, then the site's own ``static/`` folder at the root."""
    for static in theme.static_files:
        yield Planned(static.route, "static", static.fingerprint, static.source.read_bytes)
    if site_static.is_dir():
        for path in sorted(site_static.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                stat = path.stat()
                yield Planned(path.relative_to(site_static).as_posix(), "static",
                              digest(str(path), str(stat.st_mtime_ns), str(stat.st_size)), path.read_bytes)


def _json_for_script(value) -> str:
    """JSON safe inside <script>: no ``</script>`` breakout, no HTML comment openers."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _template_problem(exc: Exception, template: str) -> Problem:
    """Name the template file and line: from a syntax error, or from the innermost template frame."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    traceback = exc.__traceback__
    while traceback is not None:
        frame_file = traceback.tb_frame.f_code.co_filename
        if frame_file.endswith((".html", ".xml")):
            name, line = frame_file, traceback.tb_lineno
        traceback = traceback.tb_next
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return Problem(str(name or template), line, None, None, f"template error: {message}",
                   "fix the template (every variable it uses must exist)")

