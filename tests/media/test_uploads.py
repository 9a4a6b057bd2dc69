"""Image uploads the way Lemmy apps send them: re-encoded without metadata, with a thumbnail, deletable by token;
non-images, oversized files and pixel bombs refused with nothing stored."""

import io

import httpx
import pytest
from PIL import Image

from tests.support.images import stored_files, upload


def _png(size=(640, 480), *, exif: bool = True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    info = Image.Exif()
    info[0x010F] = "SpyCam 3000"  # camera maker, a stand-in for GPS and other private metadata
    image.save(out, "PNG", exif=info.tobytes() if exif else b"")
    return out.getvalue()


@pytest.fixture
def member(api):
    return api.register()


def test_png_is_reencoded_without_metadata_and_has_a_thumbnail(server, member):
    response = upload(server, member.token, _png())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["msg"] == "ok"
    name = body["files"][0]["file"]
    image = httpx.get(f"{server.base_url}/pictrs/image/{name}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    decoded = Image.open(io.BytesIO(image.content))
    assert decoded.size == (640, 480)
    assert b"SpyCam" not in image.content and not decoded.getexif()
    thumb = httpx.get(f"{server.base_url}/pictrs/image/{name}", params={"thumbnail": 256})
    assert thumb.headers["content-type"] == "image/webp"
    assert max(Image.open(io.BytesIO(thumb.content)).size) == 256


def test_delete_token_removes_the_image(server, member):
    body = upload(server, member.token, _png()).json()["files"][0]
    name, token = body["file"], body["delete_token"]
    assert httpx.get(f"{server.base_url}/pictrs/image/delete/wrong-token/{name}").status_code == 404
    assert httpx.get(f"{server.base_url}/pictrs/image/delete/{token}/{name}").status_code == 204
    assert httpx.get(f"{server.base_url}/pictrs/image/{name}").status_code == 404
    assert stored_files(server) == []


def test_bad_uploads_are_refused_and_leave_nothing(server, member):
    response = upload(server, member.token, b"%PDF-1.4 definitely not an image", "doc.pdf", "application/pdf")
    assert (response.status_code, response.json()["error"]) == (400, "not_an_image_type")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert upload(server, member.token, svg, "x.svg", "image/svg+xml").json()["error"] == "not_an_image_type"
    truncated = _png()[:200]
    assert upload(server, member.token, truncated).json()["error"] == "not_an_image_type"
    bomb = _png((10_000, 10_000), exif=False)  # 100 megapixels in a small file
    response = upload(server, member.token, bomb)
    assert response.status_code in (400, 413) and response.json()["error"] in ("too_large", "not_an_image_type")
    assert upload(server, None, _png()).status_code == 401
    assert stored_files(server) == []


def test_oversized_upload_is_refused(server_factory, api):
    server = server_factory(max_upload_bytes=20_000)
    member = server.api().register()
    response = upload(server, member.token, _png((2000, 2000)) + b"\0" * 30_000)
    assert response.status_code == 413
    assert stored_files(server) == []


def test_path_tricks_find_nothing(server):
    for name in ("..%2F..%2Fetc%2Fpasswd", ".upload-abc", "a.txt", "x" * 300 + ".png"):
        assert httpx.get(f"{server.base_url}/pictrs/image/{name}").status_code == 404


def test_members_list_their_own_uploads_and_admins_list_all(server, api):
    from tests.support.admin import make_admin

    alice, bob = api.register(), api.register()
    alice_file = upload(server, alice.token, _png()).json()["files"][0]
    bob_file = upload(server, bob.token, _png((32, 32))).json()["files"][0]
    mine = alice.api.get("/account/list_media")["images"]
    assert [i["local_image"]["pictrs_alias"] for i in mine] == [alice_file["file"]]
    assert mine[0]["local_image"]["pictrs_delete_token"] == alice_file["delete_token"]
    assert mine[0]["person"]["name"] == alice.name
    assert alice.api.error("GET", "/admin/list_all_media")[1] == "not_an_admin"
    admin = make_admin(server)
    everything = admin.api.get("/admin/list_all_media")["images"]
    assert [i["local_image"]["pictrs_alias"] for i in everything] == [bob_file["file"], alice_file["file"]]
    assert [
        i["local_image"]["pictrs_alias"] for i in admin.api.get("/admin/list_all_media", limit=1, page=2)["images"]
    ] == [alice_file["file"]]
    assert api.error("GET", "/account/list_media")[0] == 401
