"""Arabic articles: section headings, timeline dates in both sets of month names and both sets of digits, and
quotations introduced by a speech verb with the conjunction و glued to it ("وقال"). The words are in
briefgen/languages/ar.yaml; more cases are in tests/fixtures/structure/arabic.txt."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from briefgen.errors import Problems
from briefgen.lexicon import lexicon, normalise
from briefgen.markdown import MarkdownRenderer
from briefgen.parse import ParseContext, parse_briefing
from briefgen.sections import SectionClassifier
from briefgen.timeline import dated_item

REPO = Path(__file__).parent.parent
CONTEXT = ParseContext(timezone=ZoneInfo("UTC"), renderer=MarkdownRenderer())

ARTICLE = """\
---
title: "ترامب يعلن المجال الجوي الفنزويلي مغلقاً بالكامل"
date: 2025-11-29T16:00:00
lang: ar
actors: [دونالد ترامب, إيفان خيل]
---
أعلن الرئيس الأمريكي دونالد ترامب يوم السبت أن المجال الجوي فوق فنزويلا وحولها يجب اعتباره مغلقاً.

## الخلفية

تمنح اتفاقية شيكاغو لعام 1944 كل دولة سيادة كاملة على المجال الجوي فوق أراضيها.

## التسلسل الزمني

- **١٦ نوفمبر ٢٠٢٥** — وصول حاملة الطائرات جيرالد فورد إلى الكاريبي.
- 21 تشرين الثاني 2025: إدارة الطيران الفيدرالية تدعو إلى الحذر الشديد.
- ٢٤ تشرين الثاني ٢٠٢٥ — دخول تصنيف كارتل الشموس منظمة إرهابية حيز التنفيذ.
- 29 نوفمبر 2025 — ترامب يعلن إغلاق المجال الجوي وكراكاس ترفض.

## ردود الفعل

وقال دبلوماسي فنزويلي: «هذا تهديد استعماري لسيادتنا».

وقال ترامب: «لا تستنتجوا شيئاً من ذلك».

## التداعيات

يزيد الإعلان الضغط على شركات الطيران وشركات التأمين.
"""


def parse(text: str):
    problems = Problems()
    briefing = parse_briefing(text.encode("utf-8"), "content/case.md", "case", CONTEXT, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    return briefing


def test_an_arabic_article_has_its_four_parts():
    briefing = parse(ARTICLE)
    assert [(s.heading, s.kinds, s.anchor) for s in briefing.sections] == [
        ("الخلفية", ("context",), "context"), ("التسلسل الزمني", ("escalation",), "escalation"),
        ("ردود الفعل", ("reactions",), "reactions"), ("التداعيات", ("impact",), "impact")]
    assert briefing.warnings == ()


def test_an_arabic_timeline_in_both_month_sets_and_both_digit_sets():
    briefing = parse(ARTICLE)
    assert [(e.date.isoformat(), e.text) for e in briefing.timeline] == [
        ("2025-11-16", "وصول حاملة الطائرات جيرالد فورد إلى الكاريبي."),
        ("2025-11-21", "إدارة الطيران الفيدرالية تدعو إلى الحذر الشديد."),
        ("2025-11-24", "دخول تصنيف كارتل الشموس منظمة إرهابية حيز التنفيذ."),
        ("2025-11-29", "ترامب يعلن إغلاق المجال الجوي وكراكاس ترفض.")]
    escalation = next(s for s in briefing.sections if "escalation" in s.kinds)
    assert "<li>" not in escalation.html  # every item is dated: the list is shown as the timeline


def test_an_unnamed_source_after_wa_qala():
    quotes = parse(ARTICLE).quotes
    assert ("دبلوماسي فنزويلي", "هذا تهديد استعماري لسيادتنا") in [(q.speaker, q.text) for q in quotes]


def test_a_quotation_after_wa_qala_goes_to_the_person_named():
    quotes = parse(ARTICLE).quotes
    assert ("دونالد ترامب", "لا تستنتجوا شيئاً من ذلك") in [(q.speaker, q.text) for q in quotes]


LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
             "تشرين الثاني", "كانون الأول"]
EGYPTIAN = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
            "ديسمبر"]
VARIANTS = {"إبريل": 4, "ابريل": 4, "يونيه": 6, "يوليه": 7, "أغسطوس": 8, "اغسطس": 8, "جانفي": 1, "فيفري": 2,
            "أفريل": 4, "جوان": 6, "جويلية": 7, "أوت": 8, "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12}
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("names", [LEVANTINE, EGYPTIAN], ids=["levantine", "egyptian"])
@pytest.mark.parametrize("digits", ["western", "arabic-indic"])
def test_every_month_in_both_sets_and_both_digit_sets(names, digits):
    for month, name in enumerate(names, start=1):
        item = f"7 {name} 2025 — حدث."
        if digits == "arabic-indic":
            item = item.translate(ARABIC_INDIC)
        assert dated_item(item) == (dt.date(2025, month, 7), "حدث."), item


@pytest.mark.parametrize("name, month", VARIANTS.items())
def test_regional_spellings_of_months(name, month):
    assert dated_item(f"1 {name} 2026: حدث") == (dt.date(2026, month, 1), "حدث")


@pytest.mark.parametrize("item", ["29 نوفمبر/تشرين الثاني 2025 — حدث", "٢٩ تشرين الثاني / نوفمبر ٢٠٢٥: حدث",
                                  "**29 تشرين الثاني 2025** — حدث", "في 29 نوفمبر 2025 — حدث",
                                  "٢٩/١١/٢٠٢٥ — حدث", "٢٠٢٥-١١-٢٩ — حدث"])
def test_date_forms_of_the_arab_press(item):
    assert dated_item(item) == (dt.date(2025, 11, 29), "حدث")


@pytest.mark.parametrize("item", ["29 كانون 2025 — ليس شهراً", "29 الثاني 2025 — ليس شهراً"])
def test_half_a_two_word_month_is_no_date(item):
    assert dated_item(item) is None


@pytest.mark.parametrize("heading, kinds", [
    ("السياق", ("context",)), ("سياق", ("context",)), ("الخلفية", ("context",)), ("خلفية", ("context",)),
    ("الخلفيّة", ("context",)), ("كيف وصلنا إلى هنا؟", ("context",)), ("كيف وصلنا الى هنا", ("context",)),
    ("التصعيد", ("escalation",)), ("التسلسل الزمني", ("escalation",)), ("آخر التطورات", ("escalation",)),
    ("اخر التطورات", ("escalation",)), ("أبرز المحطات", ("escalation",)), ("ابرز المحطات", ("escalation",)),
    ("كيف تصاعدت الأزمة", ("escalation",)), ("ردود الفعل", ("reactions",)), ("ردود الأفعال", ("reactions",)),
    ("ردود الافعال", ("reactions",)), ("المواقف", ("reactions",)), ("التأثير", ("impact",)),
    ("التاثير", ("impact",)), ("التداعيات", ("impact",)), ("ما التالي", ("impact",)), ("ماذا بعد؟", ("impact",)),
    ("تداعيات الإغلاق على الطيران", ("impact",)), ("ردود الفعل والتداعيات", ("reactions", "impact")),
    ("الموقف الميداني", ()),
])
def test_arabic_headings(heading, kinds):
    assert SectionClassifier().kinds(heading) == kinds


def test_speech_verbs_come_with_the_conjunctions_glued_to_them():
    verbs = lexicon().speech_verbs
    for verb in ["قال", "قالت", "أكد", "أكدت", "أضاف", "أضافت", "صرح", "أعلن", "أوضح"]:
        assert {normalise(verb), normalise("و" + verb), normalise("ف" + verb)} <= verbs, verb


def test_arabic_entries_are_normalised_like_the_text():
    """Hamza and diacritics do not matter: the file may be written with them and the text without, or the
    reverse."""
    lex = lexicon()
    assert normalise("وأضاف") in lex.speech_verbs and normalise("واضاف") in lex.speech_verbs
    assert normalise("بحسب") in lex.according_to and normalise("وفقاً لـ") in lex.according_to
    assert lex.months[normalise("كانون الأوّل")] == 12 and lex.months[normalise("آب")] == 8
    assert lex.is_title(normalise("الرئيس")) and lex.is_title(normalise("المتحدث"))


# ---- the example site's translations ------------------------------------------------------------------------

TRANSLATIONS = sorted(path for path in (REPO / "content").glob("*.md") if re.search(r"\.[a-z]{2}\.md$", path.name))
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(_FRONT_MATTER.match(path.read_text(encoding="utf-8")).group(1))


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: p.name)
def test_a_translated_example_briefing_is_read_whole(path):
    lang = path.name.rsplit(".", 2)[1]
    original = path.with_name(path.name.rsplit(".", 2)[0] + ".md")
    mine, theirs = _front_matter(path), _front_matter(original)
    assert mine["lang"] == lang
    assert set(mine) - {"lang"} == set(theirs) - {"aliases"}  # an old address belongs to the original only
    for key in ("date", "story", "tags", "regions", "actors", "status", "escalation_level", "sources", "authors"):
        assert mine.get(key) == theirs.get(key), key
    assert mine["image"]["src"] == theirs["image"]["src"]
    for key in ("updates", "corrections"):
        assert [entry["date"] for entry in mine.get(key, [])] == [entry["date"] for entry in theirs.get(key, [])]
    briefing = parse(path.read_text(encoding="utf-8"))
    assert {kind for section in briefing.sections for kind in section.kinds} == {
        "context", "escalation", "reactions", "impact"}
    assert [section.anchor for section in briefing.sections] == ["context", "escalation", "reactions", "impact"]
    english = parse(original.read_text(encoding="utf-8"))
    assert [event.date for event in briefing.timeline] == [event.date for event in english.timeline]
