"""Counts stay exact whatever the interleaving: one member's votes racing each other, many members at once, one
server or two on one database; afterwards every stored count equals `agora admin recount --check`'s recount."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ENGINE
from tests.support.client import Api, Member
from tests.support.recount import assert_counts_agree

STORM = 40  # requests by one member on one post, and as many on one comment


def _on(member: Member, base_url: str) -> Member:
    """The same member, talking to another server process of the instance."""
    return Member(Api(base_url, member.token), member.name, member.person_id)


def _vote_storm(owner: Member, member: Member, others: list[Member], base_urls: list[str]) -> tuple[int, int]:
    """Vote, unvote and vote again all at once; answers the (post, comment) voted on."""
    community_id = owner.community()["community"]["id"]
    post_id = owner.post(community_id)["post"]["id"]
    comment_id = owner.comment(post_id)["comment"]["id"]
    rng = random.Random(27)
    calls = []
    for i in range(STORM):
        via = _on(member, base_urls[i % len(base_urls)])
        calls.append((via.vote_post, post_id, rng.choice((1, 1, 0, -1))))
        calls.append((via.vote_comment, comment_id, rng.choice((1, 1, 0, -1))))
    for j, other in enumerate(others):
        via = _on(other, base_urls[j % len(base_urls)])
        for score in (1, -1, 1)[: 1 + j % 3]:
            calls.append((via.vote_post, post_id, score))
            calls.append((via.vote_comment, comment_id, -score))
    rng.shuffle(calls)
    with ThreadPoolExecutor(max_workers=24) as pool:
        list(pool.map(lambda call: call[0](call[1], call[2]), calls))
    return post_id, comment_id


def _assert_counts_match_votes(owner: Member, member: Member, post_id: int, comment_id: int) -> None:
    """The API's counts are those of the votes that exist (as the moderator's vote lists show them)."""
    post_likes = owner.api.get("/post/like/list", post_id=post_id)["post_likes"]
    comment_likes = owner.api.get("/comment/like/list", comment_id=comment_id)["comment_likes"]
    post_votes = {v["creator"]["id"]: v["score"] for v in post_likes}
    comment_votes = {v["creator"]["id"]: v["score"] for v in comment_likes}
    for votes, counts, mine in (
        (post_votes, *_counts_and_vote(member, "/post", post_id, "post_view")),
        (comment_votes, *_counts_and_vote(member, "/comment", comment_id, "comment_view")),
    ):
        expected = {
            "score": sum(votes.values()),
            "upvotes": sum(1 for s in votes.values() if s == 1),
            "downvotes": sum(1 for s in votes.values() if s == -1),
        }
        assert {k: counts[k] for k in expected} == expected, (counts, votes)
        assert (mine or 0) == votes.get(member.person_id, 0)


def _counts_and_vote(member: Member, path: str, object_id: int, key: str) -> tuple[dict, int | None]:
    view = member.api.get(path, id=object_id)[key]
    return view["counts"], view.get("my_vote")


def test_racing_votes_by_one_member_and_many_leave_exact_counts(server):
    owner = server.api().register()
    member = server.api().register()
    others = [server.api().register() for _ in range(6)]
    post_id, comment_id = _vote_storm(owner, member, others, [server.base_url])
    _assert_counts_match_votes(owner, member, post_id, comment_id)
    assert_counts_agree(server)


@pytest.mark.skipif(ENGINE != "postgres", reason="two server processes on one database need PostgreSQL")
def test_racing_votes_over_two_server_processes_leave_exact_counts(served):
    alpha = served()
    beta = served(AGORA_HOSTNAME=alpha.env["AGORA_HOSTNAME"])  # one public hostname behind a proxy
    owner = alpha.api().register()
    member = beta.api().register()
    others = [(alpha if i % 2 else beta).api().register() for i in range(6)]
    post_id, comment_id = _vote_storm(owner, member, others, [alpha.base_url, beta.base_url])
    _assert_counts_match_votes(owner, member, post_id, comment_id)
    assert_counts_agree(served.url, alpha.env["AGORA_HOSTNAME"])
