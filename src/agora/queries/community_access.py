"""Whether a member may read a Private community's content: the one-object form of visibility.content_filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.queries import visibility


async def approved_reader(session: AsyncSession, community: Mapping[str, Any], person_id: int) -> bool:
    """The person is an accepted follower or a moderator of the community; asked of Private communities only
    (every other community answers True without a query)."""
    if community["visibility"] != visibility.PRIVATE:
        return True
    query = select(visibility.approved_reader(literal(community["id"]), literal(person_id)))
    return bool((await session.execute(query)).scalar())
