"""Who said each quotation in a paragraph: the attribution after it, before it, or in the next short sentence.

For a quotation token in a sentence, in this order:

1. **after it**: a speech verb then the speaker (``"…," said Jane Doe``, ``« … », a-t-il ajouté``, ``„…“, so
   Muster``, or nobody: ``«…», ha spiegato.``), "according to" and the speaker, or the speaker then a verb
   (``"…," a ministry spokesman, who asked not to be named, said``);
2. **before it**: "according to X," at the start of the sentence or a clause; the speaker before the last speech
   verb (``Trade Commissioner Jane Doe told reporters on Monday that "…"``) or right after it (``Dijo el
   ministro: «…»``); or, with no speech verb, a colon after the sentence's subject (``Trump offered only a vague
   comment: "…"``);
3. **the next sentence**, when it is a short attribution (``"Why now?" Smith asked.``);
4. **continuation**: a quotation that opens a sentence with no attribution of its own continues the speaker of
   the quotation just before it (``"It will not work," said X. "Not this year."``).

Between a speech verb and the speaker after it, up to two adjuncts of time or place are passed over
(``declaró ayer en el Congreso la ministra``). A verb the lexicon does not know still attributes when it is one
lower-case word between the quotation's comma and a speaker (``« … », a tonné le maire``).

What is inside marks but not someone's words is left out: numbers; one-to-three-word phrases inside a sentence
(``called it a "red line"``); title-cased names inside a sentence, even after a verb (``what it calls "Operation
Safe Harbour"``); and whatever follows a word that names a work or a nickname (``a report titled "…"``,
``surnommé « … »``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.lexicon import Lexicon
from briefgen.quotes.phrases import PhraseReader, Speaker, Vocabulary
from briefgen.quotes.tokens import Token, caseless, sentences, tokenize
from briefgen.quotes.words import PARTICLES, RELATIVES

MAX_EMBEDDED_WORDS = 3  # a quoted phrase this short inside a sentence is a scare quote or a name
MAX_ATTRIBUTION_SENTENCE = 8  # tokens: "Smith asked on Monday."
MAX_CLAUSE = 16  # tokens in a clause between commas after a speaker
MAX_ADJUNCTS = 3  # adjuncts between a speech verb and its speaker: "declaró anoche ante sus simpatizantes en
# Zaragoza el presidente…"
_INTRODUCERS = frozenset(":,—–-(")
_CLAUSE_MARKS = frozenset(",—–")
_NUMBERS = re.compile(r"[\d\s.,:%$€£+\-–/]+")
INDIRECT = frozenset("a al ao aos all alla agli ai to au aux".split())  # "told Reuters", "dijo a EFE"
_IMPLICIT = Speaker("", kind="pronoun")
LIST_JOINERS = frozenset("and or y o et ou e und oder".split())  # "«…», ha spiegato." — the subject is in the verb


@dataclass(frozen=True, slots=True)
class Found:
    """A quotation and its speaker as written, before surnames and pronouns are resolved."""

    text: str
    speaker: Speaker
    block: int
    offset: int  # where the quotation starts in the block's text
    section: str
    line: int


class Attributor:
    """Attribution in one paragraph's tokens."""

    def __init__(self, text: str, lex: Lexicon, vocabulary: Vocabulary | None = None):
        self.tokens = tokenize(text)
        if vocabulary is not None:  # a script without capitals: a word of a known name is capitalised
            for token in self.tokens:
                if token.kind == "word" and not token.cap and caseless(token.text) and token.norm in vocabulary.names:
                    token.cap = True
        self.sentences = sentences(self.tokens)
        self.lex = lex
        self.reader = PhraseReader(self.tokens, lex, frozenset(first for first, _ in self.sentences), vocabulary)

    def quotations(self, continuing: Speaker | None = None) -> list[tuple[Token, Speaker]]:
        """Every quotation with its speaker; ``continuing`` is the speaker of the quotation just before this
        paragraph, which a paragraph opening with a bare quotation goes on with."""
        found = []
        last = continuing
        for number, (first, end) in enumerate(self.sentences):
            for index in range(first, end):
                if self.tokens[index].kind != "quote" or not self.is_quotation(index, first):
                    continue
                speaker = self.after(index, end) or self.before(index, first) or self._next_sentence(number, index)
                after_colon = found and self.tokens[index - 1].is_punct(":")  # "«…». E poi, ridendo: «…»"
                if speaker is None and last is not None and (index == first or after_colon):
                    speaker = last
                if speaker is not None:
                    found.append((self.tokens[index], speaker))
                last = speaker
        return found

    def is_bare_quotation(self) -> bool:
        """The paragraph is one quotation and nothing else (an interview's answer)."""
        quotes = [token for token in self.tokens if token.kind == "quote"]
        return len(quotes) == 1 and all(token.kind != "word" for token in self.tokens)

    def introductions(self) -> list[tuple[int, Speaker]]:
        """People introduced with a role ("the head of X, Jane Doe, said…") and unnamed sources introduced with
        an indefinite article ("A European diplomat, who…"), with where they are: what later quotations
        without a role, or with only "the diplomat", are resolved with."""
        found = []
        for first, end in self.sentences:
            for start in self._introduction_starts(first, end):
                phrase = self.reader.noun_phrase(start, end)
                if phrase is None:
                    continue
                speaker = phrase.speaker
                if (speaker.kind == "person" and speaker.role) or speaker.kind == "unnamed":
                    found.append((self.tokens[start].start, speaker))
        return found

    def _introduction_starts(self, first: int, end: int) -> list[int]:
        """Where a sentence's noun phrases may begin, in order: at a clause's start, after a speech verb or
        "according to", and at the first word of a name — up to the last position such a phrase can name a
        person or an unnamed source from."""
        last = self._last_start(first, end)
        if last < first:
            return []
        reader = self.reader
        starts = set(self._clause_starts(first, last))
        starts.update(after for p in reader.may_begin(self.lex.speech_verbs, first, last)
                      if (after := reader.verb_at(p, end)) > p)
        starts.update(after for p in reader.may_begin(self.lex.according_to, first, last)
                      if (after := reader.phrase_at(p, end, self.lex.according_to)) > p)
        names = {p for p in reader.capitalised(first, end) if reader.is_name_word(p, end)}
        starts.update(p for p in names if p > first and p - 1 not in names and self.tokens[p - 1].norm not in PARTICLES)
        return sorted(p for p in starts if p <= last and self.tokens[p].kind == "word")

    def _last_start(self, first: int, end: int) -> int:
        """The last position from ``first`` to ``end`` a phrase naming a person or an unnamed source can begin
        at (``first - 1`` for none): such a phrase has a title word or a capitalised word in it, and one that
        begins with its last capitalised word has that word as a name or a title."""
        capitalised = self.reader.capitalised(first, end)
        last_capital = capitalised[-1] if capitalised else first - 1
        for position in range(end - 1, max(last_capital, first - 1), -1):
            token = self.tokens[position]
            if token.kind == "word" and self.lex.is_title(token.norm):
                return position
        if last_capital < first or self.lex.is_title(self.tokens[last_capital].norm) \
                or self.reader.is_name_word(last_capital, end):
            return last_capital
        return last_capital - 1  # "Rising talks rising…": a capital that is no name only ends a name begun before it

    # ---- is it a quotation? ----------------------------------------------------------------------------

    def is_quotation(self, index: int, first: int) -> bool:
        text = self.tokens[index].text
        if not text or _NUMBERS.fullmatch(text):
            return False
        words = text.split()
        if index > first and self.tokens[index - 1].norm in self.lex.work_markers:
            return False  # 'a report titled "Lost Decade"', «surnommé « le Bulldozer »»
        if len(words) <= MAX_EMBEDDED_WORDS and self._listed(index):
            return False  # 'wordings such as: "Background", "Driving the news" and "Why it matters"
        if self._introduced(index, first):
            return index == first or self.tokens[index - 1].kind == "punct" or not _title_cased(words)
        if len(words) <= MAX_EMBEDDED_WORDS:
            return False
        return not _title_cased(words)

    def _listed(self, index: int) -> bool:
        """A short quoted span in a list of quoted spans: names of things, not someone's words."""
        def quote_at(position: int) -> bool:
            return 0 <= position < len(self.tokens) and self.tokens[position].kind == "quote"

        def joins(position: int) -> bool:
            return 0 <= position < len(self.tokens) and (
                self.tokens[position].is_punct(",") or self.tokens[position].norm in LIST_JOINERS)
        return (joins(index + 1) and quote_at(index + 2)) or (joins(index - 1) and quote_at(index - 2))

    def _introduced(self, index: int, first: int) -> bool:
        if index == first:
            return True
        before = self.tokens[index - 1]
        if before.kind == "punct":
            return before.norm in _INTRODUCERS
        return before.norm in self.lex.reported_speech or before.norm in self.lex.speech_verbs

    # ---- after the quotation ------------------------------------------------------------------------------

    def after(self, index: int, end: int) -> Speaker | None:
        position = index + 1
        while position < end and self.tokens[position].is_punct(",", "—", "–", "-"):
            position += 1
        if position >= end:
            return None
        inverted = self._inverted_pronoun(position)
        if inverted is not None:
            return inverted
        verb = self.verb_end(position, end)
        if verb > position:
            if self.tokens[verb - 1].norm in self.lex.reported_speech:
                return None
            verb = self._past_indirect_object(verb, end)
            speaker = self.speaker_after_verb(verb, end)
            if speaker is not None:
                return speaker
            return _IMPLICIT if self._nobody_named(verb, end) else None
        according = self.reader.phrase_at(position, end, self.lex.according_to)
        if according > position:
            phrase = self.reader.noun_phrase(according, end)
            return phrase.speaker if phrase else None
        phrase = self.reader.noun_phrase(position, end)
        if phrase is not None and self.verb_end(self._skip_gap(phrase.end, end), end) > phrase.end:
            return phrase.speaker
        if self.tokens[index + 1].is_punct(","):
            return self._after_unknown_verb(position, end)
        return None

    def _nobody_named(self, position: int, end: int) -> bool:
        """After a speech verb, the clause names nobody: it ends, or goes on with adjuncts only ("ha spiegato
        in conferenza stampa", "advierte nada más sentarse"): the subject is in the verb."""
        stop = next((p for p in range(position, end) if self.tokens[p].kind != "word"), end)
        return not any(self.tokens[p].cap for p in range(position, stop))

    def speaker_after_verb(self, position: int, end: int) -> Speaker | None:
        """The speaker right after a speech verb, past up to two adjuncts of place or time ("declaró en el
        Congreso la ministra", "ammetteva la settimana scorsa la commissaria"); an indefinite description is an
        unnamed source ("raconte un pompier volontaire joint par téléphone")."""
        for _ in range(MAX_ADJUNCTS + 1):
            phrase = self.reader.noun_phrase(position, end)
            if phrase is not None:
                return phrase.speaker
            description = self.reader.unnamed_description(position, end)
            if description is not None:
                return description.speaker
            skipped = self.reader.adjunct_end(position, end)
            if skipped == position:
                return None
            position = skipped
        return None

    def _after_unknown_verb(self, position: int, end: int) -> Speaker | None:
        """``"…," reacted the governor, Jane Doe`` with a verb the lexicon does not know: one lower-case word
        (after an auxiliary) between the quotation's comma and a named person, a title or an indefinite
        description that ends the sentence or its clause."""
        start = self.reader.phrase_at(position, end, self.lex.auxiliaries)
        token = self.reader.word(start, end)
        if token is None or token.cap or not self.reader.plain_word(token.norm):
            return None
        speaker = self.speaker_after_verb(start + 1, end)
        if speaker is None or speaker.kind not in ("person", "title", "unnamed"):
            return None
        return speaker

    def _past_indirect_object(self, position: int, end: int) -> int:
        """"dijo a EFE un diplomático", "ha detto all'ANSA il ministro": the speaker comes after who was told."""
        token = self.reader.word(position, end)
        if token is None or token.norm not in INDIRECT:
            return position
        run_end = self.reader.capitalised_run(position + 1, end)
        if run_end > position + 1 and self.reader.noun_phrase(run_end, end) is not None:
            return run_end
        return position

    def _inverted_pronoun(self, position: int) -> Speaker | None:
        """French inversion glued into one token: "a-t-il", "estime-t-elle", "dit-il"."""
        token = self.tokens[position]
        parts = token.norm.split()
        if token.kind != "word" or len(parts) < 2 or parts[-1] not in self.lex.pronouns:
            return None
        head = parts[0]
        if head in self.lex.speech_verbs or head in self.lex.auxiliaries:
            return Speaker(parts[-1], kind="pronoun", group=self.lex.pronouns[parts[-1]] == "group")
        return None

    def verb_end(self, position: int, end: int) -> int:
        """After a speech verb at ``position`` (with its auxiliary and one adverb: "has also said", "a
        notamment déclaré", "ha poi detto"); ``position`` when there is none."""
        start = self.reader.phrase_at(position, end, self.lex.auxiliaries)
        verb = self.reader.verb_at(start, end)
        if verb == start and start > position and start + 1 < end:
            verb = self.reader.verb_at(start + 1, end)
            verb = verb if verb > start + 1 else start
        return verb if verb > start else position

    def _skip_gap(self, position: int, end: int) -> int:
        """Past what may stand between a speaker and the verb: a clause between commas (", who asked not to be
        named,", ", 45,"), a relative clause ("who asked not to be named") or an adverb ("also")."""
        if position < end and self.tokens[position].is_punct(","):
            closing = next((p for p in range(position + 1, min(end, position + MAX_CLAUSE))
                            if self.tokens[p].is_punct(",") or self.tokens[p].kind == "quote"), None)
            if closing is not None and self.tokens[closing].is_punct(","):
                position = closing + 1
        if position < end and self.tokens[position].kind == "word" and self.tokens[position].norm in RELATIVES:
            while position < end and self.verb_end(position, end) == position and \
                    not self.tokens[position].is_punct(",", "."):
                position += 1
            if position < end and self.tokens[position].is_punct(","):
                position += 1
        if position + 1 < end and self.tokens[position].kind == "word" and not self.tokens[position].cap \
                and self.verb_end(position + 1, end) > position + 1:
            position += 1  # "Jane Doe also said"
        return position

    # ---- before the quotation -----------------------------------------------------------------------------

    def before(self, index: int, first: int) -> Speaker | None:
        clauses = set(self._clause_starts(first, index))
        for start in range(first, index):  # "Laut X ist „…“" opening a clause, or "aunque según ella «…»"
            according = self.reader.phrase_at(start, index, self.lex.according_to)
            if according > start:
                phrase = self.reader.noun_phrase(according, index)
                if phrase is not None and (start in clauses or self._only_marks_between(phrase.end, index)):
                    return phrase.speaker
        for verb in range(index - 1, first - 1, -1):
            if self.tokens[verb].kind != "word":
                continue
            verb_end = self.reader.verb_at(verb, index)
            if verb_end == verb:
                continue
            subject = self.subject_before(verb, first)
            if subject is not None:
                return subject
            phrase = self.reader.noun_phrase(verb_end, index)
            if phrase is not None and all(t.kind == "punct" or t.norm in self.lex.reported_speech
                                          for t in self.tokens[phrase.end:index]):
                return phrase.speaker
            introduced = self.tokens[index - 1].is_punct(":") or self.tokens[index - 1].norm in self.lex.reported_speech
            if verb == first and introduced:  # the verb opens the sentence: the speaker follows it
                if phrase is not None and self._adjuncts_only(phrase.end, index - 1):
                    return phrase.speaker
                if phrase is None and self._adjuncts_only(verb_end, index - 1):
                    return _IMPLICIT  # "Añadió: «…»", "وأضاف: «…»": the subject is in the verb
            break
        if index > first and self.tokens[index - 1].is_punct(":"):
            return self._clause_subject(first, index)
        if index > first and self.tokens[index - 1].norm in self.lex.reported_speech:
            return self._clause_subject(first, index)  # "X puntualizó en rueda de prensa que «…»": any verb
        return None

    def _clause_subject(self, first: int, index: int) -> Speaker | None:
        """The speaker a clause opens with, whatever its verb: "Trump offered only a vague comment:", "La
        Fédération des parents d'élèves a demandé que"."""
        for start in self._clause_starts(first, index):
            phrase = self.reader.noun_phrase(start, index) or self.reader.unnamed_description(start, index)
            if phrase is not None:
                return phrase.speaker
        for position in range(first, index):  # "Vor den Journalisten beließ er es bei einem Satz:"
            token = self.tokens[position]
            if token.kind == "word" and self.lex.pronouns.get(token.norm) == "person" and not token.cap:
                return Speaker(token.text, kind="pronoun")
        return None

    def _adjuncts_only(self, start: int, stop: int) -> bool:
        """From ``start`` to ``stop`` there are only adjuncts of time and place ("en rueda de prensa", "في منشور")."""
        position = start
        while position < stop:
            skipped = self.reader.adjunct_end(position, stop)
            if skipped == position:
                return False
            position = skipped
        return True

    def _only_marks_between(self, start: int, stop: int) -> bool:
        return all(token.kind == "punct" for token in self.tokens[start:stop])

    def _clause_starts(self, first: int, stop: int) -> list[int]:
        """The sentence's start and every word after a comma or a dash ("**10:15** — La ministra…")."""
        return [first] + [p + 1 for p in range(first, stop)
                          if self.tokens[p].norm in _CLAUSE_MARKS and self.tokens[p].kind == "punct"]

    def subject_before(self, verb: int, first: int) -> Speaker | None:
        """The longest noun phrase that ends at the verb, or at what may stand between them: an auxiliary, an
        adverb or two, a comma ("Giorgio Rossi, ha dichiarato"), a clause ("who asked not to be named")."""
        ends = {verb}
        position = verb
        while position > first and len(ends) < 5:
            before = self.tokens[position - 1]
            adverb = before.kind == "word" and (not before.cap or self.reader.is_time(position - 1, verb)) \
                and before.norm not in self.lex.pronouns and not self.lex.is_title(before.norm)
            if before.is_punct(")"):  # "the Agency (Anses) said"
                opening = next((p for p in range(position - 2, max(first, position - MAX_CLAUSE) - 1, -1)
                                if self.tokens[p].is_punct("(")), None)
                if opening is None:
                    break
                position = opening
                ends.add(position)
            elif before.is_punct(",") or adverb:
                position -= 1
                ends.add(position)
            else:
                break
        for start in range(first, verb):
            phrase = self.reader.noun_phrase(start, verb) or self.reader.unnamed_description(start, verb)
            if phrase is not None and (phrase.end in ends or self._skip_gap(phrase.end, verb + 1) in ends):
                return phrase.speaker
        return None

    def _next_sentence(self, number: int, index: int) -> Speaker | None:
        """``"Why now?" Smith asked.`` — a short sentence right after a quotation that ends its sentence."""
        if number + 1 >= len(self.sentences) or self.sentences[number][1] != index + 1:
            return None
        first, end = self.sentences[number + 1]
        if end - first > MAX_ATTRIBUTION_SENTENCE or any(t.kind == "quote" for t in self.tokens[first:end]):
            return None
        return self.after(first - 1, end)

    def colon_speaker(self) -> Speaker | None:
        """The speaker of a paragraph that ends with a colon ("Petro wrote on X:"), for the block quote after it."""
        if not self.sentences or not self.tokens[-1].is_punct(":"):
            return None
        first, end = self.sentences[-1]
        return self.before(end, first)


def _title_cased(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) > 3 and not w.isdigit()]  # "Monitor de Riesgos 2026"
    return bool(long_words) and all(w[:1].isupper() for w in long_words) and words[-1][-1:] not in ".!?"
