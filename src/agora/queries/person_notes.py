"""A member's private notes about people (Lemmy 1.0's person_actions.note): read by their writer only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import PersonNote
from agora.queries.viewer import Viewer


async def notes_by(session: AsyncSession, viewer: Viewer | None, target_ids: list[int]) -> dict[int, dict[str, Any]]:
    """{target id: {"note", "noted_at"}} of the notes `viewer` keeps about `target_ids` (none for a guest)."""
    if viewer is None or not target_ids:
        return {}
    query = select(PersonNote.target_id, PersonNote.note, PersonNote.published).where(
        PersonNote.person_id == viewer.person_id, PersonNote.target_id.in_(target_ids)
    )
    return {row.target_id: {"note": row.note, "noted_at": row.published} for row in await session.execute(query)}
