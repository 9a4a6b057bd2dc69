from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from agora.api.shapes.base import Form as Form
from agora.api.shapes.base import Id as Id
from agora.api.shapes.base import Shape as Shape


def pick(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The Lemmy object for a row: listed fields only, None ones left out."""
    get = row.get
    return {name: value for name in fields if (value := get(name)) is not None}


def positions(fields: tuple[str, ...], columns: tuple[str, ...], at: int) -> tuple[tuple[str, int], ...]:
    """Where each of `fields` is in a row whose `columns` start at `at`: a plan for `pick_at`."""
    return tuple((name, at + columns.index(name)) for name in fields)


def pick_at(values: Sequence[Any], plan: tuple[tuple[str, int], ...]) -> dict[str, Any]:
    """`pick` straight from a row's values, by the positions of `positions`."""
    return {name: value for name, i in plan if (value := values[i]) is not None}


Timestamp = datetime
Count = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


class Paging(Form):
    """A listing request's page (from 1) and page size; the listing's own fields follow."""

    page: Count | None = None
    limit: Count | None = None


class CommunityListing(Paging):
    """A listing that may be narrowed to one community, by id or by name (`lookups.listed_community_id`)."""

    community_id: Id | None = None
    community_name: str | None = Field(None, max_length=512)


class MarkedOnly(Form):
    """A listing of posts or comments narrowed to those the viewer saved, upvoted or downvoted."""

    saved_only: bool | None = None
    liked_only: bool | None = None
    disliked_only: bool | None = None
