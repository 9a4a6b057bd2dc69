"""Listings of people: everyone the server knows (Lemmy 1.0's ListPersons) and, for admins, the local users.

Both are keyset-paged on the sort key then the person id, `after` / `before` a person of the listing, so a page
holds its place while people join. Deleted people are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import CommunityFollower, CommunityPersonBan
from agora.errors import AgoraError, Code
from agora.queries import columns, keyset
from agora.queries.persons import PERSON, USER, person_select, to_view
from agora.queries.site import LOCAL_USER_COLUMNS
from agora.queries.views import LocalUserItem, PersonItem

# sort → (key column, descending)
PERSON_SORTS: dict[str, tuple[str, bool]] = {
    "new": ("published", True),
    "old": ("published", False),
    "post_score": ("post_score", True),
    "comment_score": ("comment_score", True),
}


@dataclass(frozen=True, slots=True)
class Page:
    """Which page of a listing: `limit` people after (or, `back`, just before) the person `cursor_id`."""

    limit: int
    cursor_id: int | None = None
    back: bool = False


@dataclass(frozen=True, slots=True)
class PersonFilter:
    sort: str = "new"
    local_only: bool = False
    search_term: str | None = None
    search_title_only: bool = False
    community_id: int | None = None  # its followers and the people banned from it


def _matching(term: str, title_only: bool) -> ColumnElement[bool]:
    """Name, handle URL or display name contain `term` (case-insensitive), or the bio does unless `title_only`."""
    escaped = term.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    fields = [PERSON.c.name, PERSON.c.actor_id, PERSON.c.display_name, *([] if title_only else [PERSON.c.bio])]
    return or_(*(func.lower(field).like(pattern, escape="\\") for field in fields))


def _in_community(community_id: int) -> ColumnElement[bool]:
    follower, ban = CommunityFollower.__table__, CommunityPersonBan.__table__
    follows = exists().where(
        follower.c.person_id == PERSON.c.id, follower.c.community_id == community_id, follower.c.pending.is_(False)
    )
    banned = exists().where(ban.c.person_id == PERSON.c.id, ban.c.community_id == community_id)
    return or_(follows, banned)


async def _paged(session: AsyncSession, query: Select[Any], keys: list[keyset.OrderKey], page: Page) -> list[Any]:
    """The rows of `query` on `page`, in the order of `keys` (the last of which is the person id)."""
    order = keyset.reversed_keys(keys) if page.back else keys
    if page.cursor_id is not None:
        at = query.with_only_columns(*(column for column, _ in keys)).where(PERSON.c.id == page.cursor_id)
        found = (await session.execute(at.order_by(None).limit(None))).first()
        if found is None:
            raise AgoraError(Code.invalid_body_field, "page_cursor refers to no one in this listing")
        query = query.where(keyset.beyond(order, "k")).params(keyset.cursor_values("k", found))
    rows = list((await session.execute(query.order_by(*keyset.order_by(order)).limit(page.limit))).mappings())
    return rows[::-1] if page.back else rows


async def list_persons(session: AsyncSession, f: PersonFilter, page: Page) -> list[PersonItem]:
    """People, local and known remote ones (`local_only`: local ones), not deleted, by `f.sort`."""
    if f.sort not in PERSON_SORTS:
        raise AgoraError(Code.invalid_body_field, f"unknown sort {f.sort}")
    key_name, descending = PERSON_SORTS[f.sort]
    query = person_select().where(PERSON.c.deleted.is_(False))
    if f.local_only:
        query = query.where(PERSON.c.local.is_(True))
    if f.search_term and f.search_term.strip():
        query = query.where(_matching(f.search_term, f.search_title_only))
    if f.community_id is not None:
        query = query.where(_in_community(f.community_id))
    keys: list[keyset.OrderKey] = [(PERSON.c[key_name], descending), (PERSON.c.id, descending)]
    return [to_view(row) for row in await _paged(session, query, keys, page)]


async def list_local_users(session: AsyncSession, *, banned_only: bool, old: bool, page: Page) -> list[LocalUserItem]:
    """Local users with their settings, not deleted, newest first (`old`: oldest first); `banned_only`: those
    banned from the site now (a ban past its expiry no longer counts)."""
    query = (
        select(
            *columns.labelled(USER, LOCAL_USER_COLUMNS, "u_"),
            *columns.labelled(PERSON, columns.PERSON, "c_"),
        )
        .select_from(USER.join(PERSON, PERSON.c.id == USER.c.person_id))
        .where(PERSON.c.deleted.is_(False))
    )
    if banned_only:
        query = query.where(
            PERSON.c.banned.is_(True), or_(PERSON.c.ban_expires.is_(None), PERSON.c.ban_expires > now())
        )
    keys: list[keyset.OrderKey] = [(PERSON.c.published, not old), (PERSON.c.id, not old)]
    return [
        LocalUserItem(
            local_user=columns.take(row, LOCAL_USER_COLUMNS, "u_"), person=columns.take(row, columns.PERSON, "c_")
        )
        for row in await _paged(session, query, keys, page)
    ]
