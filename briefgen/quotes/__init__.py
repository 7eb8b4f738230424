"""Who said what: every quotation in a briefing, with its speaker, the speaker's role and kind.

The pipeline, one module per step:

- :mod:`~briefgen.quotes.tokens`: a paragraph as words, punctuation and quotation spans, split into sentences;
- :mod:`~briefgen.quotes.phrases`: noun phrases → a person with a role, an unnamed source, an institution or a
  pronoun;
- :mod:`~briefgen.quotes.attribute`: for each quotation, the attribution after it, before it, in the next short
  sentence, or the speaker it continues;
- :mod:`~briefgen.quotes.resolve`: surnames to full names, pronouns to people, roles remembered.

Block quotes are quotations too: attributed by their last paragraph or last line (``— Name, role``), by a
paragraph ending with a colon just before them (``Petro wrote on X:``), or by an attribution inside them.
The words (speech verbs, titles, pronouns…) come from :mod:`briefgen.lexicon`, one file per language. Everything
is deterministic and linear in the article's length: each quotation looks at its own sentence and the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from briefgen.lexicon import Lexicon, lexicon, normalise
from briefgen.model import Quote, TextBlock
from briefgen.quotes.attribute import Attributor, Found
from briefgen.quotes.phrases import PhraseReader, Speaker, Vocabulary
from briefgen.quotes.resolve import FULL_NAME as _FULL_NAME
from briefgen.quotes.resolve import resolve
from briefgen.quotes.tokens import clean_quotation, tokenize
from briefgen.quotes.words import CONNECTORS, participle

_ATTRIBUTION = re.compile(r"^\s*(?:—|–|―|-{1,2})\s*(?P<who>\S.*)$", re.DOTALL)
MAX_ATTRIBUTION = 200


def is_attribution(paragraph: str) -> bool:
    """Whether a paragraph (or line) is an attribution line such as "— Gustavo Petro, President of Colombia"."""
    return _ATTRIBUTION.match(paragraph) is not None and len(paragraph) < MAX_ATTRIBUTION


def find_quotes(blocks: Sequence[TextBlock], actors: Iterable[str] = ()) -> list[Quote]:
    """Every attributed quotation in reading order, speakers resolved to the fullest name the article (or its
    ``actors``) gives."""
    lex = lexicon()
    actors = [a for a in actors if a.strip()]
    vocabulary = _vocabulary(blocks, actors)
    found: list[Found] = []
    introduced: list[Found] = []
    for index, block in enumerate(blocks):
        previous = found[-1] if found and found[-1].block == index - 1 and found[-1].section == block.section else None
        if block.kind == "blockquote":
            quote = _block_quote(block, index, blocks[index - 1] if index else None, lex)
            if quote is not None:
                found.append(quote)
                continue
        attributor = Attributor(block.text, lex, vocabulary)
        after_question = index > 0 and blocks[index - 1].text.rstrip(" *_").endswith("?")
        continuing = previous.speaker if previous and not after_question else None  # an answer is no continuation
        quotations = attributor.quotations(continuing)
        if not quotations and after_question and attributor.is_bare_quotation():
            token = next(t for t in attributor.tokens if t.kind == "quote")  # an interview's answer
            quotations = [(token, Speaker("", kind="interviewee"))]
        for token, speaker in quotations:
            found.append(Found(token.text, speaker, index, token.start, block.section, block.line))
        introduced.extend(Found("", speaker, index, offset, block.section, block.line)
                          for offset, speaker in attributor.introductions())
    return resolve(found, introduced, blocks, actors, lex)


# a word after a space, not after a sentence's end; none that begins with a lower-case ASCII or Latin-1 letter
# (which the capital test would drop), and the cheaper lookbehind first
_MID_SENTENCE = re.compile(r"(?<=\s)(?<![.!?…\"“«„»:]\s)([^\W\d_a-zß-öø-ÿ][\w'’\-]*)")
_LOWER = re.compile(r"(?<![\w'’\-])([^\W\d_A-ZÀ-Þ][\w'’\-]*)")


def _vocabulary(blocks: Sequence[TextBlock], actors: Sequence[str]) -> Vocabulary:
    """Words the article capitalises in mid-sentence (and the actors' names), and words it writes in lower case."""
    names = {normalise(word) for actor in actors for word in actor.split()}
    lower = set()
    for block in blocks:
        names.update([normalise(match) for match in _MID_SENTENCE.findall(block.text) if match[:1].isupper()])
        names.update(normalise(word) for run in _FULL_NAME.finditer(block.text) for word in run.group(0).split()[1:])
        lower.update(filter(str.islower, _LOWER.findall(block.text)))
    return Vocabulary(frozenset(names), frozenset(map(normalise, lower)))


def _block_quote(block: TextBlock, index: int, before: TextBlock | None, lex: Lexicon) -> Found | None:
    """A block quote attributed by its last paragraph or line, or by the paragraph before it ending in ":"."""
    paragraphs = [p.strip() for p in block.text.split("\n\n") if p.strip()]
    if not paragraphs:
        return None
    *body, last = paragraphs
    head, _, last_line = last.rpartition("\n")
    if head and is_attribution(last_line):
        body, last = [*body, head], last_line
    speaker = None
    if body and is_attribution(last):
        speaker = attribution_speaker(_ATTRIBUTION.match(last).group("who"), lex)
    elif before is not None and before.kind == "paragraph":
        body = paragraphs
        speaker = Attributor(before.text, lex).colon_speaker()
    if speaker is None:
        return None
    text = "\n\n".join(_strip_marks(" ".join(p.split())) for p in body)
    return Found(text, speaker, index, 0, block.section, block.line)


def attribution_speaker(who: str, lex: Lexicon) -> Speaker | None:
    """"Gustavo Petro, President of Colombia", "Jane Doe (economist)", "Foreign Minister Jane Doe"."""
    who = " ".join(who.split()).rstrip(".")
    bracketed = re.match(r"^(?P<name>[^(]+?)\s*\((?P<role>[^)]+)\)$", who)
    name, role = (bracketed.group("name"), bracketed.group("role")) if bracketed else who.partition(",")[::2]
    if _says_where(role, lex):
        role = ""  # "— Donald Trump, on Truth Social" says where or when, not who
    tokens = tokenize(name.strip())
    phrase = PhraseReader(tokens, lex).noun_phrase(0, len(tokens))
    if phrase is None:
        return Speaker(name.strip(), role.strip()) if name.strip() else None
    speaker = phrase.speaker
    if phrase.end < len(tokens) and all(token.kind == "word" for token in tokens[phrase.end:]) \
            and speaker.kind in ("person", "institution") and not speaker.role:
        speaker = replace(speaker, name=name.strip())  # the line names only the speaker: "— Coalizão Direitos na Rede"
    if speaker.kind == "person":
        return replace(speaker, role=role.strip() or speaker.role)
    return speaker


def _says_where(role: str, lex: Lexicon) -> bool:
    """After "— Name," a role, unless it opens with a preposition, a participle or a date ("on Truth Social",
    "speaking to reporters", "14 May")."""
    words = normalise(role).split()
    return not words or words[0] in CONNECTORS or words[0].isdigit() or words[0] in lex.months \
        or participle(role.split()[0])


def _strip_marks(text: str) -> str:
    tokens = tokenize(text)
    if len(tokens) == 1 and tokens[0].kind == "quote":
        return tokens[0].text
    if len(tokens) == 2 and tokens[0].kind == "quote" and tokens[1].kind == "punct":
        return tokens[0].text
    return clean_quotation(text)


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
