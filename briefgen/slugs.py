"""Readable, safe URL slugs (python-slugify handles Unicode, accents and transliteration)."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from slugify import slugify

_DATE_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[-_]")  # one-digit months and days occur (2024-12-5-x.md)
MAX_SLUG_LENGTH = 120  # characters
MAX_SLUG_BYTES = 200  # UTF-8 bytes: a file name may have 255, and `.json` or `index.html` must still fit
# Names Windows refuses for a file or folder, whatever follows them: a site must stay checkout-able there.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul"} | {f"{kind}{n}" for kind in ("com", "lpt") for n in range(10)})


@functools.lru_cache(maxsize=65536)  # a pure function called for every tag of every briefing
def make_slug(text: str) -> str:
    """A lowercase, readable slug; never empty, never a path, never a name Windows reserves, never longer than
    :data:`MAX_SLUG_LENGTH` characters or :data:`MAX_SLUG_BYTES` bytes.

    Latin text is transliterated ("¿Qué sigue?" → "que-sigue"); other scripts are kept as they are
    ("أزمة فنزويلا" stays Arabic), because a transliteration of them is not readable.
    """
    latin_only = all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())
    slug = slugify(text, allow_unicode=not latin_only)
    if not slug:
        return "x-" + _short_hash(text, 10)
    if len(slug) > MAX_SLUG_LENGTH or len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        return _shortened(slug, text)
    if slug in WINDOWS_RESERVED:
        return slug + "-1"
    return slug


def _shortened(slug: str, text: str) -> str:
    """A long slug cut at a word (and never inside a UTF-8 sequence), with a short hash of the whole text so
    that two long texts with the same beginning keep different slugs."""
    suffix = "-" + _short_hash(text, 8)
    room = MAX_SLUG_BYTES - len(suffix)
    head = slug[:MAX_SLUG_LENGTH - len(suffix)].encode("utf-8")[:room].decode("utf-8", "ignore")
    if "-" in head[len(head) // 2:]:
        head = head.rsplit("-", 1)[0]
    return head.strip("-") + suffix


def _short_hash(text: str, length: int) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def anchor_slug(text: str) -> str:
    """An ASCII id for a heading anchor (transliterated, so fragments stay easy to type)."""
    return slugify(text, max_length=80, word_boundary=True) or "section"


def slug_from_filename(stem: str) -> str:
    return make_slug(_DATE_PREFIX.sub("", stem))


def is_valid_slug(slug: str) -> bool:
    return make_slug(slug) == slug
