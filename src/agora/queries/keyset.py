"""Keyset paging for any listing ordered by a few columns: the rows after (or before) a cursor row.

A listing ordered by `(k1 desc, k2 asc, id asc)` continues after the row whose values were `(v1, v2, v3)` with
`k1 < v1 OR (k1 = v1 AND k2 > v2) OR (k1 = v1 AND k2 = v2 AND id > v3)`: the page starts where the last one
ended, however many rows were added before it meanwhile, and a deep page costs what the first one does. The
directions may be mixed (a post's comments put distinguished ones first, then any sort), so the row comparison
`(k1, k2, id) < (…)` is spelt out. Back pages reverse the order, take the page, and are turned around by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, or_

OrderKey = tuple[Any, bool]  # a column and whether it is ordered descending


def order_by(keys: Sequence[OrderKey]) -> list[ColumnElement[Any]]:
    return [column.desc() if descending else column.asc() for column, descending in keys]


def reversed_keys(keys: Sequence[OrderKey]) -> list[OrderKey]:
    return [(column, not descending) for column, descending in keys]


def beyond(keys: Sequence[OrderKey], prefix: str) -> ColumnElement[bool]:
    """The rows that come after the cursor in the order of `keys`; the cursor row's values are the bound
    parameters `{prefix}0`, `{prefix}1` … (see `cursor_values`)."""
    params = [bindparam(f"{prefix}{i}", type_=column.type) for i, (column, _) in enumerate(keys)]
    terms = []
    for i, (column, descending) in enumerate(keys):
        past = column < params[i] if descending else column > params[i]
        terms.append(and_(*(keys[j][0] == params[j] for j in range(i)), past))
    return or_(*terms)


def cursor_values(prefix: str, row: Sequence[Any]) -> dict[str, Any]:
    """The parameters of `beyond` for the cursor row's values of the keys, in order."""
    return {f"{prefix}{i}": value for i, value in enumerate(row)}
