"""Who a noun phrase names: a person (with the title or appositive that is their role), an unnamed source
("a ministry spokesman"), an institution ("the Foreign Ministry") or a pronoun.

A phrase is read forward from a token: determiner, title words and their complements ("minister of health",
"ministro da Saúde", "Sprecher des Ministeriums"), a run of capitalised words that is the name (with particles:
"da Silva", "van der Berg"), then an appositive between commas (", an economist at the Bank of Lisbon,"). Titles
glued to a name become its role: "Trade Commissioner Jane Doe" is Jane Doe, Trade Commissioner.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.lexicon import Lexicon
from briefgen.quotes.tokens import Token

PARTICLES = frozenset("de da del dos das do van von der den ter bin ben al el la le di du della dalla dei degli "
                      "y e zu vom".split())
CONNECTORS = frozenset("of for at in de da do das dos del des du di della dello degli dei delle d "
                       "von vom der am im zum zur beim".split())
RELATIVES = frozenset("who which whom que qui quien quienes cui che der die welche welcher".split())
TIME_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday today yesterday tonight weekend week morning evening
lunes martes miercoles jueves viernes sabado domingo hoy ayer lundi mardi mercredi jeudi vendredi samedi dimanche
hier segunda terca quarta quinta sexta sabado hoje ontem montag dienstag mittwoch donnerstag freitag samstag
sonntag heute gestern lunedi martedi mercoledi giovedi venerdi domenica oggi ieri statement press conference
interview comunicado nota communique conferencia entrevista pressekonferenza mitteilung erklarung dichiarazione
""".split())
MAX_APPOSITIVE = 16


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str  # a person's or institution's name, an unnamed source's description, or a pronoun
    role: str = ""
    kind: str = "person"  # person | unnamed | institution | pronoun | title ("the mayor": who, is decided later)
    group: bool = False  # a plural pronoun ("they", "ils")


@dataclass(frozen=True, slots=True)
class Phrase:
    speaker: Speaker
    end: int  # index after the phrase


class PhraseReader:
    """Reads noun phrases in one paragraph's tokens with one lexicon."""

    def __init__(self, tokens: list[Token], lex: Lexicon):
        self.tokens = tokens
        self.lex = lex

    # ---- single tokens ---------------------------------------------------------------------------------

    def word(self, index: int, end: int) -> Token | None:
        if index < end and self.tokens[index].kind == "word":
            return self.tokens[index]
        return None

    def phrase_at(self, index: int, end: int, entries: frozenset[str]) -> int:
        """The index after the longest entry of ``entries`` starting at ``index`` (``index`` when none)."""
        norms = []
        for position in range(index, min(end, index + self.lex.longest_phrase)):
            token = self.tokens[position]
            if token.kind != "word":
                break
            norms.append(token.norm)
        for length in range(len(norms), 0, -1):
            if " ".join(norms[:length]) in entries:
                return index + length
        return index

    def is_name_word(self, index: int, end: int) -> bool:
        token = self.word(index, end)
        return token is not None and token.cap and token.norm not in self.lex.not_names \
            and token.norm not in self.lex.speech_verbs

    def is_time(self, index: int, end: int) -> bool:
        token = self.word(index, end)
        return token is not None and (token.norm in TIME_WORDS or token.norm in self.lex.months
                                      or token.norm.isdigit())

    # ---- capitalised runs --------------------------------------------------------------------------------

    def capitalised_run(self, index: int, end: int) -> int:
        """The index after a run of capitalised words joined by name particles ("Luiz Inácio da Silva")."""
        position = index
        while position < end:
            if self.is_name_word(position, end):
                position += 1
            elif (self.word(position, end) is not None and self.tokens[position].norm in PARTICLES
                  and position > index and self.is_name_word(position + 1, end)):
                position += 1
            else:
                break
        return position

    def split_run(self, start: int, stop: int) -> tuple[int, bool]:
        """Where the name starts in a capitalised run (after its last title word), and whether the run
        names an institution ("Foreign Ministry", "Auswärtiges Amt")."""
        name_start = start
        for position in range(start, stop):
            if self.lex.is_title(self.tokens[position].norm):
                name_start = position + 1
        institution = any(self.phrase_at(p, stop, self.lex.institutions) > p for p in range(start, stop))
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

    # ---- noun phrases -----------------------------------------------------------------------------------

    def noun_phrase(self, index: int, end: int) -> Phrase | None:
        """The speaker named by the phrase starting at ``index`` (not reading past ``end``), or None."""
        position = index
        determiner = self.phrase_at(position, end, self.lex.determiners)
        definite = determiner > position
        position = determiner
        token = self.word(position, end)
        if token is None:
            return None
        if not definite and token.norm in self.lex.pronouns:
            return Phrase(Speaker(token.text, kind="pronoun", group=self.lex.pronouns[token.norm] == "group"),
                          position + 1)
        role_start = position
        titled = institution = False
        while position < end:
            token = self.tokens[position]
            if token.kind == "punct":
                if token.text == "," and titled and position + 1 < end and self.is_name_word(position + 1, end):
                    name = self._name(position + 1, end, role_start, position)
                    if name is not None:
                        return name
                break
            if token.kind != "word" or token.norm in self.lex.speech_verbs or token.norm in self.lex.reported_speech:
                break
            if self.phrase_at(position, end, self.lex.auxiliaries) > position and position > role_start:
                break
            if self.is_name_word(position, end):
                run_end = self.capitalised_run(position, end)
                name_start, names_institution = self.split_run(position, run_end)
                following = self.word(run_end, end)
                modifies = following is not None and not following.cap and (
                    self.lex.is_title(following.norm) or following.norm in self.lex.institutions)
                if modifies or (titled and self.tokens[position - 1].norm in CONNECTORS and run_end - name_start < 2):
                    position = run_end  # "European diplomat", "Venezuela's government", "minister of Health"
                    continue
                if titled and self.tokens[position - 1].norm in CONNECTORS:
                    name_start = self._after_portfolio(position, run_end)
                if names_institution and not (titled and name_start > position):
                    return Phrase(Speaker(self.text(role_start, run_end), kind="institution"), run_end)
                if name_start < run_end and (not definite or name_start > role_start or titled):
                    return self._name(name_start, end, role_start, name_start)
                if name_start == run_end:
                    titled = True
                    position = run_end
                    continue
                if definite:  # "the Kremlin", "o Itamaraty", "la Casa Blanca"
                    return Phrase(Speaker(self.text(role_start, run_end), kind="institution"), run_end)
                return self._name(name_start, end, role_start, name_start)
            norm = token.norm
            if self.lex.is_title(norm):
                titled = True
            elif self.phrase_at(position, end, self.lex.institutions) > position:
                institution = True
                position = self.phrase_at(position, end, self.lex.institutions)
                continue
            elif norm in CONNECTORS or norm in self.lex.determiners:
                if not (titled or institution) or self.is_time(position + 1, end) or \
                        self.is_time(position + 2, end) or norm in self.lex.pronouns:
                    break
            elif norm in RELATIVES or norm in self.lex.not_names:
                break
            elif not (titled or institution):
                if position - role_start >= 3:  # descriptors before a title: "senior", "top"
                    return None
            elif not self._adjective_ends_phrase(position, end):
                break
            position += 1
        if not (titled or institution):
            return None
        while position > role_start and self.tokens[position - 1].norm in CONNECTORS | self.lex.determiners:
            position -= 1
        description = self.text(role_start, position)
        if titled:
            return Phrase(Speaker(description, kind="title" if definite and not institution else "unnamed"),
                          position)
        return Phrase(Speaker(description, kind="institution"), position)

    def _after_portfolio(self, start: int, stop: int) -> int:
        """Inside "ministro da Fazenda Fulano de Tal", where the name starts: the portfolio takes capitalised
        words while two are left for the name."""
        capitals = [p for p in range(start, stop) if self.tokens[p].cap]
        return capitals[-2] if len(capitals) >= 3 else (capitals[1] if len(capitals) == 2 else stop)

    def _adjective_ends_phrase(self, index: int, end: int) -> bool:
        """A lowercase word after a title is the phrase's adjective ("diplomata europeu", "source
        diplomatique") only when the phrase ends right after it."""
        following = index + 1
        if following >= end:
            return True
        token = self.tokens[following]
        return token.kind != "word" or token.norm in self.lex.speech_verbs or \
            self.phrase_at(following, end, self.lex.auxiliaries) > following

    def _name(self, name_start: int, end: int, role_start: int, role_end: int) -> Phrase | None:
        name_end = self.capitalised_run(name_start, end)
        if name_end == name_start:
            return None
        role = self.text(role_start, role_end)
        appositive = self.appositive(name_end, end)
        if appositive is not None:
            role, name_after = appositive[0] or role, appositive[1]
        else:
            name_after = name_end
        return Phrase(Speaker(self.text(name_start, name_end), role=role), name_after)

    def appositive(self, index: int, end: int) -> tuple[str, int] | None:
        """", an economist at the Bank of Lisbon," after a name: the role, and the index after it. An
        appositive without a title word (", 45,", ", who asked not to be named,") is skipped with no role."""
        if not (index < end and self.tokens[index].is_punct(",")):
            return None
        stop = index + 1
        while stop < end and stop - index <= MAX_APPOSITIVE and not self.tokens[stop].is_punct(",", ";", ":", ".") \
                and self.tokens[stop].kind != "quote" and self.tokens[stop].norm not in self.lex.speech_verbs:
            stop += 1
        if stop == index + 1 or stop - index > MAX_APPOSITIVE:
            return None
        start = self.phrase_at(index + 1, stop, self.lex.determiners)
        words = [self.tokens[p].norm for p in range(start, stop)]
        if not words or words[0] in RELATIVES:
            return ("", stop + 1) if stop < end and self.tokens[stop].is_punct(",") else None
        if not any(self.lex.is_title(word) for word in words):
            return None
        closing = stop + 1 if stop < end and self.tokens[stop].is_punct(",") else stop
        return self.text(start, stop), closing
