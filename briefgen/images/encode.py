"""The bytes of each image variant, made with Pillow: turned upright (EXIF orientation), converted to sRGB,
cropped, resized, and encoded with fixed settings and no metadata, so that a build makes the same bytes every
time. Each variant is kept in the build cache's ``images/`` folder, by what it is made from: a site made again
(a fresh checkout, a deleted output folder) does not encode any image twice.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from briefgen.cache import digest
from briefgen.errors import BuildFailed, Problem
from briefgen.images.variants import Variant


def encoder_version() -> str:
    """Part of every variant's fingerprint: another Pillow may encode other bytes."""
    import PIL

    return f"pillow {PIL.__version__}"


def modern_formats(wanted: tuple[str, ...]) -> tuple[str, ...]:
    """The formats of ``wanted`` the installed Pillow can write."""
    from PIL import features

    return tuple(fmt for fmt in wanted if features.check(fmt))


class Encoder:
    """Makes variants; keeps the last source decoded (a source's variants are made one after the other) and
    the last resized version (one per width is encoded in each format). One per process."""

    def __init__(self, quality: int, store: Path | None):
        self.quality, self.store = quality, store
        self._source: tuple[str, object] | None = None
        self._sized: tuple[tuple, object] | None = None

    def variant(self, source: Path, shown: str, variant: Variant) -> bytes:
        """The bytes of ``variant`` of the image at ``source`` (``shown``: its path, for messages)."""
        if not variant.format:
            return _read(source, shown)
        kept = self.store / self.stored_name(variant) if self.store is not None else None
        if kept is not None:
            try:
                return kept.read_bytes()
            except OSError:
                pass
        try:
            data = self._encode(source, shown, variant)
        except BuildFailed:
            raise
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
            raise BuildFailed([Problem(shown, message=f"the image cannot be decoded ({exc})",
                                       hint="open and save it again in an image editor, or replace it")]) from None
        if kept is not None:
            _keep(kept, data)
        return data

    def stored_name(self, variant: Variant) -> str:
        return digest(variant.route, str(variant.box), variant.format, str(self.quality), encoder_version())

    def prune(self, keep: set[str]) -> None:
        """Remove every kept version not named in ``keep``; a folder that cannot be read is left alone."""
        try:
            stored = list(self.store.iterdir()) if self.store is not None and self.store.is_dir() else []
        except OSError:
            return
        for path in stored:
            if path.name not in keep:
                path.unlink(missing_ok=True)

    def _encode(self, source: Path, shown: str, variant: Variant) -> bytes:
        from PIL import Image

        image = self._upright(source, shown)
        box = variant.box or (0, 0, image.width, image.height)
        key = (shown, box, variant.width, variant.height, variant.format == "jpeg" and _has_alpha(image))
        if self._sized is not None and self._sized[0] == key:
            sized = self._sized[1]
        else:
            sized = _for_format(image, variant.format).resize((variant.width, variant.height), Image.Resampling.LANCZOS,
                                                              box=box, reducing_gap=3.0)
            self._sized = (key, sized)
        out = io.BytesIO()
        if variant.format == "jpeg":
            sized.save(out, "JPEG", quality=self.quality, optimize=True, progressive=True, subsampling="4:2:0")
        elif variant.format == "png":
            sized.save(out, "PNG", optimize=True)
        elif variant.format == "webp":
            sized.save(out, "WEBP", quality=self.quality - 5, method=4)
        else:  # AVIF: one thread, so that the bytes never depend on scheduling
            sized.save(out, "AVIF", quality=max(1, self.quality - 25), speed=6, max_threads=1)
        return out.getvalue()

    def _upright(self, source: Path, shown: str):
        if self._source is not None and self._source[0] == shown:
            return self._source[1]
        from PIL import Image, ImageOps

        image = Image.open(io.BytesIO(_read(source, shown)))
        image.load()
        image = _srgb(ImageOps.exif_transpose(image))
        self._source, self._sized = (shown, image), None
        return image


def _for_format(image, fmt: str):
    """Modes the encoders take: RGB for JPEG (transparency laid on white), RGBA where transparency is kept."""
    from PIL import Image

    has_alpha = _has_alpha(image)
    if has_alpha and fmt != "jpeg":
        return image if image.mode == "RGBA" else image.convert("RGBA")
    if has_alpha:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value / 256).convert("L")  # 16-bit grey: 8 bits are shown anyway
    return image if image.mode == "RGB" else image.convert("RGB")


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _srgb(image):
    """Colours as a browser shows them: an embedded colour profile applied, then dropped with the metadata."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    from PIL import ImageCms

    try:
        return ImageCms.profileToProfile(image, io.BytesIO(profile), ImageCms.createProfile("sRGB"),
                                         outputMode="RGBA" if image.mode == "RGBA" else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the colours as stored


def _read(source: Path, shown: str) -> bytes:
    try:
        return source.read_bytes()
    except OSError as exc:
        raise BuildFailed([Problem(shown, message=f"cannot read the image: {exc.strerror}",
                                   hint="check that the file is still there and readable")]) from None


def _keep(path: Path, data: bytes) -> None:
    """Into the cache, atomically (another worker may be writing the same variant); a cache that cannot be
    written only costs the next build the encoding."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
