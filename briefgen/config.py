"""The site config, ``briefgen.yaml``: declared options, checked all at once, frozen into a :class:`SiteConfig`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefgen.errors import BuildFailed, Problem, Problems, display_path
from briefgen.model import SECTION_KINDS
from briefgen.slugs import make_slug
from briefgen.schema import (Field, Invalid, absolute_url, boolean, check_mapping, choice, integer, kind_of,
                             non_empty_text, text, text_list)
from briefgen.yamlsource import read_located

CONFIG_NAME = "briefgen.yaml"


def _timezone(value: Any) -> str:
    name = text(value).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"{name!r} is not a known IANA time zone",
                      "use a name such as UTC, Europe/Madrid or America/Caracas") from None
    return name


def _language(value: Any) -> str:
    code = text(value).strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", code):
        raise Invalid(f"{code!r} is not a language tag", "use a BCP 47 tag such as en, es or pt-BR")
    return code


def _relative_folder(value: Any) -> str:
    folder = text(value).strip()
    if not folder:
        raise Invalid("must not be empty", "name a folder, such as content")
    return folder


def _domain(value: Any) -> str:
    domain = text(value).strip().lower()
    if not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", domain):
        raise Invalid(f"{domain!r} is not a domain name", "write a bare domain such as briefings.example.org")
    return domain


def _section_aliases(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping of section kinds to headings, got {kind_of(value)}",
                      "write e.g. `sections: {context: [Antecedentes clave]}`")
    aliases = {}
    for kind, headings in value.items():
        if kind not in SECTION_KINDS:
            raise Invalid(f"{kind!r} is not a section kind", "use context, escalation, reactions or impact",
                          at=(kind,))
        try:
            aliases[kind] = text_list(headings)
        except Invalid as invalid:
            raise Invalid(invalid.message, invalid.hint, at=(kind,) + invalid.at) from None
    return aliases


def _actor_aliases(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping of names to their other spellings, got {kind_of(value)}",
                      "write e.g. `actors: {Gustavo Petro: [Petro, President Petro]}`")
    aliases = {}
    for name, others in value.items():
        try:
            aliases[non_empty_text(name).strip()] = tuple(o.strip() for o in text_list(others) if o.strip())
        except Invalid as invalid:
            raise Invalid(invalid.message, invalid.hint, at=(name,) + invalid.at) from None
    return aliases


@dataclass(frozen=True)
class StoryInfo:
    title: str
    description: str = ""
    languages: tuple[tuple[str, "StoryInfo"], ...] = ()  # (language, its title and description) of a multilingual site

    def in_language(self, code: str) -> "StoryInfo":
        return next((info for language, info in self.languages if language == code), self)


@dataclass(frozen=True)
class LanguageInfo:
    """One language of a multilingual site: its code, and what its pages call the site."""

    code: str  # BCP 47, as in `lang:` and the URL folder
    title: str = ""  # "" → the site's title
    description: str = ""
    menu: dict[str, str] = field(default_factory=dict, hash=False)  # nav key (latest, stories…) → label


@dataclass(frozen=True)
class AuthorInfo:
    name: str
    bio: str = ""
    url: str = ""  # their own site
    image: str = ""  # an avatar: a path in the site or an absolute URL
    job_title: str = ""
    same_as: tuple[str, ...] = ()  # profile URLs elsewhere
    email: str = ""  # only for RSS, which wants one


AUTHOR_KEYS = ("name", "bio", "url", "image", "job_title", "same_as", "email")


def _authors(value: Any) -> dict[str, AuthorInfo]:
    example = "write e.g. `authors: {ana-souza: {name: Ana Souza, job_title: Caribbean correspondent}}`"
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping of author slugs to who they are, got {kind_of(value)}", example)
    authors = {}
    for slug, about in value.items():
        slug = text(slug)
        if make_slug(slug) != slug:
            raise Invalid(f"`{slug}` is not a slug", f"write it as `{make_slug(slug)}`: it is the address "
                          "of the author's page", at=(slug,))
        if isinstance(about, str):
            about = {"name": about}
        if not isinstance(about, dict) or not str(about.get("name") or "").strip():
            raise Invalid("expected at least a `name:`", example, at=(slug,))
        unknown = sorted(set(map(str, about)) - set(AUTHOR_KEYS))
        if unknown:
            raise Invalid(f"unknown key `{unknown[0]}`", f"known keys: {', '.join(AUTHOR_KEYS)}", at=(slug, unknown[0]))
        same_as = about.get("same_as") or ()
        if isinstance(same_as, str):
            same_as = (same_as,)
        if not isinstance(same_as, (list, tuple)) or not all(isinstance(u, str) and "://" in u for u in same_as):
            raise Invalid("expected a list of profile URLs", "write e.g. `same_as: [https://example.org/ana]`",
                          at=(slug, "same_as"))
        authors[slug] = AuthorInfo(**{key: text(about.get(key) or "").strip() for key in AUTHOR_KEYS
                                      if key != "same_as"}, same_as=tuple(same_as))
    return authors


MENU_KEYS = ("latest", "stories", "actors", "regions", "tags", "archive")


def _languages(value: Any) -> tuple[LanguageInfo, ...]:
    """``[en, es, ar]``, or a mapping of codes to ``{title, description, menu}``; the first is the default."""
    example = "write e.g. `languages: [en, es, ar]` or `languages: {en: {}, es: {title: Informes de crisis}}`"
    if isinstance(value, list):
        value = {code: {} for code in value} if all(isinstance(code, str) for code in value) else None
    if not isinstance(value, dict) or not value:
        raise Invalid(f"expected a list of language codes, got {kind_of(value)}", example)
    languages = []
    for code, about in value.items():
        try:
            code = _language(code)
        except Invalid as invalid:
            raise Invalid(invalid.message, invalid.hint, at=(code,) if isinstance(code, str) else ()) from None
        about = about or {}
        if not isinstance(about, dict) or set(about) - {"title", "description", "menu"}:
            raise Invalid("expected `title`, `description` and `menu`", example, at=(code,))
        menu = about.get("menu") or {}
        if not isinstance(menu, dict) or set(menu) - set(MENU_KEYS):
            raise Invalid("`menu` maps " + ", ".join(MENU_KEYS) + " to labels",
                          "write e.g. `menu: {latest: Lo último, archive: Archivo}`", at=(code, "menu"))
        languages.append(LanguageInfo(code, text(about.get("title", "")).strip(),
                                      text(about.get("description", "")).strip(),
                                      {key: text(label).strip() for key, label in menu.items()}))
    if len({language.code.lower() for language in languages}) < len(languages):
        raise Invalid("a language is listed twice", example)
    return tuple(languages)


def _stories(value: Any) -> dict[str, StoryInfo]:
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping of story names to titles, got {kind_of(value)}",
                      "write e.g. `stories: {venezuela-2025: {title: US–Venezuela crisis}}`")
    stories = {}
    for name, about in value.items():
        story = _story_info(about, (name,))
        translated = []
        for key, other in about.items() if isinstance(about, dict) else ():
            if key not in ("title", "description"):  # a language's own title: `es: {title: …}`
                try:
                    code = _language(key)
                except Invalid:
                    raise Invalid("unknown key", "write `title:`, `description:`, or a language code such as "
                                  "`es:` with its own title", at=(name, key)) from None
                translated.append((code, _story_info(other, (name, key))))
        stories[text(name)] = StoryInfo(story.title, story.description, tuple(translated))
    return stories


def _story_info(about: Any, at: tuple) -> StoryInfo:
    if isinstance(about, str):
        about = {"title": about}
    if not isinstance(about, dict) or not about.get("title"):
        raise Invalid("expected a title, or `title:` and `description:`",
                      "write e.g. `venezuela-2025: {title: US–Venezuela crisis, description: …}`", at=at)
    return StoryInfo(text(about["title"]).strip(), text(about.get("description", "")).strip())


FEED_FIELDS = (
    Field("limit", integer(1, 10_000), default=20),
    Field("term_limit", integer(1, 10_000), default=10),
    Field("content", choice("full", "summary"), default="full"),
    Field("term_content", choice("full", "summary"), default="summary"),
    Field("icon", text, default=""),  # a small square image: a path in the site or an absolute URL
    Field("logo", text, default=""),  # a larger image
)

IMAGE_FORMATS = ("avif", "webp")  # besides JPEG (or PNG for images with transparency), which every browser shows


def _widths(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(w, int) and not isinstance(w, bool)
                                                            and 16 <= w <= 8192 for w in value):
        raise Invalid("expected a list of widths in pixels, from 16 to 8192", "write e.g. `widths: [480, 800, 1200]`")
    return tuple(sorted(set(value)))


def _formats(value: Any) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(v in IMAGE_FORMATS for v in values):
        raise Invalid(f"{value!r} is not a list of image formats",
                      "write any of `[avif, webp]` (JPEG or PNG is always made, for every browser), or `[]`")
    return tuple(f for f in IMAGE_FORMATS if f in values)


IMAGE_FIELDS = (
    Field("widths", _widths, default=(480, 800, 1200, 1600)),  # never wider than the image itself
    Field("formats", _formats, default=IMAGE_FORMATS),  # AVIF only where the installed Pillow writes it
    Field("quality", integer(30, 100), default=80),
)
API_FIELDS = (
    Field("html", boolean, default=False),  # each section's HTML in the records, beside its text
)


def _hubs(value: Any) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list):
        raise Invalid(f"expected a list of hub URLs, got {kind_of(value)}",
                      "write e.g. `hubs: [https://pubsubhubbub.appspot.com/]`")
    hubs = []
    for index, hub in enumerate(values):
        try:
            hubs.append(absolute_url(hub))
        except Invalid as invalid:
            raise Invalid(invalid.message, "write the hub's address, such as https://pubsubhubbub.appspot.com/",
                          at=(index,) if isinstance(value, list) else ()) from None
    return tuple(dict.fromkeys(hubs))


WEBSUB_FIELDS = (
    Field("hubs", _hubs, default=()),  # WebSub hubs every feed names, and `briefgen ping` tells of changes
)


def _news_sitemap(value: Any) -> dict | bool:
    """``news_sitemap: {name: …}`` (or ``true``, named after the site): a Google News sitemap is made."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, dict) or set(value) - {"name"}:
        raise Invalid(f"expected `{{name: …}}`, got {kind_of(value)}",
                      'write `news_sitemap: {name: "The publication\'s name in Google News"}`')
    return {"name": " ".join(non_empty_text(value.get("name", "")).split())} if "name" in value else True


def _policy(value: Any) -> str:
    """An absolute URL, or a path in this site (a page in static/, say)."""
    where = text(value).strip()
    if where.startswith("/") and not where.startswith("//"):
        return where
    try:
        return absolute_url(where)
    except Invalid:
        raise Invalid(f"{where!r} is neither an absolute URL nor a path in this site",
                      "write e.g. https://example.org/corrections-policy/ or /about/corrections/") from None

CONFIG_FIELDS = (
    Field("title", non_empty_text, required=True, hint="add `title: My briefings`"),
    Field("description", text, default=""),
    Field("base_url", absolute_url, required=True, hint="add `base_url: https://user.github.io/repo/`"),
    Field("language", _language, default="en"),
    Field("timezone", _timezone, default="UTC"),
    Field("author", text, default=""),
    Field("content_dir", _relative_folder, default="content"),
    Field("output_dir", _relative_folder, default="site"),
    Field("theme", _relative_folder, default="default"),
    Field("per_page", integer(1, 1000), default=10),
    Field("feeds", nested=FEED_FIELDS),
    Field("api", nested=API_FIELDS),
    Field("images", nested=IMAGE_FIELDS),
    Field("cname", _domain, default=""),
    Field("sections", _section_aliases, default={}),
    Field("day_first", boolean, default=True),
    Field("words_per_minute", integer(50, 2000), default=230),
    Field("actors", _actor_aliases, default={}),
    Field("stories", _stories, default={}),
    Field("authors", _authors, default={}),
    Field("sanitize", boolean, default=False),
    Field("search", boolean, default=True),
    Field("corrections_policy", _policy, default=""),
    Field("websub", nested=WEBSUB_FIELDS),
    Field("news_sitemap", _news_sitemap, default=False),
    Field("languages", _languages, default=()),
)


@dataclass(frozen=True)
class FeedOptions:
    limit: int = 20  # entries in the site's own feeds
    term_limit: int = 10  # entries in the feeds of every tag, region, actor and story
    content: str = "full"  # the site's own feeds
    term_content: str = "summary"  # the feeds of every tag, region, actor and story
    icon: str = ""
    logo: str = ""


@dataclass(frozen=True)
class ApiOptions:
    html: bool = False  # the page already shows it: off, a record is about half the size


@dataclass(frozen=True)
class ImageOptions:
    widths: tuple[int, ...] = (480, 800, 1200, 1600)  # of each image's responsive versions
    formats: tuple[str, ...] = IMAGE_FORMATS  # modern formats offered before the JPEG (or PNG)
    quality: int = 80


@dataclass(frozen=True)
class WebSubOptions:
    hubs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteConfig:
    root: Path  # the site folder (where briefgen.yaml lives)
    config_path: Path
    title: str
    base_url: str  # always ends with "/"
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    author: str = ""
    content_dir: str = "content"
    output_dir: str = "site"
    theme: str = "default"
    per_page: int = 10
    feeds: FeedOptions = FeedOptions()
    api: ApiOptions = ApiOptions()
    images: ImageOptions = ImageOptions()
    cname: str = ""  # custom domain for GitHub Pages: written to CNAME
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)  # extra heading aliases
    day_first: bool = True  # 01/02/2025 is 1 February
    words_per_minute: int = 230
    actors: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)  # name → other spellings
    stories: dict[str, StoryInfo] = field(default_factory=dict, hash=False)  # story → title, description
    authors: dict[str, AuthorInfo] = field(default_factory=dict, hash=False)  # slug → who they are
    sanitize: bool = False  # strip dangerous raw HTML from bodies (for content from people you do not trust)
    search: bool = True  # the search page, its index and the header's search box
    corrections_policy: str = ""  # an absolute URL or a path in the site
    websub: WebSubOptions = WebSubOptions()
    news_name: str = ""  # the publication's name in a Google News sitemap; "" makes none
    languages: tuple[LanguageInfo, ...] = ()  # a multilingual site's languages, the default first; () for one
    site_base_url: str = ""  # a language's config: the whole site's base_url (its own is under /<lang>/)

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages) or (self.language,)

    def prefix(self, language: str | None) -> str:
        """The folder of a language's pages: "" for the default language, "es/" for Spanish."""
        code = language or self.language
        return "" if not self.languages or code == self.languages[0].code else f"{code}/"

    def language_info(self, code: str) -> LanguageInfo:
        """What the config says of one of its languages (nothing, for a language it does not list)."""
        return next((language for language in self.languages if language.code == code), LanguageInfo(code))

    def for_language(self, code: str) -> "SiteConfig":
        """The config a language's pages are made with: its language, title and description, and a base URL
        under its folder (the site's own stays in ``site_base_url``, for what every language shares); a
        single-language site's own config."""
        if not self.languages:
            return self
        info = self.language_info(code)
        return replace(self, language=code, title=info.title or self.title,
                       description=info.description or self.description,
                       base_url=self.base_url + self.prefix(code), site_base_url=self.shared_base_url)

    @property
    def shared_base_url(self) -> str:
        """The base URL of what every language shares: static files, images, sitemaps."""
        return self.site_base_url or self.base_url

    @property
    def corrections_policy_url(self) -> str:
        policy = self.corrections_policy
        return self.shared_base_url + policy.lstrip("/") if policy.startswith("/") else policy

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: ``/`` or ``/repo/``."""
        return urlsplit(self.base_url).path or "/"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_path(self) -> Path:
        return (self.root / self.content_dir).resolve()

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    def display(self, path: Path) -> str:
        return display_path(path, self.root)


def normalise_base_url(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def load_config(config_path: Path, base_url: str | None = None) -> SiteConfig:
    """Read and check ``briefgen.yaml``; raise :class:`BuildFailed` naming every problem.

    ``base_url`` (from ``--base-url``) replaces the file's value and is checked the same way.
    """
    config_path = config_path.resolve()
    shown = display_path(config_path, Path.cwd())
    if not config_path.is_file():
        raise BuildFailed([Problem(shown, message="no site config found",
                                   hint=f"run briefgen in a folder with {CONFIG_NAME}, or pass --config PATH")])
    located = read_located(config_path, shown, "the config")
    problems = Problems()
    if base_url is not None:
        try:
            base_url = absolute_url(base_url)
            if isinstance(located.data, dict):
                located.data["base_url"] = base_url
        except Invalid as invalid:
            problems.error(Problem("--base-url", message=invalid.message, hint=invalid.hint))
            base_url = None
    values = check_mapping(located, CONFIG_FIELDS, problems, shown)
    _check_default_language(values, located, problems, shown)
    problems.raise_if_errors()
    return SiteConfig(
        root=config_path.parent,
        config_path=config_path,
        title=values["title"],
        description=values["description"],
        base_url=normalise_base_url(values["base_url"]),
        language=values["language"],
        timezone=values["timezone"],
        author=values["author"],
        content_dir=values["content_dir"],
        output_dir=values["output_dir"],
        theme=values["theme"],
        per_page=values["per_page"],
        feeds=FeedOptions(**values["feeds"]),
        api=ApiOptions(**values["api"]),
        images=ImageOptions(**values["images"]),
        cname=values["cname"],
        sections=values["sections"],
        day_first=values["day_first"],
        words_per_minute=values["words_per_minute"],
        actors=values["actors"],
        stories=values["stories"],
        authors=values["authors"],
        sanitize=values["sanitize"],
        search=values["search"],
        corrections_policy=values["corrections_policy"],
        websub=WebSubOptions(**values["websub"]),
        news_name=_news_name(values["news_sitemap"], values["title"]),
        languages=values["languages"],
    )


def _check_default_language(values: dict, located, problems: Problems, shown: str) -> None:
    """With ``languages:``, the default language is the first; a ``language:`` naming another is a mistake."""
    if not values["languages"]:
        return
    first = values["languages"][0].code
    if isinstance(located.data, dict) and "language" in located.data and values["language"] != first:
        line, column = located.position(("language",))
        problems.error(Problem(shown, line, column, "language", f"{values['language']!r} is not the first of "
                               "`languages:`, which is the default language",
                               f"remove `language:` or put {values['language']} first in `languages:`"))
    values["language"] = first


def _news_name(news_sitemap: dict | bool, title: str) -> str:
    if news_sitemap is True:
        return title
    return news_sitemap["name"] if news_sitemap else ""


def with_output(config: SiteConfig, output: Path) -> SiteConfig:
    return replace(config, output_dir=str(output.resolve()))
