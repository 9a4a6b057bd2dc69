from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class Shape(BaseModel):
    """A response type: extra keys are allowed, so a field Agora adds never breaks a schema check."""

    model_config = ConfigDict(extra="allow")


class Form(BaseModel):
    """A request body or query: unknown fields ignored, as Lemmy 1.0 ignores them."""

    model_config = ConfigDict(extra="ignore")


Id = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Limit = Annotated[int, Field(ge=1, le=50)]


def present(row: dict[str, Any], renames: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The fields of a row under Lemmy 1.0's names (`(v4 name, row column)` pairs); absent (None) ones left out."""
    out: dict[str, Any] = {}
    for name, column in renames:
        value = row.get(column)
        if value is not None:
            out[name] = value
    return out


class SuccessResponse(Shape):
    success: bool
