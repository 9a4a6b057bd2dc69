"""GET routes answered without FastAPI's router and solver: which routes qualify, and that a direct answer keeps
FastAPI's contract (dependency order and caching, a session closed before the response, query validation, the
app's exception handlers). A small app of its own, served through the middleware as create_app serves the API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI, Query, Request
from fastapi.routing import APIRouter
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from agora.api.direct_reads import DirectReads, direct_routes
from agora.api.v3.router import AREAS
from agora.api.v3.router import router as api_v3
from agora.errors import AgoraError, Code

events: list[str] = []


async def session(request: Request) -> AsyncIterator[str]:
    events.append("session opened")
    try:
        yield "session"
    finally:
        events.append("session closed")


async def counted(request: Request) -> int:
    events.append("counted")
    return len(events)


async def request_scoped(request: Request) -> AsyncIterator[str]:
    yield "late"


def in_a_thread(request: Request) -> str:
    return "thread"


async def needs_more(request: Request, other: str) -> str:
    return other


class Paging(BaseModel):
    page: int | None = Field(None, ge=1)
    sort: str | None = None


class Tags(BaseModel):
    tag: list[str] = []


Session = Annotated[str, Depends(session, scope="function")]
Counted = Annotated[int, Depends(counted)]

router = APIRouter()


@router.get("/listing", dependencies=[Depends(counted)])
async def listing(params: Annotated[Paging, Query()], db: Session, first: Counted, again: Counted) -> Response:
    events.append("handler")
    if params.sort == "missing":
        raise AgoraError(Code.couldnt_find_post)
    if params.sort == "broken":
        raise RuntimeError("a bug")
    return JSONResponse({"page": params.page, "sort": params.sort, "db": db, "same": first == again})


@router.get("/item/{item_id}")
async def by_path(item_id: int) -> Response:
    return JSONResponse({"id": item_id})


@router.get("/tags")
async def tags(params: Annotated[Tags, Query()]) -> Response:
    return JSONResponse(params.tag)


@router.get("/threaded")
async def threaded(value: Annotated[str, Depends(in_a_thread)]) -> Response:
    return JSONResponse(value)


@router.get("/late")
async def late(value: Annotated[str, Depends(request_scoped)]) -> Response:
    return JSONResponse(value)


@router.get("/more")
async def more(value: Annotated[str, Depends(needs_more)]) -> Response:
    return JSONResponse(value)


@router.get("/model")
async def model() -> Paging:
    return Paging(page=1)


def _app() -> FastAPI:
    app = FastAPI()
    app.include_router(router, prefix="/x")

    @app.exception_handler(AgoraError)
    async def agora_error(_request: Request, exc: AgoraError) -> Response:
        return JSONResponse({"error": exc.code.value}, status_code=exc.status)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, _exc: Exception) -> Response:
        return JSONResponse({"error": "unknown"}, status_code=500)

    app.add_middleware(DirectReads, routes=direct_routes("/x", [router]))
    return app


@pytest.fixture
def client():
    """GET through the app in-process (httpx's ASGI transport is async: each call runs its own loop)."""
    events.clear()
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)

    def get(path: str, **params) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                return await http.get(path, params=params)

        return asyncio.run(go())

    return get


def test_only_routes_that_need_nothing_but_the_request_are_answered_directly():
    assert set(direct_routes("/x", [router])) == {"/x/listing"}


def test_the_api_hot_reads_are_answered_directly():
    table = direct_routes(api_v3.prefix, [area.router for area in AREAS])
    for path in ("/post/list", "/post", "/comment/list", "/community", "/site", "/user"):
        assert f"/api/v3{path}" in table


def test_a_direct_answer_solves_dependencies_in_order_once_each_and_closes_the_session_first(client):
    answer = client("/x/listing", page="2", sort="Hot")
    assert answer.status_code == 200
    assert answer.json() == {"page": 2, "sort": "Hot", "db": "session", "same": True}
    assert events == ["counted", "session opened", "handler", "session closed"]


def test_a_bad_query_value_is_refused_as_fastapi_refuses_it(client):
    answer = client("/x/listing", page="0")
    assert answer.status_code == 422  # FastAPI's default handler: this app installs no other
    detail = answer.json()["detail"]
    assert detail[0]["loc"] == ["query", "page"]
    assert detail[0]["type"] == "greater_than_equal"
    # FastAPI validates a query model after solving the dependencies, so a dependency's own refusal comes first
    assert events == ["counted", "session opened", "session closed"]


def test_errors_go_to_the_app_handlers_and_the_session_is_closed(client):
    missing = client("/x/listing", sort="missing")
    assert (missing.status_code, missing.json()) == (400, {"error": "couldnt_find_post"})
    assert events[-1] == "session closed"
    broken = client("/x/listing", sort="broken")
    assert (broken.status_code, broken.json()) == (500, {"error": "unknown"})


def test_routes_left_to_fastapi_still_answer(client):
    assert client("/x/item/7").json() == {"id": 7}
    assert client("/x/tags", tag="a").json() == ["a"]
    assert client("/x/threaded").json() == "thread"
    assert client("/x/late").json() == "late"
    assert client("/x/model").json() == {"page": 1, "sort": None}
