from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import Field

from agora.api.shapes.base import Form as Form
from agora.api.shapes.base import Id as Id
from agora.api.shapes.base import Shape as Shape
from agora.api.shapes.base import SuccessResponse as SuccessResponse

Limit = Annotated[int, Field(ge=1, le=50)]
# A listing's opaque page cursor, as a listing's answer gives it back (`next_page`, `prev_page`)
PageCursor = Annotated[str | None, Field(max_length=40)]
Item = TypeVar("Item")


class CursorPaging(Form):
    """A listing request's page cursor (from an answer's `next_page` or `prev_page`) and page size."""

    page_cursor: PageCursor = None
    limit: Limit | None = None


class CommunityListing(CursorPaging):
    """A listing that may be narrowed to one community, by id or by name (`lookups.listed_community_id`)."""

    community_id: Id | None = None
    community_name: str | None = Field(None, max_length=255)


class Paged(Shape, Generic[Item]):
    """1.0's paged answer: a page of items and the cursors of the pages either side, absent at an end."""

    items: list[Item]
    next_page: str | None = None
    prev_page: str | None = None


def present(row: dict[str, Any], renames: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The fields of a row under Lemmy 1.0's names (`(v4 name, row column)` pairs); absent (None) ones left out."""
    out: dict[str, Any] = {}
    for name, column in renames:
        value = row.get(column)
        if value is not None:
            out[name] = value
    return out


def upvote_score(is_upvote: bool | None) -> int:
    """1.0's vote (`is_upvote`, absent to take it back) as the score Agora's rule takes."""
    return 0 if is_upvote is None else (1 if is_upvote else -1)
