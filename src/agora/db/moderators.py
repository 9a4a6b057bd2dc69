"""Who moderates a community: one fact that both the write rules (domain) and the reads (queries) ask, so it is
kept below both, once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import CommunityModerator


async def is_moderator(session: AsyncSession, person_id: int, community_id: int) -> bool:
    query = select(CommunityModerator.id).where(
        CommunityModerator.person_id == person_id, CommunityModerator.community_id == community_id
    )
    return (await session.execute(query)).first() is not None
