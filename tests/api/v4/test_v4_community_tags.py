"""API v4's community tags: moderators keep a community's tags, posts carry some of their community's tags, and
v3 answers stay as 0.19 has them."""

TAG = "/community/tag"


def _names(tags: list[dict]) -> list[str]:
    return sorted(tag["name"] for tag in tags)


def test_moderators_create_edit_and_delete_a_communitys_tags(join, v4):
    mod, member = join(), join()
    cid = mod.community()["community"]["id"]
    form = {"community_id": cid, "name": "news", "display_name": "News", "summary": "What happened", "color": "color03"}
    assert member.api.error("POST", TAG, form)[1] == "not_a_mod_or_admin"
    tag = mod.api.post(TAG, form)
    assert (tag["name"], tag["display_name"], tag["summary"], tag["color"]) == (
        "news",
        "News",
        "What happened",
        "color03",
    )
    assert tag["community_id"] == cid and tag["deleted"] is False and tag["published_at"]
    assert tag["ap_id"].endswith(
        f"/c/{mod.api.get('/community', id=cid)['community_view']['community']['name']}/tag/news"
    )
    assert mod.api.error("POST", TAG, form)[1] == "couldnt_create"
    assert mod.api.error("POST", TAG, {**form, "name": "no spaces here"})[1] == "invalid_name"
    assert mod.api.error("POST", TAG, {**form, "name": "other", "color": "red"})[0] == 400
    shown = v4.get("/community", id=cid)["community_view"]["tags"]
    assert [t["id"] for t in shown] == [tag["id"]]

    edit = {"tag_id": tag["id"], "display_name": "Headlines", "color": "color07"}
    assert member.api.error("PUT", TAG, edit)[1] == "not_a_mod_or_admin"
    edited = mod.api.put(TAG, edit)
    assert (edited["display_name"], edited["summary"], edited["color"]) == ("Headlines", "What happened", "color07")
    assert edited["updated_at"]
    assert mod.api.error("PUT", TAG, {"tag_id": 2_000_000, "color": "color01"})[0] == 404

    gone = {"tag_id": tag["id"], "delete": True}
    assert member.api.error("DELETE", TAG, gone)[1] == "not_a_mod_or_admin"
    assert mod.api.request("DELETE", TAG, gone).json()["deleted"] is True
    assert v4.get("/community", id=cid)["community_view"]["tags"] == []
    assert mod.api.request("DELETE", TAG, {**gone, "delete": False}).json()["deleted"] is False
    listed = [c for c in v4.get("/community/list", limit=50)["items"] if c["community"]["id"] == cid]
    assert [t["name"] for t in listed[0]["tags"]] == ["news"]


def test_a_post_carries_only_tags_of_its_own_community(join, v4):
    mod, author = join(), join()
    cid = mod.community()["community"]["id"]
    elsewhere = mod.community()["community"]["id"]
    news = mod.api.post(TAG, {"community_id": cid, "name": "news"})
    meta = mod.api.post(TAG, {"community_id": cid, "name": "meta"})
    foreign = mod.api.post(TAG, {"community_id": elsewhere, "name": "news"})

    refused = author.api.error("POST", "/post", {"name": "A title", "community_id": cid, "tags": [foreign["id"]]})
    assert refused == (400, "tag_not_in_community")
    post = author.post(cid, tags=[news["id"]])
    assert [t["id"] for t in post["tags"]] == [news["id"]]
    pid = post["post"]["id"]

    edited = author.api.put("/post", {"post_id": pid, "tags": [news["id"], meta["id"]]})["post_view"]
    assert sorted(t["name"] for t in edited["tags"]) == ["meta", "news"]
    assert author.api.error("PUT", "/post", {"post_id": pid, "tags": [foreign["id"]]})[1] == "tag_not_in_community"
    assert author.api.put("/post", {"post_id": pid, "name": "renamed"})["post_view"]["tags"] == edited["tags"]

    read = v4.get("/post", id=pid)
    assert sorted(t["name"] for t in read["post_view"]["tags"]) == ["meta", "news"]
    assert sorted(t["name"] for t in read["community_view"]["tags"]) == ["meta", "news"]
    listed = [p for p in v4.get("/post/list", community_id=cid)["items"] if p["post"]["id"] == pid]
    assert sorted(t["name"] for t in listed[0]["tags"]) == ["meta", "news"]
    untagged = author.post(cid, name="No tags here")["post"]["id"]
    by_tag = [p["post"]["id"] for p in v4.get("/post/list", community_id=cid, tag_id=meta["id"])["items"]]
    assert pid in by_tag and untagged not in by_tag
    assert v4.get("/post/list", tag_id=foreign["id"])["items"] == []
    person_id = author.api.get("/account")["local_user_view"]["person"]["id"]
    content = author.api.get("/person/content", person_id=person_id, type_="posts")["items"]
    assert {i["post"]["id"]: _names(i["tags"]) for i in content}[pid] == ["meta", "news"]
    author.api.put("/post/save", {"post_id": pid, "save": True})
    assert [_names(i["tags"]) for i in author.api.get("/account/saved")["items"]] == [["meta", "news"]]

    assert author.api.error("PUT", "/post/mod_edit", {"post_id": pid, "tags": []})[1] == "not_a_mod_or_admin"
    assert mod.api.put("/post/mod_edit", {"post_id": pid, "tags": [meta["id"]]})["post_view"]["tags"][0]["name"] == (
        "meta"
    )
    mod.api.request("DELETE", TAG, {"tag_id": meta["id"], "delete": True})
    assert v4.get("/post", id=pid)["post_view"]["tags"] == []  # a deleted tag leaves the posts that carried it


def test_v3_answers_gain_no_tags(join, api):
    mod = join()
    cid = mod.community()["community"]["id"]
    news = mod.api.post(TAG, {"community_id": cid, "name": "news"})
    pid = mod.post(cid, tags=[news["id"]])["post"]["id"]
    got = api.get("/post", id=pid)
    assert "tags" not in got["post_view"] and "tags" not in got["community_view"]
    assert "tags" not in api.get("/community", id=cid)["community_view"]
