"""Lemmy's image.spec, with real images where its pict-rs runs in dummy mode: the upload round trip as Lemmy apps
see it, and uploads going with a purged person, a purged post and a ban that removes data."""

import io

import httpx
from PIL import Image

from tests.support.admin import make_admin
from tests.support.images import stored_files, upload


def _png(colour=(30, 90, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(out, "PNG")
    return out.getvalue()


def _upload(server, member) -> dict:
    response = upload(server, member.token, _png())
    assert response.status_code == 200, response.text
    return response.json()["files"][0]


def test_upload_list_and_delete_as_lemmy_apps_do(server, api):
    assert httpx.get(f"{server.base_url}/pictrs/healthz").status_code == 200
    admin = make_admin(server)
    file = _upload(server, admin)
    url = f"{server.base_url}/pictrs/image/{file['file']}"
    delete_url = f"{server.base_url}/pictrs/image/delete/{file['delete_token']}/{file['file']}"  # the client's
    assert len(httpx.get(url).content) > 0
    mine = admin.api.get("/account/list_media")["images"]
    assert len(mine) == 1 and len(admin.api.get("/admin/list_all_media", limit=50)["images"]) == 1
    image = mine[0]
    built = f"{server.base_url}/pictrs/image/delete/{image['local_image']['pictrs_delete_token']}/"
    assert built + image["local_image"]["pictrs_alias"] == delete_url
    assert image["person"]["actor_id"] == f"{server.base_url}/u/{admin.name}"
    assert httpx.get(delete_url).status_code == 204
    gone = httpx.get(url)
    assert (gone.status_code, gone.text) == (404, "")
    assert admin.api.get("/account/list_media")["images"] == []
    assert admin.api.get("/admin/list_all_media", limit=50)["images"] == []


def test_purging_a_person_deletes_their_uploads(server, api):
    admin, member, other = make_admin(server), api.register(), api.register()
    file = _upload(server, member)
    kept = _upload(server, other)
    admin.api.post("/admin/purge/person", {"person_id": member.person_id})
    assert httpx.get(f"{server.base_url}/pictrs/image/{file['file']}").text == ""
    assert [i["local_image"]["pictrs_alias"] for i in admin.api.get("/admin/list_all_media")["images"]] == [
        kept["file"]
    ]
    assert len(stored_files(server)) == 2  # the other member's image and its thumbnail


def test_a_refused_purge_deletes_no_upload(server, api):
    admin, second_admin = make_admin(server), make_admin(server)
    file = _upload(server, second_admin)
    status, _ = admin.api.error("POST", "/admin/purge/person", {"person_id": second_admin.person_id})
    assert status == 400
    assert httpx.get(f"{server.base_url}/pictrs/image/{file['file']}").status_code == 200
    assert len(second_admin.api.get("/account/list_media")["images"]) == 1


def test_purging_a_post_deletes_the_image_it_links(server, api):
    admin, member = make_admin(server), api.register()
    file = _upload(server, member)
    url = f"{server.base_url}/pictrs/image/{file['file']}"
    post = member.post(member.community()["community"]["id"], url=url)["post"]
    assert post["url"] == url
    admin.api.post("/admin/purge/post", {"post_id": post["id"]})
    assert httpx.get(url).text == "" and stored_files(server) == []


def test_a_ban_that_removes_data_deletes_the_uploads(server, api):
    admin, member = make_admin(server), api.register()
    file = _upload(server, member)
    admin.api.post("/user/ban", {"person_id": member.person_id, "ban": True})
    assert httpx.get(f"{server.base_url}/pictrs/image/{file['file']}").status_code == 200  # data kept
    admin.api.post("/user/ban", {"person_id": member.person_id, "ban": True, "remove_data": True})
    assert httpx.get(f"{server.base_url}/pictrs/image/{file['file']}").status_code == 404
    assert stored_files(server) == []
