"""/admin/purge/…: an admin deletes a person, community, post or comment for good; both faces answer success."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api import pictrs
from agora.api.shapes.base import SuccessResponse
from agora.api.shapes.moderation import PurgeComment, PurgeCommunity, PurgePerson, PurgePost
from agora.deps import MESSAGE, Admin, Here, State, WriteDb
from agora.domain import purges
from agora.responses import SUCCESS, json_response

router = APIRouter()


@router.post("/admin/purge/person", response_model=SuccessResponse, dependencies=[MESSAGE])
async def purge_person(form: PurgePerson, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await pictrs.release_uploads_of(db, state, form.person_id)  # before their account goes; a refusal undoes it
    await purges.purge_person(db, here, admin, form.person_id, form.reason)
    return json_response(SUCCESS)


@router.post("/admin/purge/community", response_model=SuccessResponse, dependencies=[MESSAGE])
async def purge_community(form: PurgeCommunity, admin: Admin, db: WriteDb, here: Here) -> Response:
    await purges.purge_community(db, here, admin, form.community_id, form.reason)
    return json_response(SUCCESS)


@router.post("/admin/purge/post", response_model=SuccessResponse, dependencies=[MESSAGE])
async def purge_post(form: PurgePost, admin: Admin, db: WriteDb, here: Here, state: State) -> Response:
    await purges.purge_post(db, here, admin, form.post_id, form.reason)
    await pictrs.release_noted(db, state)
    return json_response(SUCCESS)


@router.post("/admin/purge/comment", response_model=SuccessResponse, dependencies=[MESSAGE])
async def purge_comment(form: PurgeComment, admin: Admin, db: WriteDb, here: Here) -> Response:
    await purges.purge_comment(db, here, admin, form.comment_id, form.reason)
    return json_response(SUCCESS)
