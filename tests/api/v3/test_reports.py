"""Reports round-trip: a member reports, the community's moderators (and admins) list, count and resolve."""

import pytest

from tests.support.admin import make_admin


@pytest.fixture
def reported(api):
    mod = api.register()
    community = mod.community()["community"]["id"]
    author = api.register()
    post = author.post(community, name="Offending title")["post"]["id"]
    comment = author.comment(post, "offending words")["comment"]["id"]
    reporter = api.register()
    return mod, author, reporter, community, post, comment


def test_post_report_round_trip(reported, api):
    mod, _author, reporter, community, post, _ = reported
    view = reporter.api.post("/post/report", {"post_id": post, "reason": "breaks rule 1"})["post_report_view"]
    assert view["post_report"]["reason"] == "breaks rule 1"
    assert view["post_report"]["original_post_name"] == "Offending title"
    assert view["creator"]["id"] == reporter.person_id and view["post"]["id"] == post
    assert mod.api.get("/user/report_count")["post_reports"] == 1
    listed = mod.api.get("/post/report/list")["post_reports"]
    assert [r["post_report"]["id"] for r in listed] == [view["post_report"]["id"]]
    other_mod = api.register()
    other_mod.community()
    assert other_mod.api.get("/post/report/list")["post_reports"] == []
    resolve = {"report_id": view["post_report"]["id"], "resolved": True}
    assert other_mod.api.error("PUT", "/post/report/resolve", resolve)[1] == "not_a_mod_or_admin"
    resolved = mod.api.put("/post/report/resolve", {"report_id": view["post_report"]["id"], "resolved": True})
    assert resolved["post_report_view"]["post_report"]["resolved"] is True
    assert resolved["post_report_view"]["resolver"]["id"] == mod.person_id
    assert mod.api.get("/post/report/list")["post_reports"] == []
    assert len(mod.api.get("/post/report/list", unresolved_only=False)["post_reports"]) == 1
    assert mod.api.get("/user/report_count", community_id=community)["post_reports"] == 0


def test_comment_report_round_trip_and_removal_resolves_it(reported, server):
    mod, _author, reporter, _, _, comment = reported
    report = reporter.api.post("/comment/report", {"comment_id": comment, "reason": "rude"})["comment_report_view"]
    assert report["comment_report"]["original_comment_text"] == "offending words"
    admin = make_admin(server)
    assert [r["comment_report"]["id"] for r in admin.api.get("/comment/report/list")["comment_reports"]] == [
        report["comment_report"]["id"]
    ]
    assert mod.api.get("/user/report_count")["comment_reports"] == 1
    mod.api.post("/comment/remove", {"comment_id": comment, "removed": True, "reason": "rude"})
    assert mod.api.get("/user/report_count")["comment_reports"] == 0


def test_report_needs_a_reason_and_a_login(reported, api):
    _mod, _author, reporter, _, post, _ = reported
    assert reporter.api.error("POST", "/post/report", {"post_id": post, "reason": "  "})[1] == "report_reason_required"
    assert api.error("POST", "/post/report", {"post_id": post, "reason": "x"}) == (401, "incorrect_login")
