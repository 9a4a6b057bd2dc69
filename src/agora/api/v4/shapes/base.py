from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from agora.api.shapes.base import Form as Form
from agora.api.shapes.base import Id as Id
from agora.api.shapes.base import Shape as Shape
from agora.api.shapes.base import SuccessResponse as SuccessResponse

Limit = Annotated[int, Field(ge=1, le=50)]


def present(row: dict[str, Any], renames: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The fields of a row under Lemmy 1.0's names (`(v4 name, row column)` pairs); absent (None) ones left out."""
    out: dict[str, Any] = {}
    for name, column in renames:
        value = row.get(column)
        if value is not None:
            out[name] = value
    return out
