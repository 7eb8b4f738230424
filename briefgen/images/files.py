"""Where an image a briefing names is, and what it is: its bytes' digest, its size as shown, its kind.

Reading only the file's header (Pillow opens lazily), so that a build looks at a thousand images in a second;
what is read is kept in the build cache by path, size and modification time.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from briefgen.cache import digest

RASTER_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif",
                  "AVIF": "image/avif", "TIFF": "image/tiff", "BMP": "image/bmp"}
READABLE = "JPEG, PNG, WebP, GIF, AVIF, TIFF, BMP or SVG"
MAX_PIXELS = 80_000_000  # larger images are refused before they are decoded (a decompression bomb is tiny)
MAX_BYTES = 100_000_000  # GitHub Pages refuses larger files anyway
ROTATED = (5, 6, 7, 8)  # EXIF orientations that turn the picture a quarter
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


@dataclass(frozen=True)
class ImageFile:
    """A source image file, as the build knows it."""

    path: str  # as the user knows it: content/2026-04-02-fire/photo.jpg
    digest: str  # of its bytes
    width: int  # as shown, after its EXIF orientation (0 when an SVG does not say)
    height: int
    format: str  # "JPEG", "PNG", …, or "SVG"
    alpha: bool = False  # has transparency: its fallback is a PNG, not a JPEG
    animated: bool = False  # several frames: published as it is

    @property
    def resizable(self) -> bool:
        """Made into responsive versions; SVG and animated images are published as they are."""
        return self.format in RASTER_FORMATS and not self.animated

    @property
    def mime(self) -> str:
        return "image/svg+xml" if self.format == "SVG" else RASTER_FORMATS[self.format]


class Unusable(Exception):
    """What is wrong with a file and what to do, for the problem reported where the image is named."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def locate(src: str, article: Path, roots: tuple[Path, ...], static: Path) -> Path:
    """The file ``src`` names: beside the article, or in the site's ``static/`` folder (``/…``, or a relative
    name not found beside the article). It must stay inside the content or static folder, also through
    symbolic links."""
    relative = src.split("?")[0].split("#")[0]
    candidates = [static / relative.lstrip("/")] if relative.startswith("/") else \
        [article.parent / relative, static / relative]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise Unusable(f"image not found: {src}", "put the file beside the article (or in static/, named from "
                       "there with a leading /) and check the spelling and case of its name")
    real = found.resolve()
    if not any(real.is_relative_to(root) for root in roots):
        raise Unusable(f"{src} leads outside the site's content and static folders",
                       "copy the image into the site instead of linking to it")
    return found


def probe(raw: bytes, shown: str) -> ImageFile:
    """What the bytes of an image file are; :class:`Unusable` for anything briefgen cannot publish."""
    if len(raw) > MAX_BYTES:
        raise Unusable(f"the image is {len(raw) / 1e6:.0f} MB", "save it smaller (GitHub Pages refuses files over "
                       "100 MB, and readers would wait for it)")
    if shown.lower().endswith(".svg") or _SVG_ROOT.search(raw[:4096]) and raw.lstrip()[:1] == b"<":
        return _svg(raw, shown)
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1) if image.format in ("JPEG", "WEBP", "PNG", "TIFF") else 1
            frames = getattr(image, "n_frames", 1)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unusable("the image is too large to decode safely", _smaller()) from None
    except UnidentifiedImageError:
        raise Unusable("not an image briefgen can read", f"save it as {READABLE}") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise Unusable(f"the image file is damaged ({exc})", "open and save it again, or replace it") from None
    if image.format not in RASTER_FORMATS:
        raise Unusable(f"{image.format} images are not supported", f"save it as {READABLE}")
    if width * height > MAX_PIXELS:
        raise Unusable(f"the image is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels)", _smaller())
    if orientation in ROTATED:
        width, height = height, width
    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    return ImageFile(shown, digest(raw), width, height, image.format, alpha, frames > 1)


def _smaller() -> str:
    return f"resize it to at most {MAX_PIXELS // 1_000_000} megapixels (say 6000×4000) before adding it"


def _svg(raw: bytes, shown: str) -> ImageFile:
    """An SVG is published as it is; its size comes from its ``width`` and ``height``, or its ``viewBox``."""
    root = _SVG_ROOT.search(raw[:65536])
    if root is None:
        raise Unusable("not an SVG image (no <svg> element)", f"save it as {READABLE}")
    attributes = dict(re.findall(r'([\w:-]+)\s*=\s*["\']([^"\']*)["\']', root.group(0).decode("utf-8", "replace")))
    width, height = _length(attributes.get("width")), _length(attributes.get("height"))
    box = attributes.get("viewBox", "").replace(",", " ").split()
    if (not width or not height) and len(box) == 4:
        try:
            width, height = round(float(box[2])), round(float(box[3]))
        except ValueError:
            pass
    return ImageFile(shown, digest(raw), max(0, width), max(0, height), "SVG")


def _length(value: str | None) -> int:
    match = _LENGTH.match(value or "")
    return round(float(match.group(1))) if match else 0

