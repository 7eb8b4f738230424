"""Saved web pages → briefgen articles: metadata, a Markdown body free of page furniture, and a valid file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from briefgen.errors import Problems
from briefgen.importers import Imported, Skip
from briefgen.importers.html import import_html, parse_when
from briefgen.importers.markdown_from_html import escape_line_starts, escape_text, join_blocks, markdown_blocks
from briefgen.markdown import MarkdownRenderer
from briefgen.parse import ParseContext, parse_briefing

PAGES = Path(__file__).parent / "fixtures" / "import" / "html"
ACCESSED = dt.date(2026, 1, 5)
FALLBACK = dt.date(2026, 1, 1)
COURIER_URL = "https://www.valleycourier.example/news/grain-convoy.html"
RENDERER = MarkdownRenderer()


def imported(name: str, url: str | None = None) -> Imported:
    return import_html((PAGES / name).read_bytes(), url=url, accessed=ACCESSED, fallback_date=FALLBACK)


def import_text(html: str, url: str | None = None) -> Imported:
    return import_html(html, url=url, accessed=ACCESSED, fallback_date=FALLBACK)


def as_file(article: Imported) -> bytes:
    front = yaml.safe_dump(article.front_matter, sort_keys=False, allow_unicode=True)
    return ("---\n" + front + "---\n" + article.body).encode("utf-8")


def offset(hours: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


@pytest.fixture(scope="module")
def ledger() -> Imported:
    return imported("news_full.html")


@pytest.fixture(scope="module")
def courier() -> Imported:
    return imported("meta_only.html", url=COURIER_URL)


@pytest.fixture(scope="module")
def rives() -> Imported:
    return imported("article_fr.html")


# --- a full news page: JSON-LD, og: tags, canonical link, and all the furniture around the article ------------

def test_full_page_front_matter(ledger):
    front = ledger.front_matter
    assert list(front)[:2] == ["title", "date"]
    assert front["title"] == "Dam talks resume as the Meren river falls to a record low"
    assert front["date"] == dt.datetime(2025, 11, 29, 18, 30, tzinfo=offset(1))
    assert front["date"].utcoffset() == dt.timedelta(hours=1)
    assert front["updated"] == dt.datetime(2025, 11, 29, 21, 5, tzinfo=offset(1))
    assert front["summary"] == ("Negotiators from both riverbank states return to the table in Ostrava-on-Meren "
                                "after a month of silence, with farmers downstream watching the gauges.")
    assert front["lang"] == "en"
    assert front["sources"] == [{"name": "The Harbour Ledger",
                                 "url": "https://www.harbourledger.example/world/2025/11/29/meren-dam-talks-resume"}]
    assert front["extra"] == {"authors": ["Marta Quill", "Idris Vane"], "accessed": "2026-01-05"}
    assert ledger.notes == []


def test_full_page_body_keeps_the_article_structure(ledger):
    body = ledger.body
    lines = body.splitlines()
    assert "## How the dispute began" in lines
    assert "## What the two sides said" in lines
    assert "### Points agreed on Saturday" in lines
    assert "> We did not come here to talk about electricity. We came to talk about water that our farmers were " \
           "promised sixty years ago." in lines
    assert "> — Helena Marsk, Valdorian deputy foreign minister" in lines
    assert "- A daily exchange of gauge readings from six stations on both banks." in lines
    assert "[joint hydrology office](https://www.harbourledger.example/data/meren-gauges)" in body
    assert "[regional tribunal](https://tribunal.example.org/cases/2025-14)" in body
    assert ("![A water gauge standing dry on the Meren riverbank](https://www.harbourledger.example/images/"
            "meren-gauge-800.jpg \"The gauge at Lower Tessel showed 1.2 metres on Friday. Photograph: Ana Brisk\")"
            ) in body
    assert body.startswith("Negotiators from both riverbank states")  # the standfirst leads; the h1 is gone
    assert "# Dam talks" not in body
    assert "the lowest reading since records began in 1911, according to the" in body


@pytest.mark.parametrize("furniture", [
    "Crosswords", "Horoscopes", "Subscribe from", "Search the Ledger",  # header and navigation
    "biscuits", "Accept all cookies", "Privacy Centre",  # cookie banner
    "Chirper", "Pinboard", "Copy link", "Email this story",  # share buttons
    "Advertisement", "Zephyr Mortgages",  # adverts, beside and inside the article
    "First Light", "newsletter", "Sign me up",  # newsletter box
    "Related articles", "lighthouse keeper", "Grain barges stranded",  # related links
    "RiverWatcher77", "fishermen", "Great reporting", "Join the discussion",  # comments
    "All rights reserved", "Work for us", "company no.",  # footer
    "dataLayer", "trackPageView", "position:fixed",  # scripts and styles
    "Marta Quill", "18.30 CET",  # byline and dateline
])
def test_full_page_furniture_never_reaches_the_body(ledger, furniture):
    assert furniture.casefold() not in ledger.body.casefold()


# --- a plain page: <meta> and <time> only, a " | Site Name" title -----------------------------------------------

def test_meta_only_page_front_matter(courier):
    front = courier.front_matter
    assert front["title"] == "Grain convoy reaches the Tessel border crossing"
    assert front["date"] == dt.datetime(2025, 12, 1, 16, 45, tzinfo=offset(-3))
    assert front["date"].utcoffset() == dt.timedelta(hours=-3)
    assert "updated" not in front
    assert front["summary"].startswith("About ninety tractors and lorries waited at the crossing")
    assert front["sources"] == [{"name": "Valley Courier", "url": COURIER_URL}]
    assert front["extra"] == {"authors": ["Tomas Reyl"], "accessed": "2026-01-05"}
    assert "lang" not in front  # the page does not say
    assert "'| Valley Courier' removed from the title" in courier.notes


def test_meta_only_page_body(courier):
    body = courier.body
    assert "## Why the farmers drove" in body.splitlines()
    assert "[Our map of the route](https://www.valleycourier.example/farming/convoy-route.html)" in body
    assert "![Tractors queuing at the border barrier](https://www.valleycourier.example/photos/2025/convoy-queue.jpg)" \
        in body
    assert "Grain convoy reaches" not in body
    for furniture in ("Weather and Tides", "Log in", "Most read", "Summer fete", "Mill Street", "Orchard Lane",
                      "Printed and published", "Posted by"):
        assert furniture not in body


def test_links_stay_relative_when_the_address_is_unknown():
    article = imported("meta_only.html")
    assert "[Our map of the route](../farming/convoy-route.html)" in article.body
    assert "sources" not in article.front_matter or "url" not in article.front_matter["sources"][0]
    assert "links and images kept relative: the page's address is unknown" in article.notes


# --- a French page: <html lang>, article: tags, <base href>, a byline in the text ------------------------------

def test_french_page(rives):
    front, body = rives.front_matter, rives.body
    assert front["title"] == "Meren : les pêcheurs de l’estuaire réclament une indemnisation"
    assert front["date"] == dt.datetime(2025, 12, 5, 9, 40, tzinfo=offset(1))
    assert front["lang"] == "fr"
    assert front["summary"] == ("Privés de sortie depuis trois semaines, les pêcheurs de l’estuaire demandent une "
                                "aide d’urgence à l’État.")
    assert front["sources"][0]["name"] == "Le Journal des Deux Rives"
    assert front["extra"]["authors"] == ["Claire Dufresne"]
    assert "## Une demande adressée au ministère" in body.splitlines()
    assert "[fonds de calamité](https://www.deuxrives.example/international/dossiers/fonds-calamites)" in body
    assert "> — Sophie Alard, présidente du comité local des pêches" in body.splitlines()
    assert "1. Une réunion avec le préfet maritime, prévue mardi." in body.splitlines()
    assert "« Nous perdons chaque jour l’équivalent d’une semaine de salaire »" in body
    for furniture in ("traceurs", "Tout accepter", "Mots fléchés", "S’abonner", "À lire aussi", "marché de Noël",
                      "Croisières Azur", "Mentions légales", "Par Claire Dufresne"):
        assert furniture not in body
    assert "byline 'Par Claire Dufresne, publié le' left out of the body" in rives.notes


def test_spanish_page_in_windows_1252_bytes_labelled_latin_1():
    page = SPANISH_PAGE.encode("cp1252")
    article = import_html(page, url="https://diario.example/es/2025/12/02/embalses", accessed=ACCESSED,
                          fallback_date=FALLBACK)
    assert article.front_matter["title"] == "Los embalses del norte bajan al 31 % de su capacidad"
    assert article.front_matter["lang"] == "es"
    assert article.front_matter["date"] == dt.date(2025, 12, 2)
    assert article.front_matter["sources"] == [{"name": "Diario del Valle",
                                                "url": "https://diario.example/es/2025/12/02/embalses"}]
    assert "## ¿Qué pasará en enero?" in article.body.splitlines()
    assert "año más seco desde 1995" in article.body
    assert "Gobierno regional — las pérdidas superan ya los 12 millones de € — para" in article.body


SPANISH_PAGE = """<!DOCTYPE html>
<html lang="es-ES"><head><meta charset="iso-8859-1">
<title>Los embalses del norte bajan al 31 % de su capacidad - Diario del Valle</title>
<meta property="og:site_name" content="Diario del Valle">
<meta name="description" content="La reserva de agua cae por quinta semana consecutiva.">
<meta name="date" content="2025-12-02">
</head><body>
<nav><a href="/">Portada</a> <a href="/deportes">Deportes</a></nav>
<article><h1>Los embalses del norte bajan al 31 % de su capacidad</h1>
<p>La reserva de agua de los embalses del norte cayó esta semana al 31 % de su capacidad, según los datos
publicados el martes por la confederación hidrográfica. Los técnicos hablan del año más seco desde 1995.</p>
<p>Los regantes han pedido reuniones urgentes con el Gobierno regional — las pérdidas superan ya los 12 millones
de € — para acordar los turnos de riego.</p>
<h2>¿Qué pasará en enero?</h2>
<p>Si no llueve antes de fin de mes, las restricciones para el riego se endurecerán en toda la cuenca.</p>
</article>
<footer>Diario del Valle · Aviso legal · Publicidad</footer>
</body></html>"""


# --- pages that are not articles -------------------------------------------------------------------------------

def test_a_section_front_is_skipped():
    with pytest.raises(Skip, match="no article text"):
        imported("section_front.html")


@pytest.mark.parametrize("html, reason", [
    ("", "not an HTML page"),
    ("<html><head></head><body><p>" + "Words without any heading or title at all, in a page. " * 6
     + "</p></body></html>", "no title"),
    ("<html><head><title>Page not found | Valley Courier</title></head><body><h1>Page not found</h1>"
     "<p><a href='/'>Home</a></p></body></html>", "no article text"),
])
def test_pages_without_an_article_are_skipped(html, reason):
    with pytest.raises(Skip, match=reason):
        import_text(html)


# --- fields, one case at a time --------------------------------------------------------------------------------

def page(head: str = "", body: str = "", lang: str = "") -> str:
    text = ("<p>The committee met for six hours on Tuesday and agreed to publish its findings in the spring, "
            "after a final round of hearings with the port's operators and the unions.</p>") * 2
    return f"<!DOCTYPE html><html{lang}><head>{head}</head><body><article>{body}{text}</article></body></html>"


@pytest.mark.parametrize("title, head, expected", [
    ("Harbour fees rise again | Tessel Post", '<meta property="og:site_name" content="Tessel Post">',
     "Harbour fees rise again"),
    ("Harbour fees rise again - Tessel Post", '<meta property="og:site_name" content="Tessel Post">',
     "Harbour fees rise again"),
    ("Harbour fees rise again — The Tessel Post", '<meta property="og:site_name" content="Tessel Post">',
     "Harbour fees rise again"),
    ("Tessel Post | Harbour fees rise again", '<meta property="og:site_name" content="Tessel Post">',
     "Harbour fees rise again"),
    ("Harbour fees rise again | tesselpost.example", "", "Harbour fees rise again"),
    ("Harbour fees rise again - what it means", "", "Harbour fees rise again - what it means"),
    ("Harbour fees rise again | Analysis", "", "Harbour fees rise again | Analysis"),
])
def test_site_name_is_removed_from_the_title(title, head, expected):
    article = import_text(page(f"<title>{title}</title>{head}"), url="https://www.tesselpost.example/a")
    assert article.front_matter["title"] == expected


def test_title_suffix_repeating_the_headline_names_the_site():
    article = import_text(page("<title>Harbour fees rise again | Port Bulletin</title>",
                               "<h1>Harbour fees rise again</h1>"))
    assert article.front_matter["title"] == "Harbour fees rise again"
    assert article.front_matter["sources"] == [{"name": "Port Bulletin"}]
    assert "site name 'Port Bulletin' taken from the page title" in article.notes


def test_missing_date_falls_back_with_a_note():
    article = import_text(page("<title>Harbour fees rise again</title>"))
    assert article.front_matter["date"] == FALLBACK
    assert "no publication date found: 2026-01-01 used instead" in article.notes


@pytest.mark.parametrize("head, expected", [
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", '
     '"name": "Tessel Post"}, {"@type": ["NewsArticle"], "datePublished": "2025-10-02T08:15:00Z"}]}</script>',
     dt.datetime(2025, 10, 2, 8, 15, tzinfo=dt.timezone.utc)),
    ('<meta property="article:published_time" content="2025-10-02T08:15:00.000+0530">',
     dt.datetime(2025, 10, 2, 8, 15, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))),
    ('<meta name="date" content="2025-10-02">', dt.date(2025, 10, 2)),
])
def test_publication_date_sources(head, expected):
    article = import_text(page("<title>Harbour fees rise again</title>" + head))
    assert article.front_matter["date"] == expected
    assert type(article.front_matter["date"]) is type(expected)


def test_a_time_without_offset_is_kept_with_a_note():
    article = import_text(page("<title>Harbour fees</title>", '<time datetime="2025-10-02T08:15">2 Oct</time>'))
    assert article.front_matter["date"] == dt.datetime(2025, 10, 2, 8, 15)
    assert "date 2025-10-02T08:15:00 has no time zone: the site's time zone is assumed" in article.notes


def test_modified_date_only_when_later():
    same = ('<meta property="article:published_time" content="2025-10-02T08:15:00Z">'
            '<meta property="article:modified_time" content="2025-10-02T08:15:00Z">')
    assert "updated" not in import_text(page("<title>Fees</title>" + same)).front_matter


@pytest.mark.parametrize("value, expected", [
    ("2025-11-29", dt.date(2025, 11, 29)),
    ("2025-11-29T18:30:00+01:00", dt.datetime(2025, 11, 29, 18, 30, tzinfo=offset(1))),
    ("2025-11-29 18:30", dt.datetime(2025, 11, 29, 18, 30)),
    ("Sat, 29 Nov 2025 18:30:00 GMT", dt.datetime(2025, 11, 29, 18, 30, tzinfo=dt.timezone.utc)),
    ("yesterday", None), ("0001-01-01", None), ("", None), (None, None),
])
def test_parse_when(value, expected):
    assert parse_when(value) == expected


def test_summary_from_the_standfirst_when_there_is_no_description():
    article = import_text(page("<title>Fees</title>", '<p class="article-standfirst">Port users will pay a fifth '
                                                      'more from March, the harbour board says.</p>'))
    assert article.front_matter["summary"] == "Port users will pay a fifth more from March, the harbour board says."
    assert "summary taken from the standfirst" in article.notes


def test_address_from_the_browsers_saved_from_note():
    html = "<!-- saved from url=(0043)https://www.tesselpost.example/news/fees -->\n" + page("<title>Fees</title>")
    article = import_text(html)
    assert article.front_matter["sources"] == [{"name": "tesselpost.example",
                                                "url": "https://www.tesselpost.example/news/fees"}]
    assert "address https://www.tesselpost.example/news/fees taken from the note the browser left in the saved page" \
        in article.notes


def test_canonical_address_wins_over_the_saved_address():
    head = '<title>Fees</title><link rel="canonical" href="/news/fees">'
    article = import_text(page(head), url="https://www.tesselpost.example/news/fees?utm_source=feed")
    assert article.front_matter["sources"] == [{"name": "tesselpost.example",
                                                "url": "https://www.tesselpost.example/news/fees"}]
    assert any(note.startswith("the page names https://www.tesselpost.example/news/fees") for note in article.notes)


@pytest.mark.parametrize("lang, expected", [(' lang="pt-BR"', "pt"), (' lang="EN"', "en"), (' lang="x"', None)])
def test_language_is_the_primary_subtag(lang, expected):
    assert import_text(page("<title>Fees</title>", lang=lang)).front_matter.get("lang") == expected


def test_headings_start_at_level_two():
    body = "<h3>First part</h3><p>Opening words of the first part of the report, in one sentence.</p><h4>Detail</h4>"
    article = import_text(page("<title>Harbour fees</title>", body))
    assert "## First part" in article.body.splitlines()
    assert "### Detail" in article.body.splitlines()


# --- every imported page is a valid briefgen file --------------------------------------------------------------

@pytest.mark.parametrize("name, url", [("news_full.html", None), ("meta_only.html", COURIER_URL),
                                       ("article_fr.html", None), ("meta_only.html", None)])
def test_imported_pages_parse_as_briefings(name, url):
    article = imported(name, url)
    problems = Problems()
    context = ParseContext(timezone=ZoneInfo("Europe/Madrid"), renderer=RENDERER)
    briefing = parse_briefing(as_file(article), f"content/{name}.md", "imported", context, problems)
    assert not problems.errors
    assert briefing is not None
    assert briefing.title == article.front_matter["title"]
    assert briefing.date.tzinfo is not None
    assert briefing.extra["accessed"] == "2026-01-05"


def test_block_quote_attribution_is_read_as_a_quote(ledger):
    problems = Problems()
    context = ParseContext(timezone=ZoneInfo("UTC"), renderer=RENDERER)
    briefing = parse_briefing(as_file(ledger), "content/ledger.md", "ledger", context, problems)
    assert [(q.speaker, q.role) for q in briefing.quotes if q.speaker == "Helena Marsk"] == \
        [("Helena Marsk", "Valdorian deputy foreign minister")]
    assert briefing.date == dt.datetime(2025, 11, 29, 17, 30, tzinfo=dt.timezone.utc)
    assert briefing.sources[0].url.startswith("https://www.harbourledger.example/")


# --- Markdown that renders the text word for word --------------------------------------------------------------

def rendered_text(markdown: str) -> str:
    return RENDERER.parse(markdown).lead.text


@pytest.mark.parametrize("text", [
    "2 * 3 = 6", "a*b*c", "snake_case_name", "_under_", "[sic]", "see [1](x)", "<b>not bold</b>", "AT&amp;T",
    "1. first", "1) first", "2025. A year", "# not a heading", "#hashtag", "- dash", "-5 °C", "+44 20", "> quote",
    "back\\slash\\", "`tick`", "~~struck~~", "---", "===", ": colon", "* star", "_ _ _", "[^1]", "&#106;", "x<y",
])
def test_text_is_escaped_only_where_markdown_would_read_it(text):
    markdown = escape_line_starts(escape_text(text))
    assert rendered_text(markdown) == text


@pytest.mark.parametrize("text", ["3.5 million", "well-known", "C# and F#", "100%", "a ~ b", ":)", "2 * 3", "AT&T"])
def test_ordinary_text_is_not_escaped(text):
    assert escape_line_starts(escape_text(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab1 *_`[]()<>!#&;:-+=~|\\.") + ["&amp;", "1. ", "# "]), max_size=12)
       .map("".join))
def test_escaped_text_renders_as_itself(text):
    text = " ".join(text.split())
    assert rendered_text(escape_line_starts(escape_text(text))) == text


def markdown_of(xml: str, base: str | None = "https://example.org/a/b") -> str:
    return join_blocks(markdown_blocks(etree.fromstring(xml), base))


@pytest.mark.parametrize("xml, expected", [
    ('<main><p>A <hi rend="#b">bold</hi> and <hi rend="#i">slanted </hi>word.</p></main>',
     "A **bold** and *slanted* word.\n"),
    ('<main><p><hi rend="#b">Note:</hi>text</p></main>', "<strong>Note:</strong>text\n"),
    ('<main><p>un<hi rend="#i">believ</hi>able</p></main>', "un<em>believ</em>able\n"),
    ('<main><p>Run <code>ls *.md</code> now</p></main>', "Run `ls *.md` now\n"),
    ('<main><p>See <ref target="/x (1)">the list</ref>!</p></main>',
     "See [the list](https://example.org/x%20%281%29)!\n"),
    ('<main><p>Wow!<ref target="x">link</ref></p></main>', "Wow\\![link](https://example.org/a/x)\n"),
    ('<main><p>First line<lb/>1. second line</p></main>', "First line\\\n1\\. second line\n"),
    ('<main><list rend="ul"><item>One</item><item>Two<list rend="ol"><item>a</item></list></item></list>'
     '<list rend="ul"><item>Three</item></list></main>', "- One\n- Two\n\n  1. a\n\n* Three\n"),
    ('<main><quote>Plain words</quote></main>', "> Plain words\n"),
    ('<main><table><row><cell role="head">Port</cell><cell role="head">Ships</cell></row>'
     '<row><cell>North | East</cell><cell>12</cell></row></table></main>',
     "| Port | Ships |\n| --- | --- |\n| North \\| East | 12 |\n"),
    ('<main><head rend="h2">Section #</head></main>', "## Section \\#\n"),
    ('<main><p><ref target="javascript:alert(1)">not a link</ref></p></main>', "not a link\n"),
])
def test_xml_to_markdown(xml, expected):
    assert markdown_of(xml) == expected
