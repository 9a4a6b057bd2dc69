"""`one_of(column, name)`: the column is one of a list of integers passed as a single parameter.

`column.in_([...])` renders one placeholder per element, so the SQL text changes with the list's length and a
statement cannot be compiled once (db.prepared). This passes the whole list as one value instead: an int array
on PostgreSQL (`= ANY($1::INTEGER[])`), a JSON array on SQLite (`IN (SELECT value FROM json_each(?))`).
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Boolean, ColumnElement, Integer, String, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine


class IdList(TypeDecorator[list[int]]):
    """A list of ints as one bound value."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(Integer))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return [int(v) for v in value]
        return orjson.dumps([int(v) for v in value]).decode()


class _OneOf(FunctionElement[bool]):
    type = Boolean()
    name = "one_of"
    inherit_cache = True
    # a condition in itself: otherwise SQLite gets `x IN (...) = 1`, which it cannot answer from an index (a post
    # listing by ids scanned every person instead)
    _is_implicitly_boolean = True


class _OneOfFiltered(_OneOf):
    """As `_OneOf`, but SQLite must not look the list up in an index on `column` (`+column`): it cannot see the
    list's length and for a member's 51 communities it fetched half of all posts by community and sorted them
    (180 ms) instead of reading the Hot index in order and keeping the matching rows (0.3 ms)."""

    inherit_cache = True


def one_of(
    column: ColumnElement[Any], name: str, value: Any = None, *, filter_only: bool = False
) -> ColumnElement[bool]:
    """`column` is in the list bound as parameter `name` (given now as `value`, or at execution); `filter_only`
    keeps SQLite from choosing an index on `column` for it."""
    kind = _OneOfFiltered if filter_only else _OneOf
    if value is None:
        return kind(column, bindparam(name, type_=IdList()))
    return kind(column, bindparam(name, list(value), type_=IdList()))


@compiles(_OneOf, "postgresql")
def _one_of_postgresql(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = list(element.clauses)
    return f"{compiler.process(column, **kw)} = ANY({compiler.process(values, **kw)})"


@compiles(_OneOf)
def _one_of_sqlite(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = list(element.clauses)
    target = compiler.process(column, **kw)
    if isinstance(element, _OneOfFiltered):
        target = f"+{target}"
    return f"{target} IN (SELECT value FROM json_each({compiler.process(values, **kw)}))"
