"""A member's vote and comment on PostgreSQL are one read and one write statement each (domain.votes,
domain.comment_inserts), besides resolving the member and reading the answer; what they write is checked by the
vote, comment, count and notification tests."""

from __future__ import annotations

import pytest

from tests.conftest import ENGINE
from tests.support.queries import QueryCounter

pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="SQLite keeps a statement per step")


def _writes(statements: list[str]) -> list[str]:
    """The statements between the member's resolution (first) and the answer's view (last)."""
    return statements[1:-1]


def test_a_vote_is_one_read_and_one_write(server, api):
    author = api.register()
    post = author.post(author.community()["community"]["id"])["post"]["id"]
    voter = api.register()
    voter.vote_post(post, 1)  # the first request of a process reads its settings
    for score in (-1, 0, 1):
        with QueryCounter(server) as counter:
            counts = voter.vote_post(post, score)["counts"]
        assert len(_writes(counter.statements)) == 2, counter.statements
        assert counts["score"] == 1 + score  # the author's own upvote and this one


def test_a_reply_is_one_read_and_one_write_with_its_notification(server, api):
    author = api.register()
    post = author.post(author.community()["community"]["id"])["post"]["id"]
    parent = author.comment(post, "the parent")["comment"]["id"]
    replier = api.register()
    first = replier.comment(post, "reads the settings once")["comment"]["id"]  # a reply to the post
    with QueryCounter(server) as counter:
        answer = replier.api.post("/comment", {"post_id": post, "content": "a reply", "parent_id": parent})
    assert len(_writes(counter.statements)) == 2, counter.statements
    assert len(answer["recipient_ids"]) == 1
    reply = answer["comment_view"]
    assert reply["comment"]["path"] == f"0.{parent}.{reply['comment']['id']}"
    assert reply["comment"]["ap_id"].endswith(f"/comment/{reply['comment']['id']}")
    replies = author.api.get("/user/replies", unread_only="true")["replies"]
    assert [r["comment"]["id"] for r in replies] == [reply["comment"]["id"], first]
