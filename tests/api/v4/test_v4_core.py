"""API v4 (Lemmy 1.0) over the same rules and reads as v3: site, accounts, communities, posts, comments."""


def test_site_reports_lemmy_1_0_and_v3_keeps_0_19(v4, api):
    site = v4.get("/site")
    assert site["version"].startswith("1.0.0-beta.2")
    assert "my_user" not in site and site["site_view"]["local_site"]["registration_mode"] in ("open", "closed")
    assert api.get("/site")["version"].startswith("0.19.")


def test_account_register_login_my_user_and_logout(v4, join):
    alice = join()
    me = alice.api.get("/account")
    assert me["local_user_view"]["person"]["name"] == alice.name
    assert me["local_user_view"]["local_user"]["default_post_sort_type"] in ("active", "hot", "new", "top", "scaled")
    assert alice.api.get("/account/validate_auth") == {"success": True}
    alice.api.put("/account/settings/save", {"default_post_sort_type": "new", "bio": "hello"})
    me = alice.api.get("/account")
    assert me["local_user_view"]["local_user"]["default_post_sort_type"] == "new"
    assert me["local_user_view"]["person"]["bio"] == "hello"
    alice.api.post("/account/auth/logout")
    assert alice.api.error("GET", "/account") == (401, "incorrect_login")  # a revoked token


def test_cookie_auth_and_v4_error_codes(v4, join, server):
    import httpx

    alice = join()
    with httpx.Client(base_url=f"{server.base_url}/api/v4", cookies={"jwt": alice.api.token}) as client:
        assert client.get("/account").json()["local_user_view"]["person"]["name"] == alice.name
    wrong = v4.request("POST", "/account/auth/login", {"username_or_email": alice.name, "password": "wrong pass x"})
    assert (wrong.status_code, wrong.json()["error"]) == (401, "incorrect_login")
    assert v4.error("GET", "/post", id=987654) == (404, "not_found")
    assert v4.error("GET", "/community", name="nothing_here") == (404, "not_found")
    assert v4.error("GET", "/post/list", page_cursor="garbage")[0] == 400


def test_community_create_follow_block_and_views(join):
    alice, bob = join(), join()
    made = alice.community(sidebar="about it")
    cid = made["community"]["id"]
    assert made["community"]["sidebar"] == "about it" and made["community"]["visibility"] == "public"
    followed = bob.api.post("/community/follow", {"community_id": cid, "follow": True})["community_view"]
    assert followed["community_actions"]["follow_state"] == "accepted"
    assert followed["community"]["subscribers"] == 2
    got = bob.api.get("/community", id=cid)
    assert got["moderators"][0]["moderator"]["name"] == alice.name and got["community_view"]["can_mod"] is False
    blocked = bob.api.post("/account/block/community", {"community_id": cid, "block": True})["community_view"]
    assert blocked["community_actions"]["blocked_at"]
    edited = alice.api.put("/community", {"community_id": cid, "title": "New title"})["community_view"]
    assert edited["community"]["title"] == "New title"
    listed = alice.api.get("/community/list", type_="local", sort="new", limit=50)
    assert cid in [c["community"]["id"] for c in listed["items"]]


def test_posts_vote_save_read_delete(join):
    alice, bob = join(), join()
    cid = alice.community()["community"]["id"]
    post = alice.post(cid, body="**hi**")["post"]
    assert post["published_at"] and post["score"] == 1 and post["ap_id"]
    liked = bob.api.post("/post/like", {"post_id": post["id"], "is_upvote": True})["post_view"]
    assert liked["post"]["score"] == 2 and liked["post_actions"]["vote_is_upvote"] is True
    down = bob.api.post("/post/like", {"post_id": post["id"], "is_upvote": False})["post_view"]
    assert (down["post"]["score"], down["post"]["downvotes"]) == (0, 1)
    cleared = bob.api.post("/post/like", {"post_id": post["id"]})["post_view"]
    assert cleared["post"]["score"] == 1 and "vote_is_upvote" not in cleared.get("post_actions", {})
    saved = bob.api.put("/post/save", {"post_id": post["id"], "save": True})["post_view"]
    assert saved["post_actions"]["saved_at"]
    read = bob.api.post("/post/mark_as_read", {"post_id": post["id"], "read": True})["post_view"]
    assert read["post_actions"]["read_at"]
    edited = alice.api.put("/post", {"post_id": post["id"], "name": "Edited"})["post_view"]
    assert edited["post"]["name"] == "Edited" and edited["post"]["updated_at"]
    got = bob.api.get("/post", id=post["id"])
    assert got["post_view"]["post"]["id"] == post["id"] and got["community_view"]["community"]["id"] == cid
    assert bob.api.error("DELETE", "/post", {"post_id": post["id"], "deleted": True})[1] == "no_post_edit_allowed"
    deleted = alice.api.request("DELETE", "/post", {"post_id": post["id"], "deleted": True})
    assert deleted.status_code == 200 and deleted.json()["post_view"]["post"]["deleted"] is True


def test_post_cursors_page_both_ways_and_hold_their_place(join):
    alice = join()
    cid = alice.community()["community"]["id"]
    ids = [alice.post(cid, name=f"Post {n}")["post"]["id"] for n in range(7)]
    newest_first = ids[::-1]
    first = alice.api.get("/post/list", community_id=cid, sort="new", limit=3)
    assert [p["post"]["id"] for p in first["items"]] == newest_first[:3] and "prev_page" not in first
    # Posts made meanwhile do not move the next page.
    alice.post(cid, name="Newer")
    second = alice.api.get("/post/list", community_id=cid, sort="new", limit=3, page_cursor=first["next_page"])
    assert [p["post"]["id"] for p in second["items"]] == newest_first[3:6]
    third = alice.api.get("/post/list", community_id=cid, sort="new", limit=3, page_cursor=second["next_page"])
    assert [p["post"]["id"] for p in third["items"]] == newest_first[6:]
    assert "next_page" not in third
    back = alice.api.get("/post/list", community_id=cid, sort="new", limit=3, page_cursor=second["prev_page"])
    assert [p["post"]["id"] for p in back["items"]] == newest_first[:3]
    assert back["next_page"]
    for sort in ("active", "hot", "new", "old", "top", "most_comments", "new_comments", "controversial", "scaled"):
        listed = alice.api.get("/post/list", community_id=cid, sort=sort, time_range_seconds=86400, limit=50)
        assert len(listed["items"]) == 8, sort


def test_comments_create_edit_vote_save_list_delete(join):
    alice, bob = join(), join()
    cid = alice.community()["community"]["id"]
    pid = alice.post(cid)["post"]["id"]
    top = bob.comment(pid, "first")
    reply = alice.comment(pid, "reply", parent_id=top["comment"]["id"])
    assert reply["comment"]["path"] == f"0.{top['comment']['id']}.{reply['comment']['id']}"
    liked = bob.api.post("/comment/like", {"comment_id": reply["comment"]["id"], "is_upvote": False})["comment_view"]
    assert liked["comment"]["score"] == 0 and liked["comment_actions"]["vote_is_upvote"] is False
    saved = bob.api.put("/comment/save", {"comment_id": top["comment"]["id"], "save": True})["comment_view"]
    assert saved["comment_actions"]["saved_at"]
    edited = bob.api.put("/comment", {"comment_id": top["comment"]["id"], "content": "edited"})["comment_view"]
    assert edited["comment"]["content"] == "edited"
    page = bob.api.get("/comment/list", post_id=pid, sort="old", limit=1)
    assert [c["comment"]["id"] for c in page["items"]] == [top["comment"]["id"]] and page["next_page"]
    rest = bob.api.get("/comment/list", post_id=pid, sort="old", limit=1, page_cursor=page["next_page"])
    assert [c["comment"]["id"] for c in rest["items"]] == [reply["comment"]["id"]] and rest["prev_page"]
    assert bob.api.get("/comment", id=reply["comment"]["id"])["comment_view"]["post"]["id"] == pid
    gone = bob.api.request("DELETE", "/comment", {"comment_id": top["comment"]["id"], "deleted": True})
    assert gone.json()["comment_view"]["comment"]["deleted"] is True


def test_v3_and_v4_see_each_others_writes(server, api, join):
    alice = join()
    v3_alice = api.login(alice.name)
    cid = alice.community()["community"]["id"]
    v3_post = v3_alice.post(cid, name="Written through v3")["post"]["id"]
    v4_post = alice.post(cid, name="Written through v4")["post"]["id"]
    listed = alice.api.get("/post/list", community_id=cid, sort="new")
    assert [p["post"]["id"] for p in listed["items"]] == [v4_post, v3_post]
    v3_listed = v3_alice.api.get("/post/list", community_id=cid, sort="New")
    assert [p["post"]["id"] for p in v3_listed["posts"]] == [v4_post, v3_post]
    v3_alice.api.post("/post/like", {"post_id": v4_post, "score": -1})  # her own vote, changed through v3
    seen = alice.api.get("/post", id=v4_post)["post_view"]
    assert seen["post"]["score"] == -1 and seen["post_actions"]["vote_is_upvote"] is False
    bob = api.register()
    bob.comment(v4_post, "through v3")
    assert [c["comment"]["content"] for c in alice.api.get("/comment/list", post_id=v4_post)["items"]] == ["through v3"]


def test_comment_cursors_hold_their_place_both_ways(join):
    alice = join()
    cid = alice.community()["community"]["id"]
    pid = alice.post(cid)["post"]["id"]
    ids = [alice.comment(pid, f"comment {n}")["comment"]["id"] for n in range(5)]
    first = alice.api.get("/comment/list", post_id=pid, sort="new", limit=2)
    assert [c["comment"]["id"] for c in first["items"]] == ids[::-1][:2] and "prev_page" not in first
    alice.comment(pid, "arrives meanwhile")
    second = alice.api.get("/comment/list", post_id=pid, sort="new", limit=2, page_cursor=first["next_page"])
    assert [c["comment"]["id"] for c in second["items"]] == ids[::-1][2:4]
    back = alice.api.get("/comment/list", post_id=pid, sort="new", limit=2, page_cursor=second["prev_page"])
    assert [c["comment"]["id"] for c in back["items"]] == ids[::-1][:2]
    # Site-wide, by another sort: every comment once, page after page.
    seen, cursor = [], None
    while True:
        page = alice.api.get("/comment/list", community_id=cid, sort="old", limit=2, page_cursor=cursor)
        seen += [c["comment"]["id"] for c in page["items"]]
        cursor = page.get("next_page")
        if cursor is None:
            break
    assert seen[:5] == ids and len(seen) == 6
    assert alice.api.error("GET", "/comment/list", post_id=pid, page_cursor="N99999999")[0] == 400


def test_community_cursors_and_sorts(join):
    alice = join()
    made = [alice.community()["community"] for _ in range(4)]
    names = sorted(c["name"] for c in made)
    seen, cursor = [], None
    for _ in range(10):
        page = alice.api.get("/community/list", sort="name_asc", type_="local", limit=3, page_cursor=cursor)
        seen += [c["community"]["name"] for c in page["items"]]
        cursor = page.get("next_page")
        if cursor is None:
            break
    assert [n for n in seen if n in names] == names and seen == sorted(seen)
    assert cursor is None  # the last page said there is none after it
    for sort in ("active_six_months", "active_monthly", "active_weekly", "active_daily", "hot", "new", "old"):
        assert alice.api.get("/community/list", sort=sort, limit=50)["items"], sort
    for sort in ("name_desc", "comments", "posts", "subscribers", "subscribers_local"):
        assert alice.api.get("/community/list", sort=sort, limit=50)["items"], sort
