"""Hostile image files made byte by byte, and readers of the containers that say which metadata a file carries.

The readers walk each format's structure (JPEG segments up to the scan, GIF blocks, PNG chunks, RIFF chunks), so
a stray byte pair inside compressed pixel data is never mistaken for a metadata block.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import httpx
from PIL import Image

SECRET = b"SpyCam-secret"  # put into every kind of metadata a test file carries; must never be stored


def upload(server, token: str | None, data: bytes, filename="image.png", mime="image/png") -> httpx.Response:
    """POST /pictrs/image the way Lemmy apps send it (multipart `images[]`, the login in the `jwt` cookie)."""
    return httpx.post(
        f"{server.base_url}/pictrs/image",
        files={"images[]": (filename, data, mime)},
        cookies={"jwt": token} if token else None,
        timeout=60,
    )


def stored_files(server) -> list[Path]:
    """Every file in the server's media directory but the temporary ones of writes under way."""
    root = Path(server.settings.media_dir)
    return sorted(p for p in root.glob("*") if not p.name.startswith(".")) if root.exists() else []


def gif(canvas: tuple[int, int], frames: int, *, at=(0, 0), comment: bytes | None = None, xmp: bool = False) -> bytes:
    """A GIF89a with a `canvas`-sized logical screen and `frames` one-pixel frames (black and white in turn) at
    `at`, 10 ms each, looping; optionally a comment extension and an XMP application extension. Nine bytes a frame.
    A frame beyond the logical screen grows the canvas decoders draw on."""
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", *canvas, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff")
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    if xmp:
        out += b"\x21\xff\x0bXMP DataXMP" + _sub_blocks(b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>")
    if comment is not None:
        out += b"\x21\xfe" + _sub_blocks(comment)
    for index in range(frames):
        out += b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # graphic control: 10 ms
        out += b"\x2c" + struct.pack("<HHHHB", *at, 1, 1, 0)
        code = 4 | ((index % 2) << 3) | (5 << 6)  # 3-bit LZW codes: clear, the pixel, end
        out += b"\x02\x02" + struct.pack("<H", code) + b"\x00"
    return bytes(out + b"\x3b")


def animation(size: tuple[int, int], frames: int, fmt: str = "GIF", **options) -> bytes:
    """A real animation drawn with Pillow: a bar that moves across `frames` frames."""
    images = []
    for index in range(frames):
        frame = Image.new("RGB", size, (20, 20, 160))
        x = index * size[0] // frames
        frame.paste((250, 200, 0), (x, 0, x + max(1, size[0] // frames), size[1]))
        images.append(frame)
    out = io.BytesIO()
    images[0].save(out, fmt, save_all=True, append_images=images[1:], duration=40, loop=0, **options)
    return out.getvalue()


def still(fmt: str, size=(96, 64), colour=(128, 64, 32), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **options)
    return out.getvalue()


def exif() -> bytes:
    info = Image.Exif()
    info[0x010F] = SECRET.decode()  # camera maker, a stand-in for GPS positions
    return info.tobytes()


def linear_rgb_profile() -> bytes:
    """An ICC v2 monitor profile with sRGB's primaries and linear tone curves (gamma 1.0): a pixel of 128 in it is
    about 188 in sRGB, so a stored image shows whether it was converted. Its description carries SECRET."""
    d50 = (0.9642, 1.0, 0.8249)
    tags = [
        (b"wtpt", _xyz(d50)),
        (b"rXYZ", _xyz((0.4361, 0.2225, 0.0139))),
        (b"gXYZ", _xyz((0.3851, 0.7169, 0.0971))),
        (b"bXYZ", _xyz((0.1431, 0.0606, 0.7141))),
    ]
    linear = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, 0x0100) + b"\0\0"
    tags += [(b"rTRC", linear), (b"gTRC", linear), (b"bTRC", linear)]
    text = b"linear " + SECRET + b"\0"
    tags.append((b"desc", b"desc" + b"\0" * 4 + struct.pack(">I", len(text)) + text + b"\0" * 78))
    table, data = b"", b""
    offset = 128 + 4 + 12 * len(tags)
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I4sI4s4s4s12s4s", size, b"lcms", 0x02100000, b"mntr", b"RGB ", b"XYZ ", b"\0" * 12, b"acsp")
    header += b"\0" * 28 + _xyz(d50)[8:] + b"\0" * 48
    return header + struct.pack(">I", len(tags)) + table + data


def srgb_from_linear(value: int) -> int:
    c = value / 255
    return round(255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055))


def metadata_blocks(data: bytes) -> list[str]:
    """The blocks of an image file that are not pixels (nor what drawing them needs); [] for a clean file."""
    if data.startswith(b"\xff\xd8"):
        return [f"JPEG marker {m:#04x}" for m in _jpeg_markers(data) if 0xE1 <= m <= 0xEF or m == 0xFE]
    if data.startswith(b"GIF8"):
        return [b for b in _gif_extensions(data) if b != "application NETSCAPE2.0" and b != "graphic control"]
    if data.startswith(b"\x89PNG"):
        pixels = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"acTL", b"fcTL", b"fdAT"}
        return [f"PNG {t.decode()}" for t in _png_chunks(data) if t not in pixels]
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        pixels = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"}
        return [f"WEBP {t.decode()}" for t in _riff_chunks(data) if t not in pixels]
    raise AssertionError(f"not an image format these tests read: {data[:12]!r}")


def frame_count(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as image:
        return getattr(image, "n_frames", 1)


def _jpeg_markers(data: bytes) -> list[int]:
    """Every marker from SOI to SOS (the metadata segments all come before the scan)."""
    markers, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        pos += 2 + struct.unpack_from(">H", data, pos + 2)[0]
    assert markers and markers[-1] == 0xDA, "the JPEG's segments do not reach its scan"
    return markers


def _gif_extensions(data: bytes) -> list[str]:
    found, flags = [], data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while data[pos] != 0x3B:
        if data[pos] == 0x21:
            label = data[pos + 1]
            if label == 0xFF:
                found.append(f"application {data[pos + 3 : pos + 14].decode('latin-1')}")
            else:
                found.append({0xF9: "graphic control", 0xFE: "comment", 0x01: "plain text"}.get(label, hex(label)))
            pos = _after_sub_blocks(data, pos + 2)
        elif data[pos] == 0x2C:
            flags = data[pos + 9]
            pos = _after_sub_blocks(data, pos + 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1)
        else:
            raise AssertionError(f"unexpected GIF block {data[pos]:#04x} at {pos}")
    return found


def _png_chunks(data: bytes) -> list[bytes]:
    chunks, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        chunks.append(kind)
        pos += 12 + length
    return chunks


def _riff_chunks(data: bytes) -> list[bytes]:
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        kind, length = struct.unpack_from("<4sI", data, pos)
        chunks.append(kind)
        pos += 8 + length + (length & 1)
    return chunks


def _sub_blocks(payload: bytes) -> bytes:
    pieces = [payload[i : i + 255] for i in range(0, len(payload), 255)]
    return b"".join(bytes([len(piece)]) + piece for piece in pieces) + b"\0"


def _after_sub_blocks(data: bytes, pos: int) -> int:
    while data[pos]:
        pos += 1 + data[pos]
    return pos + 1


def _xyz(values) -> bytes:
    return b"XYZ " + b"\0" * 4 + b"".join(struct.pack(">i", round(v * 65536)) for v in values)
