"""API v4's direct uploads of avatars, banners and icons: who may set them, what they set, and the replaced upload
released as v3's edits release it."""

import httpx

from tests.api.v4.conftest import V4Member
from tests.api.v4.test_v4_media import media, post_image, uploaded
from tests.support.admin import make_admin
from tests.support.images import stored_files


def my_person(member: V4Member) -> dict:
    return member.api.get("/account")["local_user_view"]["person"]


def test_a_member_uploads_replaces_and_deletes_their_avatar(server, join):
    member = join()
    first = uploaded(server, member, "/account/avatar")
    assert my_person(member)["avatar"] == first["image_url"]
    second = uploaded(server, member, "/account/avatar")
    assert my_person(member)["avatar"] == second["image_url"]
    assert httpx.get(first["image_url"]).status_code == 404  # the replaced upload is released
    assert media(member) == [second["filename"]]
    banner = uploaded(server, member, "/account/banner")
    assert my_person(member)["banner"] == banner["image_url"] and my_person(member)["avatar"] == second["image_url"]
    assert member.api.request("DELETE", "/account/avatar").json() == {"success": True}
    person = my_person(member)
    assert "avatar" not in person and person["banner"] == banner["image_url"]
    assert media(member) == [banner["filename"]] and httpx.get(second["image_url"]).status_code == 404
    member.api.request("DELETE", "/account/banner")
    assert "banner" not in my_person(member) and stored_files(server) == []


def test_only_a_communitys_moderators_set_its_icon_and_banner(server, join):
    mod, other = join(), join()
    community = mod.community()["community"]["id"]
    before = stored_files(server)
    refused = post_image(server, other, "/community/icon", id=community)
    assert refused.status_code == 400 and refused.json()["error"] == "not_a_moderator"
    assert stored_files(server) == before and media(other) == []  # a refused setting stores nothing
    assert post_image(server, mod, "/community/icon", id=2**30).json()["error"] == "not_found"
    icon = uploaded(server, mod, "/community/icon", id=community)
    banner = uploaded(server, mod, "/community/banner", id=community)
    shown = mod.api.get("/community", id=community)["community_view"]["community"]
    assert (shown["icon"], shown["banner"]) == (icon["image_url"], banner["image_url"])
    assert other.api.error("DELETE", "/community/banner", {"id": community})[1] == "not_a_moderator"
    assert mod.api.request("DELETE", "/community/banner", {"id": community}).json() == {"success": True}
    shown = mod.api.get("/community", id=community)["community_view"]["community"]
    assert "banner" not in shown and shown["icon"] == icon["image_url"]  # the banner goes, not the icon
    assert media(mod) == [icon["filename"]]


def test_only_admins_set_the_sites_icon_and_banner(server, v4, join):
    admin, member = V4Member(v4, make_admin(server).name), join()
    refused = post_image(server, member, "/site/icon")
    assert refused.status_code in (400, 403) and refused.json()["error"] == "not_an_admin"
    icon = uploaded(server, admin, "/site/icon")
    assert v4.get("/site")["site_view"]["site"]["icon"] == icon["image_url"]
    banner = uploaded(server, admin, "/site/banner")
    assert v4.get("/site")["site_view"]["site"]["banner"] == banner["image_url"]
    assert member.api.error("DELETE", "/site/banner")[1] == "not_an_admin"
    admin.api.request("DELETE", "/site/banner")
    site = v4.get("/site")["site_view"]["site"]
    assert "banner" not in site and site["icon"] == icon["image_url"]
    assert httpx.get(banner["image_url"]).status_code == 404


def test_the_settings_save_of_1_0_has_no_avatar_and_leaves_it(server, join):
    member = join()
    avatar = uploaded(server, member, "/account/avatar")
    member.api.put("/account/settings/save", {"avatar": "https://images.example.org/a.png", "bio": "hello"})
    assert my_person(member)["avatar"] == avatar["image_url"] and media(member) == [avatar["filename"]]
