"""Which of context, escalation, reactions and impact a section heading names.

Headings are matched against an alias table of words and phrases, case- and accent-insensitively, as whole
words, in every language of ``briefgen/languages/`` (English, Spanish, French, Portuguese, German, Italian);
a heading no phrase names is given the kind of its first word that begins with one of a kind's stems ("How it
unravelled" → escalation).
A heading that names two kinds belongs to both. The site config can add aliases; front matter ``sections:``
overrides the table for one briefing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from briefgen.lexicon import lexicon, normalise
from briefgen.model import SECTION_KINDS

ALIASES: Mapping[str, tuple[str, ...]] = lexicon().section_aliases


@dataclass(frozen=True)
class SectionClassifier:
    """An alias table compiled for matching; built once per build from the defaults and the site config."""

    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: ALIASES)
    words: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: lexicon().section_words)
    _patterns: tuple[tuple[str, re.Pattern], ...] = field(init=False, repr=False, compare=False)
    _stems: tuple[tuple[str, re.Pattern], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns = []
        for kind in SECTION_KINDS:
            phrases = sorted({normalise(alias) for alias in self.aliases.get(kind, ())} - {""}, key=len,
                             reverse=True)
            patterns.append((kind, re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")))
        object.__setattr__(self, "_patterns", tuple(patterns))
        object.__setattr__(self, "_stems", tuple(
            (kind, re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(self.words[kind], key=len, reverse=True)))
                              + ")"))
            for kind in SECTION_KINDS if self.words.get(kind)))

    @classmethod
    def with_extra(cls, extra: Mapping[str, tuple[str, ...]]) -> SectionClassifier:
        merged = {kind: tuple(ALIASES[kind]) + tuple(extra.get(kind, ())) for kind in SECTION_KINDS}
        return cls(aliases=MappingProxyType(merged))

    def kinds(self, heading: str) -> tuple[str, ...]:
        """The kinds a heading names, in the order of SECTION_KINDS: by its phrases ("Why it matters"), else
        by the stems of its words ("How it unravelled" → escalation)."""
        text = normalise(heading)
        named = tuple(kind for kind, pattern in self._patterns if pattern.search(text))
        if named:
            return named
        found = [(match.start(), kind) for kind, pattern in self._stems for match in [pattern.search(text)] if match]
        return (min(found)[1],) if found else ()  # the first word that names a kind decides
