"""Stored images keep nothing but pixels: EXIF, XMP, ICC profiles, JPEG COM segments, GIF comment and application
extensions, PNG text chunks and WEBP metadata chunks are gone from the bytes on disk (read by walking each file's
structure, not through Pillow's `info`); colours tagged with a profile are converted to sRGB first."""

import io

import httpx
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tests.support.images import (
    SECRET,
    animation,
    exif,
    frame_count,
    gif,
    linear_rgb_profile,
    metadata_blocks,
    srgb_from_linear,
    still,
    upload,
)

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>"


def _png_text() -> PngInfo:
    info = PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_text("Author", SECRET.decode(), zip=True)
    info.add_itxt("Description", SECRET.decode())
    return info


HOSTILE = {
    "jpeg": lambda: still("JPEG", exif=exif(), comment=SECRET, xmp=XMP, icc_profile=linear_rgb_profile()),
    "png": lambda: still("PNG", pnginfo=_png_text(), exif=exif(), icc_profile=linear_rgb_profile()),
    "webp": lambda: still("WEBP", exif=exif(), xmp=XMP, icc_profile=linear_rgb_profile()),
    "gif": lambda: gif((40, 30), 1, comment=SECRET, xmp=True),
    "animated gif": lambda: gif((40, 30), 3, comment=SECRET, xmp=True),
    "animated webp": lambda: animation((60, 40), 3, "WEBP", exif=exif(), xmp=XMP, icc_profile=linear_rgb_profile()),
    "animated png": lambda: animation((60, 40), 3, "PNG", pnginfo=_png_text(), icc_profile=linear_rgb_profile()),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_stored_image_and_thumbnail_carry_no_metadata(server, api, kind):
    member = api.register()
    data = HOSTILE[kind]()
    assert metadata_blocks(data)  # the file as sent does carry some
    response = upload(server, member.token, data, "upload.bin", "application/octet-stream")
    assert response.status_code == 200, response.text
    name = response.json()["files"][0]["file"]
    stored = httpx.get(f"{server.base_url}/pictrs/image/{name}").content
    thumb = httpx.get(f"{server.base_url}/pictrs/image/{name}", params={"thumbnail": 256}).content
    for data_on_disk in (stored, thumb):
        assert metadata_blocks(data_on_disk) == []
        assert SECRET not in data_on_disk
    assert frame_count(stored) == (3 if kind.startswith("animated") else 1)


def test_colours_tagged_with_a_profile_are_converted_to_srgb(server, api):
    member = api.register()
    tagged = still("PNG", colour=(128, 64, 32), icc_profile=linear_rgb_profile())
    response = upload(server, member.token, tagged)
    assert response.status_code == 200, response.text
    stored = httpx.get(f"{server.base_url}/pictrs/image/{response.json()['files'][0]['file']}").content
    with Image.open(io.BytesIO(stored)) as image:
        pixel = image.convert("RGB").getpixel((10, 10))
    expected = [srgb_from_linear(v) for v in (128, 64, 32)]
    assert all(abs(a - b) <= 2 for a, b in zip(pixel, expected, strict=True)), (pixel, expected)
