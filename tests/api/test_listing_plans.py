"""PostgreSQL plans a community listing once, whatever the community's size (queries.post_filters._community_param)."""

import asyncio
import contextlib

import pytest
from sqlalchemy import text

from agora.bench import seed as seeding
from tests.conftest import ENGINE
from tests.support.client import Api

pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="PostgreSQL's plan cache")


def _listing_plans(server) -> list[tuple[int, int]]:
    """(generic, custom) plan counts of the prepared community listings on every connection of the server's read
    pool: requests and background work share the pool, so one page can run on any of them."""

    async def read_one(connection) -> list[tuple[int, int]]:
        rows = await connection.execute(
            text(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE '%ORDER BY post.featured_community DESC, post.hot_rank DESC%' "
                "AND statement NOT LIKE '%pg_prepared_statements%'"
            )
        )
        return [(int(generic), int(custom)) for generic, custom in rows]

    async def read() -> list[tuple[int, int]]:
        async with contextlib.AsyncExitStack() as stack:
            engine = server.state.db.reader
            connections = [
                await stack.enter_async_context(engine.connect()) for _ in range(server.settings.db_pool_size)
            ]
            return [plan for connection in connections for plan in await read_one(connection)]

    return server.run(read)


def test_the_biggest_communitys_page_is_not_planned_again_at_every_request(server):
    sizes = seeding.Sizes(posts=3_000, comments=3_000, communities=40, persons=300, seed=7)
    asyncio.run(seeding.seed(server.settings, sizes, lambda phase, n: None))
    api = Api(server.base_url)
    member = api.login("bench0", seeding.PASSWORD)
    biggest = api.get("/community/list", sort="TopAll", limit=1)["communities"][0]
    # the skew that made custom plans look cheap
    assert biggest["counts"]["posts"] > 3 * sizes.posts / sizes.communities
    pages = [
        member.api.get("/post/list", community_id=biggest["community"]["id"], sort="Hot", limit=20) for _ in range(24)
    ]
    assert all(len(page["posts"]) == 20 for page in pages)
    assert pages[0] == pages[-1]
    plans = _listing_plans(server)
    assert plans, "the listing ran as a prepared statement"
    generic, custom = max(plans, key=sum)  # the connection that ran it most
    assert generic + custom >= 6, plans
    # PostgreSQL tries five custom plans, then keeps the generic one if it costs no more than they did
    assert custom <= 5 and generic >= 1, plans
