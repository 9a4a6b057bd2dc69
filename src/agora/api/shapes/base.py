"""The base classes of every shape, and the 32-bit id both faces take."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Shape(BaseModel):
    """A response shape; extra keys are tolerated so newer fields never break an older schema check."""

    model_config = ConfigDict(extra="allow")


class Form(BaseModel):
    """A request body or query: unknown fields are ignored (Lemmy ignores them too); null means absent."""

    model_config = ConfigDict(extra="ignore")


# Lemmy's ids are 32-bit; a larger number is refused as a bad request before it reaches the database.
Id = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


class SuccessResponse(Shape):
    success: bool
