"""Notification modes through API v4: a member asks per community and per post for every new post or comment
("subscribed" notifications in the combined inbox), or mutes one so not even replies and mentions arrive."""


def inbox(member, **params) -> list[dict]:
    return member.api.get("/account/notification/list", **params)["items"]


def subscribed(member) -> list[tuple[str, int]]:
    """(what, id) of each subscribed notification, newest first: ("post", post id) or ("comment", comment id)."""
    found = []
    for item in inbox(member, type_="subscribed"):
        assert item["notification"]["kind"] == "subscribed"
        kind = item["data"]["type_"]
        found.append((kind, item["data"][kind]["id"]))
    return found


def community_mode(member, community_id: int, mode: str) -> None:
    body = {"community_id": community_id, "mode": mode}
    assert member.api.put("/community/notifications", body) == {"success": True}


def post_mode(member, post_id: int, mode: str) -> None:
    assert member.api.put("/post/notifications", {"post_id": post_id, "mode": mode}) == {"success": True}


def test_a_community_mode_brings_its_new_posts_and_comments(join):
    alice, bob, carol = join(), join(), join()
    community = alice.community()["community"]["id"]
    community_mode(bob, community, "all_posts")
    assert (
        bob.api.get("/community", id=community)["community_view"]["community_actions"]["notifications"] == "all_posts"
    )
    assert "community_actions" not in carol.api.get("/community", id=community)["community_view"]
    post = alice.post(community, "news")["post"]["id"]
    assert bob.api.get("/post", id=post)["community_view"]["community_actions"]["notifications"] == "all_posts"
    alice.comment(post, "a first comment")
    assert subscribed(bob) == [("post", post)]
    assert subscribed(carol) == [] and subscribed(alice) == []
    assert bob.api.get("/account/unread_counts")["notification_count"] == 1
    item = inbox(bob)[0]
    assert item["notification"]["post_id"] == post and item["data"]["post"]["name"] == "news"
    bob.api.post("/account/notification/mark_as_read", {"notification_id": item["notification"]["id"], "read": True})
    assert inbox(bob, unread_only=True) == [] and bob.api.get("/account/unread_counts")["notification_count"] == 0
    community_mode(bob, community, "all_posts_and_comments")
    second = alice.comment(post, "a second comment")["comment"]["id"]
    bob.comment(post, "bob's own words")  # no one hears of their own words
    assert subscribed(bob) == [("comment", second), ("post", post)]
    community_mode(bob, community, "replies_and_mentions")
    alice.post(community, "more news")
    assert len(subscribed(bob)) == 2


def test_a_post_mode_brings_its_comments_once_and_overrides_the_community(join):
    alice, bob, carol = join(), join(), join()
    community = alice.community()["community"]["id"]
    post = alice.post(community)["post"]["id"]
    post_mode(bob, post, "all_comments")
    assert bob.api.get("/post", id=post)["post_view"]["post_actions"]["notifications"] == "all_comments"
    said = carol.comment(post, "carol says")["comment"]["id"]
    mine = bob.comment(post, "bob answers")["comment"]["id"]
    reply = carol.comment(post, "to bob", parent_id=mine)["comment"]["id"]
    assert subscribed(bob) == [("comment", said)]  # the reply to bob arrives as a reply, once
    assert [(i["notification"]["kind"], i["data"]["comment"]["id"]) for i in inbox(bob, type_="reply")] == [
        ("reply", reply)
    ]
    community_mode(bob, community, "all_posts_and_comments")
    post_mode(bob, post, "mute")
    carol.comment(post, "muted")
    carol.comment(post, "muted reply", parent_id=mine)
    assert len(inbox(bob)) == 2
    other = alice.post(community, "other")["post"]["id"]
    assert subscribed(bob)[0] == ("post", other)  # the community's mode still holds on its other posts


def test_muting_a_community_stops_replies_and_mentions_from_it(join):
    alice, bob = join(), join()
    community = alice.community()["community"]["id"]
    post = bob.post(community)["post"]["id"]
    alice.comment(post, "a reply")
    assert [i["notification"]["kind"] for i in inbox(bob)] == ["reply"]
    community_mode(bob, community, "mute")
    alice.comment(post, "another reply")
    alice.comment(post, f"hello @{bob.name}")
    assert len(inbox(bob)) == 1
    community_mode(bob, community, "replies_and_mentions")
    alice.comment(post, "heard again")
    assert len(inbox(bob)) == 2


def test_bad_modes_are_refused(v4, join):
    alice = join()
    community = alice.community()["community"]["id"]
    post = alice.post(community)["post"]["id"]
    bad = alice.api.error("PUT", "/community/notifications", {"community_id": community, "mode": "all_comments"})
    assert bad[0] == 400
    assert alice.api.error("PUT", "/post/notifications", {"post_id": post, "mode": "all_posts"})[0] == 400
    missing = alice.api.error("PUT", "/community/notifications", {"community_id": 999_999, "mode": "mute"})
    assert missing == (404, "not_found")
    assert alice.api.error("PUT", "/post/notifications", {"post_id": 999_999, "mode": "mute"}) == (404, "not_found")
    assert v4.error("PUT", "/post/notifications", {"post_id": post, "mode": "mute"}) == (401, "incorrect_login")
