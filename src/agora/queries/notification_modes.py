"""A member's notification modes as set (domain.notification_modes): None where they kept the default."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import CommunityNotifications, PostNotifications
from agora.queries.viewer import Viewer


async def community_mode(session: AsyncSession, viewer: Viewer | None, community_id: int) -> str | None:
    if viewer is None:
        return None
    table = CommunityNotifications
    query = select(table.mode).where(table.person_id == viewer.person_id, table.community_id == community_id)
    return (await session.execute(query)).scalar()


async def post_mode(session: AsyncSession, viewer: Viewer | None, post_id: int) -> str | None:
    if viewer is None:
        return None
    table = PostNotifications
    query = select(table.mode).where(table.person_id == viewer.person_id, table.post_id == post_id)
    return (await session.execute(query)).scalar()
