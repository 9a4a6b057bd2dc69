"""Moderators remove, lock, feature and distinguish; the author and moderators still see removed content."""

import pytest

from tests.support.admin import make_admin


@pytest.fixture
def board(api):
    """A community with its moderator, a member's post and comment, and a bystander."""
    mod = api.register()
    community = mod.community()["community"]["id"]
    author = api.register()
    author.api.post("/community/follow", {"community_id": community, "follow": True})
    post = author.post(community, body="body text")["post"]["id"]
    comment = author.comment(post)["comment"]["id"]
    return mod, author, api.register(), community, post, comment


def test_removed_post_is_hidden_from_others_but_shown_marked_to_author(board, api):
    mod, author, bystander, community, post, _ = board
    removed = mod.api.post("/post/remove", {"post_id": post, "removed": True, "reason": "rule 3"})
    assert removed["post_view"]["post"]["removed"] is True
    assert author.api.get("/post", id=post)["post_view"]["post"]["removed"] is True
    assert bystander.api.error("GET", "/post", id=post) == (400, "couldnt_find_post")
    listed = [p["post"]["id"] for p in bystander.api.get("/post/list", community_id=community)["posts"]]
    assert post not in listed
    assert api.get("/community", id=community)["community_view"]["counts"]["posts"] == 0
    mod.api.post("/post/remove", {"post_id": post, "removed": False})
    assert bystander.api.get("/post", id=post)["post_view"]["post"]["removed"] is False
    assert api.get("/community", id=community)["community_view"]["counts"]["posts"] == 1


def test_removed_comment_is_blanked_for_others(board):
    mod, author, bystander, _, post, comment = board
    mod.api.post("/comment/remove", {"comment_id": comment, "removed": True, "reason": "spam"})
    seen = bystander.api.get("/comment", id=comment)["comment_view"]
    assert seen["comment"]["removed"] is True and seen["comment"]["content"] == ""
    assert author.api.get("/comment", id=comment)["comment_view"]["comment"]["content"] == "a comment"
    assert bystander.api.get("/post", id=post)["post_view"]["counts"]["comments"] == 0


def test_locked_post_refuses_comments(board):
    mod, author, _, _, post, _ = board
    assert mod.api.post("/post/lock", {"post_id": post, "locked": True})["post_view"]["post"]["locked"] is True
    assert author.api.error("POST", "/comment", {"post_id": post, "content": "hi"})[1] == "locked"
    mod.api.post("/post/lock", {"post_id": post, "locked": False})
    author.comment(post, "now it works")


def test_featured_post_comes_first_and_local_feature_needs_an_admin(board, server, api):
    mod, author, _, community, post, _ = board
    author.post(community, name="A newer post")
    view = mod.api.post("/post/feature", {"post_id": post, "featured": True, "feature_type": "Community"})
    assert view["post_view"]["post"]["featured_community"] is True
    first = api.get("/post/list", community_id=community, sort="New")["posts"][0]
    assert first["post"]["id"] == post
    assert mod.api.error("POST", "/post/feature", {"post_id": post, "featured": True, "feature_type": "Local"}) == (
        400,
        "not_an_admin",
    )
    admin = make_admin(server)
    local = admin.api.post("/post/feature", {"post_id": post, "featured": True, "feature_type": "Local"})
    assert local["post_view"]["post"]["featured_local"] is True


def test_distinguish_only_own_comment_as_moderator(board):
    mod, _author, _, _, post, comment = board
    own = mod.comment(post, "speaking as a mod")["comment"]["id"]
    view = mod.api.post("/comment/distinguish", {"comment_id": own, "distinguished": True})
    assert view["comment_view"]["comment"]["distinguished"] is True
    assert mod.api.error("POST", "/comment/distinguish", {"comment_id": comment, "distinguished": True})[1] == (
        "no_comment_edit_allowed"
    )


def test_admin_hides_and_removes_community(board, server, api):
    _mod, _author, bystander, community, _, _ = board
    admin = make_admin(server)
    assert bystander.api.error("PUT", "/community/hide", {"community_id": community, "hidden": True})[1] == (
        "not_an_admin"
    )
    admin.api.put("/community/hide", {"community_id": community, "hidden": True, "reason": "off-topic instance"})
    assert api.get("/community", id=community)["community_view"]["community"]["hidden"] is True
    removed = admin.api.post("/community/remove", {"community_id": community, "removed": True, "reason": "spam"})
    assert removed["community_view"]["community"]["removed"] is True
