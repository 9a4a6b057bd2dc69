"""/community/tag: a community's moderators create, edit and delete the tags its posts may carry."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.v4.shapes.community_tags import CreateCommunityTag, DeleteCommunityTag, EditCommunityTag
from agora.api.v4.shapes.views import CommunityTag, tag_json
from agora.deps import MESSAGE, Here, Member, WriteDb
from agora.domain import community_tags
from agora.queries.community_tags import COLUMNS
from agora.responses import json_response

router = APIRouter(tags=["v4: community"])


def _answer(tag: object) -> Response:
    """The tag row as 1.0's CommunityTag."""
    return json_response(tag_json({name: getattr(tag, name) for name in COLUMNS}))


@router.post("/community/tag", response_model=CommunityTag, dependencies=[MESSAGE])
async def create_community_tag(form: CreateCommunityTag, member: Member, db: WriteDb, here: Here) -> Response:
    fields = form.model_dump(exclude={"community_id", "name"})
    return _answer(await community_tags.create(db, here, member, form.community_id, form.name, **fields))


@router.put("/community/tag", response_model=CommunityTag, dependencies=[MESSAGE])
async def edit_community_tag(form: EditCommunityTag, member: Member, db: WriteDb, here: Here) -> Response:
    fields = form.model_dump(exclude={"tag_id"})
    return _answer(await community_tags.edit(db, here, member, form.tag_id, **fields))


@router.delete("/community/tag", response_model=CommunityTag, dependencies=[MESSAGE])
async def delete_community_tag(form: DeleteCommunityTag, member: Member, db: WriteDb) -> Response:
    return _answer(await community_tags.set_deleted(db, member, form.tag_id, form.delete))
