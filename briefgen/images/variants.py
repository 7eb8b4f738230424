"""Which files an image becomes: responsive widths in each format, and for a lead image the crops that sharing
and search want. Pure: names, sizes and crop boxes only; :mod:`briefgen.images.encode` makes the bytes.

Every file lives under ``images/<digest>/``, named by the source's bytes, so the same photo used twice is made
once, and a changed photo never reuses an old name (its files can be cached forever).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from briefgen.config import ImageOptions
from briefgen.images.files import ImageFile
from briefgen.slugs import make_slug

MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
SOCIAL = (1200, 630)  # Open Graph and X (Twitter) large cards
STRUCTURED_RATIOS = ((16, 9), (4, 3), (1, 1))  # the crops search engines ask for in an article's JSON-LD
STRUCTURED_WIDTH = 1200


@dataclass(frozen=True)
class Variant:
    """One file made from a source image."""

    route: str  # images/<digest>/<name>-800w.webp
    width: int
    height: int
    format: str  # "avif", "webp", "jpeg", "png"; "" for the source published as it is
    box: tuple[int, int, int, int] | None = None  # the part of the (upright) source it shows; None: all

    @property
    def mime(self) -> str:
        return MIME.get(self.format, "")


@dataclass(frozen=True)
class Picture:
    """An image at several widths: one set of variants per format, the fallback (JPEG or PNG) last."""

    file: ImageFile
    sets: tuple[tuple[str, tuple[Variant, ...]], ...]  # (mime, variants from narrow to wide)

    @property
    def fallback(self) -> tuple[Variant, ...]:
        return self.sets[-1][1]

    @property
    def variants(self) -> tuple[Variant, ...]:
        return tuple(v for _, variants in self.sets for v in variants)

    def near(self, width: int) -> Variant:
        """The fallback variant closest to ``width`` without being narrower, else the widest."""
        return next((v for v in self.fallback if v.width >= width), self.fallback[-1])


@dataclass(frozen=True)
class Crops:
    """A lead image's crops: the social card and the JSON-LD images (JPEG, for every consumer)."""

    social: Variant
    structured: tuple[Variant, ...]


def picture(file: ImageFile, options: ImageOptions, formats: tuple[str, ...]) -> Picture:
    """The responsive variants of ``file`` (``formats``: the modern ones this Pillow writes)."""
    folder = f"images/{file.digest[:16]}/"
    name = _name(file.path)
    if not file.resizable:
        return Picture(file, ((file.mime, (Variant(folder + PurePosixPath(file.path).name.lower(), file.width,
                                                   file.height, ""),)),))
    widths = sorted({w for w in options.widths if w < file.width} | {min(file.width, max(options.widths))})
    sets = []
    for fmt in (*formats, "png" if file.alpha else "jpeg"):
        sets.append((MIME[fmt], tuple(Variant(f"{folder}{name}-{w}w.{EXTENSIONS[fmt]}", w,
                                              max(1, round(file.height * w / file.width)), fmt) for w in widths)))
    return Picture(file, tuple(sets))


def crops(file: ImageFile, focus: tuple[float, float]) -> Crops | None:
    """The social card (1200×630) and the 16:9, 4:3 and 1:1 crops around ``focus``; never enlarged."""
    if not file.resizable:
        return None
    folder, name = f"images/{file.digest[:16]}/", _name(file.path)
    near = "" if focus == (0.5, 0.5) else f"-at{round(focus[0] * 100)}-{round(focus[1] * 100)}"

    def crop(ratio_w: int, ratio_h: int, width: int, label: str) -> Variant:
        box = crop_box(file.width, file.height, ratio_w / ratio_h, focus)
        out_w = min(width, box[2] - box[0])
        out_h = max(1, round(out_w * ratio_h / ratio_w))
        return Variant(f"{folder}{name}-{label}{near}.jpg", out_w, out_h, "jpeg", box)
    social = crop(*SOCIAL, SOCIAL[0], f"{SOCIAL[0]}x{SOCIAL[1]}")
    return Crops(social, tuple(crop(w, h, STRUCTURED_WIDTH, f"{w}x{h}") for w, h in STRUCTURED_RATIOS))


def crop_box(width: int, height: int, ratio: float, focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest box of aspect ``ratio`` inside width×height, as near centred on ``focus`` as it can be."""
    box_w, box_h = (width, round(width / ratio)) if width / height <= ratio else (round(height * ratio), height)
    box_w, box_h = max(1, min(box_w, width)), max(1, min(box_h, height))
    left = min(max(0, round(focus[0] * width - box_w / 2)), width - box_w)
    top = min(max(0, round(focus[1] * height - box_h / 2)), height - box_h)
    return left, top, left + box_w, top + box_h


def _name(path: str) -> str:
    return make_slug(PurePosixPath(path).stem)[:60]
