"""Reads of multi-communities: one with its owner and the viewer's follow, a listing, and the communities one
lists (what a post listing by multi-community reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import Community, MultiCommunity, MultiCommunityEntry, MultiCommunityFollow, Person
from agora.errors import AgoraError, Code
from agora.queries import persons
from agora.queries.viewer import Viewer

MULTI = MultiCommunity.__table__
ENTRY = MultiCommunityEntry.__table__
FOLLOW = MultiCommunityFollow.__table__
# Lemmy 1.0's MultiCommunitySortType: (column, descending)
SORTS = {
    "new": ("published", True),
    "old": ("published", False),
    "name_asc": ("name", False),
    "name_desc": ("name", True),
    "communities": ("communities", True),
    "subscribers": ("subscribers", True),
    "subscribers_local": ("subscribers_local", True),
}
LISTING_TYPES = ("all", "local", "subscribed")


@dataclass(slots=True)
class MultiItem:
    multi: dict[str, Any]
    owner: dict[str, Any]
    follow_state: str | None  # "Accepted" or "Pending" when the viewer follows it


@dataclass(slots=True)
class MultiQuery:
    listing_type: str = "all"
    sort: str = "new"
    creator_id: int | None = None
    time_range_seconds: int | None = None
    search_term: str | None = None
    search_title_only: bool = False
    page: int = 1
    limit: int = 20


def _select(viewer: Viewer | None) -> Select[Any]:
    columns: list[Any] = [MULTI]
    if viewer is not None:
        mine = (FOLLOW.c.multi_community_id == MULTI.c.id) & (FOLLOW.c.person_id == viewer.person_id)
        columns.append(select(FOLLOW.c.state).where(mine).scalar_subquery().label("f_follow_state"))
    return select(*columns)


async def _items(session: AsyncSession, rows: list[Any]) -> list[MultiItem]:
    owners = {
        view.person["id"]: view.person for view in await persons.views_by_ids(session, [r.creator_id for r in rows])
    }
    out = []
    for row in rows:
        values = dict(row._mapping)
        state = values.pop("f_follow_state", None)
        out.append(MultiItem(multi=values, owner=owners[row.creator_id], follow_state=state))
    return out


async def get_view(
    session: AsyncSession, viewer: Viewer | None, *, multi_id: int | None = None, name: str | None = None
) -> MultiItem:
    """One multi-community by id, or by name (local, or `name@host` if known); a deleted one only to its creator."""
    query = _select(viewer)
    if multi_id is not None:
        query = query.where(MULTI.c.id == multi_id)
    elif name:
        query = query.where(*_name_rules(name.strip().lstrip("~")))
    else:
        raise AgoraError(Code.no_id_given)
    rows = list(await session.execute(query))
    if not rows or (rows[0].deleted and (viewer is None or viewer.person_id != rows[0].creator_id)):
        raise AgoraError(Code.not_found, "no such multi-community")
    return (await _items(session, rows))[0]


def _name_rules(name: str) -> list[ColumnElement[bool]]:
    if "@" in name:
        short, host = name.split("@", 1)
        return [func.lower(MULTI.c.name) == short.lower(), func.lower(MULTI.c.actor_id).like(f"%//{host.lower()}/m/%")]
    return [MULTI.c.local.is_(True), func.lower(MULTI.c.name) == name.lower()]


async def find_id(session: AsyncSession, name: str) -> int | None:
    query = select(MULTI.c.id).where(*_name_rules(name.strip().lstrip("~")), MULTI.c.deleted.is_(False))
    return (await session.execute(query)).scalars().first()


async def list_views(session: AsyncSession, viewer: Viewer | None, q: MultiQuery) -> list[MultiItem]:
    """A page of multi-communities (never deleted ones), in `q.sort` order."""
    if q.sort not in SORTS:
        raise AgoraError(Code.invalid_body_field, f"unknown sort {q.sort}")
    if q.listing_type not in LISTING_TYPES:
        raise AgoraError(Code.invalid_body_field, f"unknown listing type {q.listing_type}")
    query = _select(viewer).where(MULTI.c.deleted.is_(False))
    if q.listing_type == "local":
        query = query.where(MULTI.c.local.is_(True))
    elif q.listing_type == "subscribed":
        if viewer is None:
            return []
        followed = select(FOLLOW.c.multi_community_id).where(FOLLOW.c.person_id == viewer.person_id)
        query = query.where(MULTI.c.id.in_(followed))
    if q.creator_id is not None:
        query = query.where(MULTI.c.creator_id == q.creator_id)
    if q.time_range_seconds is not None:
        if q.time_range_seconds <= 0:
            raise AgoraError(Code.invalid_body_field, "time_range_seconds must be positive")
        query = query.where(MULTI.c.published >= now() - timedelta(seconds=q.time_range_seconds))
    if q.search_term and q.search_term.strip():
        pattern = f"%{q.search_term.strip().lower()}%"
        title = func.lower(func.coalesce(MULTI.c.title, "")).like(pattern)
        query = query.where(title if q.search_title_only else or_(title, func.lower(MULTI.c.name).like(pattern)))
    column, descending = SORTS[q.sort]
    key = MULTI.c[column]
    order = (key.desc(), MULTI.c.id.desc()) if descending else (key.asc(), MULTI.c.id.asc())
    query = query.order_by(*order).limit(q.limit).offset((q.page - 1) * q.limit)
    return await _items(session, list(await session.execute(query)))


async def community_ids(session: AsyncSession, multi_id: int) -> list[int]:
    """The communities a multi-community lists that are neither deleted nor removed, by name."""
    query = (
        select(ENTRY.c.community_id)
        .join(Community, Community.id == ENTRY.c.community_id)
        .where(ENTRY.c.multi_community_id == multi_id, Community.deleted.is_(False), Community.removed.is_(False))
        .order_by(Community.name, Community.id)
    )
    return list((await session.execute(query)).scalars())


async def followed_by(session: AsyncSession, viewer: Viewer) -> list[MultiItem]:
    """The multi-communities `viewer` follows (GetSite's my_user.multi_community_follows)."""
    followed = select(FOLLOW.c.multi_community_id).where(FOLLOW.c.person_id == viewer.person_id)
    query = _select(viewer).where(MULTI.c.id.in_(followed), MULTI.c.deleted.is_(False)).order_by(MULTI.c.name)
    return await _items(session, list(await session.execute(query)))


async def row_by_name(session: AsyncSession, name: str) -> dict[str, Any] | None:
    """Our own multi-community `name` (deleted ones too), as a row: what its Feed actor is built from."""
    query = select(MULTI).where(*_name_rules(name.strip()))
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found is not None else None


async def row_by_id(session: AsyncSession, multi_id: int) -> dict[str, Any] | None:
    found = (await session.execute(select(MULTI).where(MULTI.c.id == multi_id))).first()
    return dict(found._mapping) if found is not None else None


async def id_by_ap_id(session: AsyncSession, ap_id: str) -> int | None:
    query = select(MULTI.c.id).where(MULTI.c.actor_id == ap_id)
    return (await session.execute(query)).scalar_one_or_none()


async def listed_communities(session: AsyncSession, multi_id: int) -> list[dict[str, Any]]:
    """The live communities a multi-community lists, as rows (its Feed publishes those that federate)."""
    ids = await community_ids(session, multi_id)
    query = select(Community.__table__).where(Community.id.in_(ids)).order_by(Community.name, Community.id)
    return [dict(row._mapping) for row in await session.execute(query)]


async def remote_follower_inboxes(session: AsyncSession, multi_id: int) -> list[str]:
    """Where the followers of a multi-community on other servers receive (shared inboxes where they have one)."""
    query = (
        select(func.coalesce(Person.shared_inbox_url, Person.inbox_url))
        .join(FOLLOW, FOLLOW.c.person_id == Person.id)
        .where(FOLLOW.c.multi_community_id == multi_id, Person.local.is_(False))
    )
    return sorted({inbox for inbox in (await session.execute(query)).scalars() if inbox})
