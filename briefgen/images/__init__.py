"""A site's images: found and read once (``files``), planned as variants (``variants``), made in the worker
pool (``encode``) and shown as responsive pictures (``markup``).

:func:`resolve_images` runs after the briefings are known: every lead image and every image in a briefing's
text is located and read (the build cache remembers what each file is, by path, size and time), and every
problem is reported where the image is named. The result, :class:`SiteImages`, gives each briefing its
pictures, a key for the fingerprints of everything that shows them, and the variants as planned outputs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from briefgen.cache import RACY_NS, BuildCache, digest
from briefgen.config import SiteConfig
from briefgen.errors import Problem, Problems
from briefgen.images.encode import Encoder, encoder_version, modern_formats
from briefgen.images.files import ImageFile, Unusable, locate, probe
from briefgen.images.variants import Crops, Picture, Variant, crops, picture
from briefgen.markdown import is_remote
from briefgen.model import Briefing, ImageRef


@dataclass(frozen=True)
class LeadImage:
    ref: ImageRef
    picture: Picture | None  # None: a remote image, shown from where it is
    crops: Crops | None = None


@dataclass(frozen=True)
class BriefingImages:
    lead: LeadImage | None
    body: tuple[Picture, ...]  # by the number of their placeholder in the text
    key: str  # changes whenever anything shown of them changes


@dataclass
class SiteImages:
    by_source: dict[str, BriefingImages] = field(default_factory=dict)  # by the briefing's file
    sources: dict[str, Path] = field(default_factory=dict)  # shown path → the file
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # shown path → (mtime_ns, size)
    recorded: dict[str, int] = field(default_factory=dict)  # shown path → when it was read (ns)
    encoder: Encoder | None = None

    def of(self, source: str) -> BriefingImages | None:
        return self.by_source.get(source)

    def variants(self) -> Iterator[tuple[Variant, str]]:
        """Every file to make, once, each with the source it is made from; a source's variants in a row, and
        one width's formats together, so the encoder decodes and resizes as little as it can."""
        seen = set()
        for images in self.by_source.values():
            pictures = [*images.body, *([images.lead.picture] if images.lead and images.lead.picture else [])]
            made = [(v, p.file.path) for p in pictures for v in p.variants]
            if images.lead is not None and images.lead.crops is not None:
                lead = images.lead
                made += [(v, lead.picture.file.path) for v in (lead.crops.social, *lead.crops.structured)]
            for variant, source in sorted(made, key=lambda item: (item[1], item[0].box or (), item[0].width)):
                if variant.route not in seen:
                    seen.add(variant.route)
                    yield variant, source

    def prune_store(self) -> None:
        """Forget the versions of images no briefing shows any more."""
        if self.encoder is not None:
            self.encoder.prune({self.encoder.stored_name(variant) for variant, _ in self.variants()})

    def make(self, variant: Variant, source: str) -> bytes:
        return self.encoder.variant(self.sources[source], source, variant)


def resolve_images(briefings: tuple[Briefing, ...], config: SiteConfig, cache: BuildCache,
                   problems: Problems) -> SiteImages:
    """Every image the briefings show, located and read; problems reported at the line naming the image."""
    static = config.root / "static"
    roots = (config.content_path, static.resolve())
    formats = modern_formats(config.images.formats)
    reader = _Reader(cache)
    site = SiteImages(encoder=Encoder(config.images.quality, cache.path.parent / "images"
                                      if cache.path is not None else None))
    for briefing in briefings:
        if briefing.image is None and not briefing.images:
            continue
        article = config.root / briefing.source

        def file_of(ref: ImageRef, key: str | None) -> ImageFile | None:
            try:
                found = locate(ref.src, article, roots, static)
                return reader.read(found, config.display(found))
            except Unusable as unusable:
                problems.error(Problem(briefing.source, ref.line or None, None, key, unusable.message,
                                       unusable.hint))
                return None
        lead = None
        if briefing.image is not None and is_remote(briefing.image.src):
            lead = LeadImage(briefing.image, None)
        elif briefing.image is not None and (found := file_of(briefing.image, "image")) is not None:
            lead = LeadImage(briefing.image, picture(found, config.images, formats), crops(found, briefing.image.focus))
        body = [file_of(ref, None) for ref in briefing.images]
        if any(f is None for f in body):
            continue
        pictures = tuple(picture(f, config.images, formats) for f in body)
        site.by_source[briefing.source] = BriefingImages(lead, pictures, _key(lead, pictures, formats))
    site.sources, site.stats, site.recorded = reader.paths, reader.stats, reader.recorded
    reader.save()
    return site


def _key(lead: LeadImage | None, pictures: tuple[Picture, ...], formats: tuple[str, ...]) -> str:
    files = [p.file.digest for p in pictures]
    return digest(repr(lead.ref) if lead else "", lead.picture.file.digest if lead and lead.picture else "",
                  *files, *formats, encoder_version())


class _Reader:
    """Reads each image file once per build, and not at all when the cache knows its size and time."""

    def __init__(self, cache: BuildCache):
        self.cache = cache
        self.known = cache.images()
        self.fresh: dict[str, tuple[int, int, int, ImageFile]] = {}
        self.paths: dict[str, Path] = {}
        self.stats: dict[str, tuple[int, int]] = {}
        self.recorded: dict[str, int] = {}
        self.files: dict[str, ImageFile] = {}

    def read(self, path: Path, shown: str) -> ImageFile:
        if shown in self.files:
            return self.files[shown]
        try:
            stat = path.stat()
            known = self.known.get(shown)
            if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size) \
                    and stat.st_mtime_ns < known[2] - RACY_NS:
                file, recorded = known[3], known[2]
            else:
                recorded = time.time_ns()
                file = probe(path.read_bytes(), shown)
                self.fresh[shown] = (stat.st_mtime_ns, stat.st_size, recorded, file)
        except OSError as exc:
            raise Unusable(f"cannot read the image {shown}: {exc.strerror}", "check that it is readable") from None
        except Unusable as unusable:
            raise Unusable(f"{shown}: {unusable.message}", unusable.hint) from None
        self.files[shown], self.paths[shown], self.stats[shown] = file, path, (stat.st_mtime_ns, stat.st_size)
        self.recorded[shown] = recorded
        return file

    def save(self) -> None:
        self.cache.put_images(self.fresh, keep=set(self.files))
