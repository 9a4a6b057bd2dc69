"""Every post sort returns the order its key defines; paging by page and by cursor has no gaps or repeats."""

import asyncio
import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.support.admin import make_admin
from tests.support.clock import age_post

SORTS = [
    "Active",
    "Hot",
    "New",
    "Old",
    "TopDay",
    "TopWeek",
    "TopMonth",
    "TopYear",
    "TopAll",
    "MostComments",
    "NewComments",
    "TopHour",
    "TopSixHour",
    "TopTwelveHour",
    "TopThreeMonths",
    "TopSixMonths",
    "TopNineMonths",
    "Controversial",
    "Scaled",
]


@pytest.fixture
def forum(server, api):
    """Three posts: A well upvoted, B controversial and most commented, C with the newest comment."""
    alice, bob, carol = api.register(), api.register(), api.register()
    cid = alice.community()["community"]["id"]
    a = alice.post(cid, "Post A")["post"]["id"]
    b = bob.post(cid, "Post B")["post"]["id"]
    c = carol.post(cid, "Post C")["post"]["id"]
    bob.vote_post(a, 1)
    carol.vote_post(a, 1)
    alice.vote_post(b, -1)
    alice.comment(b, "one")
    carol.comment(b, "two")
    alice.comment(c, "latest")
    return {"a": a, "b": b, "c": c, "alice": alice, "cid": cid}


def ids(api, **params):
    params.setdefault("type_", "All")
    params.setdefault("limit", 50)
    return [p["post"]["id"] for p in api.get("/post/list", **params)["posts"]]


def test_each_sort_orders_by_its_key(forum, api):
    a, b, c = forum["a"], forum["b"], forum["c"]
    assert ids(api, sort="New") == [c, b, a]
    assert ids(api, sort="Old") == [a, b, c]
    assert ids(api, sort="TopAll") == [a, c, b]
    assert ids(api, sort="TopDay") == [a, c, b]
    assert ids(api, sort="MostComments")[0] == b
    assert ids(api, sort="NewComments")[0] == c
    assert ids(api, sort="Controversial")[0] == b
    assert ids(api, sort="Hot")[0] == a
    assert ids(api, sort="Scaled")[0] == a
    assert ids(api, sort="Active")[0] == a


def test_every_sort_and_listing_type_answers(forum, api):
    member = forum["alice"]
    for sort in SORTS:
        for listing in ("All", "Local", "Subscribed", "ModeratorView"):
            body = member.api.get("/post/list", sort=sort, type_=listing)
            assert isinstance(body["posts"], list), (sort, listing)
    assert api.get("/post/list", type_="Subscribed")["posts"] == []


def test_top_windows_exclude_older_posts(forum, server, api):
    age_post(server, forum["a"], timedelta(days=2))
    assert forum["a"] not in ids(api, sort="TopDay")
    assert forum["a"] in ids(api, sort="TopWeek")
    age_post(server, forum["a"], timedelta(days=400))
    assert forum["a"] not in ids(api, sort="TopYear")
    assert ids(api, sort="TopAll")[0] == forum["a"]


def test_hot_rank_is_zero_after_a_week(forum, server, api):
    age_post(server, forum["a"], timedelta(days=8))
    forum["alice"].api.post("/post/like", {"post_id": forum["a"], "score": 0})  # a vote recomputes the ranks
    assert ids(api, sort="Hot")[-1] == forum["a"]


def test_subscribed_listing_shows_followed_communities_only(server, api):
    owner = api.register()
    followed = owner.community()["community"]["id"]
    other = owner.community()["community"]["id"]
    in_followed = owner.post(followed, "Followed post")["post"]["id"]
    owner.post(other, "Other post")
    reader = api.register()
    reader.api.post("/community/follow", {"community_id": followed, "follow": True})
    posts = reader.api.get("/post/list", type_="Subscribed", sort="New")["posts"]
    assert [p["post"]["id"] for p in posts] == [in_followed]


def test_subscribed_listing_leaves_out_removed_deleted_and_nsfw_communities(server, api):
    admin = make_admin(server)
    owner, reader = api.register(), api.register()
    communities = {name: owner.community()["community"]["id"] for name in ("kept", "removed", "deleted", "nsfw")}
    posts = {name: owner.post(cid, f"In {name}")["post"]["id"] for name, cid in communities.items()}
    for cid in communities.values():
        reader.api.post("/community/follow", {"community_id": cid, "follow": True})

    def feed(**params):
        for sort in ("Hot", "Old", "TopDay"):  # a descending sort, the ascending one, a time window
            shown = {
                p["post"]["id"] for p in reader.api.get("/post/list", type_="Subscribed", sort=sort, **params)["posts"]
            }
            yield sort, shown

    assert all(shown == set(posts.values()) for _, shown in feed())
    admin.api.post("/community/remove", {"community_id": communities["removed"], "removed": True, "reason": "spam"})
    owner.api.post("/community/delete", {"community_id": communities["deleted"], "deleted": True})
    owner.api.put("/community", {"community_id": communities["nsfw"], "nsfw": True})
    for sort, shown in feed():
        assert shown == {posts["kept"]}, sort
    for sort, shown in feed(show_nsfw=True):
        assert shown == {posts["kept"], posts["nsfw"]}, sort
    admin.api.post("/community/remove", {"community_id": communities["removed"], "removed": False, "reason": "ok"})
    for sort, shown in feed():
        assert shown == {posts["kept"], posts["removed"]}, sort


@pytest.fixture
def many_posts(api):
    member = api.register()
    cid = member.community()["community"]["id"]
    created = [member.post(cid, f"Post number {i}")["post"]["id"] for i in range(23)]
    return member, created


@pytest.mark.parametrize("sort", ["New", "Old", "Hot", "TopAll", "Active"])
def test_cursor_paging_has_no_gaps_or_repeats(many_posts, api, sort):
    _member, created = many_posts
    everything = ids(api, sort=sort)
    assert sorted(everything) == sorted(created)
    seen, cursor = [], None
    for _ in range(10):
        body = api.get("/post/list", type_="All", sort=sort, limit=5, page_cursor=cursor)
        if not body["posts"]:
            break
        seen += [p["post"]["id"] for p in body["posts"]]
        cursor = body["next_page"]
    assert seen == everything


@pytest.mark.parametrize("sort", ["New", "Old", "TopAll"])
def test_page_back_returns_the_page_before_a_cursor(many_posts, api, sort):
    member, created = many_posts
    community = api.get("/post", id=created[0])["post_view"]["community"]["id"]
    member.api.post("/post/feature", {"post_id": created[7], "featured": True, "feature_type": "Community"})
    pages, cursor = [], None
    while True:
        body = api.get("/post/list", community_id=community, sort=sort, limit=5, page_cursor=cursor)
        if not body["posts"]:
            break
        pages.append([p["post"]["id"] for p in body["posts"]])
        cursor = body["next_page"]
    assert pages[0][0] == created[7]  # the featured post leads, whatever the sort
    for before, page in itertools.pairwise(pages):
        back = api.get(
            "/post/list", community_id=community, sort=sort, limit=5, page_back=True, page_cursor=f"P{page[0]:x}"
        )
        assert [p["post"]["id"] for p in back["posts"]] == before
    top = api.get(
        "/post/list", community_id=community, sort=sort, limit=5, page_back=True, page_cursor=f"P{pages[0][2]:x}"
    )
    assert [p["post"]["id"] for p in top["posts"]] == pages[0][:2]


def test_page_number_paging_matches_full_list(many_posts, api):
    _member, _created = many_posts
    everything = ids(api, sort="New")
    pages = [ids(api, sort="New", limit=6, page=page) for page in range(1, 6)]
    assert [i for page in pages for i in page] == everything
    assert pages[-1] == []


def test_bad_paging_values_are_refused(api):
    assert api.error("GET", "/post/list", limit=0)[1] == "couldnt_get_posts"
    assert api.error("GET", "/post/list", limit=51)[1] == "couldnt_get_posts"
    assert api.error("GET", "/post/list", page=0)[1] == "couldnt_get_posts"
    assert api.error("GET", "/post/list", page_cursor="garbage")[1] == "couldnt_get_posts"
    assert api.error("GET", "/post/list", page_cursor="Pffffff")[1] == "couldnt_get_posts"
    assert api.error("GET", "/post/list", liked_only=True, disliked_only=True)[1] == "contradicting_filters"


def test_listing_flags_are_the_members_own_from_the_first_mark_on(server, api):
    """A listing reads the saved, read and hidden flags only for a member who has any such mark (their absence
    is a constant); each flag must show from the first mark on, on the marked post only, in every listing."""
    owner, reader = api.register(), api.register()
    cid = owner.community()["community"]["id"]
    first, second = (owner.post(cid, name)["post"]["id"] for name in ("First", "Second"))
    reader.api.post("/community/follow", {"community_id": cid, "follow": True})

    def flags(listing: str) -> dict[int, tuple]:
        posts = reader.api.get("/post/list", type_=listing, sort="New", show_hidden=True)["posts"]
        return {p["post"]["id"]: (p["saved"], p["read"], p["hidden"]) for p in posts}

    for listing in ("All", "Subscribed"):
        assert flags(listing) == {first: (False, False, False), second: (False, False, False)}, listing
    reader.api.put("/post/save", {"post_id": first, "save": True})
    reader.api.post("/post/mark_as_read", {"post_ids": [second], "read": True})
    reader.api.post("/post/hide", {"post_ids": [first], "hide": True})
    for listing in ("All", "Subscribed"):
        assert flags(listing) == {first: (True, False, True), second: (False, True, False)}, listing


def test_a_members_read_takes_one_database_connection(server, api):
    """The viewer is resolved on the read route's own session: one pool checkout a request, not two."""
    member = api.register()
    cid = member.community()["community"]["id"]
    post = member.post(cid)["post"]["id"]
    checkouts = []

    def seen(*_args):
        try:
            task = asyncio.current_task()
        except RuntimeError:
            task = None
        if task is None or not task.get_name().startswith("agora-"):  # background workers are not the request
            checkouts.append(1)

    pool = server.state.db.reader.sync_engine.pool
    # (GET /post also marks the post read, in a short write transaction of its own)
    for path, params in [("/post/list", {"type_": "Subscribed"}), ("/comment/list", {"post_id": post}), ("/site", {})]:
        member.api.get(path, **params)  # warm: statements prepared, caches filled
        checkouts.clear()
        event.listen(pool, "checkout", seen)
        try:
            member.api.get(path, **params)
        finally:
            event.remove(pool, "checkout", seen)
        assert len(checkouts) == 1, path


def test_members_reading_at_once_as_the_site_settings_expire_all_get_answers(server, api):
    """Each member's read holds one connection from the viewer on; the site settings it may refresh meanwhile
    are read on that connection, not on a second one: requests that each held one and waited for another took
    every connection of the pool (SQLite's four readers) and none came back until the pool gave up (503)."""
    owner = api.register()
    cid = owner.community()["community"]["id"]
    owner.post(cid)
    members = [api.register() for _ in range(12)]
    for member in members:
        member.api.post("/community/follow", {"community_id": cid, "follow": True})

    def read(member) -> int:
        return member.api.request("GET", "/post/list", type_="Subscribed").status_code

    with ThreadPoolExecutor(len(members)) as pool:
        for _ in range(3):
            server.state.site_cache.invalidate()
            assert list(pool.map(read, members)) == [200] * len(members)


def test_members_opening_a_post_at_once_all_get_answers(server, api):
    """Opening a post marks it read in a write of its own, after the read has given its connection back: readers
    that each held one and waited for another took a whole PostgreSQL pool (ten) and got 503 after its timeout."""
    owner = api.register()
    post = owner.post(owner.community()["community"]["id"])["post"]["id"]
    members = [api.register() for _ in range(16)]

    def open_post(member) -> int:
        return member.api.request("GET", "/post", id=post).status_code

    with ThreadPoolExecutor(len(members)) as pool:
        for _ in range(3):
            assert list(pool.map(open_post, members)) == [200] * len(members)


def test_a_listed_post_shows_every_change_since_the_same_page_was_last_read(server, api):
    """Listings reuse a post's serialised view while its row is unchanged (shapes.views.ListedPosts)."""
    alice, bob = api.register(), api.register()
    cid = alice.community()["community"]["id"]
    post_id = alice.post(cid, "Before")["post"]["id"]

    def listed(who) -> dict:
        return next(p for p in who.get("/post/list", type_="All", sort="New")["posts"] if p["post"]["id"] == post_id)

    first = listed(api)
    assert listed(api) == first and first["counts"]["score"] == 1 and "my_vote" not in first
    bob.vote_post(post_id, 1)
    assert listed(api)["counts"]["score"] == 2
    assert listed(bob.api)["my_vote"] == 1 and "my_vote" not in listed(api)
    alice.api.put("/post", {"post_id": post_id, "name": "After", "body": "now with a body"})
    edited = listed(api)
    assert edited["post"]["name"] == "After" and edited["post"]["body"] == "now with a body"
    assert "updated" in edited["post"] and "updated" not in first["post"]
    bob.api.put("/post/save", {"post_id": post_id, "save": True})
    assert listed(bob.api)["saved"] is True and listed(api)["saved"] is False
