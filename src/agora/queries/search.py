"""Full-text search over posts and comments (ranked by relevance), and name search over communities and people.

PostgreSQL matches `websearch_to_tsquery` against the generated `search` columns (GIN-indexed; a title hit weighs
more than a body hit). SQLite matches FTS5 tables with bm25 (title weighted ten to one). Both see only what the
viewer may see, through the same filters as the listings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    SQLColumnExpression,
    Table,
    UnaryExpression,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db import upsert
from agora.db.models import Community, CommunityFollower, Person
from agora.queries import comments as comment_queries
from agora.queries import communities as community_queries
from agora.queries import persons as person_queries
from agora.queries import post_listings, post_views, visibility
from agora.queries.viewer import Viewer
from agora.queries.views import CommentItem, CommunityItem, PersonItem, PostItem

_WORD = re.compile(r"\w+", re.UNICODE)
CHRONOLOGICAL = {"New": True, "Old": False}


@dataclass(slots=True)
class SearchQuery:
    q: str
    listing_type: str = "All"
    sort: str | None = None
    title_only: bool = False
    community_id: int | None = None
    creator_id: int | None = None
    show_nsfw: bool = False
    page: int = 1
    limit: int = 10


def fts5_query(q: str) -> str | None:
    """The words of `q` as an FTS5 query matching all of them; None when there is no word to look for."""
    words = _WORD.findall(q)[:32]
    return " ".join(f'"{w}"' for w in words) if words else None


def _relevance(
    session: AsyncSession, table: Table, q: str, sqlite_weights: str, *, column: str | None = None
) -> tuple[Any, ColumnElement[Any]] | None:
    """(match condition or FTS5 hits to join, relevance: higher is better), or None when `q` has no word.

    `column` restricts the match to one column (post titles only).
    """
    if upsert.dialect_name(session) == "postgresql":
        query = func.websearch_to_tsquery(literal_column("'simple'::regconfig"), q)
        vector: ColumnElement[Any] = literal_column(f"{table.name}.search")
        if column is not None:
            vector = func.to_tsvector(literal_column("'simple'::regconfig"), func.coalesce(table.c[column], ""))
        return vector.op("@@")(query), func.ts_rank(vector, query)
    match = fts5_query(q)
    if match is None:
        return None
    if column is not None:
        match = f"{column} : ({match})"
    fts_table = f"{table.name}_fts"
    statement = (
        f"SELECT rowid AS id, bm25({fts_table}, {sqlite_weights}) AS rank FROM {fts_table} WHERE {fts_table} MATCH :m"
    )
    fts = text(statement).bindparams(m=match).columns(id=Integer, rank=Float).subquery(f"{table.name}_hits")
    return fts, -fts.c.rank  # bm25: lower is better


def _matching(
    session: AsyncSession, query: Select[*tuple[Any, ...]], table: Table, found: tuple[Any, ColumnElement[Any]]
) -> tuple[Select[*tuple[Any, ...]], ColumnElement[Any]]:
    """`query` kept to the rows `_relevance` found (`found`), and their relevance."""
    target, relevance = found
    if upsert.dialect_name(session) == "postgresql":
        return query.where(target), relevance
    return query.join(target, target.c.id == table.c.id), relevance


def _order(
    sort: str | None, published: ColumnElement[Any], score: ColumnElement[Any], relevance: ColumnElement[Any]
) -> list[UnaryExpression[Any]]:
    if sort in CHRONOLOGICAL:
        return [published.desc() if CHRONOLOGICAL[sort] else published.asc()]
    if sort and sort.startswith("Top"):
        return [score.desc(), relevance.desc()]
    return [relevance.desc(), score.desc()]


def _window(sort: str | None) -> timedelta | None:
    spec = post_listings.SORTS.get(sort or "")
    return spec[2] if spec and sort and sort.startswith("Top") else None


async def posts(
    session: AsyncSession, viewer: Viewer | None, s: SearchQuery, *, url_only: bool = False
) -> list[PostItem]:
    P = post_views.P
    pq = post_listings.PostQuery(
        listing_type=s.listing_type if s.listing_type in ("All", "Local") else "All",
        community_id=s.community_id,
        creator_id=s.creator_id,
        show_hidden=True,
        show_read=True,
    )
    query = post_views.view_select(viewer).where(*post_listings.view_filters(viewer, pq, show_nsfw=s.show_nsfw))
    if s.listing_type == "Subscribed" and viewer is not None:
        query = query.where(P.c.community_id.in_(await _subscribed(session, viewer)))
    if (window := _window(s.sort)) is not None:
        query = query.where(P.c.published >= datetime.now(UTC) - window)
    if url_only:
        needle = s.q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(P.c.url).like(f"%{needle}%", escape="\\"))
        order = _order(s.sort or "New", P.c.published, P.c.score, P.c.score)
    else:
        found = _relevance(session, P, s.q, "10.0, 1.0", column="name" if s.title_only else None)
        if found is None:
            return []
        query, relevance = _matching(session, query, P, found)
        order = _order(s.sort, P.c.published, P.c.score, relevance)
    query = query.order_by(*order, P.c.id.desc()).limit(s.limit).offset((s.page - 1) * s.limit)
    return [post_views.to_view(row) for row in await session.execute(query)]


async def comments(session: AsyncSession, viewer: Viewer | None, s: SearchQuery) -> list[CommentItem]:
    C = comment_queries.C
    cq = comment_queries.CommentQuery(listing_type=s.listing_type, community_id=s.community_id, creator_id=s.creator_id)
    query = comment_queries.view_select(viewer).where(*comment_queries.view_filters(viewer, cq))
    # a creator filter keeps their own deleted comments in listings; search never shows deleted text
    query = query.where(C.c.deleted.is_(False), C.c.removed.is_(False))
    query = query.where(comment_queries.P.c.deleted.is_(False), comment_queries.P.c.removed.is_(False))
    found = _relevance(session, C, s.q, "1.0")
    if found is None:
        return []
    query, relevance = _matching(session, query, C, found)
    if (window := _window(s.sort)) is not None:
        query = query.where(C.c.published >= datetime.now(UTC) - window)
    order = _order(s.sort, C.c.published, C.c.score, relevance)
    query = query.order_by(*order, C.c.id.desc()).limit(s.limit).offset((s.page - 1) * s.limit)
    return [comment_queries.to_view(row, viewer) for row in await session.execute(query)]


def _name_match(q: str, *columns: SQLColumnExpression[Any]) -> ColumnElement[bool]:
    needle = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(func.lower(func.coalesce(c, "")).like(f"%{needle}%", escape="\\") for c in columns))


async def communities(session: AsyncSession, viewer: Viewer | None, s: SearchQuery) -> list[CommunityItem]:
    """Communities by name or title (a small table: a LIKE over it is cheap), largest first."""
    if not s.q.strip():
        return []
    ids = select(Community.id).where(_name_match(s.q, Community.name, Community.title))
    if s.listing_type == "Local":
        ids = ids.where(Community.local.is_(True))
    ids = ids.where(Community.deleted.is_(False), Community.removed.is_(False))
    ids = ids.where(*visibility.community_filters(Community.__table__, member=viewer is not None))
    if not s.show_nsfw:
        ids = ids.where(Community.nsfw.is_(False))
    ids = ids.order_by(Community.subscribers.desc(), Community.id).limit(s.limit).offset((s.page - 1) * s.limit)
    views = []
    for community_id in (await session.execute(ids)).scalars().all():
        view = await community_queries.get_view(session, viewer, community_id)
        if view is not None and not view.blocked:
            views.append(view)
    return views


async def persons(session: AsyncSession, s: SearchQuery) -> list[PersonItem]:
    if not s.q.strip():
        return []
    ids = (
        select(Person.id)
        .where(_name_match(s.q, Person.name, Person.display_name), Person.deleted.is_(False))
        .order_by(Person.comment_score.desc(), Person.id)
        .limit(s.limit)
        .offset((s.page - 1) * s.limit)
    )
    return await person_queries.views_by_ids(session, list((await session.execute(ids)).scalars()))


async def _subscribed(session: AsyncSession, viewer: Viewer) -> list[int]:
    query = select(CommunityFollower.community_id).where(
        CommunityFollower.person_id == viewer.person_id, CommunityFollower.pending.is_(False)
    )
    return list((await session.execute(query)).scalars())
