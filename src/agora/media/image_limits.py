"""The limits an image must meet, checked from what its file declares before any pixel is decoded.

Decoding costs in proportion to the pixels decoded, not to the file's size: a GIF of a few hundred bytes can
declare a 6000 x 6000 canvas and a handful of one-pixel frames, and every frame is decoded (and re-encoded) as a
whole canvas. So the work is bounded by canvas x frames, read from the headers:

- a canvas (one decoded frame) of at most MAX_PIXELS; larger sides than MAX_SIDE are scaled down, not refused;
- at most MAX_FRAMES frames;
- at most MAX_TOTAL_PIXELS decoded over all frames together: an animation may cost as much as one large still.

Pillow's own guard (Image.MAX_IMAGE_PIXELS) looks at one frame only, so it is a second line, not the check.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from PIL import Image

from agora.errors import AgoraError, Code

MAX_SIDE = 4096  # stored images, stills and animations alike, are scaled to fit MAX_SIDE x MAX_SIDE
MAX_PIXELS = 40_000_000  # one decoded frame, whatever the file's size (a small PNG can decode to gigabytes)
MAX_FRAMES = 1000
MAX_TOTAL_PIXELS = MAX_PIXELS  # canvas x frames


@dataclass(frozen=True, slots=True)
class ImageDimensions:
    width: int
    height: int
    frames: int

    @property
    def decoded_pixels(self) -> int:
        return self.width * self.height * self.frames


def check(image: Image.Image, raw: bytes) -> ImageDimensions:
    """The canvas and frame count `image` (opened, nothing decoded yet) declares; AgoraError(too_large, 413) if
    they pass a limit."""
    shape = gif_shape(raw) if image.format == "GIF" else ImageDimensions(*image.size, getattr(image, "n_frames", 1))
    if shape.width * shape.height > MAX_PIXELS:
        raise _too_large(f"images may have at most {MAX_PIXELS:,} pixels ({shape.width} x {shape.height} given)")
    if shape.frames > MAX_FRAMES:
        raise _too_large(f"animations may have at most {MAX_FRAMES:,} frames")
    if shape.decoded_pixels > MAX_TOTAL_PIXELS:
        raise _too_large(
            f"an animation may decode to at most {MAX_TOTAL_PIXELS:,} pixels over all its frames"
            f" ({shape.frames} frames of {shape.width} x {shape.height} given)"
        )
    return shape


def gif_shape(raw: bytes) -> ImageDimensions:
    """A GIF's canvas and frames, walking its blocks the way Pillow's decoder does (it grows the canvas to the
    largest frame's extent and skips stray bytes between blocks); stops counting past MAX_FRAMES.

    Pillow's `n_frames` would walk every frame of a file of hundreds of thousands of tiny ones before any check."""
    try:
        width, height, flags = struct.unpack_from("<HHB", raw, 6)
        pos = 13 + _palette_bytes(flags)
        frames, end = 0, len(raw)
        while pos < end and frames <= MAX_FRAMES:
            kind = raw[pos]
            if kind == 0x3B:  # trailer
                break
            if kind == 0x21:  # extension: a label, then sub-blocks
                pos = _after_sub_blocks(raw, pos + 2)
            elif kind == 0x2C:  # image descriptor, palette, LZW code size, then the data's sub-blocks
                left, top, frame_width, frame_height, flags = struct.unpack_from("<HHHHB", raw, pos + 1)
                width, height = max(width, left + frame_width), max(height, top + frame_height)
                pos = _after_sub_blocks(raw, pos + 10 + _palette_bytes(flags) + 1)
                frames += 1
            else:
                pos += 1
    except struct.error as error:
        raise AgoraError(Code.not_an_image_type, "the GIF file is cut short") from error
    return ImageDimensions(width, height, frames)


def _palette_bytes(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _after_sub_blocks(raw: bytes, pos: int) -> int:
    end = len(raw)
    while pos < end and raw[pos]:
        pos += 1 + raw[pos]
    return pos + 1


def _too_large(message: str) -> AgoraError:
    return AgoraError(Code.too_large, message)
