"""Community tags as rows: a community's live tags, a post's, and the same attached to items in one read each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import CommunityTag, PostCommunityTag
from agora.queries.views import CommunityItem, PostItem, Row

T = CommunityTag.__table__
PT = PostCommunityTag.__table__
COLUMNS = ("id", "ap_id", "name", "display_name", "summary", "color", "community_id", "published", "updated", "deleted")


def _row(values: Any) -> Row:
    return dict(zip(COLUMNS, values, strict=True))


async def of_communities(session: AsyncSession, community_ids: Iterable[int]) -> dict[int, list[Row]]:
    """Each community's live tags, oldest first."""
    ids = sorted(set(community_ids))
    if not ids:
        return {}
    query = (
        select(*(T.c[name] for name in COLUMNS))
        .where(T.c.community_id.in_(ids), T.c.deleted.is_(False))
        .order_by(T.c.id)
    )
    out: dict[int, list[Row]] = {}
    for values in await session.execute(query):
        row = _row(values)
        out.setdefault(row["community_id"], []).append(row)
    return out


async def of_posts(session: AsyncSession, post_ids: Iterable[int]) -> dict[int, list[Row]]:
    """Each post's live tags, oldest first."""
    ids = sorted(set(post_ids))
    if not ids:
        return {}
    query = (
        select(PT.c.post_id, *(T.c[name] for name in COLUMNS))
        .join(T, T.c.id == PT.c.community_tag_id)
        .where(PT.c.post_id.in_(ids), T.c.deleted.is_(False))
        .order_by(T.c.id)
    )
    out: dict[int, list[Row]] = {}
    for values in await session.execute(query):
        out.setdefault(values[0], []).append(_row(values[1:]))
    return out


async def attach_to_posts(session: AsyncSession, items: Sequence[PostItem]) -> None:
    """Fill each post item's `tags` (one read for all)."""
    by_post = await of_posts(session, (item.post["id"] for item in items))
    for item in items:
        item.tags = by_post.get(item.post["id"], [])


async def attach_to_communities(session: AsyncSession, items: Sequence[CommunityItem]) -> None:
    """Fill each community item's `tags` (one read for all)."""
    by_community = await of_communities(session, (item.community["id"] for item in items))
    for item in items:
        item.tags = by_community.get(item.community["id"], [])
