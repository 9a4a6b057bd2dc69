"""The seeder leaves the database exactly as the app would: aggregates equal a recount, and the API serves it."""

import asyncio

import pytest
from sqlalchemy import func, select

from agora.bench import seed as seeding
from agora.db.models import Comment, CommentLike, Community, CommunityFollower, Person, Post, PostLike
from tests.support.client import Api


@pytest.fixture
def seeded(server):
    """An idle server's own database, seeded under its feet (the seeder writes the same site's rows)."""
    sizes = seeding.Sizes(posts=400, comments=25_000, communities=12, persons=300, seed=7)
    written = asyncio.run(seeding.seed(server.settings, sizes, lambda phase, n: None))
    return server, written


def _scalar(server, query):
    async def run():
        async with server.state.db.read() as session:
            return (await session.execute(query)).scalar_one()

    return server.run(run)


def test_seeded_aggregates_equal_a_recount(seeded):
    server, written = seeded
    assert written["hot_posts"] == 1 and written["comments"] == 25_000
    comment_counts = select(Comment.post_id, func.count().label("n")).group_by(Comment.post_id).subquery()
    wrong = select(func.count()).select_from(Post).outerjoin(comment_counts, comment_counts.c.post_id == Post.id)
    assert _scalar(server, wrong.where(Post.comments != func.coalesce(comment_counts.c.n, 0))) == 0
    votes = (
        select(PostLike.post_id, func.sum(PostLike.score).label("score"), func.count().label("n"))
        .group_by(PostLike.post_id)
        .subquery()
    )
    mismatched = select(func.count()).select_from(Post).join(votes, votes.c.post_id == Post.id)
    assert _scalar(server, mismatched.where(Post.score != votes.c.score)) == 0
    assert _scalar(server, mismatched.where(Post.upvotes + Post.downvotes != votes.c.n)) == 0
    comment_votes = (
        select(CommentLike.comment_id, func.sum(CommentLike.score).label("s"))
        .group_by(CommentLike.comment_id)
        .subquery()
    )
    bad = select(func.count()).select_from(Comment).join(comment_votes, comment_votes.c.comment_id == Comment.id)
    assert _scalar(server, bad.where(Comment.score != comment_votes.c.s)) == 0
    children = select(func.count()).select_from(Comment).where(Comment.path.like("0.1.%"))
    assert _scalar(server, select(Comment.child_count).where(Comment.id == 1)) == _scalar(server, children)
    per_community = select(Post.community_id, func.count().label("n")).group_by(Post.community_id).subquery()
    off = select(func.count()).select_from(Community).join(per_community, per_community.c.community_id == Community.id)
    assert _scalar(server, off.where(Community.posts != per_community.c.n)) == 0
    follows = (
        select(CommunityFollower.community_id, func.count().label("n"))
        .group_by(CommunityFollower.community_id)
        .subquery()
    )
    off = select(func.count()).select_from(Community).join(follows, follows.c.community_id == Community.id)
    assert _scalar(server, off.where(Community.subscribers != follows.c.n)) == 0
    person_posts = select(Post.creator_id, func.count().label("n")).group_by(Post.creator_id).subquery()
    off = select(func.count()).select_from(Person).join(person_posts, person_posts.c.creator_id == Person.id)
    assert _scalar(server, off.where(Person.post_count != person_posts.c.n)) == 0


def test_the_api_serves_the_seeded_instance(seeded):
    server, written = seeded
    api = Api(server.base_url)
    site = api.get("/site")["site_view"]["counts"]
    assert (site["posts"], site["comments"]) == (400, written["comments"])
    member = api.login("bench0", seeding.PASSWORD)
    assert len(member.api.get("/post/list", type_="Subscribed", sort="Hot", limit=50)["posts"]) == 50
    hot = api.get("/post/list", sort="MostComments", limit=1)["posts"][0]
    assert hot["counts"]["comments"] == seeding.HOT_POST_COMMENTS
    tree = api.get("/comment/list", post_id=hot["post"]["id"], max_depth=8, sort="Hot")["comments"]
    assert 0 < len(tree) <= 300
    new_comment = member.comment(hot["post"]["id"], "still writable after seeding")
    assert new_comment["comment"]["path"].startswith("0.")
