"""Agora's keyword filters: GET and PUT the member's list of words to keep out of their post listings."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field
from starlette.responses import Response

from agora.api.v3.shapes.base import Form, Shape
from agora.deps import MESSAGE, Member, ReadDb, WriteDb
from agora.domain import keyword_filters
from agora.queries import keyword_filters as keyword_queries
from agora.responses import json_response

router = APIRouter(tags=["agora"])
DESCRIPTION = (
    "Agora's own route, not in Lemmy. Posts whose title or body contains one of these words (case-insensitive, "
    "anywhere in the text) are left out of the member's post listings and search results."
)


class KeywordFilters(Form):
    keywords: list[str] = Field(max_length=keyword_filters.KEYWORDS_MAX)


class KeywordFiltersResponse(Shape):
    keywords: list[str]


@router.get("/agora/keyword_filter", response_model=KeywordFiltersResponse, description=DESCRIPTION)
async def get_keyword_filters(member: Member, db: ReadDb) -> Response:
    return json_response({"keywords": await keyword_queries.keywords(db, member.local_user_id)})


@router.put(
    "/agora/keyword_filter",
    response_model=KeywordFiltersResponse,
    description=DESCRIPTION + " PUT replaces the whole list.",
    dependencies=[MESSAGE],
)
async def set_keyword_filters(form: KeywordFilters, member: Member, db: WriteDb) -> Response:
    return json_response({"keywords": await keyword_filters.replace(db, member, form.keywords)})
