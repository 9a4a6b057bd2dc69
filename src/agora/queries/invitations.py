"""A member's registration invitations, newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import LocalUserInvite
from agora.queries import paging
from agora.queries.rows import Row


async def of_member(session: AsyncSession, local_user_id: int, *, page: int, limit: int) -> list[Row]:
    table = LocalUserInvite.__table__
    query = paging.newest_first(select(table).where(table.c.local_user_id == local_user_id), table, page, limit)
    return [dict(r) for r in (await session.execute(query)).mappings()]
