"""Replies and mentions land in the right inbox with the counts right; marking read changes them."""

import pytest


@pytest.fixture
def thread(api):
    op = api.register()
    community = op.community()["community"]["id"]
    post = op.post(community)["post"]["id"]
    return op, community, post


def test_reply_to_a_post_and_to_a_comment_reach_their_authors(thread, api):
    op, _, post = thread
    commenter = api.register()
    top = commenter.api.post("/comment", {"post_id": post, "content": "top level"})
    assert top["recipient_ids"], "the post's author was notified"
    replies = op.api.get("/user/replies")["replies"]
    assert [r["comment"]["id"] for r in replies] == [top["comment_view"]["comment"]["id"]]
    assert replies[0]["comment_reply"]["read"] is False and replies[0]["recipient"]["id"] == op.person_id
    answer = op.comment(post, "an answer", parent_id=top["comment_view"]["comment"]["id"])
    assert [r["comment"]["id"] for r in commenter.api.get("/user/replies")["replies"]] == [answer["comment"]["id"]]
    assert op.api.get("/user/unread_count")["replies"] == 1
    assert commenter.api.get("/user/unread_count")["replies"] == 1
    # your own comments never notify you
    op.comment(post, "talking to myself")
    assert op.api.get("/user/unread_count")["replies"] == 1


def test_mentions_notify_local_people_once(thread, api):
    op, _, post = thread
    named = api.register()
    writer = api.register()
    content = f"hey @{named.name} and @{named.name}, also `@{op.name}` in code and @nobody_here"
    writer.comment(post, content)
    mentions = named.api.get("/user/mention")["mentions"]
    assert len(mentions) == 1 and mentions[0]["person_mention"]["recipient_id"] == named.person_id
    assert named.api.get("/user/unread_count")["mentions"] == 1
    assert op.api.get("/user/unread_count")["mentions"] == 0  # a mention inside code does not count
    mention_id = mentions[0]["person_mention"]["id"]
    marked = named.api.post("/user/mention/mark_as_read", {"person_mention_id": mention_id, "read": True})
    assert marked["person_mention_view"]["person_mention"]["read"] is True
    assert named.api.get("/user/unread_count")["mentions"] == 0
    assert named.api.get("/user/mention", unread_only=True)["mentions"] == []
    assert op.api.error("POST", "/user/mention/mark_as_read", {"person_mention_id": mention_id, "read": False})[1] == (
        "couldnt_update_person_mentions"
    )


def test_mark_reply_read_and_mark_all(thread, api):
    op, _, post = thread
    for n in range(3):
        api.register().comment(post, f"reply {n}")
    replies = op.api.get("/user/replies", unread_only=True)["replies"]
    assert len(replies) == 3
    first = replies[0]["comment_reply"]["id"]
    done = op.api.post("/comment/mark_as_read", {"comment_reply_id": first, "read": True})
    assert done["comment_reply_view"]["comment_reply"]["read"] is True
    assert op.api.get("/user/unread_count")["replies"] == 2
    assert op.api.post("/user/mark_all_as_read", {}) == {"replies": []}
    assert op.api.get("/user/unread_count") == {"replies": 0, "mentions": 0, "private_messages": 0, "warnings": 0}


def test_blocked_people_do_not_reach_the_inbox(thread, api):
    op, _, post = thread
    pest = api.register()
    op.api.post("/user/block", {"person_id": pest.person_id, "block": True})
    pest.comment(post, f"hello @{op.name}")
    assert op.api.get("/user/unread_count")["replies"] == 0
    assert op.api.get("/user/replies")["replies"] == []
    assert op.api.get("/user/mention")["mentions"] == []


def test_hidden_bots_replies_and_mentions_are_neither_listed_nor_counted(thread, api):
    op, _, post = thread
    bot = api.register()
    bot.api.put("/user/save_user_settings", {"bot_account": True})
    op.api.put("/user/save_user_settings", {"show_bot_accounts": False})
    reply = bot.comment(post, f"automated answer for @{op.name}")["comment"]["id"]
    counts = op.api.get("/user/unread_count")
    assert (counts["replies"], counts["mentions"]) == (0, 0)
    assert op.api.get("/user/replies", unread_only=True)["replies"] == []
    assert op.api.get("/user/mention")["mentions"] == []
    op.api.put("/user/save_user_settings", {"show_bot_accounts": True})  # shown again: they were kept
    counts = op.api.get("/user/unread_count")
    assert (counts["replies"], counts["mentions"]) == (1, 1)
    assert [r["comment"]["id"] for r in op.api.get("/user/replies", unread_only=True)["replies"]] == [reply]


def test_a_blocked_community_sends_no_replies_or_mentions(thread, api):
    op, community, post = thread
    commenter = api.register()
    before = commenter.comment(post, "said before the block")["comment"]["id"]
    op.api.post("/community/block", {"community_id": community, "block": True})
    answer = commenter.api.post("/comment", {"post_id": post, "content": f"and after, @{op.name}"})
    assert answer["recipient_ids"] == []
    counts = op.api.get("/user/unread_count")
    assert (counts["replies"], counts["mentions"]) == (1, 0)  # as Lemmy: what came before the block stays
    assert [r["comment"]["id"] for r in op.api.get("/user/replies")["replies"]] == [before]
    assert op.api.get("/user/mention")["mentions"] == []
    op.api.post("/community/block", {"community_id": community, "block": False})
    commenter.comment(post, "after the unblock")
    assert op.api.get("/user/unread_count")["replies"] == 2
