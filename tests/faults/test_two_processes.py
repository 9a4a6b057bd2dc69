"""Two server processes on one PostgreSQL database share the work without double counting."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ENGINE


@pytest.mark.skipif(ENGINE != "postgres", reason="scale-out needs PostgreSQL")
def test_two_processes_count_votes_and_subscribers_exactly(served):
    alpha = served()
    beta = served(AGORA_HOSTNAME=alpha.env["AGORA_HOSTNAME"])  # one public hostname behind a proxy
    owner = alpha.api().register()
    community_id = owner.community()["community"]["id"]
    post_id = owner.post(community_id)["post"]["id"]
    members = [(alpha if i % 2 else beta).api().register() for i in range(16)]

    def act(i_member):
        i, member = i_member
        member.api.post("/community/follow", {"community_id": community_id, "follow": True})
        member.vote_post(post_id, 1 if i % 4 else -1)
        member.api.post("/community/follow", {"community_id": community_id, "follow": True})  # repeat: idempotent

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(act, enumerate(members)))

    for instance in (alpha, beta):
        counts = instance.api().get("/post", id=post_id)["post_view"]["counts"]
        assert (counts["upvotes"], counts["downvotes"]) == (1 + 12, 4)
        assert counts["score"] == 13 - 4
        community = instance.api().get("/community", id=community_id)["community_view"]["counts"]
        assert community["subscribers"] == 17
