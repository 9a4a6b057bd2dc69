"""Registration applications: register → pending → approve → login; deny gives the reason."""

import pytest

from tests.support.admin import make_admin
from tests.support.client import PASSWORD


@pytest.fixture
def gated(server, api):
    admin = make_admin(server)
    admin.api.put("/site", {"registration_mode": "RequireApplication", "application_question": "Why join?"})
    return admin


def _apply(api, name, answer="I like the topic"):
    body = {"username": name, "password": PASSWORD, "password_verify": PASSWORD, "answer": answer}
    return api.post("/user/register", body)


def test_application_is_pending_then_approved_and_login_works(gated, api):
    admin = gated
    registered = _apply(api, "hopeful1")
    assert registered.get("jwt") is None and registered["registration_created"] is True
    login = {"username_or_email": "hopeful1", "password": PASSWORD}
    assert api.error("POST", "/user/login", login)[1] == "registration_application_is_pending"
    assert admin.api.get("/admin/registration_application/count")["registration_applications"] == 1
    pending = admin.api.get("/admin/registration_application/list", unread_only=True)["registration_applications"]
    assert [a["creator"]["name"] for a in pending] == ["hopeful1"]
    assert pending[0]["registration_application"]["answer"] == "I like the topic"
    users_before = api.get("/site")["site_view"]["counts"]["users"]
    decided = admin.api.put(
        "/admin/registration_application/approve", {"id": pending[0]["registration_application"]["id"], "approve": True}
    )["registration_application"]
    assert decided["admin"]["id"] == admin.person_id and decided["creator_local_user"]["accepted_application"] is True
    assert api.post("/user/login", login)["jwt"]
    assert api.get("/site")["site_view"]["counts"]["users"] == users_before + 1
    assert admin.api.get("/admin/registration_application/count")["registration_applications"] == 0


def test_denied_application_tells_the_reason(gated, api):
    admin = gated
    _apply(api, "hopeful2")
    app_id = admin.api.get("/admin/registration_application/list")["registration_applications"][0][
        "registration_application"
    ]["id"]
    admin.api.put("/admin/registration_application/approve", {"id": app_id, "approve": False, "deny_reason": "bot"})
    response = api.request("POST", "/user/login", {"username_or_email": "hopeful2", "password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["error"] == "registration_denied" and "bot" in response.text


def test_only_admins_see_and_decide_applications(server, api):
    plain = api.register()
    admin = make_admin(server)
    admin.api.put("/site", {"registration_mode": "RequireApplication", "application_question": "Why join?"})
    _apply(api, "hopeful3")
    app_id = admin.api.get("/admin/registration_application/list")["registration_applications"][0][
        "registration_application"
    ]["id"]
    assert api.error("GET", "/admin/registration_application/list") == (401, "incorrect_login")
    assert plain.api.error("GET", "/admin/registration_application/list")[1] == "not_an_admin"
    assert plain.api.error("GET", "/admin/registration_application/count")[1] == "not_an_admin"
    body = {"id": app_id, "approve": True}
    assert plain.api.error("PUT", "/admin/registration_application/approve", body)[1] == "not_an_admin"
    assert admin.api.error("PUT", "/admin/registration_application/approve", {"id": 999999, "approve": True})[1] == (
        "couldnt_find_registration_application"
    )
