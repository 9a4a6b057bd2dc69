"""The scheduled refreshes Lemmy runs: ranks decay, active-user counts are recomputed."""

from datetime import timedelta

from sqlalchemy import select

from agora.core.clock import now
from agora.db.models import Comment, Post
from agora.domain import ranking
from agora.jobs import activity, ranks
from tests.support.clock import age_comment, age_post


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


def test_rank_refresh_tolerates_more_drift_on_older_rows(server, api):
    """A stored rank is rewritten once it is off by more than 1% plus a point per day of age: a 100-hour-old
    comment that lost 1.7% keeps its rank, one that lost 11% is rewritten, and a young one is rewritten at 7%."""
    member = api.register()
    post = member.post(member.community()["community"]["id"])["post"]["id"]
    old, young = (member.comment(post, text)["comment"]["id"] for text in ("old", "young"))

    def stored_and_current(comment_id):
        async def read():
            async with server.state.db.read() as session:
                row = (await session.execute(select(Comment).where(Comment.id == comment_id))).scalar_one()
                return row.hot_rank, ranking.hot_rank(row.score, row.published, now())

        return server.run(read)

    def refresh_after(comment_id, delta):
        age_comment(server, comment_id, delta)
        server.run(lambda: ranks.refresh_comments(server.state.db))
        return stored_and_current(comment_id)

    stored, current = refresh_after(old, timedelta(hours=100))
    assert abs(stored - current) < 1e-3 * current
    kept = stored
    stored, current = refresh_after(old, timedelta(hours=1))
    assert stored == kept and 0.015 < (kept - current) / current < 0.052 + 0.01
    stored, current = refresh_after(old, timedelta(hours=5))
    assert stored != kept and abs(stored - current) < 1e-3 * current

    stored, _ = refresh_after(young, timedelta(hours=2))
    stored_then = stored
    stored, current = refresh_after(young, timedelta(minutes=10))
    assert stored < stored_then and abs(stored - current) < 1e-3 * current


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


def test_rank_refresh_in_batches_of_one_reaches_every_row(server, api, monkeypatch):
    """Batches follow their cost down to BATCH_MIN rows: the keyset walk must still visit every post and comment."""
    monkeypatch.setattr(ranks, "BATCH_FIRST", 1)
    monkeypatch.setattr(ranks, "BATCH_MIN", 1)
    monkeypatch.setattr(ranks, "BATCH_MAX", 1)
    member = api.register()
    cid = member.community()["community"]["id"]
    posts = [member.post(cid, f"Post {n}")["post"]["id"] for n in range(3)]
    comments = [member.comment(posts[0], f"comment {n}")["comment"]["id"] for n in range(3)]
    for post_id in posts:
        age_post(server, post_id, timedelta(days=8))
    for comment_id in comments:
        age_comment(server, comment_id, timedelta(days=8))
    server.run(lambda: ranks.refresh_all(server.state))

    async def ranks_of(model, ids):
        async with server.state.db.read() as session:
            return set((await session.execute(select(model.hot_rank).where(model.id.in_(ids)))).scalars())

    assert server.run(lambda: ranks_of(Post, posts)) == {0}
    assert server.run(lambda: ranks_of(Comment, comments)) == {0}


def test_refresh_batches_follow_their_cost():
    assert ranks.next_batch(1000, ranks.BATCH_SECONDS) == 1000
    assert ranks.next_batch(1000, ranks.BATCH_SECONDS * 4) == 500  # at most halved
    assert ranks.next_batch(1000, ranks.BATCH_SECONDS / 10) == 2000  # at most doubled
    assert ranks.next_batch(ranks.BATCH_MAX, 0.0) == ranks.BATCH_MAX
    assert ranks.next_batch(ranks.BATCH_MIN, 60.0) == ranks.BATCH_MIN
    assert ranks.next_batch(1000, ranks.BATCH_SECONDS * 1.25) == 800
