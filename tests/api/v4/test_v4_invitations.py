"""Registration invitations through API v4: while the site requires an invitation, only a registration with the
token of a live invitation succeeds; an invitation allows its number of uses, ends when it expires, and its
maker revokes and lists theirs."""

import time
from datetime import UTC, datetime, timedelta

from tests.api.v4.conftest import V4Member
from tests.support.admin import make_admin
from tests.support.client import PASSWORD, Api, unique_name
from tests.support.web import Visitor


def sign_up(v4: Api, token: str | None = None) -> tuple[int, str]:
    """(status, the error or the new account's jwt)."""
    body = {"username": unique_name(), "password": PASSWORD, "password_verify": PASSWORD}
    if token is not None:
        body["token"] = token
    answer = v4.request("POST", "/account/auth/register", body)
    return answer.status_code, answer.json().get("jwt") or answer.json().get("error")


def test_registration_takes_a_live_invitation(server, v4):
    admin = V4Member(v4, make_admin(server).name)
    admin.api.put("/site", {"registration_mode": "require_invitation"})
    assert v4.get("/site")["site_view"]["local_site"]["registration_mode"] == "require_invitation"
    assert Api(server.base_url).get("/site")["site_view"]["local_site"]["registration_mode"] == "Closed"  # v3
    invite = admin.api.post("/account/invite", {"max_uses": 2})["invite"]
    assert invite["uses_count"] == 0 and invite["max_uses"] == 2 and "expires_at" not in invite
    assert sign_up(v4) == (400, "missing_invite_token")
    assert sign_up(v4, "not-a-token") == (400, "invalid_invite_token")
    for _ in range(2):
        status, jwt = sign_up(v4, invite["token"])
        assert status == 200 and jwt
    assert sign_up(v4, invite["token"]) == (400, "invalid_invite_token")  # used up
    listed = admin.api.get("/account/invite/list")["items"]
    assert [(i["id"], i["uses_count"]) for i in listed] == [(invite["id"], 2)]
    admin.api.put("/site", {"registration_mode": "open"})
    assert sign_up(v4)[0] == 200  # an open site asks for none


def test_invitations_expire_and_are_revoked_by_their_maker(server, v4, join):
    admin = V4Member(v4, make_admin(server).name)
    member = join()
    admin.api.put("/site", {"registration_mode": "require_invitation"})
    soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    short = member.api.post("/account/invite", {"expires_at": soon})["invite"]
    assert short["expires_at"] and "max_uses" not in short
    lasting = member.api.post("/account/invite", {})["invite"]
    assert [i["id"] for i in member.api.get("/account/invite/list")["items"]] == [lasting["id"], short["id"]]
    assert admin.api.get("/account/invite/list")["items"] == []
    assert admin.api.error("DELETE", "/account/invite", {"token": lasting["token"]}) == (400, "invalid_invite_token")
    assert member.api.request("DELETE", "/account/invite", {"token": lasting["token"]}).json() == {"success": True}
    assert sign_up(v4, lasting["token"]) == (400, "invalid_invite_token")
    assert sign_up(v4, short["token"])[0] == 200  # no limit of uses until it ends
    time.sleep(2.5)
    assert sign_up(v4, short["token"]) == (400, "invalid_invite_token")


def test_bad_invitations_are_refused(v4, join):
    member = join()
    assert member.api.error("POST", "/account/invite", {"max_uses": 0})[0] == 400
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert member.api.error("POST", "/account/invite", {"expires_at": past})[0] == 400
    assert member.api.error("POST", "/account/invite", {"expires_at": "tomorrow"})[0] == 400
    assert v4.error("POST", "/account/invite", {}) == (401, "incorrect_login")
    assert v4.error("GET", "/account/invite/list") == (401, "incorrect_login")


def test_the_web_signup_asks_for_an_invitation(server, v4):
    admin = V4Member(v4, make_admin(server).name)
    admin.api.put("/site", {"registration_mode": "require_invitation"})
    invite = admin.api.post("/account/invite", {"max_uses": 1})["invite"]
    visitor = Visitor(server.base_url)
    assert 'name="invite_token"' in visitor.get("/signup").text
    fields = {"username": unique_name(), "password": PASSWORD, "password_verify": PASSWORD}
    refused = visitor.submit("/signup", fields, page="/signup")
    assert refused.status_code == 400 and "by invitation: please give yours" in refused.text
    refused = visitor.submit("/signup", {**fields, "invite_token": "nope"}, page="/signup")
    assert refused.status_code == 400 and "unknown, used up, expired or revoked" in refused.text
    joined = visitor.submit("/signup", {**fields, "invite_token": invite["token"]}, page="/signup")
    assert joined.status_code in (200, 303)
    assert admin.api.get("/account/invite/list")["items"][0]["uses_count"] == 1
