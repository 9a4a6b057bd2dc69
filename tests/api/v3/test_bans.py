"""Bans from a community and from the site, with and without expiry; expired bans lapse by themselves."""

import time

import pytest

from tests.support.admin import make_admin


@pytest.fixture
def place(api):
    mod = api.register()
    community = mod.community()["community"]["id"]
    member = api.register()
    post = member.post(community)["post"]["id"]
    return mod, member, community, post


def test_community_ban_refuses_writes_with_lemmys_error_and_unban_restores(place):
    mod, member, community, post = place
    banned = mod.api.post(
        "/community/ban_user", {"community_id": community, "person_id": member.person_id, "ban": True, "reason": "r1"}
    )
    assert banned["banned"] is True and banned["person_view"]["person"]["id"] == member.person_id
    assert member.api.error("POST", "/post", {"name": "Another one", "community_id": community})[1] == (
        "banned_from_community"
    )
    assert member.api.error("POST", "/comment", {"post_id": post, "content": "x"})[1] == "banned_from_community"
    assert member.api.get("/post", id=post)["post_view"]["banned_from_community"] is True
    mod.api.post("/community/ban_user", {"community_id": community, "person_id": member.person_id, "ban": False})
    member.post(community, name="Back again")


def test_ban_with_remove_data_removes_their_content_there(place, api):
    mod, member, community, post = place
    comment = member.comment(post)["comment"]["id"]
    mod.api.post(
        "/community/ban_user",
        {"community_id": community, "person_id": member.person_id, "ban": True, "remove_data": True},
    )
    assert mod.api.get("/post", id=post)["post_view"]["post"]["removed"] is True
    assert mod.api.get("/comment", id=comment)["comment_view"]["comment"]["removed"] is True
    counts = api.get("/community", id=community)["community_view"]["counts"]
    assert (counts["posts"], counts["comments"]) == (0, 0)


def test_expiring_community_ban_lapses_without_intervention(place):
    mod, member, community, _ = place
    expires = int(time.time()) + 5  # room for a loaded machine between the ban and the refused post
    mod.api.post(
        "/community/ban_user",
        {"community_id": community, "person_id": member.person_id, "ban": True, "expires": expires},
    )
    assert member.api.error("POST", "/post", {"name": "Too early", "community_id": community})[1] == (
        "banned_from_community"
    )
    time.sleep(max(0.0, expires - time.time()) + 1.1)
    member.post(community, name="After the ban")


def test_ban_expiry_in_the_past_is_refused(place):
    mod, member, community, _ = place
    body = {"community_id": community, "person_id": member.person_id, "ban": True, "expires": 1000}
    assert mod.api.error("POST", "/community/ban_user", body)[1] == "ban_expiration_in_past"


def test_moderator_cannot_ban_an_admin_or_fellow_moderator(place, server):
    mod, member, community, _ = place
    admin = make_admin(server)
    body = {"community_id": community, "person_id": admin.person_id, "ban": True}
    assert mod.api.error("POST", "/community/ban_user", body)[1] == "not_a_mod_or_admin"
    mod.api.post("/community/mod", {"community_id": community, "person_id": member.person_id, "added": True})
    body = {"community_id": community, "person_id": member.person_id, "ban": True}
    assert mod.api.error("POST", "/community/ban_user", body)[1] == "not_a_mod_or_admin"


def test_site_ban_with_expiry_blocks_login_until_it_lapses(place, server, api):
    _mod, member, community, _ = place
    admin = make_admin(server)
    expires = int(time.time()) + 5  # room for a loaded machine between the ban and the refused post
    result = admin.api.post(
        "/user/ban", {"person_id": member.person_id, "ban": True, "reason": "spam", "expires": expires}
    )
    assert result["banned"] is True and result["person_view"]["person"]["banned"] is True
    assert [p["person"]["id"] for p in admin.api.get("/user/banned")["banned"]] == [member.person_id]
    login = {"username_or_email": member.name, "password": "correct horse battery"}
    assert api.error("POST", "/user/login", login)[1] == "site_ban"
    assert member.api.error("POST", "/post", {"name": "Banned post", "community_id": community})[0] in (400, 401)
    time.sleep(max(0.0, expires - time.time()) + 1.1)
    again = api.login(member.name)
    again.post(community, name="After the site ban")


def test_site_ban_is_for_admins_only(place):
    mod, member, _, _ = place
    assert mod.api.error("POST", "/user/ban", {"person_id": member.person_id, "ban": True})[1] == "not_an_admin"
    assert mod.api.error("GET", "/user/banned")[1] == "not_an_admin"


def test_site_ban_ends_the_members_sessions_so_lifting_it_revives_none(place, server, api):
    """Lemmy 0.19 ends every login of a member it bans from the site: after the ban is lifted they log in again."""
    _mod, member, community, _ = place
    admin = make_admin(server)
    other_device = api.login(member.name)
    admin.api.post("/user/ban", {"person_id": member.person_id, "ban": True, "reason": "spam"})
    admin.api.post("/user/ban", {"person_id": member.person_id, "ban": False})
    for old in (member, other_device):
        assert old.api.error("GET", "/user/unread_count")[0] in (400, 401)
        assert old.api.get("/site").get("my_user") is None
    api.login(member.name).post(community, name="Logged in again")
