"""API v4's multi-communities: create, entries, follow, list, read, the creator's edits, the entry limit, and the
post listing of the communities one lists (by id, by name, and as the site's "suggested" listing)."""

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin
from tests.support.client import unique_name


def _multi(member: V4Member, **extra) -> dict:
    name = unique_name("multi")
    return member.api.post("/multi_community", {"name": name, **extra})["multi_community_view"]


def _delete_entry(member: V4Member, multi_id: int, community_id: int) -> dict:
    body = {"id": multi_id, "community_id": community_id}
    return member.api.ok(member.api.request("DELETE", "/multi_community/entry", body))


def test_a_member_creates_a_multi_community_and_follows_it(join, server):
    owner = join()
    view = _multi(owner, title="Cooking", summary="Everything food", sidebar="*recipes*")
    multi = view["multi"]
    assert multi["title"] == "Cooking" and multi["summary"] == "Everything food" and multi["sidebar"] == "*recipes*"
    assert multi["local"] is True and multi["deleted"] is False
    assert multi["ap_id"] == f"{server.base_url}/m/{multi['name']}"
    assert multi["communities"] == 0 and multi["subscribers"] == 1 and multi["subscribers_local"] == 1
    assert view["owner"]["name"] == owner.name and view["follow_state"] == "accepted"
    taken = {"name": multi["name"].upper()}
    assert owner.api.error("POST", "/multi_community", taken) == (400, "already_exists")
    assert owner.api.error("POST", "/multi_community", {"name": "a b"}) == (400, "invalid_name")


def test_entries_are_added_and_removed_by_the_creator_alone(join, v4):
    owner, other = join(), join()
    multi_id = _multi(owner)["multi"]["id"]
    first, second = owner.community(), other.community()
    added = owner.api.post("/multi_community/entry", {"id": multi_id, "community_id": first["community"]["id"]})
    assert added["community_view"]["community"]["id"] == first["community"]["id"]
    owner.api.post("/multi_community/entry", {"id": multi_id, "community_id": second["community"]["id"]})
    owner.api.post("/multi_community/entry", {"id": multi_id, "community_id": second["community"]["id"]})  # again
    got = v4.get("/multi_community", id=multi_id)
    assert got["multi_community_view"]["multi"]["communities"] == 2
    assert sorted(c["community"]["id"] for c in got["communities"]) == sorted(
        [first["community"]["id"], second["community"]["id"]]
    )
    entry = {"id": multi_id, "community_id": first["community"]["id"]}
    assert other.api.error("POST", "/multi_community/entry", entry) == (400, "multi_community_update_wrong_user")
    assert other.api.error("DELETE", "/multi_community/entry", entry) == (400, "multi_community_update_wrong_user")
    assert _delete_entry(owner, multi_id, first["community"]["id"]) == {"success": True}
    got = v4.get("/multi_community", id=multi_id)
    assert [c["community"]["id"] for c in got["communities"]] == [second["community"]["id"]]
    assert got["multi_community_view"]["multi"]["communities"] == 1
    missing = {"id": multi_id, "community_id": 2_000_000}
    assert owner.api.error("POST", "/multi_community/entry", missing) == (404, "not_found")
    assert owner.api.error("POST", "/multi_community/entry", {"id": 2_000_000, "community_id": 1}) == (
        404,
        "not_found",
    )
    assert v4.error("POST", "/multi_community/entry", entry)[1] == "incorrect_login"


def test_a_multi_community_lists_at_most_fifty_communities(join):
    owner = join()
    multi_id = _multi(owner)["multi"]["id"]
    ids = [owner.community()["community"]["id"] for _ in range(51)]
    for community_id in ids[:50]:
        owner.api.post("/multi_community/entry", {"id": multi_id, "community_id": community_id})
    assert owner.api.error("POST", "/multi_community/entry", {"id": multi_id, "community_id": ids[50]}) == (
        400,
        "multi_community_entry_limit_reached",
    )
    assert owner.api.get("/multi_community", id=multi_id)["multi_community_view"]["multi"]["communities"] == 50


def test_only_the_creator_edits_and_deleting_hides_it_from_others(join, v4):
    owner, other = join(), join()
    multi = _multi(owner, title="Old")["multi"]
    edit = {"id": multi["id"], "title": "New", "summary": "short"}
    assert other.api.error("PUT", "/multi_community", edit) == (400, "multi_community_update_wrong_user")
    edited = owner.api.put("/multi_community", edit)["multi_community_view"]["multi"]
    assert edited["title"] == "New" and edited["summary"] == "short" and edited["updated_at"]
    assert (
        owner.api.put("/multi_community", {"id": multi["id"], "title": ""})["multi_community_view"]["multi"].get(
            "title"
        )
        is None
    )
    assert v4.get("/multi_community", name=multi["name"])["multi_community_view"]["multi"]["id"] == multi["id"]
    owner.api.put("/multi_community", {"id": multi["id"], "deleted": True})
    assert v4.error("GET", "/multi_community", id=multi["id"]) == (404, "not_found")
    assert owner.api.get("/multi_community", id=multi["id"])["multi_community_view"]["multi"]["deleted"] is True
    assert multi["id"] not in [m["multi"]["id"] for m in v4.get("/multi_community/list", limit=50)["items"]]
    assert (
        other.api.error("POST", "/multi_community/follow", {"multi_community_id": multi["id"], "follow": True})[1]
        == "deleted"
    )
    owner.api.put("/multi_community", {"id": multi["id"], "deleted": False})
    assert v4.get("/multi_community", id=multi["id"])["multi_community_view"]["multi"]["deleted"] is False


def test_following_counts_and_the_subscribed_listing(join, v4):
    owner, follower = join(), join()
    multi_id = _multi(owner, title="Followed")["multi"]["id"]
    other_id = _multi(owner)["multi"]["id"]
    follow = {"multi_community_id": multi_id, "follow": True}
    view = follower.api.post("/multi_community/follow", follow)["multi_community_view"]
    assert view["follow_state"] == "accepted" and view["multi"]["subscribers"] == 2
    subscribed = follower.api.get("/multi_community/list", type_="subscribed")["items"]
    assert [m["multi"]["id"] for m in subscribed] == [multi_id]
    assert v4.get("/multi_community/list", type_="subscribed")["items"] == []
    unfollowed = follower.api.post("/multi_community/follow", {**follow, "follow": False})["multi_community_view"]
    assert "follow_state" not in unfollowed and unfollowed["multi"]["subscribers"] == 1
    assert follower.api.get("/multi_community/list", type_="subscribed")["items"] == []
    mine = v4.get("/multi_community/list", creator_id=view["owner"]["id"], sort="old")["items"]
    assert [m["multi"]["id"] for m in mine] == [multi_id, other_id]
    found = v4.get("/multi_community/list", search_term="followed", search_title_only=True, limit=50)["items"]
    assert [m["multi"]["id"] for m in found] == [multi_id]


def test_the_listing_pages_with_cursors(join, v4):
    owner = join()
    made = [_multi(owner)["multi"]["id"] for _ in range(3)]
    creator = v4.get("/multi_community", id=made[0])["multi_community_view"]["owner"]["id"]
    first = v4.get("/multi_community/list", creator_id=creator, sort="new", limit=2)
    assert [m["multi"]["id"] for m in first["items"]] == made[::-1][:2] and "prev_page" not in first
    second = v4.get("/multi_community/list", creator_id=creator, sort="new", limit=2, page_cursor=first["next_page"])
    assert [m["multi"]["id"] for m in second["items"]] == made[:1]
    back = v4.get("/multi_community/list", creator_id=creator, sort="new", limit=2, page_cursor=second["prev_page"])
    assert back["items"] == first["items"]
    assert v4.error("GET", "/multi_community/list", sort="sideways")[0] == 400


def test_posts_are_listed_by_multi_community_id_and_name(join, v4):
    owner, author = join(), join()
    multi = _multi(owner)["multi"]
    inside, outside = owner.community()["community"]["id"], owner.community()["community"]["id"]
    owner.api.post("/multi_community/entry", {"id": multi["id"], "community_id": inside})
    kept = author.post(inside, "Inside the feed")["post"]["id"]
    author.post(outside, "Outside the feed")
    by_id = v4.get("/post/list", multi_community_id=multi["id"], sort="new")["items"]
    assert [p["post"]["id"] for p in by_id] == [kept]
    by_name = author.api.get("/post/list", multi_community_name=multi["name"], type_="subscribed")["items"]
    assert [p["post"]["id"] for p in by_name] == [kept]
    both = {"multi_community_id": multi["id"], "community_id": inside}
    assert v4.error("GET", "/post/list", **both) == (400, "cannot_combine_community_id_and_multi_community_id")
    assert v4.error("GET", "/post/list", multi_community_id=2_000_000) == (404, "not_found")
    _delete_entry(owner, multi["id"], inside)
    assert v4.get("/post/list", multi_community_id=multi["id"])["items"] == []


def test_the_suggested_listing_reads_the_multi_community_the_admin_chose(server, join, v4):
    admin = V4Member(v4, make_admin(server).name)
    owner, author = join(), join()
    multi_id = _multi(owner)["multi"]["id"]
    community_id = owner.community()["community"]["id"]
    owner.api.post("/multi_community/entry", {"id": multi_id, "community_id": community_id})
    post_id = author.post(community_id, "Suggested reading")["post"]["id"]
    assert v4.get("/post/list", type_="suggested")["items"] == []
    assert owner.api.error("PUT", "/site", {"suggested_multi_community_id": multi_id})[1] == "not_an_admin"
    site = admin.api.put("/site", {"suggested_multi_community_id": multi_id})
    assert site["site_view"]["local_site"]["suggested_multi_community_id"] == multi_id
    assert [p["post"]["id"] for p in v4.get("/post/list", type_="suggested")["items"]] == [post_id]
    admin.api.put("/site", {"suggested_multi_community_id": 0})
    assert "suggested_multi_community_id" not in v4.get("/site")["site_view"]["local_site"]
    assert v4.get("/post/list", type_="suggested")["items"] == []


def test_the_account_lists_followed_multi_communities_and_search_finds_them(join, v4):
    owner, reader = join(), join()
    title = unique_name("Feedtitle")
    multi_id = _multi(owner, title=title)["multi"]["id"]
    assert reader.api.get("/account")["multi_community_follows"] == []
    reader.api.post("/multi_community/follow", {"multi_community_id": multi_id, "follow": True})
    follows = reader.api.get("/account")["multi_community_follows"]
    assert [(m["multi"]["id"], m["follow_state"]) for m in follows] == [(multi_id, "accepted")]
    found = v4.get("/search", search_term=title, type_="multi_communities")
    assert [m["multi"]["id"] for m in found["multi_communities"]] == [multi_id] and found["posts"] == []
    assert v4.get("/search", search_term=title, type_="posts")["multi_communities"] == []
