"""Decode, check and re-encode an uploaded image with Pillow, and make its thumbnail.

Re-encoding drops every piece of metadata (EXIF with GPS positions, comments, ICC profiles aside from colour)
and anything hidden after the image data. Decoding is CPU work: callers run it in a thread.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from agora.errors import AgoraError, Code

MAX_PIXELS = 40_000_000  # decoded size cap, whatever the file size (a small PNG can decode to gigabytes)
MAX_SIDE = 4096
THUMBNAIL_SIDE = 256
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp"),
           "GIF": ("gif", "image/gif")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Processed:
    data: bytes
    extension: str
    content_type: str
    width: int
    height: int
    thumbnail: bytes  # always WEBP


def process(raw: bytes) -> Processed:
    """The image re-encoded (same format, metadata stripped, at most MAX_SIDE a side) and a thumbnail."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            if image.format not in FORMATS:
                raise AgoraError(Code.not_an_image_type, f"{image.format or 'this'} images are not accepted")
            if image.width * image.height > MAX_PIXELS:
                raise AgoraError(Code.too_large, f"images may have at most {MAX_PIXELS:,} pixels", status=413)
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError) as error:  # fmt: skip
        raise AgoraError(Code.not_an_image_type, "the file is not an image Agora can read") from error
    fmt = image.format
    extension, content_type = FORMATS[fmt]
    frames = getattr(image, "n_frames", 1)
    if fmt == "GIF" and frames > 1:
        data = _reencode_animation(image)
    else:
        image = ImageOps.exif_transpose(image)
        if max(image.size) > MAX_SIDE:
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        data = _encode(image, fmt)
    width, height = image.size
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return Processed(data, extension, content_type, width, height, _encode(thumb, "WEBP"))


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    elif fmt == "GIF":
        image.save(out, "GIF")
    else:
        keep_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
        image.convert("RGBA" if keep_alpha else "RGB").save(out, "WEBP", quality=85)
    return out.getvalue()


def _reencode_animation(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.seek(0)
    image.save(out, "GIF", save_all=True, loop=image.info.get("loop", 0), duration=image.info.get("duration", 100))
    return out.getvalue()
