"""Pages both faces read alike and draw in their own shapes: the handlers of GET /post and GET /community.

The request and the lookup are the same in 0.19 and 1.0; what differs is the answer (1.0 adds tags, `can_mod` and
notification modes), so each face passes the function that draws the page found. Each face declares the route
where its own routes stand, with its model, and keeps the handler under its usual name (api.hot_reads calls 0.19's).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.shapes.posts import GetPost
from agora.deps import Here, ReadDb, Reader, State
from agora.errors import Code
from agora.queries.viewer import Viewer
from agora.queries.views import CommunityItem


class CommunityQuery(Protocol):
    """A face's GetCommunity: the community by id, else by name (each face bounds the name its own way)."""

    id: int | None
    name: str | None


def get_post(
    draw: Callable[[AsyncSession, Viewer | None, lookups.PostPage], Awaitable[Response]], *, no_id: Code
) -> Callable[..., Awaitable[Response]]:
    """GET /post's handler: the post by its id or by one of its comments' (refused with `no_id` when neither is
    given), with its page, drawn by `draw`."""

    async def get_post(params: Annotated[GetPost, Query()], db: ReadDb, viewer: Reader, state: State) -> Response:
        page = await lookups.open_post(db, viewer, state, params.id, params.comment_id, no_id=no_id)
        return await draw(db, viewer, page)

    return get_post


def get_community(
    draw: Callable[[AsyncSession, Viewer | None, CommunityItem], Awaitable[Response]], query: type[BaseModel]
) -> Callable[..., Awaitable[Response]]:
    """GET /community's handler: the community the face's `query` (its GetCommunity) names, fetched when remote,
    drawn by `draw`."""

    async def get_community(
        params: Annotated[CommunityQuery, Query()], db: ReadDb, viewer: Reader, here: Here, state: State
    ) -> Response:
        view = await lookups.community_by_id_or_name(db, viewer, here, state, params.id, params.name)
        return await draw(db, viewer, view)

    get_community.__annotations__["params"] = Annotated[query, Query()]
    return get_community
