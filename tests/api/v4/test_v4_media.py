"""API v4 uploads: POST /image, its health, members' and admins' media lists and deletes (v3's storage and rows)."""

import io

import httpx
from PIL import Image

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin
from tests.support.images import stored_files


def png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def post_image(
    server, member: V4Member | None, path: str = "/image", data: bytes | None = None, **query
) -> httpx.Response:
    """A multipart `images[]` upload as lemmy-js-client 1.0 sends it, the login in the Authorization header."""
    headers = {"Authorization": f"Bearer {member.api.token}"} if member else {}
    files = {"images[]": ("image.jpg", png() if data is None else data, "image/jpeg")}
    return httpx.post(f"{server.base_url}/api/v4{path}", files=files, params=query, headers=headers, timeout=60)


def uploaded(server, member: V4Member, path: str = "/image", **query) -> dict:
    response = post_image(server, member, path, **query)
    assert response.status_code == 200, response.text
    return response.json()


def media(member: V4Member, path: str = "/account/media/list", **params) -> list[str]:
    return [i["local_image"]["pictrs_alias"] for i in member.api.get(path, **params)["items"]]


def test_an_upload_answers_its_address_and_is_listed_for_its_owner_and_admins(server, v4, join):
    alice, bob = join(), join()
    admin = V4Member(v4, make_admin(server).name)
    answer = uploaded(server, alice)
    assert set(answer) == {"image_url", "filename"}
    assert answer["image_url"] == f"{server.base_url}/pictrs/image/{answer['filename']}"
    image = httpx.get(answer["image_url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    listed = alice.api.get("/account/media/list")["items"]
    assert [i["local_image"]["pictrs_alias"] for i in listed] == [answer["filename"]]
    assert listed[0]["person"]["name"] == alice.name and listed[0]["local_image"]["published_at"]
    assert listed[0]["local_image"]["person_id"] == listed[0]["person"]["id"]
    assert media(bob) == []
    assert media(admin, "/image/list") == [answer["filename"]]
    assert bob.api.error("GET", "/image/list")[1] == "not_an_admin"


def test_uploads_are_refused_to_strangers_and_for_what_is_no_image(server, join):
    member = join()
    before = stored_files(server)
    anonymous = post_image(server, None)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "incorrect_login"
    refused = post_image(server, member, data=b"not an image at all")
    assert 400 <= refused.status_code < 500 and refused.json()["error"]
    assert stored_files(server) == before and media(member) == []


def test_the_image_health_check_answers_success(v4):
    assert v4.get("/image/health") == {"success": True}


def test_members_delete_their_own_media_and_admins_anyones(server, v4, join):
    alice, bob = join(), join()
    admin = V4Member(v4, make_admin(server).name)
    first, second = uploaded(server, alice), uploaded(server, alice)
    assert bob.api.error("DELETE", "/account/media", {"filename": first["filename"]}) == (404, "not_found")
    assert bob.api.error("DELETE", "/image", {"filename": first["filename"]})[1] == "not_an_admin"
    assert alice.api.request("DELETE", "/account/media", {"filename": first["filename"]}).json() == {"success": True}
    assert httpx.get(first["image_url"]).status_code == 404
    assert media(alice) == [second["filename"]]
    assert admin.api.request("DELETE", "/image", {"filename": second["filename"]}).json() == {"success": True}
    assert media(alice) == [] and stored_files(server) == []
    assert admin.api.error("DELETE", "/image", {"filename": second["filename"]}) == (404, "not_found")


def test_media_lists_page_with_cursors(server, join):
    member = join()
    names = [uploaded(server, member)["filename"] for _ in range(3)]
    first = member.api.get("/account/media/list", limit=2)
    assert [i["local_image"]["pictrs_alias"] for i in first["items"]] == names[:0:-1]
    second = member.api.get("/account/media/list", limit=2, page_cursor=first["next_page"])
    assert [i["local_image"]["pictrs_alias"] for i in second["items"]] == names[:1]
    assert "next_page" not in second and second["prev_page"]
    assert member.api.error("GET", "/account/media/list", page_cursor="garbage")[0] == 400
