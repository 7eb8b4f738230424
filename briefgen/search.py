"""The search index: normalised words per briefing, stable document ids, and static shards kept up to date
incrementally.

Layout of the output (all UTF-8 JSON), read by ``themes/default/static/search.js``:

- ``search/index.json``: ``{"version", "idLength", "token", "order", "shards"}``: ``order`` is every document
  id, newest first, concatenated; ``shards`` the names of the word shards; ``token`` changes whenever any
  index file does (the script adds it to shard URLs, so a browser never mixes two builds' files);
- ``search/w/<shard>.json``: the words whose first two characters name the shard, each mapped to
  ``[ids, title_ids]``: the documents containing it, and those whose title does, as sorted fixed-width ids
  concatenated into one string;
- ``search/docs/<first two characters of the id>.json``: ``{id: [route, title, display date, summary]}``.

Words are computed where a briefing is parsed (only there is its body at hand) and cached by the digest of its
source file. The word shards are updated from the difference between the documents the last index held and
the current ones, so an edit costs that briefing's words, not the whole index.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Callable, Iterable, Iterator, Protocol

from briefgen.cache import digest
from briefgen.model import Briefing, Site
from briefgen.render import PageRenderer, Planned
from briefgen.urls import briefing_route
from briefgen.views import When

FORMAT = 1
ID_LENGTH = 5
ID_SPACE = 36 ** ID_LENGTH
SHARD_PREFIX = 2  # characters of a word that name its shard
DOC_SHARD_PREFIX = 2  # characters of an id that name its record shard
REBUILD_AFTER = 200  # changed documents beyond which (and beyond a tenth of all) the index is made anew
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_TOKEN = re.compile(r"[^\W_]{2,}")  # runs of two or more letters or digits (of any script); exactly \p{L}\p{N}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_PLAIN_SHARD = re.compile(r"[a-z0-9]+")


# ---- normalisation: the JavaScript side (search.js) does exactly the same ----------------------------------


def normalise(text: str) -> str:
    """NFKD, combining marks dropped, case folded the way browsers can repeat (upper then lower case, final
    sigma as sigma)."""
    if text.isascii():
        return text.lower()
    folded = _without_marks(_without_marks(text).upper().lower())
    return folded.replace("ς", "σ")


def _without_marks(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return _NON_ASCII.sub(lambda run: "".join(c for c in run.group() if unicodedata.category(c)[0] != "M"), text)


def words_of(text: str) -> list[str]:
    """The normalised words of a text, in order, one-character words dropped."""
    return _TOKEN.findall(normalise(text))


@dataclass(frozen=True)
class DocWords:
    """The distinct words of one briefing, and those of its title, both sorted."""

    words: tuple[str, ...]
    title: tuple[str, ...]

    def encode(self) -> bytes:
        return zlib.compress(f"{' '.join(self.words)}\n{' '.join(self.title)}".encode("utf-8"), 6)

    @classmethod
    def decode(cls, blob: bytes) -> DocWords:
        words, _, title = zlib.decompress(blob).decode("utf-8").partition("\n")
        return cls(tuple(words.split()), tuple(title.split()))


def readable(blobs: dict[str, bytes]) -> dict[str, bytes]:
    """The encoded word lists that decode: a damaged one (from a damaged cache) counts as missing."""
    good = {}
    for key, blob in blobs.items():
        try:
            DocWords.decode(blob)
        except (zlib.error, UnicodeDecodeError, TypeError):
            continue
        good[key] = blob
    return good


def briefing_words(briefing: Briefing) -> DocWords:
    """Every word a reader may search a briefing by; needs the full briefing (with its bodies)."""
    texts = [briefing.title, briefing.summary, briefing.lead_text, briefing.story or ""]
    for section in briefing.sections:
        texts += (section.heading, section.text)
    texts += briefing.tags + briefing.regions + briefing.actors
    texts += [quote.text for quote in briefing.quotes] + [event.text for event in briefing.timeline]
    title = sorted(set(words_of(briefing.title)))
    return DocWords(tuple(sorted(set(words_of("\n".join(texts))))), tuple(title))


# ---- ids and shard names ------------------------------------------------------------------------------------


def assign_ids(slugs: Iterable[str], first: dict[str, str] | None = None) -> dict[str, str]:
    """slug → short base-36 id from a hash of the slug; on a clash, the slug that sorts later tries again.
    ``first``: each slug's first try, as far as already known (they cost a hash each)."""
    first = first or {}
    taken: set[str] = set()
    ids = {}
    for slug in sorted(slugs):
        attempt = 0
        candidate = first.get(slug) or _hashed_id(slug, 0)
        while candidate in taken:
            attempt += 1
            candidate = _hashed_id(slug, attempt)
        taken.add(candidate)
        ids[slug] = candidate
    return ids


def _hashed_id(slug: str, attempt: int) -> str:
    number = int.from_bytes(hashlib.blake2b(f"{slug}\0{attempt}".encode(), digest_size=8).digest(), "big")
    number %= ID_SPACE
    digits = []
    for _ in range(ID_LENGTH):
        number, rest = divmod(number, 36)
        digits.append(_DIGITS[rest])
    return "".join(reversed(digits))


def shard_name(word: str) -> str:
    """The word shard a word lives in: its first characters, or their code points in hex (``x627-644``) when
    they are not plain ASCII letters and digits, so that file names stay portable."""
    prefix = word[:SHARD_PREFIX]
    if _PLAIN_SHARD.fullmatch(prefix):
        return prefix
    return "x" + "-".join(f"{ord(c):x}" for c in prefix)


def word_shard_path(name: str) -> str:
    return f"search/w/{name}.json"


# ---- the inverted index: built whole, or updated from what changed -----------------------------------------

Shard = dict[str, list[str]]  # word → [ids, title ids], each a sorted run of fixed-width ids


@dataclass(frozen=True)
class IndexState:
    """What the last index held: the source digest of each document, and a fingerprint of each word shard."""

    docs: dict[str, str]  # id → source digest
    shards: dict[str, str]  # shard name → digest of its bytes
    first_ids: dict[str, str] = field(default_factory=dict)  # slug → its id's first try (saves hashing)
    format: int = FORMAT

    def plain(self) -> tuple:
        """As plain data, for the build cache."""
        return (self.format, self.docs, self.shards, self.first_ids)

    @classmethod
    def from_plain(cls, value) -> IndexState | None:
        """The state :meth:`plain` gave, or None for anything else."""
        try:
            format_, docs, shards, first_ids = value
            return cls(docs=dict(docs), shards=dict(shards), first_ids=dict(first_ids), format=format_)
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class IndexUpdate:
    state: IndexState
    changed: dict[str, bytes]  # shards with new bytes
    rebuilt: bool  # made from every document's words rather than from the differences
    gone: tuple[str, ...] = ()  # shards of the previous index that this one no longer has


class WordSource(Protocol):
    """Where the updater gets encoded :class:`DocWords` (by source digest) and stored shards from."""

    def current(self, digests: list[str]) -> dict[str, bytes]:
        """Words of current documents: every digest asked for (parsed again if need be)."""

    def previous(self, digests: list[str]) -> dict[str, bytes]:
        """Words of documents the last index held: those still known."""

    def shards(self, names: list[str]) -> dict[str, bytes]:
        """Stored word shards: those still known."""


def update_index(previous: IndexState | None, docs: dict[str, str], source: WordSource) -> IndexUpdate:
    """The index of ``docs`` (id → source digest): from ``previous`` and the changes since, or rebuilt whole
    when the previous index is missing or anything it needs is not at hand."""
    if previous is not None and previous.format == FORMAT and not _many_changes(previous.docs, docs):
        update = _apply_changes(previous, docs, source)
        if update is not None:
            return update
    return rebuild_index(docs, source)


def _many_changes(before: dict[str, str], after: dict[str, str]) -> bool:
    """Whether so many documents changed that patching postings one by one would cost more than a rebuild."""
    changed = sum(1 for i, d in after.items() if before.get(i) != d) + sum(1 for i in before if i not in after)
    return changed > max(REBUILD_AFTER, len(after) // 10)


def rebuild_index(docs: dict[str, str], source: WordSource) -> IndexUpdate:
    postings: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, list[str]] = defaultdict(list)
    blobs = source.current(sorted(set(docs.values())))
    for doc_id in sorted(docs):  # in id order, so that every posting list comes out sorted
        words = DocWords.decode(blobs[docs[doc_id]])
        for word in words.words:
            postings[word].append(doc_id)
        for word in words.title:
            titles[word].append(doc_id)
    shards: dict[str, Shard] = defaultdict(dict)
    for word, ids in postings.items():
        shards[shard_name(word)][word] = ["".join(ids), "".join(titles.get(word, ()))]
    changed = {name: encode_shard(shard) for name, shard in shards.items()}
    state = IndexState(docs=dict(docs), shards={name: digest(data) for name, data in changed.items()})
    return IndexUpdate(state, changed, rebuilt=True)


Edits = dict[str, list[tuple[str, int, str, bool]]]  # shard → (word, column, id, added?)


def _apply_changes(previous: IndexState, docs: dict[str, str], source: WordSource) -> IndexUpdate | None:
    gone = {i: d for i, d in previous.docs.items() if docs.get(i) != d}
    new = {i: d for i, d in docs.items() if previous.docs.get(i) != d}
    old_digests = sorted(set(gone.values()))
    old_blobs = source.previous(old_digests) if old_digests else {}
    if len(old_blobs) < len(old_digests):
        return None  # an old document's words are no longer known
    new_blobs = source.current(sorted(set(new.values()))) if new else {}
    edits: Edits = defaultdict(list)
    for doc_id in sorted(gone.keys() | new.keys()):
        before = DocWords.decode(old_blobs[gone[doc_id]]) if doc_id in gone else DocWords((), ())
        after = DocWords.decode(new_blobs[new[doc_id]]) if doc_id in new else DocWords((), ())
        for column, old, now in ((0, set(before.words), set(after.words)), (1, set(before.title), set(after.title))):
            for word in now - old:
                edits[shard_name(word)].append((word, column, doc_id, True))
            for word in old - now:
                edits[shard_name(word)].append((word, column, doc_id, False))
    known = sorted(edits.keys() & previous.shards.keys())
    stored = source.shards(known) if known else {}
    if len(stored) < len(known):
        return None
    shards, changed = dict(previous.shards), {}
    for name in sorted(edits):
        try:
            shard = decode_shard(stored[name]) if name in stored else {}
            _patch(shard, edits[name])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # a damaged shard
        if shard:
            changed[name] = encode_shard(shard)
            shards[name] = digest(changed[name])
        else:
            shards.pop(name, None)
    gone = tuple(sorted(previous.shards.keys() - shards.keys()))
    return IndexUpdate(IndexState(dict(docs), shards), changed, rebuilt=False, gone=gone)


def _patch(shard: Shard, edits: list[tuple[str, int, str, bool]]) -> None:
    for word, column, doc_id, added in edits:
        entry = shard.setdefault(word, ["", ""])
        entry[column] = (_with if added else _without)(entry[column], doc_id)
    for word in {word for word, *_ in edits}:
        if not shard[word][0]:
            del shard[word]


def _position(ids: str, doc_id: str) -> int:
    """Where ``doc_id`` is or would go in a sorted run of fixed-width ids (an offset into the string)."""
    low, high = 0, len(ids) // ID_LENGTH
    while low < high:
        middle = (low + high) // 2
        if ids[middle * ID_LENGTH:(middle + 1) * ID_LENGTH] < doc_id:
            low = middle + 1
        else:
            high = middle
    return low * ID_LENGTH


def _with(ids: str, doc_id: str) -> str:
    at = _position(ids, doc_id)
    if ids[at:at + ID_LENGTH] == doc_id:
        raise ValueError("the stored index already has this document")
    return ids[:at] + doc_id + ids[at:]


def _without(ids: str, doc_id: str) -> str:
    at = _position(ids, doc_id)
    if ids[at:at + ID_LENGTH] != doc_id:
        raise ValueError("the stored index lacks this document")
    return ids[:at] + ids[at + ID_LENGTH:]


def encode_shard(shard: Shard) -> bytes:
    return _json(shard)


def decode_shard(data: bytes) -> Shard:
    shard = json.loads(data)
    if not isinstance(shard, dict):
        raise ValueError("not a shard")
    return shard


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n"


def shard_reader(update: IndexUpdate, docs: dict[str, str], source: WordSource) -> Callable[[str], bytes]:
    """A word shard's bytes: new ones, else the stored ones, else (should the store have lost them since the
    update) from a rebuild."""
    rebuilt: list[IndexUpdate] = []

    def shard_bytes(name: str) -> bytes:
        if name in update.changed:
            return update.changed[name]
        data = source.shards([name]).get(name)
        if data is None or digest(data) != update.state.shards[name]:
            if not rebuilt:
                rebuilt.append(rebuild_index(docs, source))
            data = rebuilt[0].changed[name]
        return data
    return shard_bytes


# ---- the plan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchIndex:
    """What the search outputs are made from besides the site."""

    ids: dict[str, str]  # slug → id of every published briefing
    update: IndexUpdate
    shard_bytes: Callable[[str], bytes]


def index_site(site: Site, digests: dict[str, str], previous: IndexState | None, source: WordSource) -> SearchIndex:
    """The index of the site's briefings, updated from ``previous``."""
    slugs = [b.slug for b in site.briefings]
    known = previous.first_ids if previous is not None else {}
    first = {slug: known.get(slug) or _hashed_id(slug, 0) for slug in slugs}
    ids = assign_ids(slugs, first)
    docs = {ids[slug]: digests[slug] for slug in slugs}
    update = update_index(previous, docs, source)
    update = replace(update, state=replace(update.state, first_ids=first))
    return SearchIndex(ids, update, shard_reader(update, docs, source))


def plan_search(site: Site, renderer: PageRenderer, key: str, digests: dict[str, str],
                index: SearchIndex) -> Iterator[Planned]:
    """The search page, the manifest, the record shards and the word shards."""
    yield Planned("search/index.html", "page", digest(key, "search/index.html"), lambda: renderer.page(
        "search.html", "search/", title=renderer.translator.text("search.title"),
        description=renderer.translator.text("meta.search", site=renderer.config.title)))
    fingerprints = []
    for path, members in sorted(_by_record_shard(site.briefings, index.ids).items()):
        fingerprint = digest(key, path, *(f"{index.ids[b.slug]}\0{b.slug}\0{digests[b.slug]}" for b in members))
        fingerprints.append(fingerprint)
        yield Planned(path, "data", fingerprint, partial(_records, members, index.ids, renderer))
    for name, fingerprint in sorted(index.update.state.shards.items()):
        fingerprints.append(fingerprint)
        yield Planned(word_shard_path(name), "data", fingerprint, partial(index.shard_bytes, name))
    token = digest(*fingerprints)[:16]
    order = [index.ids[b.slug] for b in site.briefings]
    names = tuple(index.update.state.shards)
    yield Planned("search/index.json", "data", digest(key, "search/index.json", token, *order),
                  lambda: _json({"version": FORMAT, "idLength": ID_LENGTH, "token": token, "order": "".join(order),
                                 "shards": sorted(names)}))


def _by_record_shard(briefings: Iterable[Briefing], ids: dict[str, str]) -> dict[str, list[Briefing]]:
    grouped: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        grouped[ids[briefing.slug][:DOC_SHARD_PREFIX]].append(briefing)
    return {f"search/docs/{prefix}.json": sorted(members, key=lambda b: ids[b.slug])
            for prefix, members in grouped.items()}


def _records(briefings: list[Briefing], ids: dict[str, str], renderer: PageRenderer) -> bytes:
    base = len(renderer.urls.base_path)
    tz = renderer.config.tz
    date = renderer.translator.long_date  # in the page's language, as its results show it
    return _json({ids[b.slug]: [renderer.urls.path(briefing_route(b.slug))[base:], b.title,
                                date(When.of(b.date, tz)), b.summary] for b in briefings})
