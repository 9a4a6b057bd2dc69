"""API v4: moderation, reports, the combined report list, the modlog, notifications and combined listings."""

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin


def test_moderators_remove_lock_feature_and_ban(join):
    mod, author = join(), join()
    cid = mod.community()["community"]["id"]
    pid = author.post(cid)["post"]["id"]
    comment = author.comment(pid)["comment"]["id"]
    assert author.api.error("POST", "/post/lock", {"post_id": pid, "locked": True})[1] == "not_a_mod_or_admin"
    assert mod.api.post("/post/lock", {"post_id": pid, "locked": True, "reason": "heated"})["post_view"]["post"][
        "locked"
    ]
    featured = mod.api.post("/post/feature", {"post_id": pid, "featured": True, "feature_type": "community"})
    assert featured["post_view"]["post"]["featured_community"] is True
    removed = mod.api.post("/post/remove", {"post_id": pid, "removed": True, "reason": "spam"})["post_view"]
    assert removed["post"]["removed"] is True
    gone = mod.api.post("/comment/remove", {"comment_id": comment, "removed": True, "reason": "rude"})
    assert gone["comment_view"]["comment"]["removed"] is True
    banned = mod.api.post(
        "/community/ban_user",
        {
            "community_id": cid,
            "person_id": author.api.get("/account")["local_user_view"]["person"]["id"],
            "ban": True,
            "reason": "troll",
        },
    )
    assert banned["person_view"]["person"]["name"] == author.name
    assert author.api.error("POST", "/post", {"name": "again", "community_id": cid})[1] == (
        "person_is_banned_from_community"
    )
    log = mod.api.get("/modlog", community_id=cid)["items"]
    kinds = [entry["modlog"]["kind"] for entry in log]
    assert kinds[:5] == [
        "mod_ban_from_community",
        "mod_remove_comment",
        "mod_remove_post",
        "mod_feature_post_community",
        "mod_lock_post",
    ]
    assert all(entry["modlog"]["is_revert"] is False for entry in log)
    assert log[2]["modlog"]["reason"] == "spam" and log[2]["target_post"]["id"] == pid
    unlocked = mod.api.post("/post/lock", {"post_id": pid, "locked": False, "reason": "calm"})
    assert unlocked["post_view"]["post"]["locked"] is False
    newest = mod.api.get("/modlog", community_id=cid, type_="mod_lock_post")["items"]
    assert [(e["modlog"]["kind"], e["modlog"]["is_revert"]) for e in newest] == [
        ("mod_lock_post", True),
        ("mod_lock_post", False),
    ]


def test_modlog_pages_by_keyset_both_ways(join):
    mod, author = join(), join()
    cid = mod.community()["community"]["id"]
    pid = author.post(cid)["post"]["id"]
    for n in range(5):
        mod.api.post("/post/lock", {"post_id": pid, "locked": n % 2 == 0, "reason": f"round {n}"})
    everything = [e["modlog"]["id"] for e in mod.api.get("/modlog", community_id=cid, limit=50)["items"]]
    assert len(everything) == 5 and everything == sorted(everything, reverse=True)
    first = mod.api.get("/modlog", community_id=cid, limit=2)
    mod.api.post("/post/lock", {"post_id": pid, "locked": True, "reason": "meanwhile"})  # lands above the pages
    second = mod.api.get("/modlog", community_id=cid, limit=2, page_cursor=first["next_page"])
    assert [e["modlog"]["id"] for e in first["items"] + second["items"]] == everything[:4]
    back = mod.api.get("/modlog", community_id=cid, limit=2, page_cursor=second["prev_page"])
    assert back["items"] == first["items"]


def test_reports_list_and_resolve(join):
    mod, author, reader = join(), join(), join()
    cid = mod.community()["community"]["id"]
    pid = author.post(cid)["post"]["id"]
    comment = author.comment(pid)["comment"]["id"]
    made = reader.api.post("/post/report", {"post_id": pid, "reason": "off topic"})["post_report_view"]
    assert made["post_report"]["reason"] == "off topic" and made["post_creator"]["name"] == author.name
    reader.api.post("/comment/report", {"comment_id": comment, "reason": "rude"})
    listed = mod.api.get("/report/list", unresolved_only=True)["items"]
    assert [item["type_"] for item in listed] == ["comment", "post"]
    assert listed[1]["post_report"]["resolved"] is False
    resolved = mod.api.put("/post/report/resolve", {"report_id": made["post_report"]["id"], "resolved": True})
    assert resolved["post_report_view"]["post_report"]["resolved"] is True
    assert [item["type_"] for item in mod.api.get("/report/list", unresolved_only=True)["items"]] == ["comment"]
    assert mod.api.get("/account/unread_counts")["report_count"] == 1
    assert reader.api.get("/report/list", my_reports_only=True, type_="posts")["items"][0]["type_"] == "post"


def test_notifications_inbox_combined_read_marks(join):
    alice, bob = join(), join()
    cid = alice.community()["community"]["id"]
    pid = alice.post(cid)["post"]["id"]
    top = alice.comment(pid, "hello")["comment"]["id"]
    bob.comment(pid, "a reply", parent_id=top)
    bob.comment(pid, f"hey @{alice.name}")
    assert alice.api.get("/account/unread_counts")["notification_count"] >= 2
    inbox = alice.api.get("/account/notification/list", unread_only=True)["items"]
    kinds = sorted(item["notification"]["kind"] for item in inbox)
    assert "reply" in kinds and all(item["data"]["type_"] == "comment" for item in inbox)
    first = inbox[0]["notification"]
    alice.api.post("/account/notification/mark_as_read", {"notification_id": first["id"], "read": True})
    left = alice.api.get("/account/notification/list", unread_only=True)["items"]
    assert first["id"] not in [item["notification"]["id"] for item in left]
    alice.api.post("/account/notification/mark_as_read/all")
    assert alice.api.get("/account/notification/list", unread_only=True)["items"] == []
    assert alice.api.get("/account/unread_counts")["notification_count"] == 0
    assert bob.api.error("POST", "/account/notification/mark_as_read", {"notification_id": first["id"], "read": True})[
        0
    ] in (400, 404)


def test_person_content_saved_and_liked_lists(join):
    alice, bob = join(), join()
    cid = alice.community()["community"]["id"]
    pid = alice.post(cid, name="First")["post"]["id"]
    comment = alice.comment(pid, "a comment")["comment"]["id"]
    second = alice.post(cid, name="Second")["post"]["id"]
    content = bob.api.get("/person/content", username=alice.name)["items"]
    assert [(i["type_"], (i.get("post") if i["type_"] == "post" else i["comment"])["id"]) for i in content] == [
        ("post", second),
        ("comment", comment),
        ("post", pid),
    ]
    details = bob.api.get("/person", username=alice.name)
    assert details["person_view"]["person"]["post_count"] == 2 and details["moderates"][0]["community"]["id"] == cid
    bob.api.put("/post/save", {"post_id": pid, "save": True})
    bob.api.put("/comment/save", {"comment_id": comment, "save": True})
    assert [i["type_"] for i in bob.api.get("/account/saved")["items"]] == ["comment", "post"]
    assert [i["type_"] for i in bob.api.get("/account/saved", type_="posts")["items"]] == ["post"]
    bob.api.post("/post/like", {"post_id": second, "is_upvote": True})
    bob.api.post("/comment/like", {"comment_id": comment, "is_upvote": False})
    assert [i["type_"] for i in bob.api.get("/account/liked")["items"]] == ["post", "comment"]
    assert [i["type_"] for i in bob.api.get("/account/liked", like_type="disliked_only")["items"]] == ["comment"]
    page = bob.api.get("/person/content", username=alice.name, limit=2)
    rest = bob.api.get("/person/content", username=alice.name, limit=2, page_cursor=page["next_page"])
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and "next_page" not in rest


def test_admins_ban_add_admin_and_purge(server, v4, join):
    admin = V4Member(v4, make_admin(server).name)
    someone = join()
    person_id = someone.api.get("/account")["local_user_view"]["person"]["id"]
    assert someone.api.error("POST", "/admin/ban", {"person_id": person_id, "ban": True, "reason": "x"})[1] == (
        "not_an_admin"
    )
    banned = admin.api.post("/admin/ban", {"person_id": person_id, "ban": True, "reason": "spam"})["person_view"]
    assert banned["banned"] is True
    assert admin.api.get("/modlog", type_="admin_ban")["items"][0]["target_person"]["id"] == person_id
    helper = join()
    helper_id = helper.api.get("/account")["local_user_view"]["person"]["id"]
    admins = admin.api.post("/admin/add", {"person_id": helper_id, "added": True})["admins"]
    assert helper_id in [a["person"]["id"] for a in admins]
    cid = helper.community()["community"]["id"]
    pid = helper.post(cid)["post"]["id"]
    assert admin.api.post("/admin/purge/post", {"post_id": pid, "reason": "gone"}) == {"success": True}
    assert admin.api.error("GET", "/post", id=pid) == (404, "not_found")


def test_warnings_are_agoras_own_through_lemmys_routes(join, api):
    mod, author = join(), join()
    cid = mod.community()["community"]["id"]
    pid = author.post(cid)["post"]["id"]
    comment = author.comment(pid)["comment"]["id"]
    assert mod.api.post("/post/warn", {"post_id": pid, "reason": "be kind"})["post_view"]["post"]["id"] == pid
    mod.api.post("/comment/warn", {"comment_id": comment, "reason": "no insults"})
    kinds = [e["modlog"]["kind"] for e in mod.api.get("/modlog", community_id=cid)["items"]]
    assert kinds[:2] == ["mod_warn_comment", "mod_warn_post"]
    # The same rows as v3's (Agora's) warning list.
    v3_author = api.login(author.name)
    assert [w["warning"]["reason"] for w in v3_author.api.get("/agora/warning/list")["warnings"]] == [
        "no insults",
        "be kind",
    ]
    assert author.api.error("POST", "/post/warn", {"post_id": pid, "reason": "x"})[1] == "not_a_mod_or_admin"


def test_private_message_reports_go_to_admins(server, v4, join):
    admin = V4Member(v4, make_admin(server).name)
    alice, bob = join(), join()
    bob_id = bob.api.get("/account")["local_user_view"]["person"]["id"]
    message = alice.api.post("/private_message", {"recipient_id": bob_id, "content": "buy things"})
    message_id = message["private_message_view"]["private_message"]["id"]
    report = bob.api.post("/private_message/report", {"private_message_id": message_id, "reason": "spam"})
    report_id = report["private_message_report_view"]["private_message_report"]["id"]
    assert report["private_message_report_view"]["private_message"]["content"] == "buy things"
    assert bob.api.error("PUT", "/private_message/report/resolve", {"report_id": report_id, "resolved": True})[1] == (
        "not_an_admin"
    )
    done = admin.api.put("/private_message/report/resolve", {"report_id": report_id, "resolved": True})
    assert done["private_message_report_view"]["private_message_report"]["resolved"] is True
