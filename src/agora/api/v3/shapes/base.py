from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class Shape(BaseModel):
    """A response shape; extra keys are tolerated so newer fields never break an older schema check."""

    model_config = ConfigDict(extra="allow")


class Form(BaseModel):
    """A request body or query: unknown fields are ignored (Lemmy ignores them too); null means absent."""

    model_config = ConfigDict(extra="ignore")


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
# Lemmy's ids are 32-bit; a larger number is refused as a bad request before it reaches the database.
Id = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Count = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
