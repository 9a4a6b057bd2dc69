from __future__ import annotations

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


Timestamp = datetime
# Lemmy's ids are 32-bit; a larger number is refused as a bad request before it reaches the database.
Id = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Count = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
