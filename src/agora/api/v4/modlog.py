"""GET /modlog: every moderation action, newest first, keyset-paged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.shapes.modlog import FROM_KIND, GetModlog, PagedModlog, modlog_view_json
from agora.deps import MESSAGE, ReadDb, Reader, SiteSettings
from agora.errors import AgoraError, Code
from agora.queries import modlog as modlog_queries
from agora.responses import json_response

router = APIRouter(tags=["v4: moderation"])


@router.get("/modlog", response_model=PagedModlog, dependencies=[MESSAGE])
async def get_modlog(params: Annotated[GetModlog, Query()], viewer: Reader, db: ReadDb, site: SiteSettings) -> Response:
    limit = paging.limit_of(params.limit)
    cursor = paging.read_cursor(params.page_cursor)
    kind = None
    if params.type_ and params.type_ != "all":
        if params.type_ not in FROM_KIND:
            raise AgoraError(Code.invalid_body_field, f"unknown modlog kind {params.type_}")
        kind = FROM_KIND[params.type_]
    hide = await modlog_queries.hides_mod_names(db, site, viewer, params.community_id)
    back = paging.going_back(cursor)
    f = params.filter(kind, limit=limit, cursor_id=paging.keyset_id(cursor), page_back=back)
    items = await modlog_queries.list_entries(db, viewer, f, hide_mod_names=hide)
    return json_response(paging.keyset_views(items, modlog_view_json, lambda item: item.entry["id"], limit, cursor))
