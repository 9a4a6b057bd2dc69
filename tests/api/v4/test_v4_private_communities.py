"""Lemmy 1.0's Private communities over API v4: follows wait for a moderator, who approves or denies them; until
approved, a member reads neither the community's posts nor its comments (listings, post page, search)."""

from tests.api.v4.conftest import V4Member
from tests.support.client import Api


def _person_id(member: V4Member) -> int:
    return member.api.get("/account")["local_user_view"]["person"]["id"]


def _follow(member: V4Member, community_id: int, follow: bool = True) -> dict:
    return member.api.post("/community/follow", {"community_id": community_id, "follow": follow})["community_view"]


def _private_with_post(mod: V4Member) -> tuple[int, int, int]:
    """(community, post, comment) ids of a new Private community with one post and one comment by its moderator."""
    community = mod.community(visibility="private")["community"]
    assert community["visibility"] == "private"
    pid = mod.post(community["id"], name="Members only plans")["post"]["id"]
    comment_id = mod.comment(pid, content="secret minutes")["comment"]["id"]
    return community["id"], pid, comment_id


def _reads(api: Api, cid: int, pid: int, comment_id: int) -> dict[str, bool]:
    """What of the community's content `api`'s caller sees, surface by surface."""
    status = api.request("GET", "/post", id=pid).status_code
    return {
        "community_listing": bool(api.get("/post/list", community_id=cid)["items"]),
        "all_listing": pid in [p["post"]["id"] for p in api.get("/post/list", type_="all", limit=50)["items"]],
        "post_page": status == 200,
        "comment": api.request("GET", "/comment", id=comment_id).status_code == 200,
        "comments": bool(api.get("/comment/list", post_id=pid)["items"]) if status == 200 else False,
        "search_posts": bool(api.get("/search", search_term="Members only plans", type_="posts")["posts"]),
        "search_comments": bool(api.get("/search", search_term="secret minutes", type_="comments")["comments"]),
    }


def test_a_follow_of_a_private_community_waits_for_approval_and_then_reads_its_content(join, v4):
    mod, member = join(), join()
    cid, pid, comment_id = _private_with_post(mod)
    assert not any(_reads(v4, cid, pid, comment_id).values())  # anonymous
    assert not any(_reads(member.api, cid, pid, comment_id).values())
    assert v4.get("/community", id=cid)["community_view"]["community"]["name"]  # the profile itself is public

    asked = _follow(member, cid)
    assert asked["community_actions"]["follow_state"] == "approval_required"
    assert not any(_reads(member.api, cid, pid, comment_id).values())
    assert member.api.get("/community", id=cid)["community_view"]["community_actions"]["follow_state"] == (
        "approval_required"
    )
    assert mod.api.get("/account/unread_counts")["pending_follow_count"] == 1

    listed = mod.api.get("/community/pending_follows/list", unread_only=True)["items"]
    assert [(i["person"]["name"], i["community"]["id"], i["follow_state"]) for i in listed] == [
        (member.name, cid, "approval_required")
    ]
    assert listed[0]["is_new_instance"] is False  # the moderator, here, follows it already
    approve = {"community_id": cid, "follower_id": _person_id(member), "approve": True}
    assert mod.api.post("/community/pending_follows/approve", approve) == {"success": True}

    assert all(_reads(member.api, cid, pid, comment_id).values())
    seen = member.api.get("/community", id=cid)["community_view"]
    assert seen["community_actions"]["follow_state"] == "accepted"
    assert seen["community"]["subscribers"] == 2
    assert mod.api.get("/account/unread_counts")["pending_follow_count"] == 0
    assert mod.api.get("/community/pending_follows/list", unread_only=True)["items"] == []
    everyone = mod.api.get("/community/pending_follows/list")["items"]
    assert {(i["person"]["name"], i["follow_state"]) for i in everyone} >= {(member.name, "accepted")}
    member.comment(pid, content="glad to be in")
    assert not any(_reads(v4, cid, pid, comment_id).values())  # still nothing for outsiders


def test_a_denied_follow_is_removed_and_its_member_may_not_take_part(join):
    mod, member = join(), join()
    cid, pid, comment_id = _private_with_post(mod)
    _follow(member, cid)
    deny = {"community_id": cid, "follower_id": _person_id(member), "approve": False}
    assert mod.api.post("/community/pending_follows/approve", deny) == {"success": True}
    assert "community_actions" not in member.api.get("/community", id=cid)["community_view"]
    assert [i["person"]["name"] for i in mod.api.get("/community/pending_follows/list")["items"]] == [mod.name]
    assert mod.api.error("POST", "/community/pending_follows/approve", deny) == (404, "not_found")
    assert member.api.error("POST", "/post", {"name": "let me in", "community_id": cid})[1] == "not_found"
    assert member.api.error("POST", "/comment", {"post_id": pid, "content": "hello?"})[1] == "not_found"
    assert member.api.error("POST", "/post/like", {"post_id": pid, "is_upvote": True})[1] == "not_found"
    assert not any(_reads(member.api, cid, pid, comment_id).values())


def test_only_the_communitys_moderators_decide_and_see_its_follow_requests(join):
    mod, member, other = join(), join(), join()
    cid, _, _ = _private_with_post(mod)
    _follow(member, cid)
    assert other.api.get("/community/pending_follows/list")["items"] == []
    approve = {"community_id": cid, "follower_id": _person_id(member), "approve": True}
    assert other.api.error("POST", "/community/pending_follows/approve", approve)[1] == "not_a_mod_or_admin"
    assert other.api.get("/account/unread_counts")["pending_follow_count"] == 0
    assert member.api.error("GET", "/community/pending_follows/list", page_cursor="zz")[1] == "invalid_body_field"


def test_pending_follows_page_with_cursors(join):
    mod = join()
    cid, _, _ = _private_with_post(mod)
    followers = [join() for _ in range(3)]
    for member in followers:
        _follow(member, cid)
    first = mod.api.get("/community/pending_follows/list", unread_only=True, limit=2)
    assert [i["person"]["name"] for i in first["items"]] == [followers[2].name, followers[1].name]
    second = mod.api.get("/community/pending_follows/list", unread_only=True, limit=2, page_cursor=first["next_page"])
    assert [i["person"]["name"] for i in second["items"]] == [followers[0].name]
    back = mod.api.get("/community/pending_follows/list", unread_only=True, limit=2, page_cursor=second["prev_page"])
    assert [i["person"]["name"] for i in back["items"]] == [followers[2].name, followers[1].name]


def test_a_public_community_follow_is_accepted_at_once(join):
    mod, member = join(), join()
    cid = mod.community()["community"]["id"]
    assert _follow(member, cid)["community_actions"]["follow_state"] == "accepted"
    assert mod.api.get("/community/pending_follows/list")["items"] == []


def test_a_community_made_public_accepts_the_follows_still_waiting(join):
    mod, member = join(), join()
    cid, pid, comment_id = _private_with_post(mod)
    _follow(member, cid)
    mod.api.put("/community", {"community_id": cid, "visibility": "public"})
    seen = member.api.get("/community", id=cid)["community_view"]
    assert seen["community_actions"]["follow_state"] == "accepted" and seen["community"]["subscribers"] == 2
    assert all(_reads(member.api, cid, pid, comment_id).values())
    assert member.api.error("PUT", "/community", {"community_id": cid, "visibility": "unlisted"})[1] in (
        "invalid_body_field",
        "not_a_moderator",
    )
