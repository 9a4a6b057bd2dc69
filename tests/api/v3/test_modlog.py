"""The modlog lists each moderator and admin action in Lemmy's shapes, hiding moderator names when asked."""

import pytest

from tests.support.admin import make_admin


@pytest.fixture
def history(server, api):
    admin = make_admin(server)
    mod = api.register()
    community = mod.community()["community"]["id"]
    member = api.register()
    post = member.post(community)["post"]["id"]
    comment = member.comment(post)["comment"]["id"]
    mod.api.post("/post/remove", {"post_id": post, "removed": True, "reason": "r-post"})
    mod.api.post("/post/remove", {"post_id": post, "removed": False})
    mod.api.post("/post/lock", {"post_id": post, "locked": True})
    mod.api.post("/post/feature", {"post_id": post, "featured": True, "feature_type": "Community"})
    mod.api.post("/comment/remove", {"comment_id": comment, "removed": True, "reason": "r-comment"})
    mod.api.post("/community/ban_user", {"community_id": community, "person_id": member.person_id, "ban": True})
    helper = api.register()
    mod.api.post("/community/mod", {"community_id": community, "person_id": helper.person_id, "added": True})
    mod.api.post("/community/transfer", {"community_id": community, "person_id": helper.person_id})
    admin.api.post("/user/ban", {"person_id": member.person_id, "ban": True, "reason": "r-site"})
    admin.api.post("/admin/add", {"person_id": mod.person_id, "added": True})
    admin.api.put("/community/hide", {"community_id": community, "hidden": True})
    return admin, mod, member, community, post, comment


def test_every_action_is_listed_in_its_array(history, api):
    _admin, _mod, member, community, post, comment = history
    log = api.get("/modlog")
    assert [e["mod_remove_post"]["removed"] for e in log["removed_posts"]] == [False, True]
    assert log["removed_posts"][1]["mod_remove_post"]["reason"] == "r-post"
    assert log["removed_posts"][0]["post"]["id"] == post
    assert log["locked_posts"][0]["mod_lock_post"]["locked"] is True
    assert log["featured_posts"][0]["mod_feature_post"]["is_featured_community"] is True
    assert log["removed_comments"][0]["comment"]["id"] == comment
    assert log["removed_comments"][0]["commenter"]["id"] == member.person_id
    assert log["banned_from_community"][0]["banned_person"]["id"] == member.person_id
    assert log["added_to_community"][0]["mod_add_community"]["removed"] is False
    assert log["transferred_to_community"][0]["community"]["id"] == community
    assert log["banned"][0]["mod_ban"]["reason"] == "r-site"
    assert log["added"][0]["mod_add"]["removed"] is False
    assert log["hidden_communities"][0]["mod_hide_community"]["hidden"] is True


def test_filters_by_kind_community_and_person(history, api):
    _admin, _mod, member, community, _, _ = history
    only_locks = api.get("/modlog", type_="ModLockPost")
    assert len(only_locks["locked_posts"]) == 1 and only_locks["removed_posts"] == []
    about_member = api.get("/modlog", other_person_id=member.person_id)
    assert len(about_member["banned"]) == 1 and about_member["locked_posts"] == []
    assert len(api.get("/modlog", community_id=community)["removed_posts"]) == 2


def test_moderator_names_hidden_from_the_public_but_shown_to_admins(history, api):
    admin, mod, _member, _, _, _ = history
    public = api.get("/modlog")["locked_posts"][0]
    assert "moderator" not in public and public["mod_lock_post"]["mod_person_id"] == 0
    seen_by_admin = admin.api.get("/modlog")["locked_posts"][0]
    assert seen_by_admin["moderator"]["id"] == mod.person_id
    admin.api.put("/site", {"hide_modlog_mod_names": False})
    assert api.get("/modlog")["locked_posts"][0]["moderator"]["id"] == mod.person_id
