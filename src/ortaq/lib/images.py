"""Photos people upload, re-encoded without their metadata.

A phone photo carries EXIF (camera, owner, date and the GPS position where it was taken),
XMP and IPTC blocks, PNG text chunks and colour profiles naming the device. Reports and
monitoring visits publish photos of projects, often of people at home, so nothing of that may
be stored: `strip_metadata` decodes the picture and writes a new file of the same format from
its pixels only. The EXIF orientation is applied to the pixels first, so a photo taken upright
stays upright once the tag is gone.

Pure: bytes in, bytes out; Pillow is the only dependency.
"""

from __future__ import annotations

import io
import warnings
from typing import Final

from PIL import Image, ImageOps

__all__ = ["MAX_PIXELS", "PHOTO_TYPES", "TooManyPixels", "strip_metadata"]

# Formats accepted, as Pillow names them → the content type stored.
PHOTO_TYPES: Final = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# 24 megapixels (6000×4000, a full-frame camera; phones take 12): a larger picture is refused
# from its header, before its pixels are decoded. A 190 KB PNG may claim 7000×7000 pixels:
# decoding it cost 2.5 s and 560 MB, so the limit is well below what that would take.
MAX_PIXELS: Final = 24_000_000
_QUALITY: Final = 90
# Kept from the decoder's info: how a palette picture marks its transparent colour.
_KEPT_INFO: Final = ("transparency",)


class TooManyPixels(ValueError):
    """The picture claims more than MAX_PIXELS pixels (a decompression bomb, or a photo to
    make smaller); refused before its pixels are decoded."""


def strip_metadata(data: bytes) -> tuple[bytes, str, int, int]:
    """The photo re-encoded in its own format (JPEG, PNG or WebP) without any metadata, its
    content type, width and height (after orientation). Raises TooManyPixels for a picture of
    more than MAX_PIXELS pixels (read from its header: nothing is decoded) and ValueError for
    anything else: another format, a damaged file.

    CPU- and memory-heavy (a 24-megapixel photo takes about a second): never call it inside a
    database transaction."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format or ""
                if kind not in PHOTO_TYPES:
                    raise ValueError(f"not a JPEG, PNG or WebP picture: {kind or 'unknown'}")
                if image.width * image.height > MAX_PIXELS:
                    raise TooManyPixels(f"too many pixels: {image.width}×{image.height}")
                image.seek(0)  # the first frame of an animation
                image.load()
                upright = ImageOps.exif_transpose(image)
                clean = _pixels_only(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        # Pillow's own limit, for pictures claiming billions of pixels.
        raise TooManyPixels(f"too many pixels: {e}") from e
    except (OSError, SyntaxError) as e:
        raise ValueError(f"not a readable picture: {e}") from e
    out = io.BytesIO()
    if kind == "JPEG":
        if clean.mode not in ("L", "RGB", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=_QUALITY, optimize=True)
    elif kind == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=_QUALITY)
    return out.getvalue(), PHOTO_TYPES[kind], clean.width, clean.height


def _pixels_only(image: Image.Image) -> Image.Image:
    """A copy holding the pixels and palette only: encoders fall back on `info` for EXIF,
    XMP, ICC profiles and text chunks, so it is emptied."""
    copy = image.copy()
    copy.info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    return copy
