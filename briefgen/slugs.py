"""Readable, safe URL slugs (python-slugify handles Unicode, accents and transliteration)."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from slugify import slugify

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]")
MAX_SLUG_LENGTH = 120


@functools.lru_cache(maxsize=65536)  # a pure function called for every tag of every briefing
def make_slug(text: str) -> str:
    """A lowercase, readable slug; never empty, never a path.

    Latin text is transliterated ("¿Qué sigue?" → "que-sigue"); other scripts are kept as they are
    ("أزمة فنزويلا" stays Arabic), because a transliteration of them is not readable.
    """
    latin_only = all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())
    slug = slugify(text, allow_unicode=not latin_only, max_length=MAX_SLUG_LENGTH, word_boundary=True)
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return slug


def anchor_slug(text: str) -> str:
    """An ASCII id for a heading anchor (transliterated, so fragments stay easy to type)."""
    return slugify(text, max_length=80, word_boundary=True) or "section"


def slug_from_filename(stem: str) -> str:
    return make_slug(_DATE_PREFIX.sub("", stem))


def is_valid_slug(slug: str) -> bool:
    return make_slug(slug) == slug
