"""Decode, check and re-encode an uploaded image with Pillow, and make its thumbnail.

Only pixels survive. The stored file is encoded afresh from the decoded frames and none of the source's metadata
is handed to the encoder: no EXIF (GPS positions), XMP, ICC profile, JPEG COM segment, GIF comment or application
extension, PNG text chunk or WEBP metadata chunk, and nothing hidden after the image data. Pixels tagged with an
ICC profile are converted to sRGB first, so they look the same without it. Animations (GIF, APNG, animated WEBP)
stay animated, scaled to fit MAX_SIDE like stills.

This is CPU work on hostile input: it runs only in a worker process with CPU and memory limits (media.decoding),
after media.image_limits has checked what the file declares.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from agora.errors import AgoraError, Code
from agora.media import image_limits
from agora.media.image_limits import MAX_SIDE

THUMBNAIL_SIDE = 256
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
PIXEL_INFO = ("transparency",)  # the one entry of Pillow's `info` that says something about the pixels
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True, slots=True)
class Processed:
    data: bytes
    extension: str
    content_type: str
    width: int
    height: int
    thumbnail: bytes  # always WEBP


def process(raw: bytes) -> Processed:
    """The image re-encoded (same format, pixels only, at most MAX_SIDE a side) and a thumbnail; AgoraError
    not_an_image_type (400) or too_large (413) for what cannot or may not be decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw), formats=list(FORMATS))
            fmt = image.format or ""
            if fmt not in FORMATS:  # a JPEG with more pictures in it opens as MPO
                raise AgoraError(Code.not_an_image_type, f"{fmt or 'these'} images are not accepted")
            shape = image_limits.check(image, raw)  # before any pixel is decoded
            if shape.frames > 1:
                frames = _frames(image, shape.frames)
                data = _encode_animation(frames, fmt, image.info.get("loop"))
            else:
                frames = [_still(image)]
                data = _encode(frames[0], fmt)
            thumbnail = _thumbnail(frames[0])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise AgoraError(Code.too_large, f"images may have at most {image_limits.MAX_PIXELS:,} pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise AgoraError(Code.not_an_image_type, "the file is not an image Agora can read") from error
    extension, content_type = FORMATS[fmt]
    width, height = frames[0].size
    return Processed(data, extension, content_type, width, height, thumbnail)


def _still(image: Image.Image) -> Image.Image:
    image.load()
    still = _in_srgb(ImageOps.exif_transpose(image))
    if max(still.size) > MAX_SIDE:
        still.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return _pixels_only(still)


def _frames(image: Image.Image, count: int) -> list[Image.Image]:
    """The first `count` frames (as many as the checked headers declared), each composited to the full canvas as
    Pillow decodes it and scaled to fit MAX_SIDE; each keeps only its duration."""
    frames: list[Image.Image] = []
    for index in range(count):
        try:
            image.seek(index)
        except EOFError:
            break
        frame = _in_srgb(image.convert(_rgb_mode(image)))
        if max(frame.size) > MAX_SIDE:
            frame.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        frame = _pixels_only(frame)
        frame.info["duration"] = image.info.get("duration", 100)
        frames.append(frame)
    return frames


def _in_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted from the image's ICC profile to sRGB; unchanged without one (or with one that little
    cms cannot read: the profile is dropped all the same)."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _pixels_only(image: Image.Image) -> Image.Image:
    image.info = {key: value for key, value in image.info.items() if key in PIXEL_INFO}
    return image


def _rgb_mode(image: Image.Image) -> str:
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return "RGBA" if alpha else "RGB"


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    elif fmt == "GIF":
        image.save(out, "GIF")
    else:
        image.convert(_rgb_mode(image)).save(out, "WEBP", quality=85)
    return out.getvalue()


def _encode_animation(frames: list[Image.Image], fmt: str, loop: int | None) -> bytes:
    out = io.BytesIO()
    options: dict = {"save_all": True, "append_images": frames[1:]}
    if loop is not None:  # a GIF without a loop count plays once
        options["loop"] = loop
    if fmt == "WEBP":
        options.update(duration=[frame.info["duration"] for frame in frames], quality=85)
    frames[0].save(out, fmt, **options)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.convert(_rgb_mode(image))
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return _encode(_pixels_only(thumb), "WEBP")
