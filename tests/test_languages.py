"""A multilingual site: languages and translations, a folder per language, hreflang, switchers, feeds, search."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import run_cli, write_site

BASE = "https://example.org/ml/"
CONFIG = """\
title: Crisis Briefings
base_url: https://example.org/ml/
timezone: UTC
languages:
  en: {}
  es: {title: Informes de crisis, description: Informes estructurados.}
  ar: {title: موجزات الأزمة, menu: {latest: الأحدث}}
stories:
  crisis: {title: The crisis, es: {title: La crisis}}
"""
BODY = {"en": "Lead about the airspace.\n\n## Context\n\nSome context.\n",
        "es": "Entrada sobre el espacio aéreo.\n\n## Contexto\n\nAlgo de contexto.\n",
        "ar": "مقدمة عن المجال الجوي.\n\n## السياق\n\nبعض السياق.\n"}


def article(title: str, lang: str = "en", date: str = "2025-11-29T10:00:00", extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nstory: crisis\n{extra}---\n{BODY[lang]}"


def site_files(**more: str) -> dict[str, str]:
    files = {
        "briefgen.yaml": CONFIG,
        "content/2025-11-29-airspace.md": article("Airspace closed", extra="tags: [airspace]\n"),
        "content/2025-11-29-airspace.es.md": article("Espacio aéreo cerrado", "es", extra="tags: [espacio aéreo]\n"),
        "content/2025-11-29-airspace.ar.md": article("إغلاق المجال الجوي", "ar"),
        "content/2025-11-28-talks.md": article("Talks in Geneva", date="2025-11-28T09:00:00"),
        "content/conversaciones.md": article("Conversaciones en Ginebra", "es", date="2025-11-28T09:00:00",
                                             extra="lang: es\ntranslation_key: talks\n"),
        "content/geneva-alone.md": article("Only in English", date="2025-11-27T09:00:00"),
    }
    files.update(more)
    return files


def build(root: Path) -> Path:
    result = run_cli("build", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "site"


def page(site: Path, route: str) -> BeautifulSoup:
    return BeautifulSoup((site / route / "index.html").read_text(encoding="utf-8"), "html.parser")


def hreflangs(soup: BeautifulSoup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup.select('head link[rel="alternate"][hreflang]')}


@pytest.fixture
def site(tmp_path) -> Path:
    return build(write_site(tmp_path, site_files()))


def test_each_language_has_its_folder_and_its_pages(site):
    assert (site / "briefings/airspace/index.html").is_file()
    assert (site / "es/briefings/airspace/index.html").is_file()
    assert (site / "ar/briefings/airspace/index.html").is_file()
    assert (site / "es/briefings/conversaciones/index.html").is_file()  # a translation keeps its own slug
    for folder in ("", "es/", "ar/"):
        for route in ("", "archive/", "stories/", "tags/", "regions/", "actors/", "search/", "corrections/"):
            assert (site / folder / route / "index.html").is_file(), folder + route
        for name in ("feed.xml", "atom.xml", "feed.json"):
            assert (site / folder / name).is_file(), folder + name
    assert not (site / "es/static").exists() and not (site / "es/sitemap.xml").exists()  # shared, once


def test_pages_are_in_their_language_and_direction(site):
    english, spanish, arabic = (page(site, f"{f}briefings/airspace") for f in ("", "es/", "ar/"))
    assert english.html["lang"] == "en" and english.html["dir"] == "ltr"
    assert spanish.html["lang"] == "es" and spanish.title.get_text().startswith("Espacio aéreo cerrado")
    assert arabic.html["lang"] == "ar" and arabic.html["dir"] == "rtl"
    assert spanish.select_one('link[rel="stylesheet"]')["href"].startswith("/ml/static/")  # shared assets
    assert page(site, "es").select_one(".site-title").get_text(strip=True) == "Informes de crisis"
    assert page(site, "ar").select_one(".site-nav a").get_text() == "الأحدث"  # the config's menu label
    assert page(site, "es/stories/crisis").h1.get_text(strip=True) == "La crisis"  # the story's Spanish title
    assert page(site, "ar/stories/crisis").h1.get_text(strip=True) == "The crisis"  # none given: the default


def test_hreflang_is_reciprocal_and_names_x_default(site):
    sets = [hreflangs(page(site, f"{f}briefings/airspace")) for f in ("", "es/", "ar/")]
    expected = {"en": BASE + "briefings/airspace/", "es": BASE + "es/briefings/airspace/",
                "ar": BASE + "ar/briefings/airspace/", "x-default": BASE + "briefings/airspace/"}
    assert sets == [expected] * 3
    talks = hreflangs(page(site, "es/briefings/conversaciones"))
    assert talks == {"en": BASE + "briefings/talks/", "es": BASE + "es/briefings/conversaciones/",
                     "x-default": BASE + "briefings/talks/"}
    assert hreflangs(page(site, "briefings/geneva-alone")) == {}  # no other version: no alternates
    homes = hreflangs(page(site, "es"))
    assert homes == {"en": BASE, "es": BASE + "es/", "ar": BASE + "ar/", "x-default": BASE}


def test_the_language_menu_links_every_version(site):
    menu = page(site, "es/briefings/airspace").select_one(".language-menu")
    links = {a["hreflang"]: (a["href"], a.get_text()) for a in menu.select("a")}
    assert links == {"en": ("/ml/briefings/airspace/", "English"), "ar": ("/ml/ar/briefings/airspace/", "العربية")}
    current = menu.select_one('[aria-current="true"]')
    assert current.get_text() == "Español" and current["lang"] == "es"


def test_json_ld_links_the_original_and_its_translations(site):
    def article_of(route: str) -> dict:
        return json.loads(page(site, route).select_one('script[type="application/ld+json"]').string)
    original, spanish = article_of("briefings/airspace"), article_of("es/briefings/airspace")
    assert original["inLanguage"] == "en" and spanish["inLanguage"] == "es"
    assert [(w["inLanguage"], w["url"]) for w in original["workTranslation"]] == [
        ("es", BASE + "es/briefings/airspace/"), ("ar", BASE + "ar/briefings/airspace/")]
    assert spanish["translationOfWork"]["url"] == BASE + "briefings/airspace/"


def test_feeds_are_per_language(site):
    for folder, language, titles in (("", "en", {"Airspace closed", "Talks in Geneva", "Only in English"}),
                                     ("es/", "es", {"Espacio aéreo cerrado", "Conversaciones en Ginebra"}),
                                     ("ar/", "ar", {"إغلاق المجال الجوي"})):
        feed = feedparser.parse(str(site / folder / "atom.xml"))
        assert not feed.bozo and feed.feed.language == language
        assert {entry.title for entry in feed.entries} == titles
        assert all(entry.link.startswith(BASE + folder + "briefings/") for entry in feed.entries)
        data = json.loads((site / folder / "feed.json").read_text())
        assert data["language"] == language and data["feed_url"] == BASE + folder + "feed.json"


def test_search_indexes_are_per_language(site):
    def words(folder: str) -> str:
        return " ".join(p.read_text() for p in (site / folder / "search").rglob("*.json"))
    assert "geneva" in words("") and "geneva" not in words("es/")
    assert "ginebra" in words("es/") and "ginebra" not in words("")


def test_the_sitemap_lists_every_version_with_its_alternates(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.findtext("s:loc", namespaces=ns): {link.get("hreflang"): link.get("href")
                                                 for link in u.findall("x:link", ns)}
            for u in ET.parse(site / "sitemap.xml").getroot().findall("s:url", ns)}
    for loc in (BASE + "briefings/airspace/", BASE + "es/briefings/airspace/", BASE + "ar/briefings/airspace/"):
        assert urls[loc] == {"en": BASE + "briefings/airspace/", "es": BASE + "es/briefings/airspace/",
                             "ar": BASE + "ar/briefings/airspace/", "x-default": BASE + "briefings/airspace/"}


def test_a_second_build_changes_nothing_and_an_edit_only_its_language(tmp_path):
    root = write_site(tmp_path, site_files())
    build(root)
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    spanish = root / "content/2025-11-29-airspace.es.md"
    spanish.write_text(spanish.read_text().replace("Algo de contexto.", "Más contexto."))
    result = run_cli("build", cwd=root)
    assert result.exit_code == 0
    changed = {p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("*")
               if p.is_file() and before.get(p) != p.read_bytes()}
    assert "es/briefings/airspace/index.html" in changed
    assert not any(path.startswith(("briefings/", "ar/briefings/")) for path in changed), changed


@pytest.mark.parametrize("files, message", [
    ({"content/x.es.md": article("Sin original", "es")}, "content/x.es.md: translation_key: a translation of 'x'"),
    ({"content/y.md": article("Y"), "content/y-copy.md": article("Y again", extra="translation_key: y\n")},
     "2 briefings are the en version of 'y'"),
    ({"content/z.md": article("Z", extra="lang: de\n")}, "content/z.md:5:7: lang: 'de' is not one of the site's"),
    ({"content/w.es.md": article("W", extra="lang: ar\n")}, "`lang: ar` contradicts the file name's .es"),
])
def test_translation_mistakes_are_errors_at_their_file(tmp_path, files, message):
    result = run_cli("build", cwd=write_site(tmp_path, site_files(**files)))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert message in result.output, result.output


def test_a_single_language_site_is_unchanged_by_file_names_with_dots(tmp_path):
    root = write_site(tmp_path, {"briefgen.yaml": "title: T\nbase_url: https://example.org/\n",
                                 "content/report.es.md": article("Report")})
    site = build(root)
    assert (site / "briefings/report-es/index.html").is_file()


def test_a_folder_briefing_keeps_its_translation_beside_it(tmp_path):
    site = build(write_site(tmp_path, {
        "briefgen.yaml": CONFIG,
        "content/2025-11-29-harbour/index.md": article("Harbour fire"),
        "content/2025-11-29-harbour/index.es.md": article("Incendio en el puerto", "es")}))
    english, spanish = BASE + "briefings/harbour/", BASE + "es/briefings/harbour/"
    assert hreflangs(page(site, "es/briefings/harbour")) == {"en": english, "es": spanish, "x-default": english}


def test_an_archive_in_several_languages_imports_with_its_versions_linked(tmp_path):
    archive = write_site(tmp_path / "old", {
        "_posts/en/2025-11-29-airspace.md": "---\ntitle: Airspace closed\nlang: en\n---\nLead.\n",
        "_posts/es/2025-11-29-airspace.md": "---\ntitle: Espacio aéreo cerrado\nlang: es\n---\nEntrada.\n",
        "_posts/es/2025-11-28-solo.md": "---\ntitle: Solo en español\nlang: es\n---\nEntrada.\n"})
    root = write_site(tmp_path / "new", {"briefgen.yaml": CONFIG, "content/.keep": ""})
    result = run_cli("import", str(archive / "_posts"), cwd=root)
    assert result.exit_code == 0, result.output
    site = build(root)
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("**/briefings/*/index.html"))
    english = [p for p in pages if not p.startswith("es/")]
    spanish = [p for p in pages if p.startswith("es/") and "solo" not in p]
    solo = [p for p in pages if "solo" in p]
    assert len(english) == len(spanish) == len(solo) == 1, pages
    assert set(hreflangs(page(site, spanish[0]))) == set(hreflangs(page(site, english[0]))) == {"en", "es", "x-default"}
    assert solo[0].startswith("es/") and hreflangs(page(site, solo[0])) == {}  # never translated: no alternates


def test_a_hugo_archive_with_language_suffixes_imports_with_its_versions_linked(tmp_path):
    archive = write_site(tmp_path / "old", {
        "config.toml": 'title = "Old"\n',
        "content/posts/airspace.md": "---\ntitle: Airspace closed\ndate: 2025-11-29\n---\nLead.\n",
        "content/posts/airspace.fr.md": "---\ntitle: Espace aérien fermé\ndate: 2025-11-29\n---\nChapeau.\n",
        "content/posts/alone.md": "---\ntitle: Alone\ndate: 2025-11-28\n---\nLead.\n"})
    config = CONFIG.replace("  es: {title: Informes de crisis, description: Informes estructurados.}\n", "  fr: {}\n")
    root = write_site(tmp_path / "new", {"briefgen.yaml": config, "content/.keep": ""})
    result = run_cli("import", str(archive / "content/posts"), cwd=root)
    assert result.exit_code == 0, result.output
    site = build(root)
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("**/briefings/*/index.html"))
    french = [p for p in pages if p.startswith("fr/")]
    assert len(pages) == 3 and len(french) == 1, pages
    assert set(hreflangs(page(site, french[0]))) == {"en", "fr", "x-default"}
    assert hreflangs(page(site, next(p for p in pages if "alone" in p))) == {}
