"""API v4's admin instance rules one at a time: block (with a reason and an end) and allow, on the same lists v3's
EditSite edits whole, refused to members, and in force for federation until they end."""

import time
import uuid

import pytest

from tests.api.v4.conftest import V4Member
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import Api


def listed(api, kind: str) -> dict[str, dict]:
    return {i["instance"]["domain"]: i for i in api.get("/federated_instances", kind=kind)["items"]}


def block(admin: V4Member, domain: str, blocked: bool = True, **extra) -> dict:
    body = {"instance": domain, "block": blocked, "reason": "spam", **extra}
    return admin.api.post("/admin/instance/block", body)


def test_an_admin_blocks_and_unblocks_one_instance_with_an_end(server, v4, api):
    admin = V4Member(v4, make_admin(server).name)
    ends = int(time.time()) + 86_400
    assert block(admin, "Spam.Example", expires_at=ends) == {"success": True}
    block(admin, "other.example")
    blocked = listed(v4, "blocked")
    assert set(blocked) == {"spam.example", "other.example"}
    terms = blocked["spam.example"]["blocked"]
    assert terms["published_at"] and terms["expires_at"].startswith(time.strftime("%Y-%m-%d", time.gmtime(ends)))
    assert "expires_at" not in blocked["other.example"]["blocked"]
    v3_listed = api.get("/federated_instances")["federated_instances"]["blocked"]
    assert sorted(i["domain"] for i in v3_listed) == ["other.example", "spam.example"]
    block(admin, "spam.example", blocked=False)
    assert set(listed(v4, "blocked")) == {"other.example"}
    block(admin, "spam.example", blocked=False)  # lifting what is not there changes nothing
    assert set(listed(v4, "blocked")) == {"other.example"}


def test_v3s_list_edit_keeps_the_terms_of_an_instance_that_stays(server, v4, api):
    admin = V4Member(v4, make_admin(server).name)
    block(admin, "kept.example", expires_at=int(time.time()) + 86_400)
    api.login(admin.name).api.put("/site", {"blocked_instances": ["kept.example", "added.example"]})
    blocked = listed(v4, "blocked")
    assert set(blocked) == {"kept.example", "added.example"}
    assert blocked["kept.example"]["blocked"]["expires_at"] and "expires_at" not in blocked["added.example"]["blocked"]


def test_allow_and_block_lists_are_not_mixed_one_instance_at_a_time(server, v4):
    admin = V4Member(v4, make_admin(server).name)
    answer = admin.api.post("/admin/instance/allow", {"instance": "friend.example", "allow": True, "reason": "ok"})
    assert answer == {"success": True} and set(listed(v4, "allowed")) == {"friend.example"}
    refused = admin.api.error("POST", "/admin/instance/block", {"instance": "x.example", "block": True, "reason": ""})
    assert refused == (400, "cannot_combine_federation_blocklist_and_allowlist")
    admin.api.post("/admin/instance/allow", {"instance": "friend.example", "allow": False, "reason": "bye"})
    assert listed(v4, "allowed") == {}
    block(admin, "x.example")
    body = {"instance": "friend.example", "allow": True, "reason": "again"}
    assert (
        admin.api.error("POST", "/admin/instance/allow", body)[1] == "cannot_combine_federation_blocklist_and_allowlist"
    )


def test_members_and_bad_input_are_refused(server, v4, join):
    admin, member = V4Member(v4, make_admin(server).name), join()
    assert (
        member.api.error("POST", "/admin/instance/block", {"instance": "a.example", "block": True, "reason": ""})[1]
        == "not_an_admin"
    )
    assert (
        member.api.error("POST", "/admin/instance/allow", {"instance": "a.example", "allow": True, "reason": ""})[1]
        == "not_an_admin"
    )
    assert (
        admin.api.error("POST", "/admin/instance/block", {"instance": "not a domain", "block": True, "reason": ""})[0]
        == 400
    )
    past = {"instance": "a.example", "block": True, "reason": "", "expires_at": int(time.time()) - 60}
    assert admin.api.error("POST", "/admin/instance/block", past) == (400, "ban_expiration_in_past")
    assert admin.api.error("POST", "/admin/instance/block", {"instance": "a.example"})[0] == 400
    assert listed(v4, "blocked") == {}


@pytest.mark.federation
def test_a_block_keeps_an_instance_out_until_it_ends(server_factory):
    server = server_factory(federation_debug=True)  # peers on loopback
    v4 = Api(server.base_url, prefix="/api/v4")
    admin = V4Member(v4, make_admin(server).name)
    community = admin.community()["community"]
    peer = Peer().start()
    try:

        def follow() -> int:
            actor = peer.person(f"p{uuid.uuid4().hex[:8]}")["id"]
            activity = {
                "id": peer.url(f"/activities/follow/{uuid.uuid4()}"),
                "type": "Follow",
                "actor": actor,
                "object": community["ap_id"],
                "to": [community["ap_id"]],
            }
            response = peer.send(f"{server.base_url}/inbox", activity)
            return response.status_code

        block(admin, peer.domain, expires_at=int(time.time()) + 3)
        assert follow() == 403
        time.sleep(9)  # past the end and the settings cache's 5 s
        assert follow() == 202
        assert listed(v4, "blocked") == {}
    finally:
        peer.stop()
