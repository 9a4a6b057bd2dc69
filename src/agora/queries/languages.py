"""Languages by code or id, and those a community allows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import CommunityLanguage, Language


async def id_by_code(session: AsyncSession, code: str | None) -> int | None:
    if not code:
        return None
    return (await session.execute(select(Language.id).where(Language.code == code))).scalar_one_or_none()


async def by_id(session: AsyncSession, language_id: int | None) -> dict[str, Any] | None:
    if not language_id:
        return None
    found = (await session.execute(select(Language.__table__).where(Language.id == language_id))).mappings().first()
    return dict(found) if found else None


async def of_community(session: AsyncSession, community_id: int) -> list[dict[str, Any]]:
    query = (
        select(Language.code, Language.name)
        .join(CommunityLanguage, CommunityLanguage.language_id == Language.id)
        .where(CommunityLanguage.community_id == community_id, Language.id != 0)
        .order_by(Language.id)
    )
    return [dict(r) for r in (await session.execute(query)).mappings()]
