"""Lemmy 1.0's reads that v3 did not have: GET /community/random."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.v4.communities import community_details
from agora.api.v4.shapes.base import Form
from agora.api.v4.shapes.communities import GetCommunityResponse
from agora.api.v4.shapes.enums import ListingType, listing_type
from agora.deps import MESSAGE, ReadDb, Reader
from agora.errors import AgoraError, Code
from agora.queries import communities as community_queries

router = APIRouter(tags=["v4: community"])


class GetRandomCommunity(Form):
    type_: ListingType | None = None
    show_nsfw: bool | None = None


@router.get("/community/random", response_model=GetCommunityResponse, dependencies=[MESSAGE])
async def random_community(params: Annotated[GetRandomCommunity, Query()], db: ReadDb, viewer: Reader) -> Response:
    """One community the listing of `type_` would show, chosen at random."""
    show_nsfw = params.show_nsfw if params.show_nsfw is not None else bool(viewer and viewer.show_nsfw)
    found = await community_queries.list_views(
        db,
        viewer,
        listing_type=listing_type(params.type_) or "All",
        sort="Random",
        show_nsfw=show_nsfw,
        page=1,
        limit=1,
    )
    if not found:
        raise AgoraError(Code.couldnt_find_community)
    return await community_details(db, viewer, found[0])
