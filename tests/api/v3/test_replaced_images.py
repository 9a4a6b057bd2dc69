"""A replaced or cleared avatar, banner or icon takes the member's own upload behind it along (Lemmy deletes it from
pict-rs): the image list, the file and its thumbnail go. Anyone else's upload, an image stored elsewhere and the
same address given again stay."""

import io

import httpx
from PIL import Image

from tests.support.admin import make_admin
from tests.support.images import stored_files, upload


def _png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def _upload(server, member) -> str:
    name = upload(server, member.token, _png()).json()["files"][0]["file"]
    return f"{server.base_url}/pictrs/image/{name}"


def _media(member) -> list[str]:
    return [i["local_image"]["pictrs_alias"] for i in member.api.get("/account/list_media")["images"]]


def _alias(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_a_new_avatar_deletes_the_old_upload_as_lemmys_test_checks(server, api):
    member = api.register()
    assert _media(member) == []
    first = _upload(server, member)
    member.api.put("/user/save_user_settings", {"avatar": first})
    assert _media(member) == [_alias(first)]
    second = _upload(server, member)
    member.api.put("/user/save_user_settings", {"avatar": second})
    assert _media(member) == [_alias(second)]  # only the new avatar is kept
    assert httpx.get(first).status_code == 404 and len(stored_files(server)) == 2  # the new image and its thumbnail
    member.api.put("/user/save_user_settings", {"avatar": second})  # the same address again
    assert _media(member) == [_alias(second)]
    member.api.put("/user/save_user_settings", {"bio": "a changed bio", "interface_language": "en"})  # no avatar field
    assert member.api.get("/site")["my_user"]["local_user_view"]["person"]["avatar"] == second
    assert _media(member) == [_alias(second)] and httpx.get(second).status_code == 200


def test_a_cleared_banner_deletes_its_upload_and_a_thumbnail_address_counts(server, api):
    member = api.register()
    banner = _upload(server, member)
    thumbnail = banner.rsplit(".", 1)[0] + "-thumb.webp"  # the web settings page stores avatars so
    member.api.put("/user/save_user_settings", {"banner": thumbnail})
    member.api.put("/user/save_user_settings", {"banner": ""})
    assert _media(member) == [] and stored_files(server) == []


def test_someone_elses_upload_and_outside_images_stay(server, api):
    alice, bob = api.register(), api.register()
    alices = _upload(server, alice)
    bob.api.put("/user/save_user_settings", {"avatar": alices})
    bob.api.put("/user/save_user_settings", {"avatar": "https://images.example.org/me.png"})
    assert _media(alice) == [_alias(alices)]
    bob.api.put("/user/save_user_settings", {"avatar": ""})
    assert httpx.get(alices).status_code == 200


def test_a_refused_save_deletes_nothing(server, api):
    member = api.register()
    avatar = _upload(server, member)
    member.api.put("/user/save_user_settings", {"avatar": avatar})
    refused = {"avatar": _upload(server, member), "bio": "x" * 1001}
    assert member.api.error("PUT", "/user/save_user_settings", refused)[1] == "bio_length_overflow"
    assert _alias(avatar) in _media(member) and httpx.get(avatar).status_code == 200


def test_community_and_site_icons_replaced_by_their_uploader_are_deleted(server, api):
    mod = api.register()
    community = mod.community()["community"]["id"]
    icon = _upload(server, mod)
    mod.api.put("/community", {"community_id": community, "icon": icon})
    mod.api.put("/community", {"community_id": community, "icon": _upload(server, mod)})
    assert _alias(icon) not in _media(mod) and httpx.get(icon).status_code == 404
    admin = make_admin(server)
    site_icon = _upload(server, admin)
    admin.api.put("/site", {"icon": site_icon})
    admin.api.put("/site", {"icon": ""})
    assert _media(admin) == [] and httpx.get(site_icon).status_code == 404
