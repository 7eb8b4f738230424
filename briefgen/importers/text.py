"""Raw text copied from a news page → a briefgen article.

The first non-empty line is the title. Near the top, a repeat of the title is dropped and datelines
(``November 30, 2025``, ``Updated: 3 February 2026``, ``30 de noviembre de 2025``; see :mod:`.dates`) give
``date`` and ``updated`` and are taken out of the body. Page clutter (reading time, share buttons, advertising,
read-more links, back-to-top links, comment links, subscription prompts, photo credits, bylines under the title)
is removed as whole lines, or as a phrase glued to the end of the text, each kind named in one note.

What is left becomes Markdown, every paragraph word for word:

- **Paragraphs.** Lines separated by blank lines are paragraphs, and so is each line of a block when the source
  writes one paragraph per line. Lines are joined into one paragraph only when the text is clearly hard-wrapped:
  short lines, most of them full (the next word would not have fitted) and most of those ending mid-sentence.
- **Headings.** A short line (12 words, 100 characters at most) with no final ``. , ; : …``, not a list item nor
  a quotation on its own, standing alone at the start of a block, and followed by a paragraph or list, becomes
  ``## Heading``. A line already written as a Markdown heading (``# …``) stays as it is.
- **Standfirst.** A first paragraph of at most 60 words followed by more body text becomes ``summary`` and is
  left out of the body: the default briefing page prints ``summary`` under the title and the lead after it, so
  keeping it in both places would show it twice.
- **Lists and escapes.** ``•``, ``-``, ``*`` items (and runs of ``–`` items) become ``- `` items; numbered lines
  counting up stay a numbered list. A numbered line on its own, and any other line start Markdown would read as
  markup (``#``, ``>``, ``+``, fences, link definitions), is escaped with a backslash, and so are ``<tag`` and
  ``&entity;`` anywhere: copied text means them literally, and briefgen's Markdown lets raw HTML through.

Pure: the command around it reads the file and writes the result.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath

from briefgen.importers import Imported, Skip
from briefgen.importers.dates import FoundDate, find_date, fold, split_dateline

TOP_LINES = 10  # how far below the title datelines, bylines and repeated titles are looked for
STANDFIRST_WORDS = 60
HEADING_WORDS, HEADING_CHARS = 12, 100
DEK_WORDS = 8  # a heading-like first line longer than this is a standfirst without a full stop
MAX_TITLE_WORDS = 40
MIN_WRAP_WIDTH, MAX_WRAP_WIDTH = 40, 100
NOTE_EXAMPLES = 3

# ---- page clutter ---------------------------------------------------------------------------------------------
# Patterns match a whole line, lowercased and without accents.


def _phrases(*phrases: str) -> str:
    return "(?:" + "|".join(phrases) + ")"


_READING_WORDS = _phrases(
    "reading time", "read time", "to read", "read", "tiempo de lectura", "de lectura", "lectura",
    "temps de lecture", "de lecture", "lecture", "tempo de leitura", "de leitura", "leitura", "lesezeit",
    "lesedauer", "tempo di lettura", "di lettura", "lettura")
_MINUTES = (r"(?:(?:about|around|approx\.?|less than|under|menos de|moins de|ca\.|circa|cerca de)\s+)?"
            r"(?:\d+|one|un|una|uma|une|ein|eine)\s*-?\s*(?:min(?:s|utes?|utos?|uten|uti)?\.?|mn)")
_READING_TIME = rf"(?:{_READING_WORDS}\s*:?\s*(?:de\s+)?)?{_MINUTES}(?:\s+{_READING_WORDS})?"
_SHARE = _phrases(
    "share", "shares", "share this", "share this article", "share this story", "share this page", "share article",
    r"share (?:on|via|to) [\w.+-]+", "tweet", "post", "facebook", "twitter", "x", "whatsapp", "linkedin",
    "telegram", "e-?mail", "mail", "print", "reddit", "pinterest", "messenger", "bluesky", "threads", "flipboard",
    "copy link", "copy url", "copy the link", "copy article link", "link copied", "copied", "gift this article",
    "gift article", "listen", "listen to this article", "save", "save article", "compartir", r"compartir en [\w.+-]+",
    "comparte", "comparte esta noticia", "copiar enlace", "enlace copiado", "imprimir", "guardar", "escuchar",
    "partager", r"partager sur [\w.+-]+", "partagez", "partager l'article", "copier le lien", "lien copie",
    "imprimer", "ecouter", "sauvegarder", "compartilhar", "compartilhe", "copiar link", "copiar o link",
    "ouvir", "salvar", "teilen", "artikel teilen", "link kopieren", "drucken", "anhoren", "merken", "speichern",
    "condividi", "condividere", "copia link", "stampa", "ascolta", "salva",
    r"follow us(?: on [\w.+-]+)?", r"siguenos(?: en [\w.+-]+)?", r"suivez-nous(?: sur [\w.+-]+)?",
    r"siga-nos(?: n[oa] [\w.+-]+)?", r"folgen sie uns(?: auf [\w.+-]+)?", r"seguici(?: su [\w.+-]+)?")
_ADVERTISING = _phrases(
    "advertisement", "advertisements", "advertising", "advert", "ad", "ads", "sponsored", "sponsored content",
    "paid content", "paid post", "promoted", "promoted content", "story continues below advertisement",
    "article continues below advertisement", "article continues below", "continue reading below",
    "scroll to continue(?: with content)?", "publicidad", "anuncio", "contenido patrocinado",
    "continua despues de la publicidad", "la noticia continua abajo", "publicite", "annonce",
    "contenu sponsorise", "la suite apres (?:la|cette) publicite", "publicidade", "conteudo patrocinado",
    "continua (?:apos|depois d)a publicidade", "anzeige", "werbung", "weiterlesen nach der anzeige",
    "artikel wird nach der anzeige fortgesetzt", "pubblicita", "contenuto sponsorizzato",
    "l'articolo continua dopo la pubblicita", "continua a leggere dopo la pubblicita")
_READ_MORE = _phrases(  # these say "link" on their own, so any short text may follow them
    "read more", "read also", "also read", "read next", "read the full story", "lee tambien", "lea tambien",
    "leer mas", "lire aussi", "a lire aussi", "lire egalement", "a lire egalement", "leia tambem", "leia mais",
    "lesen sie auch", "lesen sie mehr", "mehr lesen", "leggi anche", "leggi di piu")
_RELATED = _phrases(  # these need a separator ("Related: …") or nothing after them
    "related", "related articles?", "related stories", "related content", "related coverage", "see also",
    "more on this(?: story)?", "more", "ver tambien", "(?:tambien )?te puede interesar", "noticias relacionadas",
    "relacionad[oa]s?", "voir aussi", "a voir aussi", "sur le meme sujet", "veja tambem", "saiba mais",
    "mehr zum thema", "auch interessant", "das konnte sie auch interessieren", "potrebbe interessarti",
    "articoli correlati", "correlati")
_BACK_TO_TOP = _phrases(
    "go up", "go to top", "back to (?:the )?top", "to the top", "top of (?:the )?page", "scroll to top",
    "return to top", "subir", "volver arriba", "ir arriba", "volver al inicio", "ir al inicio", "haut de page",
    "retour en haut(?: de (?:la )?page)?", "remonter", "voltar ao topo", "voltar para o topo", "ir para o topo",
    "nach oben", "zuruck nach oben", "zum seitenanfang", "torna su", "torna in alto", "torna all'inizio",
    "inizio pagina")
_COMMENTS = _phrases(
    r"(?:\d+\s+)?(?:comments?|comentarios?|commentaires?|kommentare?|commenti|commento)(?:\s*\(\d+\))?",
    "view comments", "show comments", "load comments", "read comments", "leave a comment", "add a comment",
    "post a comment", "join the conversation", "comentar", "ver comentarios", "deja (?:un|tu) comentario",
    "commenter", "reagir", "deixe (?:seu|um) comentario", "kommentieren", "kommentar schreiben", "commenta",
    "lascia un commento")
_SUBSCRIBE = _phrases(
    "subscribe", "sign up", "newsletter", "get our newsletter", "suscribete", "suscribase", "suscribirse",
    "suscripcion", "abonnez-vous", "s'abonner", "inscrivez-vous", "abonnement", "assine", "assinar",
    "inscreva-se", "abonnieren", "jetzt abonnieren", "newsletter abonnieren", "iscriviti", "abbonati")
_CREDIT_WORD = _phrases("photos?", "fotos?", "photograph", "images?", "imagen", "imagem", "picture", "credits?",
                        "creditos?", "bild", "bildquelle", "illustration")
_SEPARATORS = r"[\s|·•/,:>»›\-–—↑⬆▲^]*"

CLUTTER: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("reading time", rf"^{_READING_TIME}\.?$|^(?:reading time|temps de lecture|tiempo de lectura|"
                     r"tempo de leitura|lesezeit|lesedauer|tempo di lettura)\s*:?$"),
    ("share buttons", rf"^{_SHARE}(?:\s*[|·•/,]?\s*{_SHARE})*\s*[:.]?$"),
    ("advertising", rf"^{_ADVERTISING}\s*[:.]?$"),
    ("read-more links", rf"^{_READ_MORE}(?:\s*[:|»›>\-–—]\s*|\s+|$).{{0,200}}$"
                        rf"|^{_RELATED}\s*(?:[:|»›>\-–—].{{0,200}})?$"),
    ("back-to-top links", rf"^[↑⬆▲^\s]*{_BACK_TO_TOP}{_SEPARATORS}$"),
    ("comment links", rf"^{_COMMENTS}\s*[:.]?$"),
    ("subscription prompts", rf"^{_SUBSCRIBE}(?!\w).{{0,200}}$"),
    ("photo credits", rf"^\(?{_CREDIT_WORD}(?: credit)?\s*:\s*[^.!?]{{1,80}}\)?$"
                      r"|^\(?(?:photo|foto|image|picture|photograph)\s+(?:by|de|par|por|von|di)\s+[^.!?]{1,60}\)?$"
                      r"|^©.{0,80}$|^\(?(?:[^.!?]{0,40}\s)?getty images\)?$"),
))
# Kinds that are a fixed phrase, so they can be recognised glued to the end of the last paragraph.
GLUED_KINDS = ("reading time", "share buttons", "advertising", "back-to-top links", "comment links")
MAX_CLUTTER_WORDS = 30
MAX_GLUED_CHARS = 80  # how far from the end of the text a glued clutter phrase may start

_BY_WORDS = frozenset({"by", "por", "par", "von", "di", "de", "door", "av"})
_NAME_CONNECTORS = frozenset({"and", "y", "e", "et", "und", "de", "da", "del", "do", "dos", "van", "von", "der",
                              "di", "du", "la", "le", "in", "en", "em", "&"})


def clutter_kind(line: str, kinds: tuple[str, ...] | None = None) -> str | None:
    """The kind of page clutter a whole line is ("share buttons", …), or None for article text."""
    folded = " ".join(fold(line).split())
    if not folded or len(folded.split()) > MAX_CLUTTER_WORDS:
        return None
    for kind, pattern in CLUTTER:
        if (kinds is None or kind in kinds) and pattern.match(folded):
            return kind
    return None


def is_byline(line: str) -> bool:
    """"By Ana Ruiz and Tom Hale | Reuters": a by-word, then only capitalised words and name particles."""
    words = re.sub(r"[|,;·•]", " ", line).split()
    if not 2 <= len(words) <= 10 or fold(words[0]).rstrip(":") not in _BY_WORDS:
        return False
    return all(w[0].isupper() or not w[0].isalpha() or fold(w) in _NAME_CONNECTORS for w in words[1:])


class _Removed:
    """Clutter taken out, by kind, for the notes."""

    def __init__(self) -> None:
        self.by_kind: dict[str, list[str]] = {}

    def add(self, kind: str, text: str) -> None:
        self.by_kind.setdefault(kind, []).append(" ".join(text.split()))

    def notes(self) -> list[str]:
        notes = []
        for kind, texts in self.by_kind.items():
            examples = ", ".join(repr(t) for t in list(dict.fromkeys(texts))[:NOTE_EXAMPLES])
            count = f"{len(texts)} lines of " if len(texts) > 1 else ""
            notes.append(f"removed {count}{kind}: {examples}")
        return notes


# ---- the importer ---------------------------------------------------------------------------------------------


def import_text(text: str, *, fallback_date: dt.date, name: str = "") -> Imported:
    """One article from the text of a news page; :class:`Skip` when it has no usable title or body."""
    removed = _Removed()
    lines = _without_clutter(_normalised_lines(text), removed)
    name_date = find_date(PurePath(name).stem) if name else None
    reference = name_date.value if name_date else fallback_date
    if isinstance(reference, dt.datetime):
        reference = reference.date()

    datelines: list[tuple[str, list[FoundDate]]] = []
    title_at = _title_index(lines, datelines, reference)
    title = re.sub(r"^#{1,6}\s+", "", lines[title_at].strip()).strip()
    _check_title(title)
    lines[title_at] = None
    notes = _clean_top(lines, title_at, title, datelines, removed, reference)

    units, joined = _units(lines)
    if not units:
        raise Skip("only a title (and perhaps a date) was found; there is no article text to import")
    _classify(units)
    front_matter: dict = {"title": title}
    front_matter.update(_dates(datelines, units, name_date, name, fallback_date, reference, notes))
    summary = _standfirst(units)
    if summary is not None:
        front_matter["summary"] = summary
        units = units[1:]
        notes.append(f"the first paragraph ({len(summary.split())} words) is the summary, shown under the title; "
                     "it is left out of the body so it is shown once")
    body, escaped = _markdown(units)
    notes.extend(removed.notes())
    notes.extend(_shape_notes(units, joined, escaped))
    return Imported(front_matter=front_matter, body=body, notes=notes)


def _normalised_lines(text: str) -> list[str | None]:
    """Lines with ``\\n`` ends, no BOM, trailing spaces gone; a line of invisible characters is blank."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return ["" if not line.strip("\u200b\u200c\u200d\u2060\ufeff \t\xa0") else line.rstrip()
            for line in text.split("\n")]


def _without_clutter(lines: list[str | None], removed: _Removed) -> list[str | None]:
    """Clutter lines become None (a paragraph break that says "something was here"); clutter glued to the end
    of the last paragraph ("…hostility.Go up") is cut off."""
    result: list[str | None] = []
    for line in lines:
        kind = clutter_kind(line) if line else None
        if kind:
            removed.add(kind, line)
        result.append(None if kind else line)
    last = max((i for i, line in enumerate(result) if line), default=None)
    while last is not None:
        cut = _glued_clutter(result[last])
        if cut is None:
            break
        kept, kind, phrase = cut
        removed.add(kind, phrase)
        result[last] = kept
    return result


_GLUE_POINT = re.compile(r"(?<=[.!?…\"”»)\]])\s*(?=[^\W\d_])")


def _glued_clutter(line: str) -> tuple[str, str, str] | None:
    """``(text before, kind, phrase)`` when the line ends, after a sentence, with a clutter phrase."""
    for point in _GLUE_POINT.finditer(line, max(0, len(line) - MAX_GLUED_CHARS)):
        tail = line[point.end():]
        kind = clutter_kind(tail, GLUED_KINDS)
        if kind and tail[0].isupper():
            return line[:point.start()], kind, tail
    return None


def _title_index(lines: list[str | None], datelines: list, reference: dt.date) -> int:
    """The first line that is not blank, clutter or a dateline (datelines above the title are kept)."""
    for index, line in enumerate(lines):
        if not line:
            continue
        dates = _dateline_dates(line, reference, alone=True)
        if not dates:
            return index
        datelines.append((line.strip(), dates))
        lines[index] = None
    raise Skip("the text is empty (or only page clutter and dates); there is no title")


def _check_title(title: str) -> None:
    if not any(ch.isalpha() for ch in title):
        raise Skip(f"the first line {title!r} has no words, so there is no title")
    if len(title.split()) > MAX_TITLE_WORDS:
        raise Skip(f"the first line has {len(title.split())} words, too long for a title; "
                   "add the headline as the first line")


def _clean_top(lines: list[str | None], title_at: int, title: str, datelines: list, removed: _Removed,
               reference: dt.date) -> list[str]:
    """Take repeated titles, datelines and bylines out of the lines just below the title."""
    repeats, seen = 0, 0
    title_key = _key(title)
    for index in range(title_at + 1, len(lines)):
        line = lines[index]
        if not line:
            continue
        seen += 1
        if seen > TOP_LINES:
            break
        if _key(re.sub(r"^#{1,6}\s+", "", line)) == title_key:
            lines[index] = None
            repeats += 1
        elif dates := _dateline_dates(line, reference):
            datelines.append((line.strip(), dates))
            lines[index] = None
        elif is_byline(line.strip()):
            removed.add("bylines", line)
            lines[index] = None
    if not repeats:
        return []
    return ["removed the title repeated below itself" + (f" ({repeats} times)" if repeats > 1 else "")]


def _key(line: str) -> str:
    return " ".join(line.casefold().split())


def _dateline_dates(line: str, reference: dt.date, alone: bool = False) -> list[FoundDate]:
    """The dates of a line that says little else: labels, weekdays, a time, a reading time, a place or a
    byline (nothing else when ``alone``: above the title, "Storm Hits Coast Nov. 30, 2025" is a headline).
    A line that starts in lowercase is the end of a sentence, not a dateline."""
    stripped = line.strip()
    if len(stripped) > 160 or stripped[:1].islower():
        return []
    dates, rest = split_dateline(stripped, reference=reference)
    if not dates:
        return []
    rest = re.sub(_READING_TIME, " ", rest, flags=re.IGNORECASE)
    rest_words = [w for w in rest.split() if any(ch.isalpha() for ch in w)]
    if alone and rest_words:
        return []
    capitalised = all(w[0].isupper() or fold(w) in _NAME_CONNECTORS for w in rest_words)
    if (len(rest_words) <= 4 and capitalised) or is_byline(" ".join(rest_words)):
        return dates
    return []


def _dates(datelines: list, units: list[_Unit], name_date: FoundDate | None, name: str,
           fallback_date: dt.date, reference: dt.date, notes: list[str]) -> dict:
    """``date`` (and ``updated``) from the datelines, the start of the first paragraph, the file name, or the
    fallback date, with a note saying which."""
    published = [(line, d) for line, dates in datelines for d in dates if d.label != "updated"]
    updated = [(line, d) for line, dates in datelines for d in dates if d.label == "updated"]
    result: dict = {}
    used: FoundDate | None = None
    if published:
        line, used = published[0]
        notes.append(f"date from the dateline {line!r}")
        if updated and _day(updated[0][1].value) >= _day(used.value) and updated[0][1].value != used.value:
            result["updated"] = updated[0][1].value
            notes.append(f"updated date from the dateline {updated[0][0]!r}")
    elif updated:
        line, used = updated[0]
        notes.append(f"date from the dateline {line!r}, the only date given (it is labelled as an update)")
    elif (used := _wire_dateline(units, reference)) is not None:
        notes.append(f"date from the dateline at the start of the first paragraph: {used.text!r}")
    elif name_date is not None:
        used = name_date
        notes.append(f"date from the file name {name!r}")
    if used is None:
        notes.append(f"no date found in the text; used the fallback date {fallback_date.isoformat()}")
        return {"date": fallback_date}
    if not re.search(r"\d{4}", used.text):
        notes.append(f"{used.text!r} has no year; took {used.value.year}, the latest such day up to {reference}")
    return {"date": used.value, **result}


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _wire_dateline(units: list[_Unit], reference: dt.date) -> FoundDate | None:
    """"CARACAS, Nov 30 (Reuters) - …": a date opening the first paragraph after nothing but a place in
    capitals; the paragraph is kept as it is."""
    if not units or units[0].kind != "paragraph":
        return None
    found = find_date(units[0].text[:80], reference=reference)
    if found is None:
        return None
    before = re.findall(r"[^\W\d_]+", units[0].text[:found.start])
    return found if all(word.isupper() and len(word) > 1 for word in before) and len(before) <= 4 else None


# ---- paragraphs, headings, lists ------------------------------------------------------------------------------

_BULLET = re.compile(r"^[•·▪◦●‣∙*\-–]\s+(?=\S)")
_NUMBERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_RULE = re.compile(r"^([-*_])(?:\s*\1){2,}$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S")
_QUOTE_OPEN, _QUOTE_CLOSE = "\"“«„'‘‹", "\"”»“'’›"


@dataclass
class _Unit:
    """A paragraph-sized piece of the body: its text, how many source lines it joins, whether it begins a
    block (or the source puts one paragraph on each line), and what it is."""

    text: str
    joined: int = 1
    alone: bool = True
    kind: str = "paragraph"  # paragraph, heading, markdown_heading, item, numbered, rule


def _units(lines: list[str | None]) -> tuple[list[_Unit], int]:
    """The body's units and how many line breaks of hard-wrapped paragraphs were joined."""
    blocks = _blocks(lines)
    one_per_line = not any(line == "" for line in _between_text(lines))
    width = _wrap_width(blocks)
    units, joined = [], 0
    for block in blocks:
        pieces: list[list[str]] = []
        for position, line in enumerate(block):
            if pieces and _continues(pieces[-1][0], line, block[position - 1], width):
                pieces[-1].append(line.strip())
                joined += 1
            else:
                pieces.append([line.strip()])
        units.extend(_Unit(_joined(piece), joined=len(piece), alone=index == 0 or one_per_line)
                     for index, piece in enumerate(pieces))
    return units, joined


def _joined(lines: list[str]) -> str:
    """Wrapped lines as one paragraph; a word hyphenated at a line end ("well-" + "known") keeps its hyphen."""
    text = lines[0]
    for line in lines[1:]:
        glue = "" if re.search(r"[^\W\d_]-$", text[-2:]) and line[:1].islower() else " "
        text += glue + line
    return text


def _blocks(lines: list[str | None]) -> list[list[str]]:
    blocks, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def _between_text(lines: list[str | None]) -> list[str | None]:
    """The lines from the first body line to the last: blank lines at either end say nothing."""
    filled = [i for i, line in enumerate(lines) if line]
    return lines[filled[0]:filled[-1] + 1] if filled else []


def _wrap_width(blocks: list[list[str]]) -> int | None:
    """The line width of a hard-wrapped text, or None when lines are paragraphs."""
    pairs = [(a, b) for block in blocks for a, b in zip(block, block[1:])]
    if len(pairs) < 3:
        return None
    width = max(len(line.strip()) for block in blocks for line in block)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    full = [a for a, b in pairs if _fills(a, b, width)]
    mid_sentence = [a for a in full if a.rstrip()[-1] not in ".!?:;\"”»"]
    if len(full) >= 2 and 2 * len(full) >= len(pairs) and 3 * len(mid_sentence) >= len(full):
        return width
    return None


def _fills(line: str, following: str, width: int) -> bool:
    """Whether the next line's first word would not have fitted on this line."""
    return len(line.strip()) + 1 + len(following.split()[0]) > width


def _continues(first: str, line: str, previous: str, width: int | None) -> bool:
    """Whether ``line`` goes on the paragraph or list item that began with ``first``."""
    if _BULLET.match(line.strip()) or _NUMBERED.match(line.strip()):
        return False
    if _BULLET.match(first) and line[:1].isspace():
        return True  # an indented continuation of a list item
    return width is not None and _fills(previous, line, width)


def _classify(units: list[_Unit]) -> None:
    for unit in units:
        unit.kind = _line_kind(unit.text)
    _mark_numbered_runs(units)
    _mark_dash_runs(units)
    for index in reversed(range(len(units))):
        unit, following = units[index], units[index + 1] if index + 1 < len(units) else None
        if (unit.kind == "paragraph" and following is not None
                and following.kind in ("paragraph", "item", "numbered") and _heading_like(unit)):
            unit.kind = "heading"
    if units[0].kind == "heading" and len(units[0].text.split()) > DEK_WORDS:
        units[0].kind = "paragraph"


def _line_kind(text: str) -> str:
    if _RULE.match(text):
        return "rule"
    if _BULLET.match(text) and not text.startswith("–"):
        return "item"
    if _MARKDOWN_HEADING.match(text) and len(text) <= HEADING_CHARS:
        return "markdown_heading"
    return "paragraph"


def _mark_numbered_runs(units: list[_Unit]) -> None:
    """Numbered lines are a list when two or more follow each other counting up by one."""
    run: list[_Unit] = []
    for unit in [*units, None]:
        number = _number(unit)
        if number is not None and run and number == _number(run[-1]) + 1:
            run.append(unit)
            continue
        if len(run) >= 2:
            for item in run:
                item.kind = "numbered"
        run = [unit] if number is not None else []


def _number(unit: _Unit | None) -> int | None:
    match = unit is not None and unit.kind in ("paragraph", "numbered") and _NUMBERED.match(unit.text)
    return int(match.group(1)) if match else None


def _mark_dash_runs(units: list[_Unit]) -> None:
    """An en dash opens a dialogue line as often as a list item: items only in a run of two or more."""
    dashed = [u.kind == "paragraph" and u.text.startswith("–") and bool(_BULLET.match(u.text)) for u in units]
    for index, unit in enumerate(units):
        if dashed[index] and ((index > 0 and dashed[index - 1]) or (index + 1 < len(units) and dashed[index + 1])):
            unit.kind = "item"


def _heading_like(unit: _Unit) -> bool:
    text = unit.text
    words = text.split()
    if unit.joined > 1 or not unit.alone or not words:
        return False
    if len(words) > HEADING_WORDS or len(text) > HEADING_CHARS or not any(ch.isalpha() for ch in text):
        return False
    if text[-1] in ".,;:…" or (text[-1] in _QUOTE_CLOSE and text.rstrip(_QUOTE_CLOSE)[-1:] in ".,;:…!?"):
        return False
    if text[0] in _QUOTE_OPEN and text[-1] in _QUOTE_CLOSE:
        return False  # a quotation on its own line
    return text[0] not in "—–-" and "://" not in text and not text.casefold().startswith("www.")


def _standfirst(units: list[_Unit]) -> str | None:
    first = units[0]
    if first.kind != "paragraph" or len(first.text.split()) > STANDFIRST_WORDS:
        return None
    has_body = any(unit.kind in ("paragraph", "item", "numbered") for unit in units[1:])
    return first.text if has_body else None


# ---- Markdown -------------------------------------------------------------------------------------------------

_LINE_START_MARKUP = re.compile(
    r"^(?:#{1,6}(?=\s|$)|>|\+(?=\s|$)|[-*](?=\s|$)|`{3,}|~{3,}|\[[^\]]*\]:|:(?=\s)|<(?=[A-Za-z/!?]))")
_INLINE_MARKUP = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?\w+;)")


def _markdown(units: list[_Unit]) -> tuple[str, int]:
    """The body, and how many line starts were escaped."""
    blocks: list[str] = []
    escaped = 0
    previous_kind = ""
    for unit in units:
        text, count = _escaped(unit)
        escaped += count
        if unit.kind in ("item", "numbered") and previous_kind == unit.kind:
            blocks[-1] += "\n" + text
        else:
            blocks.append(text)
        previous_kind = unit.kind
    return "\n\n".join(blocks) + "\n", escaped


def _escaped(unit: _Unit) -> tuple[str, int]:
    text = unit.text
    if unit.kind in ("rule", "markdown_heading"):
        return text, 0
    if unit.kind == "heading":
        closing_hashes = re.sub(r"\s#+$", lambda m: m.group(0).replace("#", r"\#"), text)
        return "## " + _INLINE_MARKUP.sub(r"\\\g<0>", closing_hashes), 0
    if unit.kind == "item":
        text = _BULLET.sub("", text)
    inline = _INLINE_MARKUP.sub(r"\\\g<0>", text)
    if unit.kind == "numbered":
        return inline, 0
    if _NUMBERED.match(inline):
        start = _NUMBERED.sub(r"\1\\\2", inline)
    else:
        start = _LINE_START_MARKUP.sub(r"\\\g<0>", inline)
    prefix = "- " if unit.kind == "item" else ""
    return prefix + start, int(start != inline)


def _shape_notes(units: list[_Unit], joined: int, escaped: int) -> list[str]:
    notes = []
    headings = [u.text for u in units if u.kind == "heading"]
    if headings:
        notes.append(f"headings made from {_count(len(headings), 'short line')}: " + ", ".join(map(repr, headings)))
    items = sum(1 for u in units if u.kind == "item")
    if items:
        notes.append(f"list items made from {_count(items, 'bulleted line')}")
    if joined:
        notes.append(f"the text is hard-wrapped: {_count(joined, 'line break')} inside paragraphs joined")
    if escaped:
        notes.append(f"{_count(escaped, 'line start')} escaped so Markdown reads them as text")
    return notes


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" + ("" if number == 1 else "s")
