"""A multilingual site: which briefings are versions of one another, and each language's own site.

A briefing's language is its ``lang:`` or its file name's suffix (``airspace.es.md``); its versions share a
translation key: ``translation_key:``, else the file name without date, suffix and extension. Each language gets
a :class:`~briefgen.model.Site` of its own (its home, feeds, stories, tags, search…), and every briefing's
context names its versions in the other languages.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from briefgen.config import SiteConfig
from briefgen.errors import Problem, Problems
from briefgen.model import Briefing, Site, Translation


@dataclass(frozen=True)
class LanguageSite:
    """One language's part of the site: its briefings, where its pages go, and the config they are made with."""

    code: str
    prefix: str  # "" for the default language, else "es/"
    config: SiteConfig  # with this language's base URL, title and language
    site: Site
    digests: dict[str, str]  # slug → digest of the briefing's file


def language_of(briefing: Briefing, config: SiteConfig) -> str:
    return briefing.lang if config.languages and briefing.lang else config.language


def check_translations(briefings: list[Briefing], config: SiteConfig, problems: Problems) -> None:
    """Two briefings in one language with one translation key, and a file named as a translation (``x.es.md``)
    with no other version, are errors naming the files. (A ``translation_key:`` may name versions still to come:
    an archive imported in several languages has articles that were never translated.)"""
    groups: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        groups[briefing.translation_key].append(briefing)
    for key, members in sorted(groups.items()):
        by_language: dict[str, list[Briefing]] = defaultdict(list)
        for briefing in members:
            by_language[language_of(briefing, config)].append(briefing)
        for language, same in sorted(by_language.items()):
            if len(same) > 1:
                files = sorted(b.source for b in same)
                problems.error(Problem(files[0], key="translation_key",
                                       message=f"{len(files)} briefings are the {language} version of {key!r}: "
                                       + ", ".join(files),
                                       hint="give one of them another `lang:`, file name or `translation_key:`"))
        if len(by_language) == 1:
            for briefing in members:
                if briefing.translation:
                    problems.error(Problem(briefing.source, key="translation_key",
                                           message=f"a translation of {key!r}, but no other version of it exists",
                                           hint="add the original (the same file name without the language suffix), "
                                                "or rename this file without the suffix and write `lang:`"))


def language_sites(briefings: list[Briefing], config: SiteConfig, digest_of: Callable[[Briefing], str],
                   collect_one: Callable[[list[Briefing], str], Site]) -> list[LanguageSite]:
    """Each language's site, the default language first, every briefing's context naming its other versions."""
    by_language: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        by_language[language_of(briefing, config)].append(briefing)
    parts = []
    for code in config.language_codes:
        site = collect_one(by_language.get(code, []), code)
        parts.append(LanguageSite(code, config.prefix(code), config.for_language(code), site,
                                  {b.slug: digest_of(b) for b in site.briefings}))
    if len(parts) > 1:
        parts = _with_translations(parts, config)
    return parts


def _with_translations(parts: list[LanguageSite], config: SiteConfig) -> list[LanguageSite]:
    versions: dict[str, dict[str, Briefing]] = defaultdict(dict)
    for part in parts:
        for briefing in part.site.briefings:
            versions[briefing.translation_key][part.code] = briefing
    default = config.language_codes[0]
    linked = []
    for part in parts:
        contexts = dict(part.site.contexts)
        for briefing in part.site.briefings:
            others = versions[briefing.translation_key]
            translations = tuple(Translation(code, other.slug, other.title, original=code == default)
                                 for code in config.language_codes if code != part.code
                                 for other in (others.get(code),) if other is not None)
            if translations:
                contexts[briefing.slug] = dataclasses.replace(part.site.context(briefing.slug),
                                                              translations=translations)
        linked.append(dataclasses.replace(part, site=dataclasses.replace(part.site, contexts=contexts)))
    return linked
