"""/account/notification/*: the combined inbox (replies, mentions, private messages) and its read marks; and
/private_message, whose messages arrive in that inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.shared_routes import per_face
from agora.api.v4 import paging
from agora.api.v4.shapes import notifications as shapes
from agora.api.v4.shapes.base import SuccessResponse
from agora.deps import MESSAGE, Member, ReadDb, WriteDb
from agora.domain import messages, notification_modes, notifications
from agora.errors import AgoraError, Code
from agora.queries import inbox, subscribed_notifications
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: notifications"])


@router.get("/account/notification/list", response_model=shapes.PagedNotifications, dependencies=[MESSAGE])
async def list_notifications(
    params: Annotated[shapes.ListNotifications, Query()], member: Member, db: ReadDb
) -> Response:
    limit = paging.limit_of(params.limit)
    page = paging.offset_page(params.page_cursor)
    window = paging.merged_window(page, limit)
    kinds = ("reply", "mention", "private_message", "subscribed") if params.type_ in (None, "all") else (params.type_,)
    unread_only = bool(params.unread_only)
    parts = []
    for kind in kinds:
        if kind in ("reply", "mention"):
            views = await inbox.notifications(
                db, member, kind, sort="New", unread_only=unread_only, page=1, limit=window
            )
            parts.append([shapes.notification_view_json(v, kind) for v in views])
        elif kind == "private_message":
            found = await inbox.messages(db, member, unread_only=unread_only, creator_id=None, page=1, limit=window)
            # The inbox holds the messages the member received; those they sent are in their conversations.
            received = [m for m in found if m.message["recipient_id"] == member.person_id]
            parts.append([shapes.message_notification_json(m) for m in received])
        elif kind == "subscribed":
            news = await subscribed_notifications.subscribed(db, member, unread_only=unread_only, limit=window)
            parts.append([shapes.subscribed_json(item) for item in news])
        # "mod_action" notifications are not kept yet: that filter lists nothing.
    items = paging.merged_page(parts, page, limit, key=_newest)
    return json_response(paging.offset_paged(items, page, limit))


@router.post("/account/notification/mark_as_read", response_model=SuccessResponse, dependencies=[MESSAGE])
async def mark_notification_as_read(form: shapes.MarkNotificationAsRead, member: Member, db: WriteDb) -> Response:
    kind, row_id = shapes.row_of(form.notification_id)
    if kind == "reply":
        await notifications.mark_reply(db, member, row_id, form.read)
    elif kind == "mention":
        await notifications.mark_mention(db, member, row_id, form.read)
    elif kind == "private_message":
        await messages.mark_read(db, member, row_id, form.read)
    elif kind == "subscribed":
        await notification_modes.mark(db, member, row_id, form.read)
    else:
        raise AgoraError(Code.not_found)
    return json_response(SUCCESS)


@router.post("/account/notification/mark_as_read/all", response_model=SuccessResponse, dependencies=[MESSAGE])
async def mark_all_notifications_as_read(member: Member, db: WriteDb) -> Response:
    await notifications.mark_all_read(db, member)
    return json_response(SUCCESS)


def _newest(item: dict) -> tuple:
    return (item["notification"]["published_at"], item["notification"]["id"])


router.include_router(
    per_face.message_router(
        per_face.ViewAnswer(shapes.message_view_json, shapes.PrivateMessageResponse),
        per_face.ViewAnswer(shapes.message_report_view_json, shapes.PrivateMessageReportResponse),
        delete=per_face.Route("DELETE", "/private_message"),
        report_form=shapes.ReportPrivateMessage,
    )
)
