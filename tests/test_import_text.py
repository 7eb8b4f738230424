"""The text importer: raw text copied from a news page → title, dates, summary and a Markdown body that
briefgen's own parser reads into sections and quotes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from briefgen.errors import Problems
from briefgen.importers import Imported, Skip
from briefgen.importers.dates import find_date, find_dates, split_dateline
from briefgen.importers.text import clutter_kind, import_text
from briefgen.markdown import MarkdownRenderer
from briefgen.model import Briefing
from briefgen.parse import ParseContext, parse_briefing

FIXTURES = Path(__file__).parent / "fixtures" / "import" / "text"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_a45e4b41f9898884.txt"
FALLBACK = dt.date(2026, 1, 5)
CONTEXT = ParseContext(timezone=ZoneInfo("UTC"), renderer=MarkdownRenderer())
UTC = dt.timezone.utc


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def imported(name: str, **options) -> Imported:
    return import_text(load(name), fallback_date=FALLBACK, name=name, **options)


def as_briefing(result: Imported) -> Briefing:
    """The article written as a briefgen file and read back by briefgen's parser, which must accept it."""
    source = "---\n" + yaml.safe_dump(result.front_matter, allow_unicode=True) + "---\n" + result.body
    problems = Problems()
    briefing = parse_briefing(source.encode("utf-8"), "content/imported.md", "imported", CONTEXT, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    return briefing


def headings(body: str) -> list[str]:
    return re.findall(r"^## (.+)$", body, re.MULTILINE)


def assert_kept(body: str, *paragraphs: str) -> None:
    """Each paragraph is in the body word for word, as a paragraph of its own."""
    blocks = body.split("\n\n")
    for paragraph in paragraphs:
        assert paragraph in [block.strip() for block in blocks], paragraph


def assert_gone(body: str, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase not in body, phrase


# ---- the fixtures, one language or shape each ----------------------------------------------------------------


def test_english_wire_article_with_published_and_updated_datelines():
    result = imported("en_wire_updated.txt")
    front = result.front_matter
    assert front["title"] == "Dockworkers extend strike as talks over automation stall"
    assert front["date"] == dt.datetime(2025, 11, 28, 9, 30, tzinfo=UTC)
    assert front["updated"] == dt.datetime(2025, 11, 29, 14, 5)
    assert front["summary"] == ("Union leaders at the port of Valdora said on Friday that the walkout would run for "
                                "at least another week, after negotiators left the table without a deal on "
                                "automated cranes.")
    assert list(front) == ["title", "date", "updated", "summary"]
    body = result.body
    assert headings(body) == ["How the dispute began", "What they're saying", "Why it matters"]
    assert_gone(body, "Share", "Tweet", "Copy link", "5 min read", "Advertisement", "Read more", "Back to top",
                "Maren Holt", "Published", "Updated", "Union leaders at the port")
    assert body.endswith("could shave a tenth of a point off quarterly growth.\n")
    assert_kept(body, "“We are not against machines. We are against being told our jobs are gone in a press "
                      "release,” union secretary Ilse Moravec told reporters outside the terminal gates.",
                "The port authority said in a statement that it “remains open to dialogue at any hour.”")
    assert "- Valdora handles about a fifth of the region's fuel imports.\n- Retailers warn" in body
    assert "date from the dateline 'Published 28 Nov 2025 09:30 GMT'" in result.notes
    assert "updated date from the dateline 'Updated: 29 November 2025 2:05 pm'" in result.notes
    assert any(note.startswith("removed 3 lines of share buttons: 'Share', 'Tweet', 'Copy link'")
               for note in result.notes)
    assert "removed back-to-top links: 'Back to top'" in result.notes


def test_english_wire_article_reads_as_a_briefing_with_its_quote():
    briefing = as_briefing(imported("en_wire_updated.txt"))
    assert [s.heading for s in briefing.sections] == ["How the dispute began", "What they're saying",
                                                      "Why it matters"]
    assert [s.kinds for s in briefing.sections][1:] == [("reactions",), ("impact",)]
    assert [(q.speaker, q.kind) for q in briefing.quotes] == [("Ilse Moravec", "person"),
                                                              ("port authority", "institution")]
    assert briefing.summary.startswith("Union leaders at the port of Valdora")
    assert briefing.lead_text.startswith("The strike, now in its ninth day")


@pytest.mark.parametrize("transform", [
    pytest.param(lambda text: "\ufeff" + text.replace("\n", "\r\n"), id="bom-crlf"),
    pytest.param(lambda text: text.replace("\n", "\r"), id="cr"),
])
def test_line_ends_and_bom_make_no_difference(transform):
    plain = imported("en_wire_updated.txt")
    other = import_text(transform(load("en_wire_updated.txt")), fallback_date=FALLBACK, name="en_wire_updated.txt")
    assert (other.front_matter, other.body, other.notes) == (plain.front_matter, plain.body, plain.notes)


def test_spanish_article():
    result = imported("es_sequia.txt")
    front = result.front_matter
    assert front["title"] == "El Gobierno aprueba un plan de emergencia para la sequía en el sur"
    assert front["date"] == dt.date(2025, 11, 30)
    assert "updated" not in front
    assert front["summary"].startswith("El Consejo de Ministros dio luz verde este domingo")
    assert headings(result.body) == ["Antecedentes", "Reacciones", "Qué sigue"]
    assert_gone(result.body, "Lectura", "4 min", "Compartir", "Publicidad", "Lee también", "Subir")
    assert_kept(result.body, "«Llega tarde, pero llega», afirmó la portavoz de la asociación de regantes, "
                             "Lucía Beltrán.")
    assert "removed reading time: 'Lectura: 4 min'" in result.notes
    briefing = as_briefing(result)
    assert [s.kinds for s in briefing.sections] == [("context",), ("reactions",), ("impact",)]


def test_french_article_with_premier():
    result = imported("fr_greve.txt")
    assert result.front_matter["date"] == dt.datetime(2025, 12, 1, 18, 30)
    assert headings(result.body) == ["Ce qu'ils disent", "Et maintenant"]
    assert_gone(result.body, "Temps de lecture", "Partager", "Lire aussi", "Haut de page", "Publié")
    assert_kept(result.body, "Le ministre des transports a jugé la grève « disproportionnée » et appelé à "
                             "reprendre les discussions.")
    assert "date from the dateline 'Publié le 1er décembre 2025 à 18h30'" in result.notes


def test_german_article():
    result = imported("de_hochwasser.txt")
    front = result.front_matter
    assert front["date"] == dt.datetime(2025, 11, 30, 14, 5)
    assert front["updated"] == dt.datetime(2025, 12, 1, 8, 10)
    assert front["summary"] == "Die Behörden in mehreren Landkreisen haben am Sonntag Katastrophenalarm ausgelöst."
    assert headings(result.body) == ["Hintergrund"]
    assert_gone(result.body, "Lesezeit", "Anzeige", "Nach oben", "Aktualisiert")
    assert result.body.endswith("„Wir sind besser vorbereitet als damals, aber die Lage bleibt ernst“, sagte "
                                "Landrätin Petra Wolters.\n")


def test_portuguese_article_with_repeated_title():
    result = imported("pt_chuvas.txt")
    front = result.front_matter
    assert front["title"] == "Chuvas deixam cidades do litoral em alerta máximo"
    assert front["date"] == dt.datetime(2025, 11, 30, 10, 15)
    assert front["updated"] == dt.datetime(2025, 12, 1, 9, 0)
    assert "Chuvas deixam" not in result.body
    assert headings(result.body) == ["O que dizem"]
    assert_gone(result.body, "Leitura de 3 min", "Leia também", "Voltar ao topo", "Atualizado")
    assert_kept(result.body, '"A prioridade agora é tirar as famílias das áreas de risco", disse o prefeito '
                             'Roberto Sales em entrevista coletiva.')
    assert "removed the title repeated below itself" in result.notes


def test_hard_wrapped_text_is_joined_into_paragraphs():
    result = imported("hard_wrapped.txt")
    assert result.front_matter["date"] == dt.date(2025, 12, 2)
    assert result.front_matter["summary"] == (
        "Trains returned to the northern line on Monday morning, four weeks after a landslide buried a section of "
        "track below the quarry at Hollin Bank and cut off three market towns.")
    assert headings(result.body) == ["What happened", "What comes next"]
    assert_kept(result.body,
                "The slope gave way after the wettest October on record. Nobody was hurt, but a freight train had "
                "passed the spot less than an hour before, and investigators are still looking at whether warning "
                "sensors on the cutting were working.",
                "- The operator will run a reduced timetable until the new signalling is tested, which it expects "
                "to finish before the end of the month.\n- A public inquiry into the long-term stability of the "
                "cutting is due to report in the spring.")
    assert any(note.startswith("the text is hard-wrapped") for note in result.notes)


def test_short_lines_of_an_unwrapped_text_are_not_joined():
    text = ("Briefly\n\nA first short paragraph of one sentence only.\nA second short paragraph, also one line.\n"
            "A third one that ends the block here.\n\nAnd a last paragraph on its own.\n")
    body = import_text(text, fallback_date=FALLBACK).body
    assert "A second short paragraph, also one line.\n\nA third one" in body


def test_no_date_uses_the_fallback_with_a_note():
    result = imported("no_date.txt")
    assert result.front_matter["date"] == FALLBACK
    assert "no date found in the text; used the fallback date 2026-01-05" in result.notes


def test_a_date_in_the_file_name_comes_before_the_fallback():
    result = import_text(load("no_date.txt"), fallback_date=FALLBACK, name="2025-11-30-tram-vote.txt")
    assert result.front_matter["date"] == dt.date(2025, 11, 30)
    assert "date from the file name '2025-11-30-tram-vote.txt'" in result.notes


@pytest.mark.parametrize("text", ["", "\n \n\t\n", load("title_only.txt"), "Only a title\n\n30 November 2025\n",
                                  "12345\n\nSome body text here.\n", " ".join(["word"] * 45) + "\n\nBody.\n"])
def test_text_without_a_title_or_a_body_is_skipped(text):
    with pytest.raises(Skip):
        import_text(text, fallback_date=FALLBACK)


# ---- clutter ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["hostility.Go up", "hostility. Go up", "hostility.\n\nGo up",
                                    "hostility.\nGo up\n", "hostility.Share", "hostility.” Back to top ↑"])
def test_clutter_at_the_very_end_is_cut_even_when_glued(ending):
    text = f"Title\n\nA first paragraph.\n\nThe last paragraph ends in open {ending}"
    body = import_text(text, fallback_date=FALLBACK).body
    assert body.endswith("ends in open hostility.\n") or body.endswith("ends in open hostility.”\n")


@pytest.mark.parametrize("paragraph", ["Prices will go up", "Share prices fell sharply on Monday.",
                                       "Comments by the minister did not help.", "Advertisement revenue fell.",
                                       "Related to the vote, the court ruled on Friday."])
def test_clutter_words_inside_article_text_stay(paragraph):
    text = f"Title\n\nA first paragraph.\n\nA second paragraph.\n\n{paragraph}\n"
    assert import_text(text, fallback_date=FALLBACK).body.endswith(paragraph + "\n")


@pytest.mark.parametrize("line, kind", [
    ("7 mins read", "reading time"), ("Lectura: 4 min", "reading time"), ("Temps de lecture : 4 min", "reading time"),
    ("Leitura de 3 min", "reading time"), ("Lesezeit: 3 Min.", "reading time"),
    ("4 minutos de lectura", "reading time"),
    ("Share this article", "share buttons"), ("Facebook Twitter WhatsApp", "share buttons"),
    ("Compartir", "share buttons"), ("Partager", "share buttons"),
    ("Advertisement", "advertising"), ("Publicité", "advertising"), ("Anzeige", "advertising"),
    ("Read more: Five things to know", "read-more links"), ("Lire aussi | Un titre", "read-more links"),
    ("Leia também: Outro texto", "read-more links"), ("Related:", "read-more links"),
    ("Go up", "back-to-top links"), ("Subir", "back-to-top links"), ("Voltar ao topo", "back-to-top links"),
    ("Nach oben", "back-to-top links"), ("Haut de page", "back-to-top links"),
    ("Comments (12)", "comment links"), ("Subscribe to our morning newsletter", "subscription prompts"),
    ("Photo: Harbor Wire/Ana Ruiz", "photo credits"),
    ("Related to the vote, the court ruled on Friday.", None), ("Share prices fell.", None),
])
def test_clutter_kinds(line, kind):
    assert clutter_kind(line) == kind


# ---- paragraphs, headings, lists, escapes -----------------------------------------------------------------------


def test_one_paragraph_per_line_without_blank_lines():
    text = ("Ceasefire talks resume in the capital\nSunday, 30 November 2025\n"
            "Negotiators from both sides met again on Sunday after a two-week pause.\n"
            "The talks are hosted by a neutral mediator.\nBackground\n"
            "The first round collapsed in October over prisoner exchanges.\nWhat's next\n"
            "A third round is pencilled in for mid-December.\n")
    result = import_text(text, fallback_date=FALLBACK)
    assert result.front_matter["date"] == dt.date(2025, 11, 30)
    assert result.body == ("The talks are hosted by a neutral mediator.\n\n## Background\n\n"
                           "The first round collapsed in October over prisoner exchanges.\n\n## What's next\n\n"
                           "A third round is pencilled in for mid-December.\n")


@pytest.mark.parametrize("line", [
    "This short line ends with a full stop.",
    "A line ending with a colon:",
    "“A quotation standing on its own”",
    "A line that is far too long to be a heading because it runs on for more than twelve words",
])
def test_lines_that_are_not_headings(line):
    text = f"Title\n\nA first paragraph that opens the article.\n\n{line}\n\nA paragraph follows it.\n"
    assert headings(import_text(text, fallback_date=FALLBACK).body) == []


def test_a_short_line_must_be_followed_by_a_paragraph_to_be_a_heading():
    text = "Title\n\nA first paragraph.\n\nFirst short line\n\nSecond short line\n\nBody text.\n\nLast line\n"
    assert headings(import_text(text, fallback_date=FALLBACK).body) == ["Second short line"]


def test_markdown_specials_at_a_line_start_are_escaped_only_where_needed():
    text = ("A title\n\nA standfirst paragraph.\n\n"
            "1. This line follows a number but is not a list at all.\n\n"
            "> A chevron typed before a sentence.\n\n"
            "# A heading kept as written\n\n"
            "Text with <b>tags</b> &amp; an entity typed literally.\n\n"
            "1. first\n2. second\n")
    result = import_text(text, fallback_date=FALLBACK)
    body = result.body
    assert "1\\. This line follows a number" in body
    assert "\\> A chevron typed" in body
    assert "\n# A heading kept as written\n" in body
    assert "1. first\n2. second\n" in body
    briefing = as_briefing(result)
    assert "1. This line follows a number but is not a list at all." in briefing.lead_text
    assert "> A chevron typed before a sentence." in briefing.lead_text
    assert "Text with <b>tags</b> &amp; an entity typed literally." in briefing.sections[0].text


def test_standfirst_only_when_short_and_followed_by_body():
    long_first = "Title\n\n" + " ".join(["word"] * 61) + ".\n\nA second paragraph.\n"
    assert "summary" not in import_text(long_first, fallback_date=FALLBACK).front_matter
    only = "Title\n\nThe only paragraph of the article.\n"
    result = import_text(only, fallback_date=FALLBACK)
    assert "summary" not in result.front_matter
    assert result.body == "The only paragraph of the article.\n"


def test_wire_dateline_at_the_start_of_the_first_paragraph():
    text = ("Oil output to rise\n\nCARACAS, Nov 30 (Harbor Wire) - The oil ministry said on Sunday it would raise "
            "output next month.\n\nMore text follows.\n")
    result = import_text(text, fallback_date=FALLBACK)
    assert result.front_matter["date"] == dt.date(2025, 11, 30)
    assert result.front_matter["summary"].startswith("CARACAS, Nov 30 (Harbor Wire) - The oil ministry")


def test_a_dateline_above_the_title_is_used_but_a_headline_with_a_date_is_the_title():
    above = import_text("Sunday 30 November 2025\n\nStorm Hits The Coast\n\nA paragraph.\n\nAnother.\n",
                        fallback_date=FALLBACK)
    assert (above.front_matter["title"], above.front_matter["date"]) == ("Storm Hits The Coast", dt.date(2025, 11, 30))
    headline = import_text("Storm Hits Coast Nov. 30, 2025\n\nA paragraph.\n\nAnother.\n", fallback_date=FALLBACK)
    assert headline.front_matter["title"] == "Storm Hits Coast Nov. 30, 2025"


def test_a_sentence_with_a_date_near_the_top_is_not_a_dateline():
    text = "Title\n\nThe vote was held on 30 November 2025 in the capital.\n\nMore text.\n"
    result = import_text(text, fallback_date=FALLBACK)
    assert result.front_matter["summary"] == "The vote was held on 30 November 2025 in the capital."
    assert result.front_matter["date"] == FALLBACK


# ---- dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line, expected", [
    ("November 30, 2025", dt.date(2025, 11, 30)),
    ("Nov. 30, 2025", dt.date(2025, 11, 30)),
    ("30 Nov 2025", dt.date(2025, 11, 30)),
    ("2025-11-30", dt.date(2025, 11, 30)),
    ("30/11/2025", dt.date(2025, 11, 30)),
    ("Updated: 3 February 2026", dt.date(2026, 2, 3)),
    ("Published 3 Feb 2026 14:05", dt.datetime(2026, 2, 3, 14, 5)),
    ("Sunday, November 30, 2025 2:05 pm", dt.datetime(2025, 11, 30, 14, 5)),
    ("domingo, 30 de noviembre de 2025", dt.date(2025, 11, 30)),
    ("30 novembre 2025", dt.date(2025, 11, 30)),
    ("30 de novembro de 2025 às 10h15", dt.datetime(2025, 11, 30, 10, 15)),
    ("30. November 2025, 14:05 Uhr", dt.datetime(2025, 11, 30, 14, 5)),
    ("lunedì 1 dicembre 2025, ore 9:30", dt.datetime(2025, 12, 1, 9, 30)),
    ("14:05 GMT, 30 November 2025", dt.datetime(2025, 11, 30, 14, 5, tzinfo=UTC)),
    ("2025-11-30T14:05:00+01:00", dt.datetime(2025, 11, 30, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
    ("11/30/2025", dt.date(2025, 11, 30)),
    ("31/02/2025", None),
    ("7 mins read", None),
    ("1er décembre", None),  # no year and no reference date
])
def test_find_date(line, expected):
    found = find_date(line)
    assert (found.value if found else None) == expected


def test_a_date_without_a_year_takes_the_latest_year_up_to_the_reference():
    assert find_date("1er décembre", reference=dt.date(2026, 1, 5)).value == dt.date(2025, 12, 1)
    assert find_date("3 janvier", reference=dt.date(2026, 1, 5)).value == dt.date(2026, 1, 3)


def test_labels_and_what_else_a_dateline_says():
    dates = find_dates("Publicado el 30 de noviembre de 2025 | Actualizado el 1 de diciembre de 2025")
    assert [(d.value, d.label) for d in dates] == [(dt.date(2025, 11, 30), "published"),
                                                  (dt.date(2025, 12, 1), "updated")]
    _, rest = split_dateline("By Ana Ruiz | Updated: Sunday 30 November 2025, 14:05 GMT")
    assert rest == "By Ana Ruiz"
    assert find_date("05/11/2025", day_first=False).value == dt.date(2025, 5, 11)


# ---- the seed article ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason=f"the seed article {SEED} is not in this checkout")
def test_seed_article_has_all_four_kinds_and_the_petro_quote():
    result = import_text(SEED.read_text(encoding="utf-8"), fallback_date=FALLBACK, name=SEED.name)
    front = result.front_matter
    assert front["title"].startswith("Trump-Maduro phone call: Behind the scenes")
    assert front["date"] == dt.date(2025, 11, 30)
    assert front["summary"].startswith("US President Donald Trump revealed")
    assert_gone(result.body, "7 mins read", "Go up", "November 30, 2025", front["title"])
    assert result.body.endswith("during the most intense periods of hostility.\n")
    briefing = as_briefing(result)
    kinds = {kind for section in briefing.sections for kind in section.kinds}
    assert kinds == {"context", "escalation", "reactions", "impact"}
    petro = [q for q in briefing.quotes if q.speaker in ("Petro", "Gustavo Petro")]
    assert petro and petro[0].text.startswith("I would like to know under what rule of international law")
    assert petro[0].section == "reactions"
    assert not briefing.warnings
