"""A community's subscriber counts follow every path that adds or removes a follower (follow and unfollow, racing
each other; a community ban; a purge, which takes poll votes back too; a deleted account), and every count equals
`agora admin recount`'s."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.support.admin import make_admin
from tests.support.client import PASSWORD, Member
from tests.support.recount import assert_counts_agree


def _subscribers(api, community_id: int) -> tuple[int, int]:
    counts = api.get("/community", id=community_id)["community_view"]["counts"]
    return counts["subscribers"], counts["subscribers_local"]


def _follow(member: Member, community_id: int, follow: bool = True) -> None:
    member.api.post("/community/follow", {"community_id": community_id, "follow": follow})


def test_a_community_ban_takes_the_follower_out_of_the_counts(server, api):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    member = api.register()
    _follow(member, community_id)
    post_id = member.post(community_id)["post"]["id"]
    member.comment(post_id)
    assert _subscribers(api, community_id) == (2, 2)
    ban = {"community_id": community_id, "person_id": member.person_id, "ban": True, "remove_data": True}
    owner.api.post("/community/ban_user", ban)
    assert _subscribers(api, community_id) == (1, 1)
    assert member.api.get("/community", id=community_id)["community_view"]["subscribed"] == "NotSubscribed"
    assert_counts_agree(server)


def test_a_purged_member_leaves_the_follower_and_poll_counts(server, api):
    admin = make_admin(server)
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    other_id = owner.community()["community"]["id"]
    member, voter = api.register(), api.register()
    for target in (community_id, other_id):
        _follow(member, target)
    member.comment(owner.post(community_id)["post"]["id"])
    poll = {"choices": ["Red", "Green"], "multiple": True}
    created = owner.api.post("/post", {"name": "Colours?", "community_id": community_id, "poll": poll})["post_view"]
    post_id, choices = created["post"]["id"], [c["id"] for c in created["poll"]["choices"]]
    member.api.post("/agora/poll/vote", {"post_id": post_id, "choice_ids": choices})
    voter.api.post("/agora/poll/vote", {"post_id": post_id, "choice_ids": choices[:1]})
    admin.api.post("/admin/purge/person", {"person_id": member.person_id, "reason": "spam"})
    assert _subscribers(api, community_id) == _subscribers(api, other_id) == (1, 1)
    after = api.get("/post", id=post_id)["post_view"]["poll"]
    assert ([c["votes"] for c in after["choices"]], after["voters"]) == ([1, 0], 1)
    assert_counts_agree(server)


def test_a_deleted_account_follows_nothing(server, api):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    member = api.register()
    _follow(member, community_id)
    users = api.get("/site")["site_view"]["counts"]["users"]
    member.api.post("/user/delete_account", {"password": PASSWORD, "delete_content": False})
    assert _subscribers(api, community_id) == (1, 1)
    assert api.get("/site")["site_view"]["counts"]["users"] == users - 1
    assert_counts_agree(server)


def test_racing_follows_and_unfollows_by_one_member_count_once(server, api):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    member = api.register()
    flips = [True, True, False, True, False, False, True, True] * 5  # ends on a follow once all have run
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda follow: _follow(member, community_id, follow), flips))
    subscribed = member.api.get("/community", id=community_id)["community_view"]["subscribed"]
    expected = 2 if subscribed == "Subscribed" else 1
    assert _subscribers(api, community_id) == (expected, expected)
    _follow(member, community_id, True)
    _follow(member, community_id, True)
    assert _subscribers(api, community_id) == (2, 2)
    assert_counts_agree(server)
