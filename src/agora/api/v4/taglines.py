"""/admin/tagline: admins add, edit and delete the site's taglines one at a time; anyone lists them, paged."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.shapes.base import Form, Id, Limit, Shape, SuccessResponse, present
from agora.deps import MESSAGE, Admin, Here, ReadDb, WriteDb
from agora.domain import taglines
from agora.queries import site as site_queries
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: admin"])
_FIELDS = (("id", "id"), ("content", "content"), ("published_at", "published"), ("updated_at", "updated"))


class CreateTagline(Form):
    content: str = Field(max_length=100_000)


class EditTagline(CreateTagline):
    id: Id


class DeleteTagline(Form):
    id: Id


class ListTaglines(Form):
    page_cursor: str | None = Field(None, max_length=40)
    limit: Limit | None = None


class TaglineResponse(Shape):
    tagline: dict[str, Any]


def _tagline_response(tagline: Any) -> Response:
    """`tagline`: the row a domain write answers."""
    row = {"id": tagline.id, "content": tagline.content, "published": tagline.published, "updated": tagline.updated}
    return json_response({"tagline": present(row, _FIELDS)})


@router.post("/admin/tagline", response_model=TaglineResponse, dependencies=[MESSAGE])
async def create_tagline(form: CreateTagline, admin: Admin, db: WriteDb, here: Here) -> Response:
    return _tagline_response(await taglines.create(db, here, admin, form.content))


@router.put("/admin/tagline", response_model=TaglineResponse, dependencies=[MESSAGE])
async def edit_tagline(form: EditTagline, admin: Admin, db: WriteDb, here: Here) -> Response:
    return _tagline_response(await taglines.edit(db, here, admin, form.id, form.content))


@router.delete("/admin/tagline", response_model=SuccessResponse, dependencies=[MESSAGE])
async def delete_tagline(form: DeleteTagline, admin: Admin, db: WriteDb, here: Here) -> Response:
    await taglines.remove(db, here, admin, form.id)
    return json_response(SUCCESS)


@router.get("/admin/tagline/list", dependencies=[MESSAGE])
async def list_taglines(params: Annotated[ListTaglines, Query()], db: ReadDb, here: Here) -> Response:
    limit = paging.limit_of(params.limit)
    page = paging.offset_page(params.page_cursor)
    found = await site_queries.taglines(db, here, page=page, limit=limit)
    return json_response(paging.offset_paged([present(t, _FIELDS) for t in found], page, limit))
