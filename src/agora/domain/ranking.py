"""Lemmy's ranking formulas, as pure functions and as SQL expressions over a table's columns.

hot(score, t)        = log10(max(2, score + 2)) / (hours_since(t) + 2) ^ 1.8   for 0 <= age < 7 days, else 0
active               = hot(score, newest_comment_time_necro)
scaled               = hot(score, published) / log10(2 + community users_active_month)
controversy(up, dn)  = (up + dn) ^ (min(up, dn) / max(up, dn))                  0 when either is 0

Ranks are stored on the row and recomputed on a vote and by the scheduled refresh (jobs.ranks), because computing
them in ORDER BY defeats every index (Lemmy's own history: issue #2877).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, bindparam, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

GRAVITY = 1.8
# Comments made later than this after the post do not bump it in the Active sort (Lemmy's "necro" rule).
NECRO_WINDOW = timedelta(days=2)
WINDOW_HOURS = 7 * 24
NEW_RANK = 0.0001


def hot_rank(score: int, published: datetime, now: datetime) -> float:
    hours = (now - published).total_seconds() / 3600
    if hours < 0 or hours >= WINDOW_HOURS:
        return 0.0
    return math.log10(max(2, score + 2)) / math.pow(hours + 2, GRAVITY)


def scaled_rank(score: int, published: datetime, now: datetime, users_active_month: int) -> float:
    return hot_rank(score, published, now) / math.log10(2 + max(0, users_active_month))


def controversy_rank(upvotes: int, downvotes: int) -> float:
    if upvotes <= 0 or downvotes <= 0:
        return 0.0
    return math.pow(upvotes + downvotes, min(upvotes, downvotes) / max(upvotes, downvotes))


def community_hot_rank(subscribers: int, published: datetime, now: datetime) -> float:
    """Lemmy ranks communities like posts, with subscribers as the score and no cut-off for age."""
    hours = max(0.0, (now - published).total_seconds() / 3600)
    return math.log10(max(2, subscribers + 2)) / math.pow(hours + 2, GRAVITY)


# The same formulas as SQL over a table's columns, for the periodic refresh (jobs.ranks), which recomputes
# millions of rows in place instead of reading them out and writing them back.


class _HoursSince(FunctionElement[float]):
    type = Float()
    name = "hours_since"
    inherit_cache = True


@compiles(_HoursSince, "postgresql")
def _hours_pg(element: _HoursSince, compiler: SQLCompiler, **kw: Any) -> str:
    now, then = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({now} - {then}))::double precision / 3600.0)"


@compiles(_HoursSince)
def _hours_sqlite(element: _HoursSince, compiler: SQLCompiler, **kw: Any) -> str:
    now, then = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({now}) - julianday({then})) * 24.0)"


def hours_since(now: datetime, then: ColumnElement[datetime]) -> ColumnElement[float]:
    return _HoursSince(bindparam("rank_now", now, type_=then.type), then)


def hot_rank_sql(score: ColumnElement[int], published: ColumnElement[datetime], now: datetime) -> ColumnElement[float]:
    hours = hours_since(now, published)
    rank = func.log(func.greatest(2, score + 2)) / func.power(hours + 2, GRAVITY)
    return case((and_(hours >= 0, hours < WINDOW_HOURS), rank), else_=literal(0.0))


def scaled_rank_sql(
    score: ColumnElement[int], published: ColumnElement[datetime], now: datetime, users_active_month: ColumnElement[int]
) -> ColumnElement[float]:
    return hot_rank_sql(score, published, now) / func.log(2 + func.greatest(0, users_active_month))


def controversy_rank_sql(upvotes: ColumnElement[int], downvotes: ColumnElement[int]) -> ColumnElement[float]:
    """`controversy_rank` over a table's columns (an import sets it for every row whose votes it copied)."""
    exponent = func.least(upvotes, downvotes) * 1.0 / func.greatest(upvotes, downvotes)
    rank = func.power(upvotes + downvotes, exponent)
    return case((and_(upvotes > 0, downvotes > 0), rank), else_=literal(0.0))
