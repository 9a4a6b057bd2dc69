"""API v4's Lemmy 1.0 features: comment locks, person notes, community reports, moderator edits of posts,
instance-level blocks of persons and of communities, and the 1.0 listings."""

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin


def _person_id(member: V4Member) -> int:
    return member.api.get("/account")["local_user_view"]["person"]["id"]


def test_a_locked_comment_refuses_replies_in_its_subtree_but_not_beside_it(join):
    mod, author, reader = join(), join(), join()
    cid = mod.community()["community"]["id"]
    pid = author.post(cid)["post"]["id"]
    top = author.comment(pid)["comment"]["id"]
    child = reader.comment(pid, parent_id=top)["comment"]["id"]
    beside = reader.comment(pid)["comment"]["id"]
    lock = {"comment_id": top, "locked": True, "reason": "heated"}
    assert author.api.error("POST", "/comment/lock", lock)[1] == "not_a_mod_or_admin"
    assert mod.api.post("/comment/lock", lock)["comment_view"]["comment"]["locked"] is True
    assert reader.api.get("/comment", id=child)["comment_view"]["comment"]["locked"] is True
    assert reader.api.get("/comment", id=beside)["comment_view"]["comment"]["locked"] is False
    for parent in (top, child):
        assert (
            reader.api.error("POST", "/comment", {"post_id": pid, "parent_id": parent, "content": "x"})[1] == "locked"
        )
    reader.comment(pid, parent_id=beside)
    by_mod = mod.comment(pid, parent_id=child)["comment"]
    assert by_mod["locked"] is True  # a moderator may still answer, and the answer stays in the locked subtree
    listed = {c["comment"]["id"]: c["comment"]["locked"] for c in reader.api.get("/comment/list", post_id=pid)["items"]}
    assert listed[top] and listed[child] and not listed[beside]
    log = mod.api.get("/modlog", community_id=cid, type_="mod_lock_comment")["items"]
    assert [(e["modlog"]["reason"], e["target_comment"]["id"]) for e in log] == [("heated", top)]
    mod.api.post("/comment/lock", {"comment_id": top, "locked": False})
    assert reader.comment(pid, parent_id=child)["comment"]["locked"] is False


def test_a_comment_lock_leaves_v3s_comment_and_modlog_json_as_0_19_has_them(join, api):
    mod, author = join(), join()
    cid = mod.community()["community"]["id"]
    pid = author.post(cid)["post"]["id"]
    top = author.comment(pid)["comment"]["id"]
    mod.api.post("/comment/lock", {"comment_id": top, "locked": True})
    v3 = api.get("/comment", id=top)["comment_view"]["comment"]
    assert "locked" not in v3
    assert all(not entries for entries in api.get("/modlog", community_id=cid).values())


def test_a_person_note_is_shown_to_its_writer_alone_and_an_empty_note_deletes_it(join, v4):
    writer, subject, other = join(), join(), join()
    subject_id = _person_id(subject)
    assert writer.api.error("POST", "/person/note", {"person_id": _person_id(writer), "note": "me"})[1] == (
        "cant_note_yourself"
    )
    assert writer.api.error("POST", "/person/note", {"person_id": 2_000_000, "note": "who"}) == (404, "not_found")
    assert writer.api.post("/person/note", {"person_id": subject_id, "note": "owes me a beer"}) == {"success": True}
    seen = writer.api.get("/person", person_id=subject_id)["person_view"]
    assert seen["person_actions"]["note"] == "owes me a beer" and seen["person_actions"]["noted_at"]
    writer.api.post("/person/note", {"person_id": subject_id, "note": "paid the beer"})
    assert writer.api.get("/person", person_id=subject_id)["person_view"]["person_actions"]["note"] == "paid the beer"
    for stranger in (other.api, v4, subject.api):
        assert "person_actions" not in stranger.get("/person", person_id=subject_id)["person_view"]
    writer.api.post("/person/note", {"person_id": subject_id, "note": ""})
    assert "person_actions" not in writer.api.get("/person", person_id=subject_id)["person_view"]


def test_community_reports_go_to_the_admins_and_into_the_combined_list(server, v4, join):
    admin = V4Member(v4, make_admin(server).name)
    mod, reporter = join(), join()
    community = mod.community()["community"]
    assert reporter.api.error("POST", "/community/report", {"community_id": community["id"], "reason": " "})[1] == (
        "report_reason_required"
    )
    made = reporter.api.post("/community/report", {"community_id": community["id"], "reason": "spam ring"})
    view = made["community_report_view"]
    assert view["community_report"]["reason"] == "spam ring" and view["community_report"]["resolved"] is False
    assert view["community_report"]["original_community_name"] == community["name"]
    assert view["community"]["id"] == community["id"] and view["creator"]["name"] == reporter.name
    report_id = view["community_report"]["id"]
    pid = reporter.post(community["id"])["post"]["id"]
    reporter.api.post("/post/report", {"post_id": pid, "reason": "off topic"})
    listed = admin.api.get("/report/list", unresolved_only=True)["items"]
    assert [item["type_"] for item in listed[:2]] == ["post", "community"]
    only = admin.api.get("/report/list", type_="communities")["items"]
    assert [item["community_report"]["id"] for item in only] == [report_id]
    assert [i["type_"] for i in mod.api.get("/report/list")["items"]] == ["post"]  # a moderator's are not in it
    mine = reporter.api.get("/report/list", my_reports_only=True, type_="communities")["items"]
    assert [item["community_report"]["id"] for item in mine] == [report_id]
    resolve = {"report_id": report_id, "resolved": True}
    assert mod.api.error("PUT", "/community/report/resolve", resolve)[1] == "not_an_admin"
    done = admin.api.put("/community/report/resolve", resolve)["community_report_view"]
    assert done["community_report"]["resolved"] is True and done["resolver"]["name"] == admin.name
    assert admin.api.get("/report/list", unresolved_only=True, type_="communities")["items"] == []
    assert admin.api.error("PUT", "/community/report/resolve", {"report_id": 999_999, "resolved": True}) == (
        404,
        "not_found",
    )


def test_a_moderator_marks_a_post_nsfw_and_the_author_sees_it(join, api):
    mod, author = join(), join()
    cid = mod.community()["community"]["id"]
    post = author.post(cid)["post"]
    edit = {"post_id": post["id"], "nsfw": True}
    assert author.api.error("PUT", "/post/mod_edit", edit)[1] == "not_a_mod_or_admin"
    edited = mod.api.put("/post/mod_edit", edit)["post_view"]["post"]
    assert edited["nsfw"] is True and edited["updated_at"] and edited["name"] == post["name"]
    assert api.get("/post", id=post["id"])["post_view"]["post"]["nsfw"] is True  # v3 reads the same row
    assert mod.api.error("PUT", "/post/mod_edit", {"post_id": post["id"], "tags": [1]})[1] == "tag_not_in_community"
    assert mod.api.put("/post/mod_edit", {"post_id": post["id"], "nsfw": False})["post_view"]["post"]["nsfw"] is False


def test_a_random_community_is_one_the_listing_would_show(join, v4):
    owner, member = join(), join()
    shown = owner.community()["community"]["id"]
    blocked = owner.community()["community"]["id"]
    member.api.post("/account/block/community", {"community_id": blocked, "block": True})
    picks = {member.api.get("/community/random", type_="local")["community_view"]["community"]["id"] for _ in range(12)}
    assert blocked not in picks
    answer = v4.get("/community/random")
    assert answer["community_view"]["community"]["id"] and "moderators" in answer
    followed = member.api.post("/community/follow", {"community_id": shown, "follow": True})
    assert followed["community_view"]["community"]["id"] == shown
    assert member.api.get("/community/random", type_="subscribed")["community_view"]["community"]["id"] == shown
