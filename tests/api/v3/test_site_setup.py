"""First run, as Lemmy 0.19 does it: until the site is set up, whoever registers is its admin; saving the site
(POST /site) or `agora admin create` sets it up, and from then on registrations make members."""

from __future__ import annotations

import asyncio

from agora.domain.admins import create_admin
from tests.support.client import PASSWORD, Api


def _me(member) -> dict:
    return member.api.get("/site")["my_user"]["local_user_view"]


def test_the_first_to_register_sets_the_site_up_and_the_next_is_a_member(server_factory):
    server = server_factory(set_up=False)
    api = Api(server.base_url)
    assert api.get("/site")["site_view"]["local_site"]["site_setup"] is False
    first = api.register("founder")
    assert first.token and _me(first)["local_user"]["admin"] is True
    first.api.post(
        "/site", {"name": "Comradeship", "registration_mode": "RequireApplication", "application_question": "Why?"}
    )
    assert api.get("/site")["site_view"]["local_site"]["site_setup"] is True
    assert first.api.error("POST", "/site", {"name": "Again"})[1] == "site_already_exists"
    body = {"username": "second", "password": PASSWORD, "password_verify": PASSWORD}
    assert api.error("POST", "/user/register", body)[1] == "registration_application_answer_required"
    answered = api.post("/user/register", {**body, "answer": "I read the rules"})
    assert answered.get("jwt") is None and answered["registration_created"] is True  # a member, waiting for approval


def test_an_admin_made_from_the_command_line_sets_the_site_up(server_factory):
    server = server_factory(set_up=False)
    asyncio.run(create_admin(server.settings, name="operator", password=PASSWORD, email=None))
    server.state.site_cache.invalidate()
    api = Api(server.base_url)
    assert api.get("/site")["site_view"]["local_site"]["site_setup"] is True
    member = api.register("first_member")
    assert _me(member)["local_user"]["admin"] is False
    operator = api.login("operator")
    assert _me(operator)["local_user"]["admin"] is True
