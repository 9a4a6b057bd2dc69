"""Anonymous API reads are answered from a short-lived cache: never for a logged-in reader, dropped by any write of
this server, bounded in staleness for writes it cannot see, and still rate limited."""

from __future__ import annotations

import asyncio
import time

import httpx
from sqlalchemy import text

from agora.db.engine import open_admin_engine
from tests.support.admin import make_admin


def _titles(api, community_id: int) -> list[str]:
    return [p["post"]["name"] for p in api.get("/post/list", community_id=community_id, sort="New")["posts"]]


def _rename_from_another_process(server, post_id: int, name: str) -> None:
    """A write this server's process does not make (another worker process, a script on the database)."""

    async def rename() -> None:
        engine = open_admin_engine(server.settings)
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    text("UPDATE post SET name = :name WHERE id = :id"), {"name": name, "id": post_id}
                )
        finally:
            await engine.dispose()

    asyncio.run(rename())


def test_anonymous_listing_is_kept_until_it_expires_while_members_see_the_change(server_factory):
    ttl = 4.0
    server = server_factory(anonymous_cache_seconds=ttl)
    admin = make_admin(server)
    community = admin.community()["community"]["id"]
    post = admin.post(community, name="Original title")["post"]["id"]
    visitor = server.api()
    first_read = time.monotonic()
    assert _titles(visitor, community) == ["Original title"]

    _rename_from_another_process(server, post, "Renamed elsewhere")
    time.sleep(1.5)  # the federation workers poll meanwhile: transactions that only read keep the entry
    assert _titles(visitor, community) == ["Original title"]
    assert _titles(admin.api, community) == ["Renamed elsewhere"]

    time.sleep(max(0.0, first_read + ttl + 0.2 - time.monotonic()))
    assert _titles(visitor, community) == ["Renamed elsewhere"]


def test_a_write_on_this_server_shows_to_visitors_at_once(server_factory):
    server = server_factory(anonymous_cache_seconds=60)
    admin = make_admin(server)
    community = admin.community()["community"]["id"]
    admin.post(community, name="First")
    visitor = server.api()
    assert _titles(visitor, community) == ["First"]
    admin.post(community, name="Second")
    assert _titles(visitor, community) == ["Second", "First"]
    post = visitor.get("/post/list", community_id=community)["posts"][0]["post"]["id"]
    admin.vote_post(post, -1)
    assert visitor.get("/post", id=post)["post_view"]["counts"]["score"] == -1


def test_a_login_by_cookie_or_header_is_never_answered_from_the_cache(server_factory):
    server = server_factory(anonymous_cache_seconds=60)
    admin = make_admin(server)
    assert "my_user" not in server.api().get("/site") or server.api().get("/site")["my_user"] is None
    with httpx.Client(base_url=f"{server.base_url}/api/v3", cookies={"jwt": admin.api.token}) as client:
        by_cookie = client.get("/site").json()
    assert by_cookie["my_user"]["local_user_view"]["person"]["name"] == admin.name
    assert admin.api.get("/site")["my_user"]["local_user_view"]["person"]["name"] == admin.name
    assert server.api().get("/site").get("my_user") is None


def test_answers_from_the_cache_still_spend_the_rate_limit(server_factory):
    server = server_factory(anonymous_cache_seconds=60, rate_limits_enabled=True)
    admin = make_admin(server)
    admin.api.put("/site", {"rate_limit_message": 3, "rate_limit_message_per_second": 3600})
    visitor = server.api()
    statuses = [visitor.request("GET", "/post/list", sort="New").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_an_answer_from_the_cache_carries_the_same_headers_and_cors(server_factory):
    server = server_factory(anonymous_cache_seconds=60)
    url = f"{server.base_url}/api/v3/post/list?sort=New"
    first = httpx.get(url, headers={"Origin": "https://app.example"})
    second = httpx.get(url, headers={"Origin": "https://other.example"})
    assert first.status_code == second.status_code == 200 and first.content == second.content
    for answer in (first, second):
        assert answer.headers["access-control-allow-origin"] == "*"
        assert answer.headers["content-type"] == "application/json"
        assert answer.headers.get_list("access-control-allow-origin") == ["*"]


def test_an_error_under_the_cache_is_the_routes_own_answer_and_is_not_kept(server_factory):
    server = server_factory(anonymous_cache_seconds=60)
    headers = {"Origin": "https://app.example"}
    for _ in range(2):
        missing = httpx.get(f"{server.base_url}/api/v3/post", params={"id": 2_000_000}, headers=headers)
        assert missing.status_code == 400 and missing.json()["error"] == "couldnt_find_post"
        assert missing.headers["access-control-allow-origin"] == "*"
        invalid = httpx.get(f"{server.base_url}/api/v3/post/list", params={"limit": "many"}, headers=headers)
        assert invalid.status_code == 400 and isinstance(invalid.json()["error"], str)


def _rename_site_from_another_process(server, name: str) -> None:
    async def rename() -> None:
        engine = open_admin_engine(server.settings)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("UPDATE site SET name = :name"), {"name": name})
        finally:
            await engine.dispose()

    asyncio.run(rename())


def test_members_share_the_site_part_of_get_site_until_a_write_and_each_gets_their_own_part(server_factory):
    server = server_factory(anonymous_cache_seconds=60)
    admin = make_admin(server)
    member = server.api().register()
    community = admin.community()["community"]
    named = admin.api.get("/site")["site_view"]["site"]["name"]

    _rename_site_from_another_process(server, "Renamed elsewhere")
    for reader in (admin.api, member.api):  # kept: another process's write shows once the part expires
        assert reader.get("/site")["site_view"]["site"]["name"] == named

    member.api.post("/community/follow", {"community_id": community["id"], "follow": True})  # a write here
    mine, theirs = member.api.get("/site"), admin.api.get("/site")
    assert mine["site_view"]["site"]["name"] == theirs["site_view"]["site"]["name"] == "Renamed elsewhere"
    assert mine["my_user"]["local_user_view"]["person"]["name"] == member.name
    assert [f["community"]["id"] for f in mine["my_user"]["follows"]] == [community["id"]]
    assert theirs["my_user"]["local_user_view"]["person"]["name"] == admin.name
    assert [a["person"]["name"] for a in mine["admins"]] == [admin.name]


def _rename_site_from_another_process(server, name: str) -> None:
    async def rename() -> None:
        engine = open_admin_engine(server.settings)
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    text("UPDATE site SET name = :name WHERE id IN (SELECT site_id FROM local_site)"), {"name": name}
                )
        finally:
            await engine.dispose()

    asyncio.run(rename())


def _page_title_names(server, name: str) -> bool:
    return name in httpx.get(f"{server.base_url}/").text


def test_the_settings_cache_keeps_the_site_for_its_seconds_and_zero_turns_it_off(server_factory):
    kept = server_factory(settings_cache_seconds=60)
    make_admin(kept)
    assert not _page_title_names(kept, "Renamed elsewhere")
    _rename_site_from_another_process(kept, "Renamed elsewhere")
    assert not _page_title_names(kept, "Renamed elsewhere")

    fresh = server_factory(settings_cache_seconds=0)
    make_admin(fresh)
    assert not _page_title_names(fresh, "Renamed elsewhere")
    _rename_site_from_another_process(fresh, "Renamed elsewhere")
    assert _page_title_names(fresh, "Renamed elsewhere")
