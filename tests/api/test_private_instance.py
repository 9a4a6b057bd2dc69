"""A private instance answers no one but its members. Every GET route of the app, listed from its router (so a
route added later is checked too), refuses an anonymous reader: the API, RSS and images with 401
instance_is_private, ActivityPub and WebFinger with 403 (a signature opens nothing: a private instance does not
federate), web pages with a redirect to the login page; only what logging in needs stays open. Its members read as
before. And the admin cannot make a federating instance private."""

from __future__ import annotations

import asyncio
import io
import re
from dataclasses import dataclass
from types import SimpleNamespace

import httpx
import pytest
from fastapi.routing import APIRoute
from PIL import Image

from agora.db.engine import open_database
from agora.domain import site_settings
from agora.federation import signatures
from agora.federation.routes import ActivityPubRoute
from agora.web.routing import WebRoute
from tests.conftest import LiveServer
from tests.federation.peer import Peer
from tests.support.admin import make_admin
from tests.support.client import PASSWORD, Api, Member
from tests.support.web import Visitor

AP = "application/activity+json"
# What an app or a browser needs before it has a login (Lemmy's open routes of a private instance), the static
# files of the login page, the API's documentation (the same on every instance), NodeInfo, and the two feeds
# and the image deletion whose token is their login.
OPEN = frozenset(
    {
        "/api/v3/site",
        "/api/v3/user/get_captcha",
        "/api/v3/user/validate_auth",
        "/api/v4/site",
        "/api/v4/account/auth/get_captcha",
        "/api/v4/account/validate_auth",
        "/login",
        "/signup",
        "/static/{name}",
        "/api/v3/docs",
        "/static/swagger-ui/{name}",
        "/.well-known/nodeinfo",
        "/nodeinfo/2.0",
        "/nodeinfo/2.0.json",
        "/nodeinfo/2.1",
        "/version",
        "/feeds/front/{token}.xml",
        "/feeds/inbox/{token}.xml",
        "/pictrs/image/delete/{token}/{name}",
    }
)
MACHINES = ("/api/", "/feeds/", "/pictrs/")


@dataclass
class Private:
    server: LiveServer
    admin: Member
    member: Member
    values: dict[str, object]  # a real value for each path parameter


@pytest.fixture(scope="module")
def private(server_factory_module) -> Private:
    server = server_factory_module()
    admin = make_admin(server)
    member = server.api().register("shared")
    community = member.community("shared")["community"]
    post = member.post(community["id"])["post"]
    comment = member.comment(post["id"])["comment"]
    admin.api.put("/site", {"federation_enabled": False, "private_instance": True})
    values = {
        "name": "shared",
        "post_id": post["id"],
        "comment_id": comment["id"],
        "community_id": community["id"],
        "recipient_id": admin.person_id,
        "application_id": 1,
        "message_id": 1,
        "token": "not-a-token",
        "kind": "create",
        "activity_id": "1",
    }
    return Private(server, admin, member, values)


@dataclass(frozen=True)
class Route:
    path: str  # as mounted
    route: APIRoute


def _get_routes(server: LiveServer) -> list[Route]:
    """Every GET route of the app, through the routers it includes (FastAPI mounts them as they are)."""

    def walk(routes, prefix: str):
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(route, APIRoute) and "GET" in (route.methods or ()):
                yield Route(prefix + route.path, route)

    return list(walk(server.app.routes, ""))


def _request(p: Private, mounted: Route, token: str | None) -> httpx.Response:
    route = mounted.route
    path = re.sub(r"\{(\w+)\}", lambda m: str(p.values[m.group(1)]), mounted.path)
    if mounted.path == "/static/{name}":
        path = "/static/agora.css"
    if mounted.path == "/static/swagger-ui/{name}":
        path = "/static/swagger-ui/swagger-ui.css"
    headers = {
        "Accept": AP
        if isinstance(route, ActivityPubRoute)
        else "text/html"
        if isinstance(route, WebRoute)
        else "application/json"
    }
    cookies = {}
    if token and isinstance(route, WebRoute):
        cookies["jwt"] = token
    elif token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.get(f"{p.server.base_url}{path}", headers=headers, cookies=cookies, timeout=30)


def _refused(mounted: Route, response: httpx.Response) -> bool:
    if isinstance(mounted.route, WebRoute) and not mounted.path.startswith(MACHINES):
        return response.status_code == 303 and response.headers["location"].startswith("/login")
    server = isinstance(mounted.route, ActivityPubRoute) or mounted.path.startswith("/.well-known/")
    status = 403 if server else 401
    return response.status_code == status and response.json().get("error") == "instance_is_private"


def _said_private(response: httpx.Response) -> bool:
    login = response.status_code == 303 and response.headers.get("location", "").startswith("/login")
    return login or "instance_is_private" in response.text


def test_every_route_refuses_an_anonymous_reader_but_the_open_ones(private):
    routes = _get_routes(private.server)
    assert len(routes) > 60 and {r.path for r in routes} >= OPEN
    wrong = []
    for route in routes:
        response = _request(private, route, None)
        if route.path in OPEN:
            if _said_private(response) or response.status_code >= 500:
                wrong.append(f"open {route.path} answered {response.status_code} {response.text[:80]}")
        elif not _refused(route, response):
            wrong.append(f"{route.path} answered {response.status_code} {response.text[:80]}")
    assert not wrong, "\n".join(wrong)


def test_members_read_every_route_of_a_private_instance(private):
    wrong = []
    for route in _get_routes(private.server):
        response = _request(private, route, private.member.token)
        if _said_private(response) or response.status_code >= 500:
            wrong.append(f"{route.path} answered {response.status_code} {response.text[:80]}")
    assert not wrong, "\n".join(wrong)
    assert "shared" in Visitor(private.server.base_url).log_in(private.member.name).get("/c/shared").text


def test_a_signature_opens_nothing_on_a_private_instance(private):
    peer = Peer().start()
    try:
        actor = peer.person("reader")["id"]
        for path in ("/c/shared", "/c/shared/outbox", f"/post/{private.values['post_id']}", "/u/shared", "/"):
            url = f"{private.server.base_url}{path}"
            signed = signatures.sign_headers("GET", url, None, f"{actor}#main-key", peer.private_key)
            response = httpx.get(url, headers={"Accept": AP, **signed}, timeout=30)
            assert (response.status_code, response.json()["error"]) == (403, "instance_is_private"), path
        follow = {
            "id": peer.url("/activities/follow/1"),
            "type": "Follow",
            "actor": actor,
            "object": f"{private.server.base_url}/c/shared",
        }
        assert peer.send(f"{private.server.base_url}/inbox", follow).status_code == 403
    finally:
        peer.stop()


def test_feeds_of_a_private_instance_are_for_their_token_owner(private):
    base = private.server.base_url
    private.member.api.post("/community/follow", {"community_id": private.values["community_id"], "follow": True})
    assert httpx.get(f"{base}/feeds/all.xml").status_code == 401
    assert httpx.get(f"{base}/feeds/c/shared.xml").status_code == 401
    front = httpx.get(f"{base}/feeds/front/{private.member.token}.xml")
    assert front.status_code == 200 and "A post title" in front.text
    assert httpx.get(f"{base}/feeds/front/{private.member.token}x.xml").status_code == 401


def test_images_of_a_private_instance_are_for_members(private):
    base = private.server.base_url
    png = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 10)).save(png, "PNG")
    uploaded = httpx.post(
        f"{base}/pictrs/image",
        files={"images[]": ("a.png", png.getvalue(), "image/png")},
        cookies={"jwt": private.member.token},
        timeout=30,
    )
    name = uploaded.json()["files"][0]["file"]
    anonymous = httpx.get(f"{base}/pictrs/image/{name}")
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "instance_is_private")
    seen = httpx.get(f"{base}/pictrs/image/{name}", cookies={"jwt": private.member.token})
    assert seen.status_code == 200 and seen.headers["cache-control"].startswith("private")


def test_a_private_instance_answers_anonymous_api_reads_with_lemmys_code(private):
    anonymous = Api(private.server.base_url)
    for path in ("/post/list", "/comment/list", "/community/list", "/search", "/modlog", "/federated_instances"):
        assert anonymous.error("GET", path, q="post") == (401, "instance_is_private"), path
    assert anonymous.get("/site")["site_view"]["local_site"]["private_instance"] is True


def test_a_v4_app_logs_in_to_a_private_instance_and_reads(private):
    v4 = Api(private.server.base_url, prefix="/api/v4")
    assert v4.error("GET", "/post/list") == (401, "instance_is_private")
    assert v4.get("/site")["site_view"]["local_site"]["private_instance"] is True
    name = private.member.name
    token = v4.post("/account/auth/login", {"username_or_email": name, "password": PASSWORD})["jwt"]
    assert "items" in v4.as_(token).get("/post/list")


def test_a_federating_instance_cannot_be_made_private(server):
    admin = make_admin(server)
    refused = admin.api.error("PUT", "/site", {"private_instance": True})
    assert refused == (400, "cant_enable_private_instance_and_federation_together")
    assert admin.api.get("/site")["site_view"]["local_site"]["private_instance"] is False
    admin.api.put("/site", {"private_instance": True, "federation_enabled": False})
    assert admin.api.error("PUT", "/site", {"federation_enabled": True})[1] == (
        "cant_enable_private_instance_and_federation_together"
    )
    admin.api.put("/site", {"name": "Still private"})  # an edit that touches neither passes
    page = Visitor(server.base_url).log_in(admin.name)
    fields = {
        "name": "Still private",
        "private_instance": "on",
        "federation_enabled": "on",
        "registration_mode": "Open",
        "captcha_difficulty": "medium",
    }
    answer = page.submit("/admin", fields, page="/admin")
    assert answer.status_code == 400 and "federat" in answer.text.lower()
    local_site = admin.api.get("/site")["site_view"]["local_site"]
    assert (local_site["private_instance"], local_site["federation_enabled"]) == (True, False)


async def _made_private_elsewhere(server: LiveServer, admin: Member) -> None:
    """The admin's edit as another process on the same database makes it: this server sees no write of its own."""
    database = open_database(server.settings)
    try:
        async with database.write() as session:
            acting = SimpleNamespace(person_id=admin.person_id, local_user_id=0, admin=True)
            changes = {"private_instance": True, "federation_enabled": False}
            await site_settings.edit(session, server.state.here, acting, changes)
    finally:
        await database.dispose()


def test_no_cached_anonymous_answer_outlives_the_instance_turning_private(server_factory):
    server = server_factory(anonymous_cache_seconds=60)
    admin = make_admin(server)
    admin.post(admin.community()["community"]["id"], "kept for a minute")
    anonymous = Api(server.base_url)
    assert anonymous.get("/post/list")["posts"]  # now in this process's anonymous read cache
    asyncio.run(_made_private_elsewhere(server, admin))
    server.state.site_cache.invalidate()  # as its five seconds would run out
    assert anonymous.error("GET", "/post/list") == (401, "instance_is_private")
    assert admin.api.get("/post/list")["posts"]
