"""The scheduled refreshes Lemmy runs: ranks decay, active-user counts are recomputed."""

from datetime import timedelta

from agora.jobs import activity, ranks
from tests.support.clock import age_post


def test_rank_refresh_decays_old_posts_and_reorders_hot(server, api):
    member = api.register()
    cid = member.community()["community"]["id"]
    older = member.post(cid, "Older but upvoted")["post"]["id"]
    for _ in range(3):
        api.register().vote_post(older, 1)
    newer = member.post(cid, "Newer")["post"]["id"]
    hot = [p["post"]["id"] for p in api.get("/post/list", type_="All", sort="Hot")["posts"]]
    assert hot == [older, newer]
    age_post(server, older, timedelta(hours=30))
    server.run(lambda: ranks.refresh_all(server.state))
    hot = [p["post"]["id"] for p in api.get("/post/list", type_="All", sort="Hot")["posts"]]
    assert hot == [newer, older]
    age_post(server, older, timedelta(days=7))
    server.run(lambda: ranks.refresh_all(server.state))
    assert api.get("/post/list", type_="All", sort="Hot")["posts"][-1]["post"]["id"] == older


def test_active_users_are_counted_per_community_and_site(server, api):
    owner = api.register()
    cid = owner.community()["community"]["id"]
    post = owner.post(cid)["post"]["id"]
    commenter = api.register()
    commenter.comment(post, "hello")
    voter = api.register()
    voter.vote_post(post, 1)
    server.run(lambda: activity.refresh_active_users(server.state))
    counts = api.get("/community", id=cid)["community_view"]["counts"]
    assert counts["users_active_day"] == 3
    assert counts["users_active_month"] == 3
    site = api.get("/site")["site_view"]["counts"]
    assert site["users_active_day"] == 3


def test_scheduler_runs_jobs_under_a_lease(server_factory, api):
    live = server_factory(scheduler_enabled=True, rank_refresh_seconds=1)
    member = live.api().register()
    cid = member.community()["community"]["id"]
    post = member.post(cid)["post"]["id"]
    age_post(live, post, timedelta(days=8))
    import time

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        listing = live.api().get("/post/list", type_="All", sort="Hot")["posts"]
        if listing and live.run(lambda: _hot_rank(live, post)) == 0:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the scheduled rank refresh did not run")


async def _hot_rank(live, post_id):
    from sqlalchemy import select

    from agora.db.models import Post

    async with live.state.db.read() as session:
        return (await session.execute(select(Post.hot_rank).where(Post.id == post_id))).scalar_one()
