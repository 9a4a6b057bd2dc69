"""/account/invite: a member's registration invitations, made, revoked and listed (domain.invitations); they
matter while the site's registration mode is require_invitation, where Register's `token` names one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.shapes.base import CursorPaging, Form, Paged, Shape, SuccessResponse, present
from agora.deps import MESSAGE, Member, ReadDb, WriteDb
from agora.domain import invitations
from agora.queries import invitations as invitation_queries
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: account"])
_INVITE = (
    ("id", "id"),
    ("token", "token"),
    ("local_user_id", "local_user_id"),
    ("max_uses", "max_uses"),
    ("uses_count", "uses_count"),
    ("expires_at", "expires"),
    ("published_at", "published"),
)


class CreateInvitation(Form):
    max_uses: int | None = Field(None, le=2**31 - 1)
    expires_at: datetime | None = None


class RevokeInvitation(Form):
    token: str = Field(max_length=100)


class ListInvitations(CursorPaging):
    pass


class LocalUserInvite(Shape):
    id: int
    token: str
    local_user_id: int
    max_uses: int | None = None
    uses_count: int
    expires_at: str | None = None
    published_at: str


class CreateInvitationResponse(Shape):
    invite: LocalUserInvite


class PagedInvitations(Paged[LocalUserInvite]):
    pass


def _invite_json(row: dict[str, Any]) -> dict[str, Any]:
    return present(row, _INVITE)


@router.post("/account/invite", response_model=CreateInvitationResponse, dependencies=[MESSAGE])
async def create_invitation(form: CreateInvitation, member: Member, db: WriteDb) -> Response:
    expires = form.expires_at
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    invite = await invitations.create(db, member, max_uses=form.max_uses, expires=expires)
    row = {name: getattr(invite, name) for _, name in _INVITE}
    return json_response({"invite": _invite_json(row)})


@router.delete("/account/invite", response_model=SuccessResponse, dependencies=[MESSAGE])
async def revoke_invitation(form: RevokeInvitation, member: Member, db: WriteDb) -> Response:
    await invitations.revoke(db, member, form.token)
    return json_response(SUCCESS)


@router.get("/account/invite/list", response_model=PagedInvitations, dependencies=[MESSAGE])
async def list_invitations(params: Annotated[ListInvitations, Query()], member: Member, db: ReadDb) -> Response:
    limit = paging.limit_of(params.limit)
    page = paging.offset_page(params.page_cursor)
    rows = await invitation_queries.of_member(db, member.local_user_id, page=page, limit=limit)
    return json_response(paging.offset_paged([_invite_json(r) for r in rows], page, limit))
