from tests.support.admin import make_admin
from tests.support.client import unique_name


def test_create_community_makes_creator_first_moderator_and_subscriber(api):
    member = api.register()
    name = unique_name("comm")
    view = member.community(name, title="Comradeship // Freechat", description="Talk about **whatever**")
    assert view["community"]["name"] == name
    assert view["community"]["title"] == "Comradeship // Freechat"
    assert view["community"]["actor_id"].endswith(f"/c/{name}")
    assert view["subscribed"] == "Subscribed"
    assert view["counts"]["subscribers"] == 1
    got = api.get("/community", name=name)
    assert [m["moderator"]["name"] for m in got["moderators"]] == [member.name]
    assert got["community_view"]["subscribed"] == "NotSubscribed"  # anonymous


def test_community_name_rules(api):
    member = api.register()
    assert member.api.error("POST", "/community", {"name": "a b", "title": "T"})[1] == "invalid_name"
    taken = member.community()
    body = {"name": taken["community"]["name"].upper(), "title": "Again"}
    assert member.api.error("POST", "/community", body)[1] == "community_already_exists"


def test_get_community_needs_id_or_name(api):
    assert api.error("GET", "/community")[1] == "no_id_given"
    assert api.error("GET", "/community", id=999999)[1] == "couldnt_find_community"


def test_follow_and_unfollow_update_counts(api):
    owner = api.register()
    community = owner.community()
    cid = community["community"]["id"]
    reader = api.register()
    followed = reader.api.post("/community/follow", {"community_id": cid, "follow": True})["community_view"]
    assert followed["subscribed"] == "Subscribed"
    assert followed["counts"]["subscribers"] == 2
    again = reader.api.post("/community/follow", {"community_id": cid, "follow": True})["community_view"]
    assert again["counts"]["subscribers"] == 2
    left = reader.api.post("/community/follow", {"community_id": cid, "follow": False})["community_view"]
    assert left["subscribed"] == "NotSubscribed"
    assert left["counts"]["subscribers"] == 1


def test_only_moderators_edit_a_community(api):
    owner = api.register()
    cid = owner.community()["community"]["id"]
    outsider = api.register()
    assert outsider.api.error("PUT", "/community", {"community_id": cid, "title": "Mine now"})[1] == "not_a_moderator"
    edited = owner.api.put("/community", {"community_id": cid, "title": "New title", "nsfw": True})
    assert edited["community_view"]["community"]["title"] == "New title"
    assert edited["community_view"]["community"]["nsfw"] is True
    assert "updated" in edited["community_view"]["community"]


def test_delete_and_restore_by_top_moderator(api):
    owner = api.register()
    cid = owner.community()["community"]["id"]
    second = api.register()
    owner.api.post("/community/mod", {"community_id": cid, "person_id": second.person_id, "added": True})
    assert second.api.error("POST", "/community/delete", {"community_id": cid, "deleted": True})[1] == "not_top_mod"
    deleted = owner.api.post("/community/delete", {"community_id": cid, "deleted": True})
    assert deleted["community_view"]["community"]["deleted"] is True
    assert api.error("GET", "/community", id=cid)[1] == "couldnt_find_community"
    assert owner.api.error("POST", "/post", {"name": "hello there", "community_id": cid})[1] == "deleted"
    owner.api.post("/community/delete", {"community_id": cid, "deleted": False})
    assert api.get("/community", id=cid)["community_view"]["community"]["deleted"] is False


def test_add_remove_and_transfer_moderators(api):
    owner = api.register()
    cid = owner.community()["community"]["id"]
    helper = api.register()
    mods = owner.api.post("/community/mod", {"community_id": cid, "person_id": helper.person_id, "added": True})
    assert [m["moderator"]["name"] for m in mods["moderators"]] == [owner.name, helper.name]
    dup = {"community_id": cid, "person_id": helper.person_id, "added": True}
    assert owner.api.error("POST", "/community/mod", dup)[1] == "community_moderator_already_exists"
    outsider = api.register()
    body = {"community_id": cid, "person_id": outsider.person_id, "added": True}
    assert outsider.api.error("POST", "/community/mod", body)[1] == "not_a_mod_or_admin"
    transferred = owner.api.post("/community/transfer", {"community_id": cid, "person_id": helper.person_id})
    assert [m["moderator"]["name"] for m in transferred["moderators"]] == [helper.name, owner.name]
    mods = helper.api.post("/community/mod", {"community_id": cid, "person_id": owner.person_id, "added": False})
    assert [m["moderator"]["name"] for m in mods["moderators"]] == [helper.name]


def test_list_communities_sorts_and_filters(api):
    member = api.register()
    small = member.community()
    big = member.community()
    for _ in range(2):
        api.register().api.post("/community/follow", {"community_id": big["community"]["id"], "follow": True})
    nsfw = member.community(nsfw=True)
    names = [c["community"]["name"] for c in api.get("/community/list", sort="TopAll", limit=50)["communities"]]
    assert names.index(big["community"]["name"]) < names.index(small["community"]["name"])
    assert nsfw["community"]["name"] not in names
    with_nsfw = api.get("/community/list", sort="New", show_nsfw=True, limit=50)["communities"]
    assert with_nsfw[0]["community"]["name"] == nsfw["community"]["name"]
    subscribed = member.api.get("/community/list", type_="Subscribed", limit=50)["communities"]
    assert {c["community"]["name"] for c in subscribed} >= {small["community"]["name"], big["community"]["name"]}
    assert api.error("GET", "/community/list", limit=51)[1] == "unknown"


def test_block_community_hides_its_posts_and_unsubscribes(api):
    owner = api.register()
    cid = owner.community()["community"]["id"]
    owner.post(cid, "visible for now")
    reader = api.register()
    reader.api.post("/community/follow", {"community_id": cid, "follow": True})
    blocked = reader.api.post("/community/block", {"community_id": cid, "block": True})
    assert blocked["blocked"] is True and blocked["community_view"]["subscribed"] == "NotSubscribed"
    titles = [p["post"]["name"] for p in reader.api.get("/post/list", type_="All")["posts"]]
    assert "visible for now" not in titles
    reader.api.post("/community/block", {"community_id": cid, "block": False})
    titles = [p["post"]["name"] for p in reader.api.get("/post/list", type_="All")["posts"]]
    assert "visible for now" in titles


def test_admin_only_community_creation(server):
    admin = make_admin(server)
    admin.api.put("/site", {"community_creation_admin_only": True})
    member = server.api().register()
    body = {"name": unique_name("comm"), "title": "Nope"}
    assert member.api.error("POST", "/community", body)[1] == "only_admins_can_create_communities"
    assert admin.community()["community"]["local"] is True
