"""Person notes (Lemmy 1.0): a member's private note about another person; an empty note deletes it."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert
from agora.db.models import PersonNote
from agora.domain import limits
from agora.domain.permissions import Acting, get_person
from agora.domain.site import local_site
from agora.errors import AgoraError, Code

NOTE_MAX = 10_000


async def set_note(session: AsyncSession, here: LocalInstance, actor: Acting, target_id: int, note: str) -> None:
    if target_id == actor.person_id:
        raise AgoraError(Code.cant_note_yourself)
    await get_person(session, target_id)
    note = note.strip()
    if not note:
        await session.execute(
            delete(PersonNote).where(PersonNote.person_id == actor.person_id, PersonNote.target_id == target_id)
        )
        return
    limits.check_body(note, NOTE_MAX)
    limits.check_slurs((await local_site(session, here)).slur_filter_regex, note)
    values = {"note": note, "published": now()}
    statement = upsert.insert(session, PersonNote).values(person_id=actor.person_id, target_id=target_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=["person_id", "target_id"], set_=values))
