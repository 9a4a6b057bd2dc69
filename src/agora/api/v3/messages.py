"""/private_message*: write, edit, delete, list, read, report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.shared_routes import per_face
from agora.api.v3.paging import paging
from agora.api.v3.shapes import inbox as shapes
from agora.deps import MESSAGE, Admin, Member, ReadDb, WriteDb
from agora.domain import messages
from agora.queries import inbox
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["private_message"])


async def _message_response(db: AsyncSession, viewer: Viewer, message_id: int) -> Response:
    return json_response(
        {"private_message_view": shapes.message_view_json(await lookups.message(db, viewer, message_id))}
    )


router.include_router(
    per_face.message_router(
        per_face.ViewAnswer(shapes.message_view_json, shapes.PrivateMessageResponse),
        per_face.ViewAnswer(shapes.message_report_view_json, shapes.PrivateMessageReportResponse),
        delete=per_face.Route("POST", "/private_message/delete"),
    )
)


@router.post("/private_message/mark_as_read", response_model=shapes.PrivateMessageResponse, dependencies=[MESSAGE])
async def mark_message_read(form: shapes.MarkPrivateMessageAsRead, member: Member, db: WriteDb) -> Response:
    await messages.mark_read(db, member, form.private_message_id, form.read)
    return await _message_response(db, member, form.private_message_id)


@router.get("/private_message/list", response_model=shapes.PrivateMessagesResponse, dependencies=[MESSAGE])
async def list_messages(params: Annotated[shapes.GetPrivateMessages, Query()], member: Member, db: ReadDb) -> Response:
    page, limit = paging(params.page, params.limit)
    views = await inbox.messages(
        db, member, unread_only=bool(params.unread_only), creator_id=params.creator_id, page=page, limit=limit
    )
    return json_response({"private_messages": [shapes.message_view_json(v) for v in views]})


@router.get("/private_message/report/list", response_model=shapes.ListPrivateMessageReportsResponse)
async def list_message_reports(
    params: Annotated[shapes.ListPrivateMessageReports, Query()], admin: Admin, db: ReadDb
) -> Response:
    page, limit = paging(params.page, params.limit)
    views = await inbox.message_reports(db, unresolved_only=params.unresolved_only is not False, page=page, limit=limit)
    return json_response({"private_message_reports": [shapes.message_report_view_json(v) for v in views]})
