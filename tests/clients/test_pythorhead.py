"""pythorhead 0.34 (a Python client written for Lemmy 0.19), unchanged, against a live Agora server.

It reads NodeInfo to pick its code path: it must take the 0.19 path (Authorization header), and every call of the
story below must succeed and return what the client expects.
"""

import pytest
from pythorhead import Lemmy
from pythorhead.types import CommentSortType, ListingType, SortType

from tests.support.client import PASSWORD


@pytest.fixture
def lemmy(server, api):
    member = api.register("pythorhead_user")
    client = Lemmy(server.base_url, raise_exceptions=True, request_timeout=30)
    assert client.log_in(member.name, PASSWORD)
    return client


def test_client_takes_its_019_path(lemmy):
    version = lemmy._requestor.get_instance_version()
    assert (version.major, version.minor) == (0, 19)
    assert lemmy.site.get()["my_user"]["local_user_view"]["person"]["name"] == "pythorhead_user"


def test_community_post_comment_vote_story(lemmy, api):
    created = lemmy.community.create("pythonclients", "Python clients", description="made by pythorhead")
    community_id = created["community_view"]["community"]["id"]
    assert lemmy.discover_community("pythonclients") == community_id
    assert lemmy.community.get(id=community_id)["community_view"]["community"]["title"] == "Python clients"
    lemmy.community.follow(community_id, False)
    followed = lemmy.community.follow(community_id, True)
    assert followed["subscribed"] == "Subscribed"  # pythorhead hands back the community_view itself

    post = lemmy.post.create(community_id, "Hello from pythorhead", body="*markdown* body")["post_view"]
    post_id = post["post"]["id"]
    assert post["counts"]["score"] == 1 and post["my_vote"] == 1
    edited = lemmy.post.edit(post_id, name="Hello again from pythorhead")
    assert edited["post_view"]["post"]["name"] == "Hello again from pythorhead"

    top = lemmy.comment.create(post_id, "first!")["comment_view"]
    reply = lemmy.comment.create(post_id, "a reply", parent_id=top["comment"]["id"])["comment_view"]
    assert reply["comment"]["path"] == f"0.{top['comment']['id']}.{reply['comment']['id']}"
    tree = lemmy.comment.list(post_id=post_id, sort=CommentSortType.Hot, max_depth=8)
    assert {c["comment"]["id"] for c in tree} == {top["comment"]["id"], reply["comment"]["id"]}

    voter = api.register()
    voter.vote_post(post_id, -1)
    liked = lemmy.post.like(post_id, 0)
    assert "my_vote" not in liked["post_view"] and liked["post_view"]["counts"]["score"] == -1
    assert lemmy.comment.like(reply["comment"]["id"], -1)["comment_view"]["my_vote"] == -1
    assert lemmy.post.save(post_id, True)["post_view"]["saved"] is True
    assert lemmy.comment.save(top["comment"]["id"], True)["comment_view"]["saved"] is True
    assert [p["post"]["id"] for p in lemmy.post.list(saved_only=True)] == [post_id]

    for sort in SortType:
        for listing in (ListingType.All, ListingType.Local, ListingType.Subscribed):
            posts = lemmy.post.list(sort=sort, type_=listing, limit=5)
            assert [p["post"]["id"] for p in posts] == [post_id], (sort, listing)

    assert lemmy.comment.delete(reply["comment"]["id"], True)["comment_view"]["comment"]["deleted"] is True
    assert lemmy.post.delete(post_id, True)["post_view"]["post"]["deleted"] is True


def test_paging_through_posts_with_pages(lemmy):
    community_id = lemmy.community.create("pagingclients", "Paging")["community_view"]["community"]["id"]
    ids = [lemmy.post.create(community_id, f"Post number {n}")["post_view"]["post"]["id"] for n in range(7)]
    seen = []
    for page in (1, 2, 3):
        posts = lemmy.post.list(community_id=community_id, sort=SortType.New, limit=3, page=page)
        seen += [p["post"]["id"] for p in posts]
    assert seen == list(reversed(ids))


def test_moderation_through_the_client(lemmy, api):
    community_id = lemmy.community.create("modclients", "Mods")["community_view"]["community"]["id"]
    member = api.register()
    post_id = member.post(community_id)["post"]["id"]
    assert lemmy.post.lock(post_id, True)["post_view"]["post"]["locked"] is True
    assert lemmy.post.remove(post_id, True, reason="off topic")["post_view"]["post"]["removed"] is True
    banned = lemmy.community.ban_user(ban=True, person_id=member.person_id, community_id=community_id, reason="spam")
    assert banned["banned"] is True
    assert lemmy.modlog.get(community_id=community_id)["removed_posts"][0]["mod_remove_post"]["reason"] == "off topic"
