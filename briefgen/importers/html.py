"""A web page saved from a browser → a briefgen article: front matter from the page's metadata, its main text
as Markdown.

The main text is found by trafilatura, chosen over readability-lxml after trying both on saved news pages.
readability-lxml returns the article's HTML and a title and nothing more (no date, author or description); on
our test page it kept an advert and a newsletter box inside the article and lost the standfirst and the lead
image. trafilatura left out navigation, cookie banners, adverts, related links, newsletter boxes and comments,
and reads the metadata too, with htmldate to find a publication date when the page declares none. Its Markdown
output turns block quotes into plain paragraphs, so its XML output (which keeps headings, lists, quotes, links
and images) is converted here (``markdown_from_html``). Dates with their time and offset, titles without the
site name and quote attributions (which trafilatura drops with page footers) are read from the page by this
module, which also removes the small boxes that call themselves adverts, cookie banners, share buttons or
newsletters before trafilatura reads the page.

Where each field comes from, first found wins:

- ``title``: og:title, JSON-LD ``headline`` (when the page shows it), ``<title>``, the ``<h1>``; the part naming
  the site ("Headline | Site", "Site - Headline", "Headline — Site — date") goes when it is the declared site
  name (og:site_name, the publisher), the host, or a short name after the headline the page shows;
- ``date``: JSON-LD ``datePublished``, ``article:published_time`` and similar ``<meta>``, ``<time pubdate>``,
  the article's first ``<time datetime>``, htmldate's date (not a bare 1 January); the time and offset are kept
  when given; else ``fallback_date``;
- ``updated``: the modified date, when later than ``date``;
- ``summary``: the meta description, og:description, JSON-LD ``description``, the standfirst;
- ``sources``: the site name (or host) with the canonical address (``<link rel=canonical>``, og:url, JSON-LD,
  the address given, or the one a browser noted in the saved page); ``extra``: ``authors`` and the date it was
  ``accessed``;
- ``lang``: the primary subtag of ``<html lang>``.

Relative links and images are resolved against ``<base href>`` or the page's address. Every guess is a note.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html as html_entities
import json
import re
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree, html as lxml_html

from briefgen.importers import Imported, Skip
from briefgen.importers.markdown_from_html import MarkdownBlock, heading_markdown, join_blocks, markdown_blocks

MIN_ARTICLE_WORDS = 25
BYLINE_MAX_WORDS = 25
_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report)$")
_TITLE_SEPARATOR = re.compile(r"(\s+(?:[|·•»›~/–—-]|::|//)\s+)")
_DASHES = "—–―-"
_STANDFIRST_WORDS = {"standfirst", "dek", "deck", "chapo", "chapeau", "subtitle", "subheadline", "excerpt",
                     "summary", "intro", "entradilla", "bajada", "sumario", "description"}
_BYLINE_START = re.compile(r"^(?:[Bb]y|[Pp]ar|[Pp]or|[Vv]on|[Dd]oor|[Dd]i|[Dd]a|[Dd]e)\s+[A-ZÀ-ÖØ-Þ]")  # By Name
_BY_PREFIX = re.compile(r"^(?:by|par|por)\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…。！？»”\"')]\s*$")
_SENTENCE = re.compile(r"\w[.!?…。！？][\"'”’»)]*(?:\s|$)")


def import_html(html: str | bytes, *, url: str | None = None, accessed: dt.date,
                fallback_date: dt.date) -> Imported:
    """One saved page → an article; :class:`Skip` when it has no title or no main text."""
    page = _Page.read(html, url, accessed)
    title = _title(page)
    authors = _authors(page)
    body = _body(page, title, authors)
    front: dict[str, Any] = {"title": title, "date": _published(page, fallback_date)}
    updated = _updated(page, front["date"])
    if updated is not None:
        front["updated"] = updated
    summary = _summary(page)
    if summary:
        front["summary"] = summary
    lang = _lang(page)
    if lang:
        front["lang"] = lang
    source = _source(page)
    if source:
        front["sources"] = [source]
    front["extra"] = {**({"authors": authors} if authors else {}), "accessed": accessed.isoformat()}
    return Imported(front_matter=front, body=body, notes=page.notes)


# --- the page and what it declares about itself --------------------------------------------------------------

@dataclass
class _Page:
    tree: lxml_html.HtmlElement
    given_url: str | None
    library: dict[str, Any]  # trafilatura's metadata
    meta: dict[str, list[str]] = field(default_factory=dict)  # <meta> name, property or itemprop → contents
    linked_data: list[dict] = field(default_factory=list)  # every JSON-LD object
    notes: list[str] = field(default_factory=list)
    site_name: str | None = None
    canonical: str | None = None
    base: str | None = None  # what relative links are resolved against

    @classmethod
    def read(cls, html: str | bytes, url: str | None, accessed: dt.date) -> _Page:
        text = _decoded(html) if isinstance(html, bytes) else html
        tree = _parse(text)
        given, notes = _web_address(url), []
        if given is None and _saved_from(text):
            given = _saved_from(text)
            notes.append(f"address {given} taken from the note the browser left in the saved page")
        page = cls(tree, given, _library_metadata(tree, given, accessed), notes=notes)
        page.meta = _meta_tags(tree)
        page.linked_data = list(_json_ld_objects(tree))
        page.canonical, page.base = _addresses(page)
        page.site_name = _declared_site_name(page)
        return page

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return _squash(value)
        return None

    @property
    def article(self) -> dict:
        """The JSON-LD object describing the article (or the web page when no article is described)."""
        typed = [(obj, _types(obj)) for obj in self.linked_data]
        return next((obj for obj, types in typed if any(_ARTICLE_TYPES.search(t) for t in types)),
                    next((obj for obj, types in typed if "WebPage" in types), {}))

    def headlines(self) -> list[str]:
        """What the page shows or declares as its headline (not the ``<title>``)."""
        found = [self.first_meta("og:title", "twitter:title"), _text_of(self.article.get("headline"))]
        found += [_squash(h.text_content()) for h in self.tree.iter("h1")]
        return [headline for headline in found if headline]


def _parse(text: str) -> lxml_html.HtmlElement:
    import trafilatura

    tree = trafilatura.load_html(text) if text.strip() else None
    if tree is None:
        raise Skip("not an HTML page")
    return tree


_SAVED_FROM = (re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE),  # browsers
               re.compile(r"<!--\s*Page saved with SingleFile\s+url:\s*(\S+)", re.IGNORECASE))  # SingleFile


def _saved_from(text: str) -> str | None:
    """The address a browser (or the SingleFile extension) noted at the top of a page it saved."""
    head = text[:4096]
    found = (match.group(1) for pattern in _SAVED_FROM for match in [pattern.search(head)] if match)
    return next((address for address in map(_web_address, found) if address), None)


_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


_AS_BROWSERS_READ = dict.fromkeys(("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"),
                                  "cp1252")  # what browsers decode these labels as


def _decoded(raw: bytes) -> str:
    """The page's text: a byte order mark, else the ``<meta>`` charset, else UTF-8, else trafilatura's guess."""
    from trafilatura.utils import decode_file

    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    declared = _DECLARED_CHARSET.search(raw[:4096])
    label = declared.group(1).decode("ascii").lower() if declared else None
    for codec in ([_AS_BROWSERS_READ.get(label, label)] if label else []) + ["utf-8"]:
        try:
            return raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return decode_file(raw)


def _library_metadata(tree: lxml_html.HtmlElement, url: str | None, accessed: dt.date) -> dict[str, Any]:
    import trafilatura

    date_config = {"original_date": True, "extensive_search": True, "max_date": accessed.isoformat()}
    found = trafilatura.extract_metadata(deepcopy(tree), default_url=url, date_config=date_config)
    return found.as_dict() if found is not None else {}


def _meta_tags(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key and content is not None:
                tags.setdefault(key.strip().lower(), []).append(content)
    return tags


def _json_ld_objects(tree: lxml_html.HtmlElement) -> Iterable[dict]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        text = (script.text or "").strip().removeprefix("<!--").removesuffix("-->")
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        yield from _flattened(_unescaped(data))


def _unescaped(data: Any) -> Any:
    """JSON-LD with HTML entities decoded: pages often escape its text as if it were HTML (``O&#039;Neil``)."""
    if isinstance(data, str):
        return html_entities.unescape(data)
    if isinstance(data, list):
        return [_unescaped(item) for item in data]
    if isinstance(data, dict):
        return {key: _unescaped(value) for key, value in data.items()}
    return data


def _flattened(data: Any) -> Iterable[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _flattened(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flattened(data["@graph"])


def _types(obj: dict) -> list[str]:
    kind = obj.get("@type", [])
    return [str(t) for t in (kind if isinstance(kind, list) else [kind])]


def _text_of(value: Any) -> str | None:
    """A JSON-LD value as text: a string, or the ``name`` of an object."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    return _squash(value) if isinstance(value, str) and value.strip() else None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _web_address(value: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) address, or None."""
    if not value or not value.strip():
        return None
    address = urljoin(base, value.strip()) if base else value.strip()
    parts = urlsplit(address)
    return address if parts.scheme in ("http", "https") and parts.netloc else None


def _addresses(page: _Page) -> tuple[str | None, str | None]:
    """The canonical address, and the address relative links are resolved against."""
    given = page.given_url
    links = page.tree.xpath("//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]")
    article = page.article
    candidates = [link.get("href") for link in links] + [page.first_meta("og:url"), _text_of(article.get("url")),
                                                         _text_of(article.get("mainEntityOfPage"))]
    canonical = next((a for a in (_web_address(c, given) for c in candidates) if a), None)
    if canonical and given and canonical.rstrip("/") != given.rstrip("/"):
        page.notes.append(f"the page names {canonical} as its address; it was saved from {given}")
    document = given or canonical
    base_hrefs = page.tree.xpath("//base/@href")
    base = _web_address(base_hrefs[0], document) if base_hrefs else None
    return canonical or given, base or document


def _declared_site_name(page: _Page) -> str | None:
    publisher = _text_of(page.article.get("publisher"))
    websites = [_text_of(obj.get("name")) for obj in page.linked_data if "WebSite" in _types(obj)]
    found = [page.first_meta("og:site_name", "application-name", "apple-mobile-web-app-title"), publisher,
             *websites]
    return next((name for name in found if name), None)


def _host(address: str | None) -> str | None:
    return urlsplit(address).hostname.removeprefix("www.") if address and urlsplit(address).hostname else None


# --- title -----------------------------------------------------------------------------------------------------

def _title(page: _Page) -> str:
    document_title = _squash(page.tree.findtext(".//title") or "")
    headline = _text_of(page.article.get("headline"))
    if headline and document_title and not _confirmed(headline, document_title, page.tree):
        headline = None  # some sites put a description there
    candidates = [("og:title", page.first_meta("og:title")), ("headline", headline), ("<title>", document_title),
                  ("<h1>", _first_h1(page.tree)), ("trafilatura", page.library.get("title"))]
    source, raw = next(((s, t) for s, t in candidates if t), (None, None))
    if not raw:
        raise Skip("no title: the page has no <title>, og:title, headline or <h1>")
    if source in ("<h1>", "trafilatura"):
        page.notes.append(f"title taken from the page's {source}")
    return _without_site_name(raw, page)


def _confirmed(headline: str, document_title: str, tree: lxml_html.HtmlElement) -> bool:
    """Whether the page's ``<title>`` or an ``<h1>`` shows the JSON-LD headline."""
    shown = [_squash(h.text_content()) for h in tree.iter("h1")]
    return _compact(headline) in _compact(document_title) or _compact(headline) in map(_compact, shown)


def _first_h1(tree: lxml_html.HtmlElement) -> str | None:
    return next((_squash(h.text_content()) for h in tree.iter("h1") if h.text_content().strip()), None)


def _without_site_name(title: str, page: _Page) -> str:
    """The title without the part that names the site: "Site | Headline", "Headline | Site", "Headline - Site -
    date"; or, when the site's name is not known, a short name after a separator whose headline the page shows."""
    parts = _TITLE_SEPARATOR.split(title)  # segment, separator, segment, …
    segments = parts[0::2]
    if len(segments) < 2:
        return title
    if _names_site(segments[0], page):
        return _removed(title, "".join(parts[2:]), segments[0], page)
    headlines = {_compact(h) for h in page.headlines()} - {_compact(title)}
    for index in range(1, len(segments)):
        kept = "".join(parts[:2 * index - 1])
        last = index == len(segments) - 1
        if _names_site(segments[index], page) or (last and _compact(kept) in headlines
                                                  and _looks_like_a_name(segments[index])):
            return _removed(title, kept, segments[index], page)
    return title


def _removed(title: str, kept: str, site: str, page: _Page) -> str:
    """``kept``, noting what went; the site's name is learnt from the title when the page did not declare it."""
    if not page.site_name and not _HOST_NAME.fullmatch(site.strip()):
        page.site_name = site.strip()
        page.notes.append(f"site name {page.site_name!r} taken from the page title")
    gone = title.replace(kept, "", 1).strip()
    page.notes.append(f"{gone!r} removed from the title")
    return kept.strip()


def _looks_like_a_name(text: str) -> bool:
    """A short text that does not start in lowercase: "Valley Courier", not "what happens next"."""
    words = text.split()
    return 0 < len(words) <= 6 and not words[0][0].islower()


_HOST_NAME = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def _names_site(text: str, page: _Page) -> bool:
    """Whether a part of the title is the site's name (as declared, or its host) or any host name."""
    if _HOST_NAME.fullmatch(text.strip()):
        return True
    names = [page.site_name, page.library.get("sitename")]
    host = _host(page.canonical)
    if host:
        names += [host, host.rsplit(".", 1)[0]]
    return any(name and _compact(name) == _compact(text) for name in names)


def _compact(text: str) -> str:
    """Text for comparing names: lowercase letters and digits only, without a leading "the"."""
    squashed = re.sub(r"^the\s+", "", _squash(text).casefold())
    return "".join(char for char in squashed if char.isalnum())


# --- dates -----------------------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?)?$")
FIRST_YEAR, LAST_YEAR = 1000, 9998

_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "publishdate", "pubdate",
                   "publish-date", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
                   "dc.date", "dcterms.date", "date")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")


def parse_when(value: Any) -> dt.date | dt.datetime | None:
    """An ISO 8601 or RFC 2822 date → a date, or a datetime (aware when an offset is given); None otherwise."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _ISO.match(text)
    try:
        when = _from_iso(match) if match else email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or not FIRST_YEAR <= when.year <= LAST_YEAR:
        return None
    return when


def _from_iso(match: re.Match) -> dt.date | dt.datetime:
    year, month, day, hour, minute, second, offset = match.groups()
    if hour is None:
        return dt.date(int(year), int(month), int(day))
    return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                       tzinfo=_offset(offset))


def _offset(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return dt.timezone.utc
    digits = text[1:].replace(":", "")
    delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return dt.timezone(-delta if text[0] == "-" else delta)


_BY_HTMLDATE = "the page by htmldate"


def _published(page: _Page, fallback_date: dt.date) -> dt.date | dt.datetime:
    found = [(None, page.article.get("datePublished")), *((None, page.first_meta(k)) for k in _PUBLISHED_META),
             (None, _time_attribute(page.tree, "//time[@pubdate or @itemprop='datePublished']")),
             ("the article's first <time> element", _article_time(page.tree)),
             (_BY_HTMLDATE, page.library.get("date"))]
    for guessed_from, value in found:
        when = parse_when(value)
        if when is None:
            continue
        if guessed_from == _BY_HTMLDATE and (when.month, when.day) == (1, 1):
            page.notes.append(f"htmldate found only the year {when.year} (a copyright line?): not used")
            continue
        if guessed_from:
            page.notes.append(f"date {when.isoformat()} found in {guessed_from}")
        if isinstance(when, dt.datetime) and when.tzinfo is None:
            page.notes.append(f"date {when.isoformat()} has no time zone: the site's time zone is assumed")
        return when
    page.notes.append(f"no publication date found: {fallback_date.isoformat()} used instead")
    return fallback_date


def _updated(page: _Page, published: dt.date | dt.datetime) -> dt.date | dt.datetime | None:
    found = [page.article.get("dateModified"), *(page.first_meta(k) for k in _MODIFIED_META),
             _time_attribute(page.tree, "//time[@itemprop='dateModified']")]
    when = next((w for w in map(parse_when, found) if w is not None), None)
    return when if when is not None and _is_later(when, published) else None


def _is_later(one: dt.date | dt.datetime, other: dt.date | dt.datetime) -> bool:
    if isinstance(one, dt.datetime) and isinstance(other, dt.datetime):
        if (one.tzinfo is None) != (other.tzinfo is None):
            return one.replace(tzinfo=None) > other.replace(tzinfo=None)
        return one > other
    return _day(one) > _day(other)


def _day(when: dt.date | dt.datetime) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


def _time_attribute(tree: lxml_html.HtmlElement, xpath: str) -> str | None:
    found = tree.xpath(xpath)
    return next((t.get("datetime") or t.get("content") or t.text_content() for t in found), None)


_OUTSIDE_ARTICLE = ("ancestor::aside or ancestor::nav or ancestor::*[contains(@class, 'comment') "
                    "or contains(@class, 'related') or contains(@id, 'comment')]")


def _article_time(tree: lxml_html.HtmlElement) -> str | None:
    inside = tree.xpath(f"//article//time[@datetime][not({_OUTSIDE_ARTICLE})]")
    anywhere = tree.xpath(f"//time[@datetime][not({_OUTSIDE_ARTICLE})][not(ancestor::footer)]")
    return next((t.get("datetime") for t in inside + anywhere), None)


# --- people, summary, language, source ------------------------------------------------------------------------

def _authors(page: _Page) -> list[str]:
    declared = page.article.get("author")
    names = _person_names(declared if isinstance(declared, list) else [declared])
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"):
        names = names or _person_names(page.meta.get(key, []))
    if not names:
        names = _person_names([_squash(a.text_content()) for a in page.tree.xpath("//a[@rel='author']")])
        names = names or _person_names((page.library.get("author") or "").split(";"))
        if names:
            page.notes.append("authors taken from the byline: " + ", ".join(names))
    return names


def _person_names(values: Iterable[Any]) -> list[str]:
    names = []
    for value in values:
        name = _text_of(value)
        if not name or name.startswith(("http://", "https://")):
            continue
        name = _BY_PREFIX.sub("", name).strip()
        if name and name not in names:
            names.append(name)
    return names


def _summary(page: _Page) -> str:
    declared = page.first_meta("description", "og:description", "twitter:description") \
        or _text_of(page.article.get("description"))
    if declared:
        return declared
    standfirst = _standfirst(page.tree)
    if standfirst:
        page.notes.append("summary taken from the standfirst")
        return standfirst
    page.notes.append("no description or standfirst: briefgen will use the opening sentences")
    return ""


def _standfirst(tree: lxml_html.HtmlElement) -> str | None:
    """The text of the first element whose class names a standfirst ("dek", "chapo"…), in the article first."""
    candidates = "//*[self::p or self::div or self::h2 or self::span][@class]"
    for scope in ("//article", "//main", ""):
        for element in tree.xpath(scope + candidates):
            words = set(re.split(r"[^a-z]+", element.get("class", "").lower()))
            text = _squash(element.text_content())
            if words & _STANDFIRST_WORDS and len(text.split()) >= 5:
                return text
    return None


def _lang(page: _Page) -> str | None:
    declared = page.tree.get("lang") or page.tree.get("xml:lang")
    if declared:
        return _primary_subtag(declared)
    for label, value in (("og:locale", page.first_meta("og:locale")),
                         ("JSON-LD inLanguage", _text_of(page.article.get("inLanguage"))),
                         ("Content-Language", page.first_meta("content-language"))):
        lang = _primary_subtag(value or "")
        if lang:
            page.notes.append(f"language {lang!r} taken from {label}")
            return lang
    return None


def _primary_subtag(tag: str) -> str | None:
    match = re.match(r"\s*([A-Za-z]{2,3})(?:$|[-_\s,])", tag)
    return match.group(1).lower() if match else None


def _source(page: _Page) -> dict[str, str] | None:
    name = page.site_name or _library_site_name(page)
    if not page.canonical:
        page.notes.append("the page's address is unknown: give it to keep a link to the original")
        return {"name": name} if name else None
    if not name:
        name = _host(page.canonical)
        page.notes.append(f"source named {name!r} after the site's address")
    return {"name": name, "url": page.canonical}


def _library_site_name(page: _Page) -> str | None:
    name = page.library.get("sitename")
    return name if name and "." not in name else None  # a host name is no better than ours


# --- body ------------------------------------------------------------------------------------------------------

def _body(page: _Page, title: str, authors: list[str]) -> str:
    import trafilatura

    xml = trafilatura.extract(_prepared(page.tree, page.base), output_format="xml", include_comments=False,
                              include_formatting=True, include_links=True, include_images=True,
                              include_tables=True)
    main = etree.fromstring(xml).find("main") if xml else None
    blocks = markdown_blocks(main, page.base) if main is not None else []
    blocks = _without_title(blocks, {title, *page.headlines()})
    blocks = _without_byline(blocks, authors, page.notes)
    if not _has_article_text(blocks):
        raise Skip("no article text: the page's main content is empty or only links (a section front, a search "
                   "or an error page?)")
    body = join_blocks(_headings_from_level_two(blocks, page.notes))
    if page.base is None and re.search(r"\]\((?![a-z][a-z0-9+.-]*:)", body):
        page.notes.append("links and images kept relative: the page's address is unknown")
    return body


def _prepared(tree: lxml_html.HtmlElement, base: str | None) -> lxml_html.HtmlElement:
    """A copy of the page with absolute links, where what trafilatura would drop but the article needs is moved
    into view."""
    copy = deepcopy(tree)
    if base:
        copy.make_links_absolute(base, resolve_base_href=False, handle_failures="ignore")
    _without_furniture(copy)
    _keep_quote_attributions(copy)
    _captions_as_image_titles(copy)
    return copy


_FURNITURE = frozenset({"ad", "ads", "adslot", "advert", "adverts", "advertisement", "advertising", "sponsored",
                        "cookie", "cookies", "consent", "gdpr", "newsletter", "share", "sharing",
                        "publicite", "publicidad", "werbung"})
_FURNITURE_TAGS = ("div", "aside", "section", "ul", "form", "p", "figure", "span")
FURNITURE_MAX_CHARS = 1500  # a longer element named "share…" is a wrapper around the article, not a button bar


def _without_furniture(tree: lxml_html.HtmlElement) -> None:
    """Remove the small boxes that name themselves furniture in their class or id (adverts, cookie banners,
    share buttons, newsletter boxes); trafilatura, which finds the article, is the second net for all the rest."""
    for element in list(tree.iter(*_FURNITURE_TAGS)):
        if not _names_furniture(element) or element.getparent() is None:
            continue
        if len(element.text_content()) > FURNITURE_MAX_CHARS or element.xpath(".//article | .//main | .//h1"):
            continue
        _remove_keeping_tail(element)


def _names_furniture(element: etree._Element) -> bool:
    """A class or id with a furniture word ("ad-slot", "bandeau-cookies"), modifiers aside ("section--ads" is a
    section where adverts may go)."""
    names = f"{element.get('class', '')} {element.get('id', '')}".lower().split()
    return any(_FURNITURE.intersection(re.split(r"[^a-z]+", name.split("--")[0])) for name in names)


def _keep_quote_attributions(tree: lxml_html.HtmlElement) -> None:
    """A block quote's ``<footer>``, ``<cite>`` or its figure's caption becomes its last paragraph, "— Name"."""
    for quote in list(tree.iter("blockquote")):
        parent = quote.getparent()
        found = [child for child in quote if child.tag in ("footer", "cite", "figcaption")]
        if parent is not None and parent.tag == "figure":
            found += [child for child in parent if child.tag == "figcaption"]
        for element in found:
            text = _squash(element.text_content())
            _remove_keeping_tail(element)
            if text:
                paragraph = etree.SubElement(quote, "p")
                paragraph.text = text if text[0] in _DASHES else "— " + text


def _captions_as_image_titles(tree: lxml_html.HtmlElement) -> None:
    for figure in tree.iter("figure"):
        images, caption = list(figure.iter("img")), figure.find(".//figcaption")
        text = _squash(caption.text_content()) if caption is not None else ""
        if len(images) == 1 and text and not images[0].get("title"):
            images[0].set("title", text)


def _remove_keeping_tail(element: etree._Element) -> None:
    parent, tail = element.getparent(), element.tail
    previous = element.getprevious()
    if tail and previous is not None:
        previous.tail = (previous.tail or "") + tail
    elif tail:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _without_title(blocks: list[MarkdownBlock], titles: set[str]) -> list[MarkdownBlock]:
    """The blocks without the heading that repeats the title (the page's ``<h1>``), if it comes first."""
    wanted = {_compact(t) for t in titles if t}
    for index, block in enumerate(blocks[:4]):
        if block.kind == "heading":
            return blocks[:index] + blocks[index + 1:] if _compact(block.text) in wanted else blocks
    return blocks


def _without_byline(blocks: list[MarkdownBlock], authors: list[str], notes: list[str]) -> list[MarkdownBlock]:
    """The blocks without a byline paragraph ("By …", "Par …", or naming an author) before the first heading."""
    for index, block in enumerate(blocks[:4]):
        if block.kind == "heading":
            break
        short = block.kind == "paragraph" and len(block.text.split()) <= BYLINE_MAX_WORDS
        names_author = any(a.casefold() in block.text.casefold() for a in authors)
        if short and (names_author or _BYLINE_START.match(block.text)) and not _SENTENCE_END.search(block.text):
            notes.append(f"byline {block.text!r} left out of the body")
            return blocks[:index] + blocks[index + 1:]
    return blocks


def _has_article_text(blocks: list[MarkdownBlock]) -> bool:
    """Enough words, and at least one sentence among them (a list of headlines or links has none)."""
    prose = [b.text for b in blocks if b.kind in ("paragraph", "quote", "list", "table")]
    return sum(len(text.split()) for text in prose) >= MIN_ARTICLE_WORDS and any(map(_SENTENCE.search, prose))


def _headings_from_level_two(blocks: list[MarkdownBlock], notes: list[str]) -> list[MarkdownBlock]:
    """Headings shifted so that the body's highest one is ``##`` (briefgen's sections), their order kept."""
    levels = [b.level for b in blocks if b.kind == "heading"]
    if not levels:
        return blocks
    shift = 2 - min(levels)
    if shift:
        notes.append(f"headings moved {'up' if shift < 0 else 'down'} {abs(shift)} level(s), so sections "
                     "start at ##")
    return [heading_markdown(b, min(6, b.level + shift)) if b.kind == "heading" else b for b in blocks]
