"""The site's, a community's and a person's counts stay exact under concurrent writers, and a write that fails
leaves them as they were (those rows are bumped as the transaction commits, not when the write happens)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from agora.db.models import Community, LocalSite
from agora.domain import counters


def _site_counts(api) -> dict:
    return api.get("/site")["site_view"]["counts"]


def _community_counts(api, community_id: int) -> dict:
    return api.get("/community", id=community_id)["community_view"]["counts"]


def _person_counts(api, name: str) -> dict:
    return api.get("/user", username=name)["person_view"]["counts"]


def test_concurrent_posts_and_comments_count_exactly(api):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    post_id = owner.post(community_id)["post"]["id"]
    members = [api.register() for _ in range(6)]
    site_before = _site_counts(api)

    def write(member) -> list[int]:
        own_post = member.post(community_id)["post"]["id"]
        return [member.comment(target)["comment"]["id"] for target in (post_id, own_post, post_id)]

    with ThreadPoolExecutor(max_workers=6) as pool:
        comment_ids = list(pool.map(write, members))

    site = _site_counts(api)
    assert (site["posts"], site["comments"]) == (site_before["posts"] + 6, site_before["comments"] + 18)
    community = _community_counts(api, community_id)
    assert (community["posts"], community["comments"]) == (7, 18)
    for member in members:
        person = _person_counts(api, member.name)
        assert (person["post_count"], person["comment_count"]) == (1, 3)

    # Deleting takes the counts back down, through the same commit-time path.
    first = members[0]
    first.api.post("/comment/delete", {"comment_id": comment_ids[0][0], "deleted": True})
    assert _person_counts(api, first.name)["comment_count"] == 2
    assert _community_counts(api, community_id)["comments"] == 17
    assert _site_counts(api)["comments"] == site_before["comments"] + 17


def test_a_write_that_fails_bumps_nothing(server, api):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    before = _community_counts(api, community_id)

    class Refused(Exception):
        pass

    async def bump_then_fail() -> None:
        async with server.state.db.write() as session:
            counters.bump_at_commit(session, Community, community_id, posts=5, comments=7)
            raise Refused

    with pytest.raises(Refused):
        server.run(bump_then_fail)
    assert _community_counts(api, community_id) == before

    async def bump_twice_then_commit() -> None:
        async with server.state.db.write() as session:
            site_id = (await session.execute(select(LocalSite.id))).scalar_one()
            counters.bump_at_commit(session, Community, community_id, posts=2)
            counters.bump_at_commit(session, Community, community_id, posts=1, comments=4)
            counters.bump_at_commit(session, LocalSite, site_id, comments=0)

    server.run(bump_twice_then_commit)
    after = _community_counts(api, community_id)
    assert (after["posts"], after["comments"]) == (before["posts"] + 3, before["comments"] + 4)


def test_only_shared_rows_are_bumped_at_commit(server):
    from agora.db.models import Post

    async def bump_a_post() -> None:
        async with server.state.db.write() as session:
            counters.bump_at_commit(session, Post, 1, comments=1)

    with pytest.raises(ValueError, match="bumped at once"):
        server.run(bump_a_post)
