"""The API's hottest reads as plain Starlette routes, tried before FastAPI's routes inside the same middleware stack.

Each endpoint below does by hand what FastAPI would do for its route, in FastAPI's order: the route's rate-limit
token, then the handler's dependencies as its signature lists them, then the query model (a refusal is the same
`RequestValidationError`, so the app's handler answers it the same way), and calls that route's own handler.
What it saves is FastAPI's per-request dependency solving and field-by-field query reading (docs/performance.md).

`HOT_READS` is the whole list. Every other route, and the OpenAPI document, is plain FastAPI. A hot read must
keep its FastAPI route's contract: `tests/api/test_hot_reads.py` fails when a hot route's handler, signature or
dependencies change without this module, and compares both lanes' answers. `AGORA_HOT_READS=0` turns the lane off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agora import deps
from agora.api.v3 import comments, communities, posts, site
from agora.api.v3.shapes.base import Form
from agora.api.v3.shapes.comments import GetComments
from agora.api.v3.shapes.communities import GetCommunity
from agora.api.v3.shapes.posts import GetPost, GetPosts

_reading = asynccontextmanager(deps.read_session)


def _query(request: Request, model: type[Form]) -> Any:
    """The query string as `model`, refused as FastAPI refuses a `Query()` model (scalar fields only)."""
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as invalid:
        errors = [{**e, "loc": ("query", *e["loc"])} for e in invalid.errors(include_url=False)]
        raise RequestValidationError(errors) from None


async def _reader(request: Request) -> Any:
    """`deps.Reader`: the viewer, refused on a private instance unless a member."""
    return await deps.content_reader(await deps.optional_viewer(request), await deps.site_settings(request))


async def post_list(request: Request) -> Response:
    await deps.take_token(request, "message")
    async with _reading(request) as db:
        viewer = await _reader(request)
        settings = await deps.site_settings(request)
        return await posts.list_posts(_query(request, GetPosts), db, viewer, request.app.state.agora, settings)


async def post(request: Request) -> Response:
    await deps.take_token(request, "message")
    async with _reading(request) as db:
        viewer = await _reader(request)
        return await posts.get_post(_query(request, GetPost), db, viewer, request.app.state.agora)


async def comment_list(request: Request) -> Response:
    await deps.take_token(request, "message")
    async with _reading(request) as db:
        viewer = await _reader(request)
        return await comments.list_comments(_query(request, GetComments), db, viewer, request.app.state.agora.here)


async def community(request: Request) -> Response:
    await deps.take_token(request, "message")
    async with _reading(request) as db:
        viewer = await _reader(request)
        state = request.app.state.agora
        return await communities.get_community(_query(request, GetCommunity), db, viewer, state.here, state)


async def site_view(request: Request) -> Response:
    await deps.take_token(request, "message")
    async with _reading(request) as db:
        viewer = await deps.optional_viewer(request)
        state = request.app.state.agora
        return await site.get_site(db, viewer, state.here, state)


@dataclass(frozen=True)
class HotRead:
    path: str
    endpoint: Callable[[Request], Awaitable[Response]]
    handler: Callable[..., Awaitable[Response]]  # the FastAPI route's handler, which `endpoint` calls
    # the handler's parameter annotations, in order, as `endpoint` resolves them (a query model: its class)
    supplies: tuple[Any, ...]
    bucket: str = "message"  # the rate-limit token the route spends first


HOT_READS = (
    HotRead(
        "/api/v3/post/list",
        post_list,
        posts.list_posts,
        (GetPosts, deps.ReadDb, deps.Reader, deps.State, deps.SiteSettings),
    ),
    HotRead("/api/v3/post", post, posts.get_post, (GetPost, deps.ReadDb, deps.Reader, deps.State)),
    HotRead(
        "/api/v3/comment/list",
        comment_list,
        comments.list_comments,
        (GetComments, deps.ReadDb, deps.Reader, deps.Here),
    ),
    HotRead(
        "/api/v3/community",
        community,
        communities.get_community,
        (GetCommunity, deps.ReadDb, deps.Reader, deps.Here, deps.State),
    ),
    HotRead("/api/v3/site", site_view, site.get_site, (deps.ReadDb, deps.MaybeViewer, deps.Here, deps.State)),
)


def routes() -> list[Route]:
    """The hot reads as routes, to be placed before every other route of the app."""
    made = []
    for hot in HOT_READS:
        route = Route(hot.path, hot.endpoint, methods=["GET"], include_in_schema=False)
        route.methods = {"GET"}  # as its FastAPI route: Starlette would answer HEAD too
        made.append(route)
    return made
