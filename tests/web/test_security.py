"""CSRF tokens on every web form, the session cookie's flags, and the security headers of every page."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from tests.support.client import PASSWORD
from tests.support.web import Visitor, make_admin, page_problems

CSRF_REFUSAL = "This form has expired or was sent from another site"


def routes_of(routes):
    """Every route the app serves, through FastAPI's included routers."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from routes_of(route.original_router.routes)
        elif isinstance(route, APIRoute):
            yield route


def web_post_routes(app) -> list[str]:
    return sorted(
        route.path
        for route in routes_of(app.routes)
        if route.endpoint.__module__.startswith("agora.web") and "POST" in route.methods
    )


@pytest.fixture
def world(server, api):
    admin = make_admin(server)
    bob = api.register()
    community = admin.community()
    post = bob.post(community["community"]["id"], "Bob's post")
    return {"admin": admin, "bob": bob, "community": community, "post": post}


def test_every_web_form_refuses_a_post_without_its_token(server, world):
    routes = web_post_routes(server.app)
    assert len(routes) >= 30 and "/login" in routes and "/post/{post_id}/vote" in routes
    visitor = Visitor(server.base_url).log_in(world["admin"].name)
    for path in routes:
        concrete = re.sub(r"\{[a-z_]+_id\}", "1", path).replace("{name}", world["community"]["community"]["name"])
        response = visitor.http.post(concrete, data={"score": "1", "follow": "1", "content": "x"})
        assert response.status_code == 403, (path, response.status_code)
        assert CSRF_REFUSAL in response.text, path


def test_a_refused_form_changes_nothing_and_the_same_form_with_its_token_does(server, world):
    post_id = world["post"]["post"]["id"]
    visitor = Visitor(server.base_url).log_in(world["bob"].name)
    page = f"/post/{post_id}"
    assert visitor.submit(f"/post/{post_id}/vote", {"score": "-1"}, token="0" * 64).status_code == 403
    assert world["bob"].api.get("/post", id=post_id)["post_view"]["counts"]["score"] == 1
    assert visitor.submit(f"/post/{post_id}/vote", {"score": "-1"}, page=page).status_code == 303
    assert world["bob"].api.get("/post", id=post_id)["post_view"]["counts"]["score"] == -1


def test_a_token_from_another_browser_or_another_origin_is_refused(server, world):
    post_id = world["post"]["post"]["id"]
    mallory = Visitor(server.base_url)
    stolen = mallory.token()
    bob = Visitor(server.base_url).log_in(world["bob"].name)
    assert bob.submit(f"/post/{post_id}/vote", {"score": "-1"}, token=stolen).status_code == 403
    # A token issued before login does not survive it: it is bound to the login session.
    before = Visitor(server.base_url)
    early = before.token()
    before.log_in(world["bob"].name)
    assert before.submit(f"/post/{post_id}/vote", {"score": "-1"}, token=early).status_code == 403
    cross = bob.submit(f"/post/{post_id}/vote", {"score": "-1"}, page="/", headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    assert world["bob"].api.get("/post", id=post_id)["post_view"]["counts"]["score"] == 1


def test_login_sets_an_httponly_samesite_lax_session_cookie_and_logout_ends_the_session(server, world):
    visitor = Visitor(server.base_url)
    form = visitor.get("/login")
    nonce = form.headers["set-cookie"].lower()
    assert nonce.startswith("agora_csrf=") and "httponly" in nonce and "samesite=lax" in nonce
    token = re.search(r'name="csrf_token" value="(\w+)"', form.text).group(1)
    fields = {"username_or_email": world["bob"].name, "password": PASSWORD}
    response = visitor.submit("/login", fields, token=token)
    cookies = {c.split("=", 1)[0]: c.lower() for c in response.headers.get_list("set-cookie")}
    assert "httponly" in cookies["jwt"] and "samesite=lax" in cookies["jwt"] and "path=/" in cookies["jwt"]
    token = visitor.http.cookies["jwt"]
    assert world["bob"].api.as_(token).get("/site")["my_user"]["local_user_view"]["person"]["name"] == world["bob"].name
    assert visitor.submit("/logout", page="/").status_code == 303
    assert world["bob"].api.as_(token).get("/site").get("my_user") is None


def test_pages_carry_security_headers_and_no_inline_script(server, world):
    visitor = Visitor(server.base_url)
    name = world["community"]["community"]["name"]
    post_id = world["post"]["post"]["id"]
    for path in ("/", f"/c/{name}", f"/post/{post_id}", "/login", "/signup", "/post/999999", "/search?q=bob"):
        response = visitor.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        policy = response.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", path
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["x-frame-options"] == "DENY"
        assert page_problems(response.text) == [], path
    static = visitor.get(re.search(r'src="(/static/agora\.js\?v=\w+)"', visitor.get("/").text).group(1))
    assert static.status_code == 200 and static.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in static.headers["cache-control"]
