"""From speakers as written to the people they are: surnames to full names, pronouns and "the mayor" to the
person they point back to, and a role remembered from where a person was introduced.

- **Names**: a speaker becomes the fullest known name ending with its words — the front matter's actors, every
  named speaker, and every capitalised run of two or more words in the article ("Petro" → "Gustavo Petro") —
  or the one known name that has its words inside ("De la Fuente" → "Inés de la Fuente Ordóñez").
- **Pronouns** (and a verb with no subject, "«…», ha spiegato."): the nearest sentence before the quotation that
  mentions a person of the article decides — people read as speakers or introduced with a role (and the actors)
  first, other capitalised names of the text only when none of those is mentioned in the blocks looked at. One
  person mentioned there is the speaker. When it mentions two or more, the speaker of the previous quotation
  wins if among them, else the first one mentioned (the sentence's subject, in the languages read here). With no
  mention in the three blocks before, the previous quotation's speaker, if any. A plural pronoun ("they") goes
  to the previous institution or unnamed source.
- **"the mayor"**: the one person whose role has that title; otherwise it stays an unnamed source.
- **Roles**: a quotation without one takes the first role the article gives that person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from briefgen.lexicon import Lexicon, normalise
from briefgen.model import Quote, TextBlock
from briefgen.quotes.attribute import Found
from briefgen.quotes.phrases import Speaker
from briefgen.quotes.words import ARTICLE_GENITIVES, CONNECTORS, PARTICLES

LOOK_BACK_BLOCKS = 3
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
_NAME_WORD = rf"(?:[{_UPPER}]\.|[{_UPPER}][\w'’\-]*)"  # "J." is an initial; "España." ends a sentence
_PARTICLE = "(?:" + "|".join(sorted(PARTICLES)) + ")"
FULL_NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,3}}{_NAME_WORD})+")


def resolve(found: Sequence[Found], introduced: Sequence[Found], blocks: Sequence[TextBlock],
            actors: Sequence[str], lex: Lexicon) -> list[Quote]:
    runs = _capitalised_runs(blocks, lex)
    known = known_names(runs, actors, lex)
    spelled = acronyms(blocks)
    found = [_spelled_out(item, spelled) for item in found]
    trusted = [*actors, *(item.speaker.name for item in [*found, *introduced] if item.speaker.kind == "person")]
    names = NameIndex(trusted, known)
    people = [_as_written(item.speaker, names) for item in found]
    introductions = [(item, _as_written(item.speaker, names)) for item in introduced]
    persons = _as_people(trusted, names)
    persons.update({who[0]: who for who in people if who[2] == "person"})
    in_text = _as_people(known, names)
    roles = _first_roles(people, [who for _, who in introductions], runs, names)
    resolved: list[tuple[str, str, str] | None] = []
    for position, item in enumerate(found):
        speaker = item.speaker
        if speaker.kind == "pronoun":
            resolved.append(_antecedent(position, found, (persons, in_text), resolved, blocks))
        elif speaker.kind == "interviewee":
            resolved.append(_interviewee(persons, blocks) or _interviewee(in_text, blocks))
        elif speaker.kind == "title":
            resolved.append(_by_title(item, people[:position], introductions, roles))
        else:
            resolved.append(people[position])
    result = []
    for item, who in zip(found, resolved):
        if who is None or not who[0]:
            continue
        name, role, kind = who
        remembered = roles.get(name, "") if kind == "person" else ""
        result.append(Quote(speaker=name, text=item.text, role=role or remembered, section=item.section,
                            line=item.line, kind=kind))
    return result


_ACRONYM = re.compile(r"\(([A-ZÀ-Þ][A-ZÀ-Þ0-9]{1,7})\)")
MAX_ACRONYM_WORDS = 12


def acronyms(blocks: Sequence[TextBlock]) -> dict[str, str]:
    """"Unidad Militar de Emergencias (UME)" → {"UME": "Unidad Militar de Emergencias"}: the shortest run of
    words before the brackets whose capitalised words' initials spell the acronym."""
    found: dict[str, str] = {}
    for block in blocks:
        for match in _ACRONYM.finditer(block.text):
            letters = match.group(1)
            words = block.text[:match.start()].split()[-MAX_ACRONYM_WORDS:]
            for start in range(len(words) - 1, -1, -1):
                initials = "".join(word[0] for word in words[start:] if word[:1].isupper())
                if initials == letters and words[start][:1].isupper():
                    found.setdefault(letters, " ".join(words[start:]).strip(",;:"))
                    break
    return found


def _spelled_out(item: Found, known: dict[str, str]) -> Found:
    """A speaker written as an acronym the article spells out ("la UME") is that institution."""
    speaker = item.speaker
    if speaker.kind in ("person", "institution") and speaker.name in known:
        return replace(item, speaker=Speaker(known[speaker.name], kind="institution"))
    return item


def _as_people(names: Iterable[str], index: NameIndex) -> dict[str, tuple[str, str, str]]:
    return {full: (full, "", "person") for full in map(index.resolve, names)}


def _as_written(speaker: Speaker, names: NameIndex) -> tuple[str, str, str]:
    if speaker.kind == "person":
        return names.resolve(speaker.name), speaker.role, "person"
    if speaker.kind in ("unnamed", "title"):
        return speaker.name, "", "unnamed"
    return speaker.name, speaker.role, speaker.kind


def _antecedent(position: int, found: Sequence[Found], tiers: tuple[dict, ...], resolved: list,
                blocks: Sequence[TextBlock]) -> tuple[str, str, str] | None:
    item = found[position]
    previous = next((resolved[p] for p in range(position - 1, -1, -1) if resolved[p] is not None), None)
    if item.speaker.group:
        return previous if previous is not None and previous[2] != "person" else None
    tiers = tuple(dict(tier) for tier in tiers)
    if previous is not None and previous[2] == "person":
        tiers[0].setdefault(previous[0], previous)
    for text in _texts_before(item, blocks):
        for candidates in tiers:
            mentioned = _mentions(text, candidates, places_too=candidates is tiers[0])
            if not mentioned:
                continue
            if previous is not None and previous[0] in mentioned:
                return previous
            return candidates[mentioned[0]]
    return previous if previous is not None and previous[2] == "person" else None


def _texts_before(item: Found, blocks: Sequence[TextBlock]) -> Iterable[str]:
    """The text before a quotation, sentence by sentence backwards, over at most three blocks."""
    yield from reversed(re.split(r"(?<=[.!?])\s+", blocks[item.block].text[:item.offset]))
    for block in range(item.block - 1, max(-1, item.block - 1 - LOOK_BACK_BLOCKS), -1):
        yield from reversed(re.split(r"(?<=[.!?])\s+", blocks[block].text))


def _mentions(text: str, candidates: dict, places_too: bool = True) -> list[str]:
    """Candidates mentioned in ``text`` (by full name or last word), in order of first mention. Without
    ``places_too``, a name right after "in", "en", "à"… is a place ("in Port Sudan"), not a mention of a person."""
    positions = []
    for name in candidates:
        words = name.split()
        spots = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(words[-1])}(?!\w)", text)]
        if not places_too:
            spots = [spot for spot in spots if not _after_preposition(text, _mention_start(text, name, spot))]
        if spots:
            positions.append((spots[0], name))
    return [name for _, name in sorted(positions)]


def _mention_start(text: str, name: str, spot: int) -> int:
    """Where the mention whose last word is at ``spot`` starts: the whole name when it is written out."""
    start = spot - (len(name) - len(name.split()[-1]))
    return start if start >= 0 and text.startswith(name, start) else spot


def _after_preposition(text: str, start: int) -> bool:
    """"in Port Sudan", "de la provincia de Santa Fe": a place or an institution, not a person."""
    before = text[:start].split()
    return bool(before) and normalise(before[-1]) in CONNECTORS


def _interviewee(persons: dict, blocks: Sequence[TextBlock]) -> tuple[str, str, str] | None:
    """An interview's answer is the words of the first person the article names."""
    for block in blocks:
        mentioned = _mentions(block.text, persons)
        if mentioned:
            return persons[mentioned[0]]
    return None


def _by_title(item: Found, earlier_people: list, introductions: list, roles: dict[str, str]) -> tuple[str, str, str]:
    """"the mayor" is the one person whose role has the word "mayor", else the unnamed source introduced or
    quoted before it with that word ("A European diplomat … the diplomat said")."""
    words = set(normalise(item.speaker.name).split())
    matches = {name for name, role in roles.items() if words <= set(normalise(role).split())}
    if len(matches) == 1:
        name = matches.pop()
        return name, roles[name], "person"
    earlier = [who for source, who in introductions if who[2] == "unnamed"
               and (source.block, source.offset) < (item.block, item.offset)]
    earlier += [who for who in earlier_people if who[2] == "unnamed"]
    for who in reversed(earlier):
        if words <= set(normalise(who[0]).split()):
            return who
    return item.speaker.name, "", "unnamed"


def _first_roles(people: list, introduced: list, runs: list[tuple[str, str]], names: NameIndex) -> dict[str, str]:
    """Each person's first role: from the quotations, then where the text introduces them, then from a title
    before the name."""
    roles: dict[str, str] = {}
    for name, role, kind in [*people, *introduced]:
        if kind == "person" and role:
            roles.setdefault(name, role)
    for role, name in runs:
        if role and name:
            roles.setdefault(names.resolve(name), role)
    return roles


def _capitalised_runs(blocks: Sequence[TextBlock], lex: Lexicon) -> list[tuple[str, str]]:
    """Every run of two or more capitalised words in the text, split into (title, name)."""
    return [split_title(match.group(0), lex) for block in blocks for match in FULL_NAME.finditer(block.text)]


def split_title(run: str, lex: Lexicon) -> tuple[str, str]:
    """"Colombian President Gustavo Petro" → ("Colombian President", "Gustavo Petro"); a portfolio or an
    institution is part of the title: "Minas e Energia Rodrigo Pessoa" → ("Minas e Energia", "Rodrigo Pessoa")."""
    words = run.split()
    last_title = -1
    for index, word in enumerate(words[:-1]):
        norm = normalise(word)
        if index and normalise(words[index - 1]) in PARTICLES:
            continue  # "Inés de la Fuente Ordóñez": a word after a particle is part of the name
        if lex.is_title(norm) or norm in lex.portfolios or lex.is_institution(norm):
            last_title = index
    if last_title < 0:
        return "", run.strip()
    if normalise(words[last_title + 1]) in ARTICLE_GENITIVES and words[last_title + 1].islower():
        return "", ""  # "Sprecher der Landespolizeidirektion": a title and its complement, no name
    title = [word for word in words[:last_title + 1] if not lex.is_honorific(normalise(word))]
    return " ".join(title), " ".join(words[last_title + 1:])


def known_names(runs: list[tuple[str, str]], actors: Sequence[str], lex: Lexicon) -> list[str]:
    """The actors first, then the names of the text's capitalised runs, titles removed."""
    names = list(actors)
    for _, name in runs:
        words = name.split()
        while words and (normalise(words[0]) in lex.not_names or normalise(words[0]) in lex.speech_verbs):
            words.pop(0)
        if len(words) >= 2:
            names.append(" ".join(words))
    return names


class NameIndex:
    """Known names by their last word, each normalised once: a long article has thousands of names and
    hundreds of quotes, and comparing each quote with each name would take minutes. Names read as speakers
    (and the actors) are trusted before capitalised runs found in the text."""

    def __init__(self, trusted: Iterable[str], found: Iterable[str] = ()):
        self.tiers = [self._by_last_word(trusted), self._by_last_word(found)]
        self.inner = [self._by_inner_word(trusted), self._by_inner_word(found)]

    @staticmethod
    def _by_inner_word(names: Iterable[str]) -> dict[str, list[tuple[list[str], str]]]:
        """Names by each word after the first but the last: "De la Fuente" is Inés de la Fuente Ordóñez,
        "Reyes" José Reyes Zelaya (the first of two surnames)."""
        index: dict[str, list[tuple[list[str], str]]] = {}
        for name in dict.fromkeys(names):
            words = normalise(name).split()
            for word in dict.fromkeys(words[1:-1]):
                index.setdefault(word, []).append((words, name))
        return index

    @staticmethod
    def _by_last_word(names: Iterable[str]) -> dict[str, list[tuple[list[str], str]]]:
        index: dict[str, list[tuple[list[str], str]]] = {}
        for name in dict.fromkeys(names):
            words = normalise(name).split()
            if words:
                index.setdefault(words[-1], []).append((words, name))
        return index

    def resolve(self, speaker: str) -> str:
        """The fullest known name that ends with ``speaker``'s words (or equals it), else the one known name
        that has them inside ("De la Fuente"); ``speaker`` otherwise. A full name read as a speaker is not
        lengthened by a run found in the text."""
        wanted = normalise(speaker).split()
        if not wanted:
            return speaker
        exact = False
        for by_last, by_inner in zip(self.tiers, self.inner):
            best, best_length = speaker, len(wanted)
            for words, name in by_last.get(wanted[-1], []):
                exact = exact or (words == wanted and len(words) > 1)
                if len(words) > best_length and words[-len(wanted):] == wanted and not exact:
                    best, best_length = name, len(words)
            if best_length > len(wanted):
                return best
            inside = {name for words, name in by_inner.get(wanted[-1], []) if _contains(words[1:-1], wanted)}
            if len(inside) == 1:
                return inside.pop()
        return speaker


def _contains(words: list[str], wanted: list[str]) -> bool:
    return any(words[start:start + len(wanted)] == wanted for start in range(len(words) - len(wanted) + 1))
