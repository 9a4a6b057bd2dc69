"""A member's notification modes as set (domain.notification_modes): None where they kept the default."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from agora.db.models import CommunityNotifications, PostNotifications
from agora.queries.viewer import Viewer


async def community_mode(session: AsyncSession, viewer: Viewer | None, community_id: int) -> str | None:
    return await _mode(session, viewer, CommunityNotifications.community_id, community_id)


async def post_mode(session: AsyncSession, viewer: Viewer | None, post_id: int) -> str | None:
    return await _mode(session, viewer, PostNotifications.post_id, post_id)


async def _mode(
    session: AsyncSession, viewer: Viewer | None, target: InstrumentedAttribute[int], target_id: int
) -> str | None:
    """The mode the viewer set on the row whose `target` column is `target_id`."""
    if viewer is None:
        return None
    table = target.class_
    query = select(table.mode).where(table.person_id == viewer.person_id, target == target_id)
    return (await session.execute(query)).scalar()
