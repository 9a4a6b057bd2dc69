"""PostgreSQL plans a community listing once, whatever the community's size (queries.post_filters._community_param)."""

import asyncio

import pytest
from sqlalchemy import text

from agora.bench import seed as seeding
from tests.conftest import ENGINE
from tests.support.client import Api

pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="PostgreSQL's plan cache")


def _listing_plans(server) -> list[tuple[int, int]]:
    """(generic, custom) plan counts of the prepared community listings on the connection the server used last
    (its pool hands out the most recently used connection first)."""

    async def read():
        async with server.state.db.reader.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                    "WHERE statement LIKE '%ORDER BY post.featured_community DESC, post.hot_rank DESC%'"
                )
            )
            return [tuple(row) for row in rows]

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
        member.api.get("/post/list", community_id=biggest["community"]["id"], sort="Hot", limit=20) for _ in range(12)
    ]
    assert all(len(page["posts"]) == 20 for page in pages)
    assert pages[0] == pages[-1]
    plans = _listing_plans(server)
    assert plans, "the listing ran as a prepared statement"
    generic, custom = max(plans)
    # PostgreSQL tries five custom plans, then keeps the generic one if it costs no more than they did
    assert custom <= 5 and generic >= 6, plans
