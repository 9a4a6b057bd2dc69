"""Listings of people in 1.0's names: /person/list for anyone, /admin/users for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.shapes.lists import AdminListUsers, ListPersons, PagedLocalUsers, PagedPersons
from agora.api.v4.shapes.site import local_user_view_json
from agora.api.v4.shapes.views import person_view_json
from agora.deps import MESSAGE, Admin, ReadDb, Reader
from agora.queries import person_lists
from agora.responses import json_response

router = APIRouter(tags=["v4: person"])


def _page(page_cursor: str | None, limit: int | None) -> tuple[person_lists.Page, paging.Cursor | None]:
    cursor = paging.read_cursor(page_cursor)
    back = paging.going_back(cursor)
    return person_lists.Page(paging.limit_of(limit), paging.keyset_id(cursor), back), cursor


@router.get("/person/list", response_model=PagedPersons, dependencies=[MESSAGE])
async def list_persons(params: Annotated[ListPersons, Query()], db: ReadDb, viewer: Reader) -> Response:
    """People this server knows, local and remote (`type_=local`: local ones), newest first by default."""
    page, cursor = _page(params.page_cursor, params.limit)
    found = await person_lists.list_persons(
        db,
        person_lists.PersonFilter(
            sort=params.sort or "new",
            local_only=params.type_ == "local",
            search_term=params.search_term,
            search_title_only=bool(params.search_title_only),
            community_id=params.community_id,
        ),
        page,
    )
    return json_response(
        paging.keyset_views(found, person_view_json, lambda view: view.person["id"], page.limit, cursor)
    )


@router.get("/admin/users", response_model=PagedLocalUsers, dependencies=[MESSAGE])
async def admin_list_users(params: Annotated[AdminListUsers, Query()], admin: Admin, db: ReadDb) -> Response:
    """Local users with their settings, for admins; `banned_only`: those banned from the site now."""
    page, cursor = _page(params.page_cursor, params.limit)
    found = await person_lists.list_local_users(
        db, banned_only=bool(params.banned_only), old=params.sort == "old", page=page
    )
    return json_response(
        paging.keyset_views(found, local_user_view_json, lambda view: view.person["id"], page.limit, cursor)
    )
