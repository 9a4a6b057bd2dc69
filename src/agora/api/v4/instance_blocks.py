"""/account/block/instance/communities and /account/block/instance/persons: Lemmy 1.0's two blocks of an instance
by a member. Blocking its communities is the instance block v3's /site/block sets; blocking its persons hides
what they write in every community."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field
from starlette.responses import Response

from agora.api.v4.shapes.base import Form, SuccessResponse
from agora.deps import MESSAGE, Here, Member, WriteDb
from agora.domain import blocks
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: account"])


class UserBlockInstanceParams(Form):
    instance_id: int = Field(ge=1, le=2**31 - 1)
    block: bool


@router.post("/account/block/instance/communities", response_model=SuccessResponse, dependencies=[MESSAGE])
async def block_instance_communities(
    form: UserBlockInstanceParams, member: Member, db: WriteDb, here: Here
) -> Response:
    await blocks.block_instance(db, here, member, form.instance_id, form.block)
    return json_response(SUCCESS)


@router.post("/account/block/instance/persons", response_model=SuccessResponse, dependencies=[MESSAGE])
async def block_instance_persons(form: UserBlockInstanceParams, member: Member, db: WriteDb, here: Here) -> Response:
    await blocks.block_instance_persons(db, here, member, form.instance_id, form.block)
    return json_response(SUCCESS)
