"""Purges delete rows for good and take them out of every count."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from agora.db.models import Comment, CommentLike, Community, Person, Post, PostLike
from tests.support.admin import make_admin


def _count(server, model, *where) -> int:
    async def run():
        async with server.state.db.read() as session:
            return (await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one()

    return server.run(run)


@pytest.fixture
def scene(server, api):
    admin = make_admin(server)
    owner = api.register()
    community = owner.community()["community"]["id"]
    author = api.register()
    post = author.post(community)["post"]["id"]
    top = author.comment(post, "top")["comment"]["id"]
    reply = owner.comment(post, "reply", parent_id=top)["comment"]["id"]
    owner.vote_post(post, 1)
    owner.vote_comment(top, -1)
    return admin, owner, author, community, post, top, reply


def test_purge_post_leaves_no_row_and_fixes_counts(scene, server, api):
    admin, _owner, author, community, post, _top, _reply = scene
    admin.api.post("/admin/purge/post", {"post_id": post, "reason": "illegal"})
    assert _count(server, Post, Post.id == post) == 0
    assert _count(server, Comment, Comment.post_id == post) == 0
    assert _count(server, PostLike, PostLike.post_id == post) == 0
    counts = api.get("/community", id=community)["community_view"]["counts"]
    assert (counts["posts"], counts["comments"]) == (0, 0)
    person = api.get("/user", person_id=author.person_id)["person_view"]["counts"]
    assert (person["post_count"], person["comment_count"]) == (0, 0)
    assert api.error("GET", "/post", id=post)[1] == "couldnt_find_post"
    purged = api.get("/modlog", type_="AdminPurgePost")["admin_purged_posts"]
    assert purged[0]["admin_purge_post"]["reason"] == "illegal"


def test_purge_comment_removes_its_replies(scene, server, api):
    admin, _owner, _author, _community, post, top, reply = scene
    admin.api.post("/admin/purge/comment", {"comment_id": top})
    assert _count(server, Comment, Comment.id.in_([top, reply])) == 0
    assert api.get("/post", id=post)["post_view"]["counts"]["comments"] == 0


def test_purge_person_removes_them_their_content_and_their_votes(scene, server, api):
    admin, owner, _author, _community, post, top, _reply = scene
    admin.api.post("/admin/purge/person", {"person_id": owner.person_id, "reason": "spam ring"})
    assert _count(server, Person, Person.id == owner.person_id) == 0
    assert _count(server, PostLike, PostLike.person_id == owner.person_id) == 0
    assert _count(server, CommentLike, CommentLike.person_id == owner.person_id) == 0
    view = api.get("/post", id=post)["post_view"]
    assert view["counts"]["score"] == 1 and view["counts"]["comments"] == 1
    assert api.get("/comment", id=top)["comment_view"]["counts"]["score"] == 1
    assert (
        api.error("POST", "/user/login", {"username_or_email": owner.name, "password": "correct horse battery"})[1]
        == "incorrect_login"
    )


def test_purge_community_removes_everything_in_it(scene, server, api):
    admin, _owner, author, community, _post, _top, _reply = scene
    before = api.get("/site")["site_view"]["counts"]
    admin.api.post("/admin/purge/community", {"community_id": community})
    assert _count(server, Community, Community.id == community) == 0
    assert _count(server, Post, Post.community_id == community) == 0
    after = api.get("/site")["site_view"]["counts"]
    assert after["communities"] == before["communities"] - 1
    assert (after["posts"], after["comments"]) == (before["posts"] - 1, before["comments"] - 2)
    assert api.get("/user", person_id=author.person_id)["person_view"]["counts"]["post_count"] == 0


def test_purges_are_for_admins_only(scene):
    _admin, owner, _author, community, post, top, _ = scene
    for path, body in (
        ("/admin/purge/post", {"post_id": post}),
        ("/admin/purge/comment", {"comment_id": top}),
        ("/admin/purge/community", {"community_id": community}),
        ("/admin/purge/person", {"person_id": owner.person_id}),
    ):
        assert owner.api.error("POST", path, body)[1] == "not_an_admin"


def test_purges_side_by_side_all_succeed(server, api):
    """Lemmy's suite purges every post at once between its files: authors who commented on each other's posts
    must not lock one another out (PostgreSQL found deadlocks)."""
    admin = make_admin(server)
    community = api.register().community()["community"]["id"]
    authors = [api.register() for _ in range(4)]
    posts = [author.post(community, name=f"post {n}")["post"]["id"] for n, author in enumerate(authors)]
    for n, post in enumerate(posts):
        for author in authors[n + 1 :] + authors[:n]:
            author.comment(post, "a word")
    for _ in range(3):
        more = [author.post(community)["post"]["id"] for author in authors]
        for n, post in enumerate(more):
            authors[(n + 1) % len(authors)].comment(post, "another")
        posts += more
    with ThreadPoolExecutor(len(posts)) as pool:
        statuses = list(
            pool.map(lambda p: admin.api.request("POST", "/admin/purge/post", {"post_id": p}).status_code, posts)
        )
    assert statuses == [200] * len(posts)
    counts = api.get("/community", id=community)["community_view"]["counts"]
    assert (counts["posts"], counts["comments"]) == (0, 0)
    assert _count(server, Post) == 0
