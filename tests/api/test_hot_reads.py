"""The API's hot reads (api.hot_reads): which paths take the plain lane, that each still matches its FastAPI route
(handler, parameters, dependencies), and that both lanes answer the same requests alike, refusals included."""

from __future__ import annotations

import inspect
import typing

import httpx
import pytest
from fastapi import params as fastapi_params
from fastapi.routing import APIRoute
from starlette.routing import Match, Route

from agora.api.hot_reads import HOT_READS
from agora.api.v3.router import AREAS
from agora.api.v3.router import router as api_v3
from agora.app import create_app
from agora.config import Settings
from agora.deps import rate_limited

HOT_PATHS = {"/api/v3/post/list", "/api/v3/post", "/api/v3/comment/list", "/api/v3/community", "/api/v3/site"}


def _app(**settings):
    return create_app(Settings(database_url="sqlite+aiosqlite:///unused.db", **settings))


def _get_route(app, path: str):
    """The route that answers GET `path` (the first full match, as Starlette's router picks)."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    return next(route for route in app.router.routes if route.matches(scope)[0] == Match.FULL)


def test_exactly_the_hot_paths_take_the_plain_lane():
    app = _app()
    plain = {
        route.path
        for route in app.router.routes
        if type(route) is Route and route.path.startswith("/api/") and route.include_in_schema is False
    }
    plain -= {app.openapi_url, app.docs_url}  # FastAPI's own document routes
    assert plain == {hot.path for hot in HOT_READS} == HOT_PATHS
    for hot in HOT_READS:
        assert _get_route(app, hot.path).endpoint is hot.endpoint


def _fastapi_route(path: str) -> APIRoute:
    """The API's own GET route at `path`."""
    found = [
        route
        for area in AREAS
        for route in area.router.routes
        if isinstance(route, APIRoute) and api_v3.prefix + route.path == path and "GET" in route.methods
    ]
    assert len(found) == 1, path
    return found[0]


def _query_model_or_same(annotation):
    """`Model` for `Annotated[Model, Query()]` (each Query() is an object of its own), else the annotation."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        if any(isinstance(item, fastapi_params.Query) for item in meta):
            return base
    return annotation


def test_without_the_lane_fastapi_answers_every_path():
    app = _app(hot_reads=False)
    endpoints = {hot.endpoint for hot in HOT_READS}
    for path in HOT_PATHS:
        assert getattr(_get_route(app, path), "endpoint", None) not in endpoints


@pytest.mark.parametrize("hot", HOT_READS, ids=lambda hot: hot.path)
def test_a_hot_read_supplies_what_its_fastapi_route_asks_for(hot):
    """Fails when a hot route's handler, parameters or dependencies change and api.hot_reads was not told."""
    route = _fastapi_route(hot.path)
    assert route.endpoint is hot.handler
    hints = typing.get_type_hints(hot.handler, include_extras=True)
    asked = tuple(_query_model_or_same(hints[name]) for name in inspect.signature(hot.handler).parameters)
    assert asked == hot.supplies
    assert route.dependencies == [rate_limited(hot.bucket)]


@pytest.fixture(scope="module")
def lanes(server_factory_module):
    """Two servers on one database: one with the hot lane, one without; no anonymous cache, so each answers."""
    plain = server_factory_module(anonymous_cache_seconds=0)
    fastapi_only = server_factory_module(
        database_url=plain.settings.database_url,
        hostname=plain.settings.hostname,
        anonymous_cache_seconds=0,
        hot_reads=False,
        set_up=False,
    )
    owner = plain.api().register()
    community = owner.community()["community"]
    post_id = owner.post(community["id"])["post"]["id"]
    comment_id = owner.comment(post_id)["comment"]["id"]
    member = plain.api().register()
    member.api.post("/community/follow", {"community_id": community["id"], "follow": True})
    return plain, fastapi_only, member.token, community, post_id, comment_id


def _requests(community, post_id, comment_id):
    yield "/post/list", {"type_": "All", "sort": "New"}
    yield "/post/list", {"type_": "Subscribed", "limit": 5}
    yield "/post/list", {"community_name": community["name"]}
    yield "/post/list", {"page": 0}
    yield "/post/list", {"limit": "many"}
    yield "/post/list", {"sort": "Sideways"}
    yield "/post/list", {"community_name": "nowhere"}
    yield "/post", {"id": post_id}
    yield "/post", {"comment_id": comment_id}
    yield "/post", {"id": 10**6}
    yield "/post", {"id": "x"}
    yield "/post", {}
    yield "/comment/list", {"post_id": post_id, "max_depth": 8}
    yield "/comment/list", {"post_id": "x"}
    yield "/community", {"id": community["id"]}
    yield "/community", {"name": community["name"]}
    yield "/community", {}
    yield "/community", {"id": -1}
    yield "/site", {}


@pytest.mark.parametrize("who", ["anonymous", "member", "forged"])
def test_both_lanes_answer_alike(lanes, who):
    plain, fastapi_only, token, community, post_id, comment_id = lanes
    token = {"anonymous": None, "member": token, "forged": "not.a.token"}[who]
    for path, params in _requests(community, post_id, comment_id):
        answers = [server.api(token).request("GET", path, **params) for server in (plain, fastapi_only)]
        first, second = answers
        assert first.status_code == second.status_code, (path, params, first.text, second.text)
        if not (who == "member" and path == "/post" and first.status_code == 200):
            # (a member's read of a post marks it read, so the second answer differs by that)
            assert first.json() == second.json(), (path, params)
        assert first.headers["content-type"] == second.headers["content-type"]
        if first.status_code >= 400:
            assert 400 <= first.status_code < 500 and "error" in first.json()


def test_both_lanes_refuse_a_head_alike(lanes):
    for server in lanes[:2]:
        head = httpx.head(f"{server.base_url}/api/v3/post/list")
        assert head.status_code == 405
