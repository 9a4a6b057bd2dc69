"""Agora's warnings: a moderator warns about a post or comment; the person and moderators see them."""

import pytest

from tests.support.admin import make_admin


@pytest.fixture
def warned(api):
    mod = api.register()
    community = mod.community()["community"]["id"]
    member = api.register()
    post = member.post(community)["post"]["id"]
    comment = member.comment(post)["comment"]["id"]
    return mod, member, community, post, comment


def test_warning_reaches_the_person_and_counts_for_moderators(warned, api):
    mod, member, community, post, comment = warned
    first = mod.api.post("/agora/warning", {"post_id": post, "reason": "rule 2: no spam"})["warning_view"]
    assert first["warning"]["person_id"] == member.person_id and first["community"]["id"] == community
    mod.api.post("/agora/warning", {"comment_id": comment, "reason": "rule 1: be civil"})
    mine = member.api.get("/agora/warning/list")
    assert mine["count"] == 2
    assert [w["warning"]["reason"] for w in mine["warnings"]] == ["rule 1: be civil", "rule 2: no spam"]
    assert "moderator" not in mine["warnings"][0]
    history = mod.api.get("/agora/warning/list", person_id=member.person_id)
    assert history["count"] == 2 and history["warnings"][0]["moderator"]["id"] == mod.person_id
    logged = api.get("/modlog", type_="AgoraWarn")["agora_warnings"]
    assert len(logged) == 2 and logged[0]["warned_person"]["id"] == member.person_id


def test_warning_rules(warned, server, api):
    mod, member, _community, post, _ = warned
    assert mod.api.error("POST", "/agora/warning", {"post_id": post, "reason": " "})[1] == "warning_reason_required"
    assert mod.api.error("POST", "/agora/warning", {"reason": "x"})[1] == "invalid_body_field"
    outsider = api.register()
    outsider.community()
    assert outsider.api.error("POST", "/agora/warning", {"post_id": post, "reason": "x"})[1] == "not_a_mod_or_admin"
    mod.api.post("/agora/warning", {"post_id": post, "reason": "x"})
    # a moderator of another community sees none of the warnings given elsewhere
    assert outsider.api.get("/agora/warning/list", person_id=member.person_id)["count"] == 0
    bystander = api.register()
    assert bystander.api.error("GET", "/agora/warning/list", person_id=member.person_id)[1] == "not_a_mod_or_admin"
    admin = make_admin(server)
    assert admin.api.get("/agora/warning/list", person_id=member.person_id)["count"] == 1
