"""A paragraph as tokens and sentences, every quotation span (between any pair of quotation marks) one token.

Quotation marks: straight ``"…"``, curly ``“…”``, guillemets ``«…»`` and ``»…«``, German ``„…“``, and single
curly ``‘…’`` when the closing mark is not an apostrophe inside a word (``don’t``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.lexicon import normalise

_SPANS = re.compile(
    r'"(?P<straight>[^"]+)"'
    r"|“(?P<curly>[^“”]+)”"
    r"|«(?P<guillemets>[^«»]+)»"
    r"|„(?P<german>[^„“”]+)[“”]"
    r"|»(?P<reversed>[^»«]+)«"
    r"|‘(?<!\w‘)(?P<single>(?:[^‘’]|’(?=\w))+)’(?!\w)"
)  # "no word character before ‘" is tested after the mark: with every branch opening with a mark, the regex
# engine jumps from mark to mark instead of trying every position
_WORD = r"[^\W_]+(?:['’\-][^\W_]+)*"
_TOKENS = re.compile(rf"(?P<word>{_WORD})|(?P<punct>[^\w\s])")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu)['’](?=[^\W_])", re.IGNORECASE)  # French l'ONG, d'après, qu'il
_ENDS = frozenset(".!?…؟")
# Arabic script's comma, semicolon and question mark: compared as the marks they are (``Token.norm``)
_MARKS = {"،": ",", "؛": ";", "؟": "?"}
ABBREVIATIONS = frozenset("""
mr mrs ms dr gen sen rep gov col lt sgt st prof jr sr sra srta dra mme mlle hr fr dott sig sgra ing lic adm capt
cmdr maj no nr vs etc approx av st art
""".split())


@dataclass(slots=True)  # not frozen: a frozen dataclass is four times slower to make, and a paragraph has hundreds
class Token:
    text: str
    norm: str
    start: int
    end: int
    kind: str  # "word", "punct" or "quote" (then ``text`` is what is inside the marks)
    cap: bool = False  # a word that begins with a capital

    def is_punct(self, *marks: str) -> bool:
        return self.kind == "punct" and self.norm in marks


def caseless(word: str) -> bool:
    """A word of a script without capitals (Arabic, Hebrew, Persian…): a capital cannot say it is a name."""
    first = word[:1]
    return first.isalpha() and not first.isupper() and not first.islower()


def tokenize(text: str) -> list[Token]:
    """Words, punctuation marks and quotation spans, in order."""
    tokens: list[Token] = []
    position = 0
    for span in _SPANS.finditer(text):
        tokens.extend(_plain_tokens(text, position, span.start()))
        inner = next(group for group in span.groups() if group is not None)
        tokens.append(Token(clean_quotation(inner), "", span.start(), span.end(), "quote"))
        position = span.end()
    tokens.extend(_plain_tokens(text, position, len(text)))
    return tokens


def _plain_tokens(text: str, start: int, end: int) -> list[Token]:
    tokens = []
    for match in _TOKENS.finditer(text, start, end):
        word = match["word"]
        first, last = match.span()
        if word is None:
            tokens.append(Token(match[0], _MARKS.get(match[0], match[0]), first, last, "punct"))
        elif ("'" in word or "’" in word) and (elided := _ELISION.match(word)):
            cut = first + elided.end()
            tokens.append(Token(text[first:cut], normalise(elided[0]), first, cut, "word", text[first].isupper()))
            tokens.append(Token(text[cut:last], normalise(text[cut:last]), cut, last, "word", text[cut].isupper()))
        else:
            tokens.append(Token(word, normalise(word), first, last, "word", word[0].isupper()))
    return tokens


def clean_quotation(text: str) -> str:
    """The words between the marks: outer spaces and a trailing comma dropped."""
    return " ".join(text.split()).rstrip(",").strip()


def sentences(tokens: list[Token]) -> list[tuple[int, int]]:
    """``(first, end)`` token ranges; a sentence ends at . ! ? or a quotation ending in one, before a capital,
    a quotation or the end — not after an abbreviation or an initial ("Mr.", "J.")."""
    bounds = []
    first = 0
    for index, token in enumerate(tokens):
        if (token.norm not in _ENDS and token.kind != "quote") or not _ends_sentence(tokens, index):
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is None or following.kind == "quote" or following.cap or following.is_punct("—", "–", "-") \
                or (following.kind == "word" and caseless(following.text)):  # no capital to wait for
            bounds.append((first, index + 1))
            first = index + 1
    if first < len(tokens):
        bounds.append((first, len(tokens)))
    return bounds


def _ends_sentence(tokens: list[Token], index: int) -> bool:
    token = tokens[index]
    if token.kind == "quote":
        return token.text[-1:] in _ENDS
    if token.kind != "punct" or token.norm not in _ENDS:
        return False
    if token.norm == "." and index:
        before = tokens[index - 1]
        if before.kind == "word" and (before.norm in ABBREVIATIONS or (len(before.text) == 1 and before.cap)):
            return False
    return True
