"""Which of context, escalation, reactions and impact a section heading names.

Headings are matched against an alias table of words and phrases, case- and accent-insensitively, as whole
words, in English, Spanish, French and Portuguese. A heading that names two kinds belongs to both. The site
config can add aliases; front matter ``sections:`` overrides the table for one briefing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from briefgen.model import SECTION_KINDS

ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "context": (
        # English
        "context", "background", "backstory", "the big picture", "big picture", "how we got here",
        "history", "historical background", "catch up quick", "the backstory", "state of play", "recap",
        # Spanish / Portuguese
        "contexto", "antecedentes", "trasfondo", "historia", "panorama", "como llegamos aqui",
        "como chegamos aqui", "historico",
        # French
        "contexte", "historique", "rappel des faits", "toile de fond",
    ),
    "escalation": (
        "escalation", "escalating", "escalate", "driving the news", "timeline", "the latest",
        "developments", "latest developments", "what happened", "chronology", "how it unfolded",
        "escalada", "escalamiento", "cronologia", "lo ultimo", "ultimas noticias", "desarrollo",
        "acontecimientos", "o que aconteceu", "ultimos acontecimentos",
        "escalade", "chronologie", "derniers developpements", "ce qui s est passe",
    ),
    "reactions": (
        "reactions", "reaction", "what they re saying", "what theyre saying", "responses", "response",
        "the view from", "view from", "voices", "who said what", "international response",
        "reacciones", "reaccion", "lo que dicen", "respuestas", "respuesta",
        "reacoes", "reacao", "o que dizem", "repercussao", "repercussoes",
        "ce qu ils disent", "ce qu elles disent",
    ),
    "impact": (
        "impact", "impacts", "why it matters", "implications", "implication", "consequences",
        "what s next", "whats next", "what comes next", "outlook", "the bottom line", "bottom line",
        "what it means", "stakes", "the stakes", "importance", "significance", "what to watch",
        "impacto", "impactos", "consecuencias", "por que importa", "por que es importante",
        "que sigue", "perspectivas", "lo que viene",
        "consequencias", "por que isso importa", "o que vem a seguir", "o que esperar",
        "enjeux", "perspectives", "pourquoi c est important", "et maintenant",
        "la suite", "incidences",
    ),
})


def normalise(text: str) -> str:
    """Lowercase, without accents, apostrophes or punctuation: "What’s next?" → "what s next"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", without_marks).split())


@dataclass(frozen=True)
class SectionClassifier:
    """An alias table compiled for matching; built once per build from the defaults and the site config."""

    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: ALIASES)
    _patterns: tuple[tuple[str, re.Pattern], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns = []
        for kind in SECTION_KINDS:
            phrases = sorted({normalise(alias) for alias in self.aliases.get(kind, ())} - {""}, key=len,
                             reverse=True)
            patterns.append((kind, re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")))
        object.__setattr__(self, "_patterns", tuple(patterns))

    @classmethod
    def with_extra(cls, extra: Mapping[str, tuple[str, ...]]) -> SectionClassifier:
        merged = {kind: tuple(ALIASES[kind]) + tuple(extra.get(kind, ())) for kind in SECTION_KINDS}
        return cls(aliases=MappingProxyType(merged))

    def kinds(self, heading: str) -> tuple[str, ...]:
        """The kinds a heading names, in the order of SECTION_KINDS."""
        text = normalise(heading)
        return tuple(kind for kind, pattern in self._patterns if pattern.search(text))
