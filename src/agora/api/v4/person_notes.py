"""POST /person/note: a member's private note about a person (Lemmy 1.0); an empty note deletes it."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.v4.shapes.base import SuccessResponse
from agora.api.v4.shapes.persons import NotePerson
from agora.deps import MESSAGE, Here, Member, WriteDb
from agora.domain import person_notes
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: person"])


@router.post("/person/note", response_model=SuccessResponse, dependencies=[MESSAGE])
async def note_person(form: NotePerson, member: Member, db: WriteDb, here: Here) -> Response:
    await person_notes.set_note(db, here, member, form.person_id, form.note)
    return json_response(SUCCESS)
