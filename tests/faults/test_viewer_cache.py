"""A member as each server process keeps them between reads (deps.ViewerCache, db.viewer_versions): a change shows
at once in every worker of the server that made it, and in every other server on the same database."""

import pytest

from tests.conftest import ENGINE

pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="several server processes need PostgreSQL")


def _communities_seen(member) -> set[int]:
    # every request is a new connection, so the two workers answer in turn as the kernel hands them out
    posts = member.api.get("/post/list", type_="All", sort="New", limit=50)["posts"]
    return {view["community"]["id"] for view in posts}


def _two_communities_with_posts(server):
    owner = server.api().register()
    ids = []
    for _ in range(2):
        community_id = owner.community()["community"]["id"]
        owner.post(community_id)
        ids.append(community_id)
    return ids


def test_every_worker_sees_a_block_follow_and_logout_at_once(served):
    server = served(workers=2)
    kept, blocked = _two_communities_with_posts(server)
    member = server.api().register()
    for _ in range(16):  # both workers read the member and keep them
        assert _communities_seen(member) == {kept, blocked}

    member.api.post("/community/block", {"community_id": blocked, "block": True})
    for _ in range(16):
        assert _communities_seen(member) == {kept}

    member.api.post("/community/follow", {"community_id": kept, "follow": True})
    for _ in range(16):
        subscribed = member.api.get("/post/list", type_="Subscribed", sort="New")["posts"]
        assert [view["community"]["id"] for view in subscribed] == [kept]

    member.api.put("/user/save_user_settings", {"show_read_posts": False})
    first = member.api.get("/post/list", type_="All", sort="New")["posts"][0]["post"]["id"]
    member.api.post("/post/mark_as_read", {"post_ids": [first], "read": True})
    for _ in range(16):
        shown = member.api.get("/post/list", type_="All", sort="New")["posts"]
        assert first not in [view["post"]["id"] for view in shown]

    member.api.post("/user/logout")
    for _ in range(16):
        assert "my_user" not in member.api.get("/site")
        status, code = member.api.error("GET", "/user/unread_count")
        assert (status, code) == (401, "incorrect_login")


def test_another_servers_change_shows_at_once(served):
    alpha = served()
    beta = served(AGORA_HOSTNAME=alpha.env["AGORA_HOSTNAME"], AGORA_VIEWER_CACHE_SECONDS="300")
    kept, blocked = _two_communities_with_posts(alpha)
    member = alpha.api().register()
    on_beta = beta.api(member.token)
    for _ in range(3):
        assert {view["community"]["id"] for view in on_beta.get("/post/list", type_="All")["posts"]} == {kept, blocked}

    member.api.post("/community/block", {"community_id": blocked, "block": True})
    assert _communities_seen(member) == {kept}
    assert {view["community"]["id"] for view in on_beta.get("/post/list", type_="All")["posts"]} == {kept}

    member.api.post("/user/logout")
    assert "my_user" not in on_beta.get("/site")
