"""A member's reads reuse their account, follows and blocks as the server last read them (deps.ViewerCache), and
every change to those shows at their next read: made by the member, a moderator, an admin or a purge. The
versions that tell it (db.viewer_versions) move only for the members a write concerns."""

import pytest

from agora.queries import viewer as viewers
from tests.support.admin import make_admin


def _kept(server, member) -> bool:
    """Whether the server would answer the member's next read without reading them again."""
    kept = server.state.viewer_cache.get(member.token)
    if kept is None:
        return False

    async def current() -> bool:
        async with server.state.db.read() as session:
            return await viewers.current_versions(session, kept) == kept.versions

    return server.run(current)


@pytest.fixture
def server(server_factory):
    """Kept members last the whole test, however slow the machine: what ends them here is a version moving."""
    return server_factory(viewer_cache_seconds=300)


@pytest.fixture
def member(server, api):
    member = api.register()
    for _ in range(2):
        assert member.api.get("/site")["my_user"]["local_user_view"]["person"]["id"] == member.person_id
    assert _kept(server, member)
    return member


def test_a_site_ban_ends_the_members_reads_at_once(server, api, member):
    admin = make_admin(server)
    admin.api.post("/user/ban", {"person_id": member.person_id, "ban": True, "reason": "spam"})
    assert "my_user" not in member.api.get("/site")
    assert member.api.error("GET", "/user/unread_count") == (401, "incorrect_login")


def test_a_purged_member_is_nobody_at_once(server, api, member):
    admin = make_admin(server)
    admin.api.post("/admin/purge/person", {"person_id": member.person_id, "reason": "spam ring"})
    assert "my_user" not in member.api.get("/site")


def test_a_community_marked_nsfw_leaves_the_subscribed_page_at_once(server, api, member):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    owner.post(community_id)
    member.api.post("/community/follow", {"community_id": community_id, "follow": True})
    for _ in range(2):
        assert len(member.api.get("/post/list", type_="Subscribed")["posts"]) == 1
    assert _kept(server, member)

    owner.api.put("/community", {"community_id": community_id, "nsfw": True})
    assert member.api.get("/post/list", type_="Subscribed")["posts"] == []


def test_only_the_member_whose_rows_changed_is_read_again(server, api, member):
    other = api.register()
    post_id = other.post(other.community()["community"]["id"])["post"]["id"]
    for _ in range(2):
        other.api.get("/site")
    assert _kept(server, other)

    other.api.put("/post/save", {"post_id": post_id, "save": True})
    assert _kept(server, member) and not _kept(server, other)
    assert other.api.get("/post/list", type_="All", saved_only=True)["posts"][0]["post"]["id"] == post_id
    member.vote_post(post_id, 1)  # a vote marks the post read, and the member's read posts are part of their row
    assert not _kept(server, member)
