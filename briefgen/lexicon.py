"""The words briefgen reads articles by: one YAML file per language in ``briefgen/languages/``.

Each file gives a language's section headings, month names and the words quotations are attributed with
(speech verbs, titles, pronouns, "according to"…). They are merged into one :class:`Lexicon`: an article is read
with every language's words at once, so a Spanish quotation inside an English briefing is still found, and an
article without ``lang:`` needs no guess. Adding a language is adding a file.

Every entry is compared after :func:`normalise` (lower case, no accents, punctuation as spaces), so
``"porte-parole"`` and ``"Porte parole"`` are the same entry.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from briefgen.model import SECTION_KINDS
from briefgen.yamlsource import SafeLoader

LANGUAGES_DIR = Path(__file__).parent / "languages"


# Arabic letters written either way: the tatweel that stretches a word, alef maqsura for ya, ta marbuta for ha
_ARABIC_VARIANTS = str.maketrans({"\u0640": None, "ى": "ي", "ة": "ه"})


@functools.lru_cache(maxsize=1 << 16)  # an article's words repeat, and a language has few of them
def normalise(text: str) -> str:
    """Lowercase, without accents, apostrophes or punctuation: "What’s next?" → "what s next" (and Arabic
    without hamza, vowel marks or tatweel)."""
    if text.isascii() and text.isalnum():  # most words: nothing to decompose or split
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_ARABIC_VARIANTS)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", without_marks).split())


@dataclass(frozen=True)
class Lexicon:
    """Every language's words, normalised; phrases of several words are kept whole."""

    section_aliases: Mapping[str, tuple[str, ...]]
    section_words: Mapping[str, tuple[str, ...]]  # stems: "unravel" names escalation in "How it unravelled"
    months: Mapping[str, int]
    speech_verbs: frozenset[str]
    auxiliaries: frozenset[str]
    according_to: frozenset[str]
    reported_speech: frozenset[str]
    pronouns: Mapping[str, str]  # "he" → "person", "they" → "group"
    determiners: frozenset[str]
    titles: frozenset[str]
    honorifics: frozenset[str]  # "Mr", "Mme", "Frau": split from a name like titles, but no role
    indefinites: frozenset[str]  # "a", "un", "ein": what an unnamed source is introduced with
    definites: frozenset[str]  # every other determiner: "the", "la", and "a", which is Portuguese for "the"
    title_prefixes: tuple[str, ...]  # "vice", "sub", "ex": "subgobernadora" is a title as "gobernadora" is
    portfolios: frozenset[str]  # what a minister is minister of: "Health", "Minas e Energia"
    title_suffixes: tuple[str, ...]  # German compounds: "Bundesaußenministerin" ends with "ministerin"
    institutions: frozenset[str]
    institution_suffixes: tuple[str, ...]  # German compounds: "Landesamt" ends with "amt"
    not_names: frozenset[str]
    work_markers: frozenset[str]  # "titled", "surnommé": what follows is a work's name or a nickname
    date_leads: tuple[str, ...]  # "on", "le", "am": before the date that opens a timeline item, as written
    longest_phrase: int
    # the titles, the honorifics and every title after each prefix ("subgobernadora"): one set lookup per word
    title_words: frozenset[str] = field(init=False, repr=False, compare=False)
    # the tests below, remembered by word: they are asked of every token, and an article's words repeat
    is_title: Callable[[str], bool] = field(init=False, repr=False, compare=False)
    is_institution: Callable[[str], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        prefixed = {prefix + title for prefix in self.title_prefixes for title in self.titles}
        object.__setattr__(self, "title_words", frozenset(self.titles | self.honorifics | prefixed))
        object.__setattr__(self, "is_title", functools.lru_cache(maxsize=1 << 16)(self._is_title))
        object.__setattr__(self, "is_institution", functools.lru_cache(maxsize=1 << 16)(self._is_institution))

    def _is_title(self, norm: str) -> bool:
        """A title word, also as the last part of a hyphenated word ("EU-Handelskommissar", "ex-ministre"),
        a German compound ("Bundesaußenministerin") or after a prefix ("subgobernadora")."""
        word = norm.rpartition(" ")[2]
        return word in self.title_words or norm in self.titles or (
            len(word) > 6 and word.endswith(self.title_suffixes))

    def _is_institution(self, norm: str) -> bool:
        """An institution's word, also as a German compound's end ("Landesamt", "Bundesbahn")."""
        word = norm.rpartition(" ")[2]
        if norm in self.institutions or word in self.institutions:
            return True
        if not word.endswith(self.institution_suffixes):
            return False
        suffix = next(ending for ending in self.institution_suffixes if word.endswith(ending))  # the longest
        return len(word) - len(suffix) >= 4  # "Landesamt", "Bundesbank"; not the name "Vonbank"

    def is_indefinite(self, norm: str) -> bool:
        """An indefinite article in every language that has the word ("un", "ein"; not "a": "a ministra")."""
        return norm in self.indefinites and norm not in self.definites

    def is_honorific(self, norm: str) -> bool:
        return norm in self.honorifics


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The merged lexicon of every file in ``briefgen/languages/`` (read once per process)."""
    files = [yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
             for path in sorted(LANGUAGES_DIR.glob("*.yaml"))]
    return merge(files)


def merge(files: Iterable[Mapping]) -> Lexicon:
    files = list(files)

    def words(key: str) -> frozenset[str]:
        return frozenset(normalise(entry) for data in files for entry in data.get(key, ()) if normalise(entry))

    def by_kind(key: str) -> dict[str, tuple[str, ...]]:
        return {kind: tuple(dict.fromkeys(entry for data in files for entry in (data.get(key) or {}).get(kind, ())))
                for kind in SECTION_KINDS}

    months = {normalise(name): number for data in files for name, number in (data.get("months") or {}).items()}
    pronouns = {normalise(word): kind for data in files for word, kind in (data.get("pronouns") or {}).items()}
    sets = {key: words(key) for key in ("speech_verbs", "auxiliaries", "according_to", "reported_speech",
                                         "determiners", "titles", "portfolios", "institutions", "not_names",
                                         "honorifics", "indefinites", "work_markers")}
    suffixes = tuple(sorted(words("title_suffixes"), key=len, reverse=True))
    institution_suffixes = tuple(sorted(words("institution_suffixes"), key=len, reverse=True))
    prefixes = tuple(sorted(words("title_prefixes"), key=len, reverse=True))
    date_leads = tuple(sorted({lead for data in files for lead in data.get("date_leads", ())}, key=len, reverse=True))
    definites = frozenset(normalise(word) for data in files for word in data.get("determiners", ())
                          if normalise(word) not in {normalise(w) for w in data.get("indefinites", ())})
    longest = max((len(phrase.split()) for values in sets.values() for phrase in values), default=1)
    stems = {kind: tuple(normalise(stem) for stem in entries) for kind, entries in by_kind("section_words").items()}
    return Lexicon(section_aliases=MappingProxyType(by_kind("sections")), section_words=MappingProxyType(stems),
                   months=MappingProxyType(months),
                   pronouns=MappingProxyType(pronouns), title_suffixes=suffixes,
                   institution_suffixes=institution_suffixes, title_prefixes=prefixes, definites=definites,
                   date_leads=date_leads, longest_phrase=longest, **sets)
