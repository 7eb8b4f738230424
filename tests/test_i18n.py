"""The theme's languages: message files complete in every language, plural forms by CLDR's rules, Babel dates,
sites built in Spanish, French and Arabic, a site's own messages, the English fallback and its warning."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from babel import Locale
from babel.dates import format_date
from conftest import REPO, briefing, run_cli, write_site

from briefgen.errors import BuildFailed
from briefgen.i18n import (
    PLURAL_CATEGORIES,
    MessageError,
    babel_locale,
    missing_messages,
    placeholders,
    theme_translator,
    translator,
)
from briefgen.theme import load_theme
from briefgen.views import When

I18N = REPO / "themes" / "default" / "i18n"
LANGUAGES = sorted(path.stem for path in I18N.glob("*.yaml"))
ENGLISH = yaml.safe_load((I18N / "en.yaml").read_text(encoding="utf-8"))
ARABIC_LETTERS = re.compile("[\u0620-\u064a]")

BODY = """\
The lead.

## Context

Some context.

## Escalation

- **2025-11-21** — Aviation authorities warn airlines.
- **2025-11-29** — The airspace is declared closed.

## Reactions

> We will not accept orders from any foreign power.
>
> — Yván Gil, Foreign Minister of Venezuela
"""


def messages_of(language: str) -> dict:
    return yaml.safe_load((I18N / f"{language}.yaml").read_text(encoding="utf-8"))


def test_the_default_theme_speaks_the_seven_languages():
    assert {"en", "es", "fr", "pt", "de", "it", "ar"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_key_with_the_same_placeholders(language):
    messages = messages_of(language)
    assert sorted(messages) == sorted(ENGLISH), "keys differ from en.yaml"
    for key, english in ENGLISH.items():
        assert placeholders(messages[key]) == placeholders(english), f"{language}.yaml: {key}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_category_of_the_language(language):
    categories = Locale.parse(language).plural_form.tags | {"other"}
    for key, message in messages_of(language).items():
        if isinstance(message, dict):
            assert set(message) <= set(PLURAL_CATEGORIES), f"{language}.yaml: {key}"
            assert categories <= set(message), f"{language}.yaml: {key} lacks {categories - set(message)}"


def test_counts_take_the_form_their_number_asks_for():
    folders = (I18N,)
    english, arabic = translator(folders, "en"), translator(folders, "ar")
    assert [english.text("count.briefings", count=n) for n in (1, 2, 1234)] == \
        ["1 briefing", "2 briefings", "1,234 briefings"]
    assert [arabic.text("count.briefings", count=n) for n in (0, 1, 2, 3, 11, 100)] == \
        ["لا إحاطات", "إحاطة واحدة", "إحاطتان", "3 إحاطات", "11 إحاطة", "100 إحاطة"]
    assert translator(folders, "es").text("count.briefings", count=2) == "2 informes"


def test_values_are_escaped_but_markup_is_kept():
    english = translator((I18N,), "en")
    assert english("actor.said", name="<b>") == "What &lt;b&gt; said"
    assert english("byline", names=english.join_list(["<i>", "B"])) == "By &lt;i&gt; and B"


def test_dates_are_formatted_by_cldr_for_the_language():
    day = dt.date(2025, 11, 30)
    expected = {"en": "30 November 2025", "es": "30 de noviembre de 2025", "fr": "30 novembre 2025",
                "pt": "30 de novembro de 2025", "de": "30. November 2025", "it": "30 novembre 2025",
                "ar": format_date(day, "long", locale="ar")}
    for language, text in expected.items():
        assert translator((I18N,), language).long_date(day) == text
    assert ARABIC_LETTERS.search(expected["ar"])
    assert translator((I18N,), "es").month_year(day) == "noviembre de 2025"


def test_english_date_and_time_match_the_views_own_wording():
    english = translator((I18N,), "en")
    for zone in ("Europe/Madrid", "America/Caracas", "Asia/Kolkata", "UTC"):
        when = When.of(dt.datetime(2025, 11, 29, 13, 5, tzinfo=dt.timezone.utc), ZoneInfo(zone), timed=True)
        assert english.date_time(when) == when.full
        assert english.long_date(when) == when.display
    untimed = When.of(dt.datetime(2025, 11, 29, tzinfo=dt.timezone.utc), ZoneInfo("UTC"))
    assert english.date_time(untimed) == "29 November 2025"


def test_a_language_cldr_does_not_know_is_formatted_in_english():
    assert str(babel_locale("tlh")) == "en_GB"
    assert str(babel_locale("x-private")) == "en_GB"
    klingon = translator((I18N,), "tlh")
    assert klingon.long_date(dt.date(2025, 11, 30)) == "30 November 2025"
    assert klingon.text("nav.latest") == "Latest"


def test_a_key_no_file_has_names_itself():
    with pytest.raises(MessageError, match="no message 'nav.nowhere'"):
        translator((I18N,), "es").text("nav.nowhere")
    with pytest.raises(MessageError, match=r"needs a value for \{name\}"):
        translator((I18N,), "es").text("actor.said")


# ---- whole sites --------------------------------------------------------------------------------------------


def config(language: str) -> str:
    return f"""\
        title: Andes Watch
        base_url: https://example.org/watch/
        language: {language}
        timezone: America/Caracas
        per_page: 5
        """


def build_site(root: Path, language: str, extra: dict[str, str] | None = None) -> Path:
    write_site(root, {
        "briefgen.yaml": config(language),
        "content/2025-11-29-airspace.md": briefing(
            "Airspace declared closed", "2025-11-29T16:00:00", story="andes", escalation_level="4",
            status="escalating", tags="[airspace]", regions="[Venezuela, Caribbean]", body=BODY),
        "content/2025-11-30-call.md": briefing(
            "The phone call", "2025-11-30T10:00:00", story="andes", escalation_level="5", status="escalating",
            tags="[diplomacy]", body=BODY),
        **(extra or {}),
    })
    result = run_cli("build", "--quiet", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "site"


def page(site: Path, route: str) -> str:
    return (site / route / "index.html").read_text(encoding="utf-8")


def test_a_spanish_site_speaks_spanish(tmp_path):
    site = build_site(tmp_path, "es")
    call = page(site, "briefings/call")
    assert '<html lang="es" dir="ltr">' in call
    for words in ("Datos clave", "Tiempo de lectura", "Quién dijo qué", "Cronología", "Lo último", "Coberturas",
                  "En escalada", "Nivel de escalada", "5 de 5", "Publicado el", "30 de noviembre de 2025",
                  "Escalada</span> desde", "el informe anterior"):
        assert words in call, words
    assert "Key facts" not in call and "Reading time" not in call and "30 November" not in call
    assert "noviembre de 2025" in page(site, "archive")
    assert "Últimos informes" in page(site, "")
    story = page(site, "stories/andes")
    assert "Nivel de escalada a lo largo del tiempo" in story and "2 informes del 29 de noviembre" in story
    search = page(site, "search")
    assert 'data-found-one="{count} informe encontrado"' in search
    assert 'data-none="No se encontraron informes para «{query}»."' in search


def test_a_french_site_speaks_french(tmp_path):
    site = build_site(tmp_path, "fr")
    call = page(site, "briefings/call")
    for words in ("L'essentiel", "Temps de lecture", "Qui a dit quoi", "Publiée le", "30 novembre 2025 à 10:00",
                  "5 sur 5", "Chronologie", "Réactions"):
        assert words in call, words
    assert "Dernières synthèses" in page(site, "")


def test_an_arabic_site_speaks_arabic_right_to_left(tmp_path):
    site = build_site(tmp_path, "ar")
    call = page(site, "briefings/call")
    assert '<html lang="ar" dir="rtl">' in call
    for words in ("أبرز الحقائق", "مدة القراءة", "من قال ماذا", "الإحاطة السابقة"):
        assert words in call, words
    date = format_date(dt.date(2025, 11, 30), "long", locale="ar")
    assert date in call and ARABIC_LETTERS.search(date)
    chart = re.search(r"<svg.*?</svg>", page(site, "stories/andes"), re.DOTALL).group(0)
    assert 'direction="rtl"' in chart and "مستوى التصعيد عبر الزمن" in chart
    level_axis = [float(x) for x in re.findall(r'<text class="chart__axis" x="([\d.]+)"[^>]*>\d</text>', chart)]
    points = [float(x) for x in re.findall(r'<circle [^>]*cx="([\d.]+)"', chart)]
    assert level_axis and min(level_axis) > 600  # the level axis stands on the right
    assert points[0] > points[-1]  # the older briefing is on the right: time runs right to left


def test_the_english_chart_runs_left_to_right(tmp_path):
    chart = re.search(r"<svg.*?</svg>", page(build_site(tmp_path, "en"), "stories/andes"), re.DOTALL).group(0)
    points = [float(x) for x in re.findall(r'<circle [^>]*cx="([\d.]+)"', chart)]
    assert "direction" not in chart and points[0] < points[-1]
    assert "<title id=\"escalation-chart-title\">Escalation level over time: Andes</title>" in chart


def test_a_site_overrides_one_message_of_its_language(tmp_path):
    site = build_site(tmp_path, "es", {"i18n/es.yaml": "briefing.key_facts: Lo esencial\n"})
    call = page(site, "briefings/call")
    assert "Lo esencial" in call and "Datos clave" not in call
    assert "Tiempo de lectura" in call  # the theme's other Spanish messages stay


def test_missing_messages_are_shown_in_english_and_reported(tmp_path):
    site = build_site(tmp_path, "sw", {"i18n/sw.yaml": "nav.latest: Habari mpya\n"})
    call = page(site, "briefings/call")
    assert "Habari mpya" in call and "Key facts" in call
    theme = load_theme(tmp_path, "default")
    problems = missing_messages(theme, ["sw", "es", "en", "en-US", "es-MX"])
    assert len(problems) == 1
    missing = len(ENGLISH) - 1
    assert str(problems[0]).startswith(f"i18n/sw.yaml: {missing} messages missing (")
    assert str(problems[0]).endswith(", …), shown in English — add them")


def test_a_broken_message_file_names_its_line(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": config("es"), "content/a.md": briefing("A", "2025-11-30"),
                          "i18n/es.yaml": "nav.latest: Lo último\nnav.tags: [a, b]\n"})
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert "i18n/es.yaml:2:11: nav.tags: expected a text or plural forms, got list" in result.output
    with pytest.raises(BuildFailed):
        load_theme(tmp_path, "default")


def test_an_unknown_key_in_a_template_is_a_build_error(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": config("en"), "content/a.md": briefing("A", "2025-11-30"),
                          "templates/404.html": '{% extends "default/404.html" %}\n'
                                                '{% block main %}{{ t("not_found.oops") }}{% endblock %}\n'})
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert "404.html:2" in result.output and "no message 'not_found.oops'" in result.output
    assert "Traceback" not in result.output


def test_a_changed_message_changes_the_theme_fingerprint(tmp_path):
    write_site(tmp_path, {"i18n/es.yaml": "nav.latest: Portada\n"})
    before = load_theme(tmp_path, "default").fingerprint()
    write_site(tmp_path, {"i18n/es.yaml": "nav.latest: Novedades\n"})
    assert load_theme(tmp_path, "default").fingerprint() != before
    assert theme_translator(load_theme(tmp_path, "default"), "es").text("nav.latest") == "Novedades"
