"""A member's keyword filters, as they set them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import KeywordFilter


async def keywords(session: AsyncSession, local_user_id: int) -> list[str]:
    query = select(KeywordFilter.keyword).where(KeywordFilter.local_user_id == local_user_id)
    return sorted((await session.execute(query)).scalars())
