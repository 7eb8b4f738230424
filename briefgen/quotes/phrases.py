"""Who a noun phrase names: a person (with the title or appositive that is their role), an unnamed source
("a ministry spokesman"), an institution ("the Foreign Ministry") or a pronoun.

A phrase is read forward from a token: determiner, title words and their complements ("minister of health",
"ministro da Saúde", "Sprecher des Ministeriums"), a run of capitalised words that is the name (with particles:
"da Silva", "van der Berg"), then an appositive between commas (", an economist at the Bank of Lisbon,"). Titles
glued to a name become its role: "Trade Commissioner Jane Doe" is Jane Doe, Trade Commissioner.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from dataclasses import dataclass

from briefgen.lexicon import Lexicon
from briefgen.quotes.tokens import Token
from briefgen.quotes.words import (
    ADJECTIVE_ENDINGS,
    ADVERB_ENDINGS,
    AGENT_ENDINGS,
    ARTICLE_GENITIVES,
    CLITICS,
    CONNECTORS,
    CONTRACTIONS,
    GENITIVES,
    INSTITUTION_LINKS,
    MAX_ADJECTIVES,
    MAX_ADJUNCT_WORDS,
    MAX_APPOSITIVE,
    MAX_COMPLEMENT,
    MAX_COMPLEMENTS,
    MAX_DESCRIPTION,
    MAX_DESCRIPTORS,
    PARTICLES,
    PLACE_CONNECTORS,
    POSSESSIVES,
    RELATIVES,
    TIME_WORDS,
    participle,
)


@functools.lru_cache(maxsize=64)
def entry_words(entries: frozenset[str]) -> dict[str, int]:
    """The words an entry of ``entries`` can begin with, each with the most words such an entry has (a
    lexicon's sets are few and never change)."""
    longest: dict[str, int] = {}
    for entry in entries:
        words = entry.split(" ")
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


@functools.lru_cache(maxsize=8)
def connectors_or(determiners: frozenset[str]) -> frozenset[str]:
    """The connectors and ``determiners``: what a phrase does not end with."""
    return CONNECTORS | determiners


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str  # a person's or institution's name, an unnamed source's description, or a pronoun
    role: str = ""
    kind: str = "person"  # person | unnamed | institution | pronoun | title ("the mayor": who, is decided later)
    group: bool = False  # a plural pronoun ("they", "ils")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """How an article writes its words: capitalised in mid-sentence (names), or in lower case."""

    names: frozenset[str]
    lower: frozenset[str]


@dataclass(frozen=True, slots=True)
class Phrase:
    speaker: Speaker
    end: int  # index after the phrase


class PhraseReader:
    """Reads noun phrases in one paragraph's tokens with one lexicon.

    ``starts`` are the token indices that begin a sentence. A capitalised word that begins a sentence is taken
    for a name when the article capitalises it in mid-sentence too, or another name word follows; not when the
    article writes it in lower case elsewhere, or it is an English participle ("Speaking to reporters, …")."""

    def __init__(self, tokens: list[Token], lex: Lexicon, starts: frozenset[int] = frozenset(),
                 vocabulary: Vocabulary | None = None):
        self.tokens = tokens
        self.lex = lex
        self.starts = starts
        self.vocabulary = vocabulary
        self._capitalised = [p for p, token in enumerate(tokens) if token.cap]

    # ---- single tokens ---------------------------------------------------------------------------------

    def word(self, index: int, end: int) -> Token | None:
        if index < end and self.tokens[index].kind == "word":
            return self.tokens[index]
        return None

    def phrase_at(self, index: int, end: int, entries: frozenset[str]) -> int:
        """The index after the longest entry of ``entries`` starting at ``index`` (``index`` when none)."""
        longest = self.lex.longest_phrase
        first = self.tokens[index].norm if index < end else " "
        if " " not in first:  # one word: no entry of more tokens than the longest entry it begins has words
            longest = entry_words(entries).get(first, 0)
            if not longest:
                return index  # most words begin no entry: skip joining the words that follow
        norms = []
        for position in range(index, min(end, index + longest)):
            token = self.tokens[position]
            if token.kind != "word":
                break
            norms.append(token.norm)
        for length in range(len(norms), 0, -1):
            if " ".join(norms[:length]) in entries:
                return index + length
        return index

    def may_begin(self, entries: frozenset[str], first: int, end: int) -> list[int]:
        """The positions from ``first`` to ``end`` where an entry of ``entries`` (or a speech verb with a
        clitic) may begin; :meth:`phrase_at` and :meth:`verb_at` find nothing anywhere else."""
        firsts = entry_words(entries)  # never a punctuation mark or a quotation, whose norm has no space
        return [p for p in range(first, end) if (norm := self.tokens[p].norm) in firsts or " " in norm]

    def capitalised(self, first: int, end: int) -> list[int]:
        """The positions of capitalised words from ``first`` to ``end``."""
        return self._capitalised[bisect_left(self._capitalised, first):bisect_left(self._capitalised, end)]

    def institution_at(self, index: int, end: int) -> int:
        """The index after an institution's word or phrase at ``index`` ("ministry", "White House",
        "Landesamt"), else ``index``."""
        token = self.word(index, end)
        if token is None or (self._function_word(token.norm) and not token.text.isupper()):
            return index  # "un porte-parole" is not the UN, "who" is not the WHO
        after = self.phrase_at(index, end, self.lex.institutions)
        if after == index and self.lex.is_institution(token.norm):
            return index + 1
        return after

    def _relative(self, position: int) -> bool:
        """A relative pronoun; German "der", "die" only after a comma (else they are articles)."""
        norm = self.tokens[position].norm
        if norm not in RELATIVES:
            return False
        return norm not in self.lex.determiners or (position > 0 and self.tokens[position - 1].is_punct(","))

    def _function_word(self, norm: str) -> bool:
        return norm in self.lex.determiners or norm in CLITICS or norm in RELATIVES or norm in self.lex.not_names

    def verb_at(self, index: int, end: int) -> int:
        """The index after a speech verb at ``index`` ("said", "fait savoir", "disse-me"), else ``index``."""
        after = self.phrase_at(index, end, self.lex.speech_verbs)
        if after > index:
            return after
        token = self.word(index, end)
        parts = token.norm.split() if token is not None and " " in token.norm else []
        if len(parts) > 1 and parts[0] in self.lex.speech_verbs and parts[-1] not in self.lex.pronouns:
            return index + 1  # a verb with a clitic: "disse-me", "dijo-le"
        return index

    def is_name_word(self, index: int, end: int) -> bool:
        token = self.word(index, end)
        if token is None or not token.cap or token.norm in self.lex.not_names or token.norm in self.lex.speech_verbs \
                or not token.text.isalpha() and any(ch.isdigit() for ch in token.text):  # "H5N1", "G7"
            return False
        if token.norm in self.lex.months or token.norm in TIME_WORDS:  # "in September", unless "Marco De Santis"
            following = self.word(index + 1, end)
            return following is not None and following.cap and (
                following.norm not in self.lex.not_names or self.capitalised_run(index + 1, end, True) > index + 2)
        if index in self.starts and self.vocabulary is not None and token.norm not in self.vocabulary.names:
            following = self.word(index + 1, end)
            if following is not None and following.cap and following.norm not in self.lex.not_names:
                return True
            if token.norm in self.vocabulary.lower:
                return False
            return not participle(token.text) or self.capitalised_run(index + 1, end, True) > index + 1
        return True

    def is_time(self, index: int, end: int) -> bool:
        token = self.word(index, end)
        return token is not None and (token.norm in TIME_WORDS or token.norm in self.lex.months
                                      or token.norm.isdigit())

    # ---- capitalised runs --------------------------------------------------------------------------------

    def capitalised_run(self, index: int, end: int, leading_particle: bool = False) -> int:
        """The index after a run of capitalised words joined by name particles ("Pieter van den Berg"), or
        by a possessive apostrophe ("Manufacturers' Association")."""
        position = index
        while position < end:
            if self.is_name_word(position, end):
                position += 1
                continue
            particles = position
            while self.word(particles, end) is not None and self.tokens[particles].norm in PARTICLES \
                    and particles - position < 3:
                particles += 1
            joined = position > index or leading_particle
            if particles > position and joined and self._name_after_particle(particles, end):
                position = particles + 1
                continue
            glued = self.tokens[position].start == self.tokens[position - 1].end if position > index else False
            if glued and self.tokens[position].is_punct("'", "’") and self.is_name_word(position + 1, end):
                position += 1
                continue
            if position > index and self.tokens[position].is_punct("&") and self.is_name_word(position + 1, end):
                position += 1  # "Haus & Grund", "Johnson & Johnson"
                continue
            break
        return position

    def _name_after_particle(self, index: int, end: int) -> bool:
        """After a particle any capitalised word continues a name, even one that is also a function word
        ("Inês Carvalho de Sá")."""
        token = self.word(index, end)
        return token is not None and token.cap and index not in self.starts \
            and token.norm not in self.lex.speech_verbs and not token.text.isupper()

    def split_run(self, start: int, stop: int) -> tuple[int, bool]:
        """Where the name starts in a capitalised run (after its last title word), and whether the run
        names an institution ("Foreign Ministry", "Auswärtiges Amt")."""
        name_start = start
        for position in range(start, stop):
            if self.lex.is_title(self.tokens[position].norm) and not self._in_name(position, start, stop):
                name_start = position + 1
        institution = any(self.institution_at(p, stop) > p for p in range(start, stop))
        return name_start, institution

    def text(self, start: int, stop: int) -> str:
        """The original words from token ``start`` to ``stop``, with the spacing they had."""
        if start >= stop:
            return ""
        parts = [self.tokens[start].text]
        for position in range(start + 1, stop):
            token = self.tokens[position]
            previous = self.tokens[position - 1]
            glued = token.start == previous.end and (token.kind == "punct" or previous.text.endswith(("'", "’")))
            parts.append(token.text if glued else " " + token.text)
        return "".join(parts).strip(" ,")

    def role_text(self, start: int, stop: int) -> str:
        """A title's words as a role, without forms of address: "Mme" or "Frau" is no role."""
        words = [p for p in range(start, stop) if self.tokens[p].kind == "word"]
        if all(self.lex.is_honorific(self.tokens[p].norm) for p in words):
            return ""
        while start < stop and self.lex.is_honorific(self.tokens[start].norm):
            start += 1
        return self.text(start, stop)

    # ---- noun phrases -----------------------------------------------------------------------------------

    def noun_phrase(self, index: int, end: int) -> Phrase | None:
        """The speaker named by the phrase starting at ``index`` (not reading past ``end``), or None."""
        if index < end and self.tokens[index].text.lower() in CONTRACTIONS:
            return None  # "disse à agência": a preposition, though "à" reads as the article "a"
        position = index
        while (after := self.phrase_at(position, end, self.lex.determiners)) > position:  # "la stessa commissione"
            position = after
        definite = position > index and not self.lex.is_indefinite(self.tokens[index].norm)
        token = self.word(position, end)
        if token is None:
            return None
        if not definite and token.norm in self.lex.pronouns:
            return Phrase(Speaker(token.text, kind="pronoun", group=self.lex.pronouns[token.norm] == "group"),
                          position + 1)
        if not definite and token.norm in PARTICLES and self._opens_clause(position) \
                and self.capitalised_run(position, end, True) > position + 1:
            return self._name(position, end, position, position)  # "van Houten said", "de Groot"
        role_start = position
        titled = institution = False
        complement = adjectives = 0  # words after a connector inside a title; adjectives after the title
        while position < end:
            token = self.tokens[position]
            if token.kind != "word":
                if complement and token.is_punct(",") and self._listed_portfolio(position, end):
                    position += 1  # "ministro de Desarrollo, Industria y Comercio, Paulo Tavares"
                    continue
                if token.is_punct(",") and (titled or institution) and self.is_name_word(position + 1, end):
                    name = self._name(position + 1, end, role_start, position)  # "the head of X, Jane Doe"
                    if name is not None:
                        return name
                glued = token.start == self.tokens[position - 1].end
                if complement and (token.is_punct("'", "’") or (glued and token.is_punct("-"))):
                    position += 1  # "dell'Onu", "des Wasserstraßen- und Schifffahrtsamts"
                    continue
                break
            norm = token.norm
            if self.verb_at(position, end) > position or self._relative(position) or norm in self.lex.reported_speech:
                break
            if position > role_start and self.phrase_at(position, end, self.lex.auxiliaries) > position:
                break
            if complement:
                if complement > MAX_COMPLEMENT or self.is_time(position, end) or (
                        norm in CONNECTORS and not self._complement_follows(position, end)):
                    break
                if self.is_name_word(position, end):
                    run_end = self.capitalised_run(position, end)
                    more = self.word(run_end, end) is not None and self.tokens[run_end].norm in CONNECTORS \
                        and self._complement_follows(run_end, end) or self._listed_portfolio(run_end, end)
                    if not self._comma_name_follows(run_end, end) and not more:
                        name_start = self._portfolio_end(position, run_end)
                        if self._names_person(name_start, run_end):
                            return self._name(name_start, end, role_start, name_start)
                    complement += run_end - position
                    position = run_end
                    continue
                complement += 1
                position += 1
                continue
            if self.is_name_word(position, end):
                run_end = self.capitalised_run(position, end)
                name_start, names_institution = self.split_run(position, run_end)
                following = self.word(run_end, end)
                if following is not None and not following.cap and (
                        self.lex.is_title(following.norm) or self.lex.is_institution(following.norm)):
                    position = run_end  # "European diplomat", "Venezuela's government", "Trump adviser"
                    continue
                if position < name_start < run_end and self.tokens[name_start].norm in ARTICLE_GENITIVES \
                        and not self.tokens[name_start].cap:
                    titled = True  # "Sprecher der Deutschen Bahn": the title's complement, not a name
                    position = name_start
                    continue
                if names_institution and not (titled and name_start > position and not definite):
                    return self._institution(role_start, run_end, end)
                if name_start == run_end:  # capitalised titles only: "Foreign Minister", "Bürgermeister"
                    titled = True
                    position = run_end
                    continue
                if titled and name_start == position and self._comma_name_follows(run_end, end):
                    complement = 1  # "il commissario Ue al Commercio, Jan Verhoeven"
                    position = run_end
                    continue
                if definite and name_start == role_start and not titled:
                    return self._institution(role_start, run_end, end)  # "the Kremlin", "o Itamaraty"
                if position > role_start and not titled and not self._names_person(name_start, run_end):
                    return None  # "el virus Zika": descriptors make a role only before a person's full name
                if position > index and not definite and not titled and run_end == position + 1:
                    return None  # "ein Skilehrer aus Lech", "an Oxfam spokeswoman": a description, not a name
                return self._name(name_start, end, role_start, name_start)
            if self.lex.is_title(norm) and (token.cap or not self._function_word(norm)):  # "Me Dupont", not "me"
                titled = True
                position += 1
            elif (after := self.institution_at(position, end)) > position:
                institution = True
                position = after
            elif norm in CONNECTORS:
                if not (titled or institution) or not self._complement_follows(position, end):
                    if adjectives and norm not in GENITIVES and self._participle_before(position):
                        position -= 1  # "un trader londonien joint par téléphone"
                    break
                complement = 1
                position += 1
            elif norm in self.lex.not_names or norm in self.lex.determiners or norm in CLITICS:
                break
            elif not (titled or institution):
                if position - role_start >= MAX_DESCRIPTORS:  # descriptors before a title: "senior", "top"
                    return None
                position += 1
            else:
                adjectives += 1  # "diplomata europeu", "líder oposicionista", "une source diplomatique"
                if adjectives > MAX_ADJECTIVES:
                    break
                position += 1
        if not (titled or institution):
            return None
        if titled:
            named = self._name_after_long_title(role_start, position, end)
            if named is not None:
                return named
        while position > role_start and self.tokens[position - 1].norm in connectors_or(self.lex.determiners):
            position -= 1
        description = self.text(role_start, position)
        if titled:
            kind = "title" if definite else "unnamed"
            return Phrase(Speaker(description, kind=kind), position)
        return Phrase(Speaker(description, kind="institution"), position)

    def unnamed_description(self, index: int, end: int) -> Phrase | None:
        """A description with no title word the lexicon knows: "un gérant de fonds parisien", "un vigile del
        fuoco", "a trader in Singapore", "la madre di uno dei ragazzi" — an unnamed source. Read up to a comma,
        a relative pronoun, a clitic, a verb or the end; a time ("un día después") is no source."""
        token = self.word(index, end)
        if token is None or token.norm not in self.lex.determiners or token.norm in POSSESSIVES \
                or token.text.lower() in CONTRACTIONS:
            return None  # "son protocole d'urgence" is a thing, not a source
        following = self.word(index + 1, end)
        if token.norm in self.lex.auxiliaries and (following is None or participle(following.text)):
            return None  # French "a activé": an auxiliary, not the article
        position = index + 1
        while position < end and position - index <= MAX_DESCRIPTION:
            word = self.word(position, end)
            if word is None or self._relative(position) or self.verb_at(position, end) > position \
                    or word.norm in self.lex.auxiliaries or word.norm in self.lex.reported_speech \
                    or (word.norm in CLITICS and not word.cap and position > index + 1) \
                    or word.norm in self.lex.not_names and word.norm not in connectors_or(self.lex.determiners):
                break
            if word.norm in CONNECTORS and word.norm not in GENITIVES and position > index + 2:
                if self._participle_before(position):
                    position -= 1
                break
            position += 1
        while position > index + 1 and self.tokens[position - 1].norm in connectors_or(self.lex.determiners):
            position -= 1
        head = self.word(index + 1, position)
        if head is None or self.is_time(index + 1, position) or not self.plain_word(head.norm):
            return None
        if head.cap and self.is_name_word(index + 2, position):  # "un Skilehrer aus Lech", not "a Jane Doe"
            return None
        return Phrase(Speaker(self.text(index + 1, position), kind="unnamed"), position)

    def _plain_words_end(self, position: int, end: int) -> int:
        """After the lower-case content words of an adjunct ("in conferenza stampa"), up to a determiner, a
        title or a capital, which begin the speaker."""
        stop = position + 1
        while stop < min(end, position + MAX_ADJUNCT_WORDS) and self.word(stop, end) is not None:
            token = self.tokens[stop]
            if token.cap or not self.plain_word(token.norm) or self.lex.is_title(token.norm):
                break
            stop += 1
        return stop

    def _participle_before(self, position: int) -> bool:
        """The word before a connector takes it as its adjunct ("joint par", "impegnato nei", "based in"): a
        participle, not the noun or a title."""
        previous = self.tokens[position - 1]
        return not self.lex.is_title(previous.norm) and not previous.norm.endswith(AGENT_ENDINGS) \
            and (participle(previous.text) or previous.norm.endswith(("int", "it", "is", "ert", "uto")))

    def adjunct_end(self, index: int, end: int) -> int:
        """The index after an adjunct of place or time at ``index`` ("en el Congreso", "à Rome", "la semaine
        dernière", "jeudi", "récemment"), else ``index``."""
        token = self.word(index, end)
        if token is None:
            return index
        position = index
        if token.norm in CONNECTORS and not token.cap:
            position += 1
        while self.word(position, end) is not None and self.tokens[position].norm in self.lex.determiners:
            position += 1
        if self.is_time(position, end):
            position += 1
            if self.word(position, end) is not None and not self.tokens[position].cap \
                    and self.plain_word(self.tokens[position].norm):
                position += 1  # "la settimana scorsa"
            return position
        if position == index:
            return index + 1 if not token.cap and token.norm.endswith(ADVERB_ENDINGS) else index
        run_end = self.capitalised_run(position, end)
        position = run_end if run_end > position else self._plain_words_end(position, end)
        while self.word(position, end) is not None and self.tokens[position].norm in GENITIVES:
            following = position + 1  # "en la sede de la Cancillería"
            while self.word(following, end) is not None and self.tokens[following].norm in self.lex.determiners:
                following += 1
            run_end = self.capitalised_run(following, end)
            position = run_end if run_end > following else following + 1
        return min(position, end)

    def _name_after_long_title(self, role_start: int, position: int, end: int) -> Phrase | None:
        """"el presidente en funciones y candidato del PP, Javier Lasierra": a title whose words this reader
        cannot follow, then a comma and a full name that ends the clause — the name is the speaker, everything
        before the comma its role."""
        for comma in range(position, min(end, position + MAX_COMPLEMENT)):
            token = self.tokens[comma]
            if token.kind == "word" and (self.verb_at(comma, end) > comma or self._relative(comma)):
                return None
            if token.kind == "word":
                continue
            if not token.is_punct(",", "'", "’"):
                return None
            if token.is_punct(",") and self.is_name_word(comma + 1, end):
                run_end = self.capitalised_run(comma + 1, end, leading_particle=True)
                closes = run_end == end or self.tokens[run_end].kind != "word" or self.verb_at(run_end, end) > run_end
                if closes and self._names_person(comma + 1, run_end):
                    return Phrase(Speaker(self.text(comma + 1, run_end), role=self.role_text(role_start, comma)),
                                  run_end)
                return None
        return None

    def _opens_clause(self, index: int) -> bool:
        if index in self.starts or index == 0:
            return True
        before = self.tokens[index - 1]
        after_according = any(self.phrase_at(p, index, self.lex.according_to) == index
                               for p in range(max(0, index - self.lex.longest_phrase), index))
        return before.kind != "word" or self.verb_at(index - 1, index) == index or after_according

    def _institution(self, start: int, run_end: int, end: int) -> Phrase:
        """An institution's name, with its adjectives and complements: "Department of Agriculture",
        "Commission européenne", "Autorité de sûreté nucléaire et de radioprotection", "Lega dei club
        professionistici". An adjective after the name needs an adjective's ending: German puts none there."""
        stop = run_end
        for _ in range(MAX_ADJECTIVES):
            token = self.word(stop, end)
            if token is None or token.cap or not self.plain_word(token.norm) or self.verb_at(stop, end) > stop \
                    or not token.norm.endswith(ADJECTIVE_ENDINGS):
                break
            stop += 1
        for _ in range(MAX_COMPLEMENTS):
            link = stop + 1 if self.word(stop, end) is not None and self.tokens[stop].norm in ("and", "et", "y", "e",
                                                                                             "und") else stop
            if self.word(link, end) is None or self.tokens[link].norm not in INSTITUTION_LINKS:
                break
            complement_end = self._complement_words(link + 1, end)
            if complement_end == link + 1:
                break
            stop = complement_end
        return Phrase(Speaker(self.text(start, stop), kind="institution"), self._past_place(stop, end))

    def _complement_words(self, index: int, end: int) -> int:
        """After a genitive: determiners, then a capitalised run or up to two content words ("des parents
        d'élèves", "de sûreté nucléaire", "dei club professionistici")."""
        position = index
        while self.word(position, end) is not None and self.tokens[position].norm in self.lex.determiners:
            position += 1
        run_end = self.capitalised_run(position, end)
        if run_end > position:
            return run_end
        words = position
        while words < position + 2 and self.word(words, end) is not None and not self.tokens[words].cap \
                and self.plain_word(self.tokens[words].norm) and self.verb_at(words, end) == words:
            words += 1
        return words if words > position else index

    def _past_place(self, position: int, end: int) -> int:
        """Past where an institution is ("The Commerce Ministry in Beijing said"): it is not part of the name."""
        token = self.word(position, end)
        if token is None or token.cap or token.norm not in PLACE_CONNECTORS:
            return position
        run_end = self.capitalised_run(position + 1, end)
        return run_end if run_end > position + 1 else position

    def plain_word(self, norm: str) -> bool:
        """A content word: not a function word, a verb's auxiliary, a clitic or a connector."""
        return not (norm in self.lex.not_names or norm in self.lex.determiners or norm in CONNECTORS
                    or norm in CLITICS or norm in self.lex.auxiliaries or norm in self.lex.reported_speech
                    or norm in RELATIVES or norm in TIME_WORDS)

    def _complement_follows(self, position: int, end: int) -> bool:
        """Whether the connector at ``position`` opens a title's complement: any genitive ("of the ministry",
        "de la Santé") that is not a time; another connector only before a name, an institution or a portfolio
        ("para la Transición Ecológica", "for Health") — not "ante los periodistas", "en una rueda de prensa"."""
        following = position + 1
        while self.word(following, end) is not None and self.tokens[following].norm in self.lex.determiners:
            following += 1
        if self.is_time(following, end) or self.is_time(position + 1, end):
            return False
        if self.tokens[position].norm in GENITIVES:
            return True
        token = self.word(following, end)
        return token is not None and (self.is_name_word(following, end) or self.institution_at(following, end)
                                      > following or token.norm in self.lex.portfolios)

    def _listed_portfolio(self, position: int, end: int) -> bool:
        """A comma followed by a portfolio in a list ("Desarrollo, Industria y Comercio"), not by the name."""
        if not (position < end and self.tokens[position].is_punct(",")):
            return False
        run_end = self.capitalised_run(position + 1, end)
        return run_end > position + 1 and any(self.tokens[p].norm in self.lex.portfolios
                                              for p in range(position + 1, run_end))

    def _comma_name_follows(self, position: int, end: int) -> bool:
        return position + 1 < end and self.tokens[position].is_punct(",") and self.is_name_word(position + 1, end)

    def _portfolio_end(self, start: int, stop: int) -> int:
        """In "ministro de Minas e Energia Rodrigo Pessoa", where the portfolio ends and the name begins."""
        position = start
        while position < stop:
            norm = self.tokens[position].norm
            if self.lex.is_institution(norm) and position + 2 < stop and self.tokens[position + 1].norm in PARTICLES:
                position += 3  # "Banco de México", "Ministerio de Salud"
            elif norm in self.lex.portfolios or self.lex.is_institution(norm) or (
                    norm in PARTICLES and position > start):
                position += 1
            else:
                break
        while position > start and self.tokens[position - 1].norm in PARTICLES:
            position -= 1
        capitals_after = sum(1 for p in range(position + 2, stop) if self.tokens[p].cap)
        if position > start and position + 1 < stop and self.tokens[position].norm in PARTICLES and capitals_after >= 2:
            position += 2  # the portfolio's country: "ministro de Salud de Honduras José Reyes"
        return position

    def _in_name(self, position: int, start: int, stop: int) -> bool:
        """Whether a title word inside a capitalised run is a name: after a particle ("Inés de la Fuente"), or
        last after a name word ("Carlos Eduardo Fontes") — titles come before names."""
        if position == start:
            return False
        before = self.tokens[position - 1].norm
        if before in PARTICLES:
            return True
        return position == stop - 1 and not (self.lex.is_title(before) or before in self.lex.portfolios
                                             or self.lex.is_institution(before))

    def _names_person(self, start: int, stop: int) -> bool:
        """Two or more capitalised words, no institution among them and no title but inside the name: a
        person's name."""
        capitals = [p for p in range(start, stop) if self.tokens[p].cap]
        return len(capitals) >= 2 and not any(
            self.lex.is_institution(self.tokens[p].norm)
            or (self.lex.is_title(self.tokens[p].norm) and not self._in_name(p, start, stop)) for p in capitals)

    def _name(self, name_start: int, end: int, role_start: int, role_end: int) -> Phrase | None:
        name_end = self.capitalised_run(name_start, end, leading_particle=True)
        if name_end == name_start:
            return None
        role = self.role_text(role_start, role_end)
        appositive = self.appositive(name_end, end)
        if appositive is not None:
            role, name_after = appositive[0] or role, appositive[1]
        else:
            name_after = name_end
        return Phrase(Speaker(self.text(name_start, name_end), role=role), name_after)

    def appositive(self, index: int, end: int) -> tuple[str, int] | None:
        """", an economist at the Bank of Lisbon," after a name: the role, and the index after it. An
        appositive without a title word (", 45,", ", who asked not to be named,") is skipped with no role;
        one that names another person (", Finance Minister Lars de Groot said") is not an appositive."""
        if not (index < end and self.tokens[index].is_punct(",")):
            return None
        stop = index + 1
        relative = False  # inside "who wrote the bill" a verb does not end the appositive
        while stop < end and stop - index <= MAX_APPOSITIVE \
                and not self.tokens[stop].is_punct(",", ";", ":", ".", "(") and self.tokens[stop].kind != "quote" \
                and (relative or self.verb_at(stop, end) == stop):
            relative = relative or (stop > index + 1 and self._relative(stop))
            stop += 1
        if stop == index + 1 or stop - index > MAX_APPOSITIVE:
            return None
        start = self.phrase_at(index + 1, stop, self.lex.determiners)
        words = [self.tokens[p].norm for p in range(start, stop)]
        closing = self._past_bracket(stop, end)  # ", researcher at the Centre for X (CESeC),"
        closing = closing + 1 if closing < end and self.tokens[closing].is_punct(",") else closing
        if not words or words[0] in RELATIVES:
            return ("", closing) if closing > stop else None
        if not (any(self.lex.is_title(word) for word in words) or self._names_job(start)) \
                or self._ends_with_person(start, stop):
            return None
        return self.text(start, stop), closing

    def _past_bracket(self, position: int, end: int) -> int:
        if not (position < end and self.tokens[position].is_punct("(")):
            return position
        closing = next((p for p in range(position + 1, min(end, position + MAX_APPOSITIVE))
                        if self.tokens[p].is_punct(")")), None)
        return closing + 1 if closing is not None else position

    def _names_job(self, index: int) -> bool:
        """An appositive names a job when one of its first words is a lower-case noun with an agent's ending:
        "virologue", "hidróloga", "entomologo", "urbaniste", "cybersecurity lecturer"."""
        for token in self.tokens[index:index + MAX_DESCRIPTORS]:
            if token.kind != "word" or token.cap or not self.plain_word(token.norm):
                return False
            if len(token.norm) > 4 and token.norm.endswith(AGENT_ENDINGS):
                return True
        return False

    def _ends_with_person(self, start: int, stop: int) -> bool:
        """Whether a would-be appositive ends with a title glued to a name: another person."""
        position = start
        while position < stop:
            if self.is_name_word(position, stop):
                run_end = self.capitalised_run(position, stop)
                name_start, institution = self.split_run(position, run_end)
                titled = name_start > position or (
                    position > start and self.lex.is_title(self.tokens[position - 1].norm))
                complement = name_start < run_end and self.tokens[name_start].norm in ARTICLE_GENITIVES
                if run_end == stop and titled and not institution and not complement \
                        and self._names_person(name_start, run_end):
                    return True
                position = run_end
            else:
                position += 1
        return False
