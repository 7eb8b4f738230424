"""Who said what: quotations found in the text, with their speaker resolved to the fullest name used.

Two shapes are recognised:

- a block quote whose last paragraph is an attribution line: ``— Gustavo Petro, President of Colombia``;
- an inline quotation in straight, curly or guillemet quotes, attributed with a speech verb before or after
  it: ``Colombian President Gustavo Petro said "…"``, ``"…," Trump told reporters``, ``« … », a déclaré X``.

Speakers are resolved against the front matter's actors and every full name in the article, so a later
"Petro" becomes the earlier "Gustavo Petro"; the role comes from the attribution line, an appositive, or the
title words before the name ("Colombian President").
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from briefgen.model import Quote, TextBlock
from briefgen.sections import normalise

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"  # Latin capitals, with accents
_NAME_WORD = rf"[{_UPPER}][\w'’.\-]*"
_PARTICLE = r"(?:de|da|del|dos|das|do|van|von|bin|al|la|le|di|du|of|y)"
_INSTITUTION = (r"(?:government|foreign ministry|ministry|military|army|embassy|presidency|administration|"
                r"authorities|gobierno|ministerio|cancillería|gouvernement|governo|ministério)")
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,6}}(?:\s+{_INSTITUTION})?"

_VERBS = (
    # English
    "said", "says", "stated", "states", "told", "tells", "added", "adds", "warned", "warns", "asked", "asks",
    "wrote", "writes", "declared", "declares", "called", "calls", "posted", "argued", "insisted", "noted",
    "explained", "replied", "responded", "claimed", "announced", "urged", "commented", "remarked", "tweeted",
    "continued", "concluded", "acknowledged", "admitted", "stressed", "emphasised", "emphasized",
    # Spanish
    "dijo", "afirmó", "declaró", "señaló", "añadió", "agregó", "advirtió", "preguntó", "escribió", "aseguró",
    "sostuvo", "expresó", "indicó", "manifestó", "comentó", "denunció", "publicó", "respondió", "insistió",
    # French (also after the auxiliary "a" / "ont")
    "déclaré", "dit", "affirmé", "ajouté", "averti", "demandé", "écrit", "estimé", "souligné", "répondu",
    "déclare", "affirme", "ajoute", "estime", "souligne", "lance", "lancé",
    # Portuguese
    "disse", "afirmou", "declarou", "acrescentou", "alertou", "perguntou", "escreveu", "destacou", "garantiu",
    "ressaltou", "avisou", "respondeu", "publicou",
)
_VERB = r"(?:(?:a|ont|has|had|have)\s+)?(?:" + "|".join(sorted(map(re.escape, _VERBS), key=len, reverse=True)) + r")"

_QUOTATIONS = re.compile(r'"(?P<a>[^"]+)"|“(?P<b>[^”]+)”|«\s*(?P<c>[^»]+?)\s*»|„(?P<d>[^“”]+)[“”]')
_DESCRIPTOR = r"(?:[a-zà-ÿ][\w'’-]*\s+){1,3}"  # lowercase words before a name: "forecaster", "opposition leader"
_AFTER = re.compile(
    rf"^\s*[,.!?]?\s*(?:(?P<verb1>{_VERB})\s+(?P<name1>{_NAME})"
    rf"|(?P<desc>{_DESCRIPTOR})?(?P<name2>{_NAME})(?:,\s+(?P<role2>[^,\"“«]{{3,80}}),)?\s+(?P<verb2>{_VERB}))\b"
)
_BEFORE = re.compile(
    rf"(?P<name>{_NAME})(?:,\s+(?P<role>[^,\"“«]{{3,80}}),)?\s+(?P<verb>{_VERB})\b[^\"“«.!?]{{0,60}}?[,:]?\s*$"
)
_ATTRIBUTION = re.compile(r"^\s*(?:—|–|―|-{1,2})\s*(?P<who>\S.*)$", re.DOTALL)

_TITLE_WORDS = frozenset("""
president vice prime minister secretary foreign defense defence state senator sen governor spokesperson
spokesman spokeswoman ambassador general gen admiral adm chancellor king queen pope mayor director chief leader
representative rep envoy commander lawmaker opposition former then deputy attorney judge interior
presidente presidenta ministro ministra canciller secretario secretaria portavoz vocero embajador embajadora
president presidente ministre porte parole ambassadeur chanceler porta voz lider dirigente senador senadora
""".split())
_NOT_SPEAKERS = frozenset("""
he she it they we i you this that these those there here but and or so then however meanwhile
el ella ellos ellas il elle ils elles on ele eles nous the a an
""".split())
MIN_QUOTE_WORDS = 3


def is_attribution(paragraph: str) -> bool:
    """Whether a paragraph is an attribution line such as "— Gustavo Petro, President of Colombia"."""
    return _ATTRIBUTION.match(paragraph) is not None and len(paragraph) < 200


def extract_quotes(blocks: Iterable[TextBlock]) -> list[Quote]:
    """Every attributed quotation, in reading order; speakers not yet resolved."""
    quotes = []
    for block in blocks:
        if block.kind == "blockquote":
            quote = _block_quote(block)
            if quote is not None:
                quotes.append(quote)
        else:
            quotes.extend(_inline_quotes(block))
    return quotes


def _block_quote(block: TextBlock) -> Quote | None:
    paragraphs = [p.strip() for p in block.text.split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return None
    match = _ATTRIBUTION.match(paragraphs[-1])
    if not match:
        return None
    name, role = _split_attribution(match.group("who"))
    if not name:
        return None
    text = _clean_quote("\n\n".join(paragraphs[:-1]))
    return Quote(speaker=name, role=role, text=text, section=block.section, line=block.line)


def _split_attribution(who: str) -> tuple[str, str]:
    who = " ".join(who.split()).rstrip(".")
    bracketed = re.match(r"^(?P<name>[^(]+?)\s*\((?P<role>[^)]+)\)$", who)
    if bracketed:
        return bracketed.group("name").strip(), bracketed.group("role").strip()
    name, _, role = who.partition(",")
    title_role, bare_name = split_title(name.strip())
    return bare_name, (role.strip() or title_role)


def _inline_quotes(block: TextBlock) -> Iterable[Quote]:
    text = " ".join(block.text.split())
    for match in _QUOTATIONS.finditer(text):
        quoted = _clean_quote(next(g for g in match.groups() if g is not None))
        if len(quoted.split()) < MIN_QUOTE_WORDS:
            continue
        speaker = _speaker_after(text[match.end():match.end() + 160]) or _speaker_before(text[:match.start()])
        if speaker is not None:
            name, role = speaker
            yield Quote(speaker=name, role=role, text=quoted, section=block.section, line=block.line)


def _speaker_after(after: str) -> tuple[str, str] | None:
    match = _AFTER.match(after)
    if not match:
        return None
    run = match.group("name1") or match.group("name2")
    descriptor = " ".join(w for w in (match.group("desc") or "").split() if normalise(w) not in _NOT_SPEAKERS)
    return _speaker_from_run(run, match.group("role2") or descriptor)


def _speaker_before(before: str) -> tuple[str, str] | None:
    sentence = re.split(r"(?<=[.!?])\s+", before[-240:])[-1]
    match = _BEFORE.search(sentence)
    if not match:
        return None
    return _speaker_from_run(match.group("name"), match.group("role") or "")


def _speaker_from_run(run: str, appositive: str) -> tuple[str, str] | None:
    role, name = split_title(run)
    words = name.split()
    while words and normalise(words[0]) in _NOT_SPEAKERS:
        words.pop(0)
    if not words:
        return None
    return " ".join(words), (appositive.strip() or role)


def split_title(run: str) -> tuple[str, str]:
    """"Colombian President Gustavo Petro" → ("Colombian President", "Gustavo Petro")."""
    words = run.split()
    last_title = -1
    for index, word in enumerate(words[:-1]):
        if normalise(word) in _TITLE_WORDS:
            last_title = index
    if last_title < 0:
        return "", run.strip()
    return " ".join(words[:last_title + 1]), " ".join(words[last_title + 1:])


def _clean_quote(text: str) -> str:
    text = text.strip()
    for opening, closing in (('"', '"'), ("“", "”"), ("«", "»")):
        if text.startswith(opening) and text.endswith(closing) and len(text) > 1:
            text = text[1:-1].strip()
    return text.rstrip(",").strip()


# ---- resolving speakers -------------------------------------------------------------------------------------

_FULL_NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD})+")


def known_names(text: str, actors: Iterable[str]) -> list[str]:
    """Names of two or more words: the actors first, then every capitalised run in the text (titles removed)."""
    names = [a for a in actors if a.strip()]
    for match in _FULL_NAME.finditer(text):
        _, name = split_title(match.group(0))
        if len(name.split()) >= 2:
            names.append(name)
    return names


def resolve_speaker(speaker: str, names: list[str]) -> str:
    """The fullest known name that ends with ``speaker``'s words (or equals it); ``speaker`` itself otherwise."""
    return _NameIndex(names).resolve(speaker)


class _NameIndex:
    """Known names by their last word, each normalised once: a long article has thousands of names and
    hundreds of quotes, and comparing each quote with each name would take minutes."""

    def __init__(self, names: Iterable[str]):
        self.by_last_word: dict[str, list[tuple[list[str], str]]] = {}
        for name in dict.fromkeys(names):
            words = normalise(name).split()
            if words:
                self.by_last_word.setdefault(words[-1], []).append((words, name))

    def resolve(self, speaker: str) -> str:
        wanted = normalise(speaker).split()
        best, best_length = speaker, len(wanted)
        for words, name in self.by_last_word.get(wanted[-1], []) if wanted else ():
            if len(words) > best_length and words[-len(wanted):] == wanted:
                best, best_length = name, len(words)
        return best


def resolve_all(quotes: list[Quote], text: str, actors: Iterable[str]) -> list[Quote]:
    index = _NameIndex(known_names(text, actors))
    return [replace(quote, speaker=index.resolve(quote.speaker)) for quote in quotes]


def apply_corrections(quotes: list[Quote], corrections: Iterable[Quote]) -> list[Quote]:
    """Front matter ``quotes:`` entries replace the extracted quote with the same text, or are added."""
    result = list(quotes)
    for correction in corrections:
        key = normalise(correction.text)
        for index, quote in enumerate(result):
            found = normalise(quote.text)
            if key and (key == found or key in found or found in key):
                result[index] = replace(correction, section=correction.section or quote.section,
                                        line=quote.line, role=correction.role or quote.role)
                break
        else:
            result.append(correction)
    return result
