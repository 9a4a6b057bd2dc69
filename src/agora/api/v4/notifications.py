"""/account/notification/*: the combined inbox of replies and mentions, and its read marks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from agora.api.v4 import paging
from agora.api.v4.shapes.base import SuccessResponse
from agora.api.v4.shapes.notifications import (
    ListNotifications,
    MarkNotificationAsRead,
    PagedNotifications,
    notification_view_json,
    row_of,
)
from agora.deps import Member, ReadDb, WriteDb, rate_limited
from agora.domain import notifications
from agora.queries import inbox
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: notifications"])
MESSAGE = rate_limited("message")


@router.get("/account/notification/list", response_model=PagedNotifications, dependencies=[MESSAGE])
async def list_notifications(params: Annotated[ListNotifications, Query()], member: Member, db: ReadDb) -> Response:
    limit = paging.limit_of(params.limit)
    page = paging.offset_page(params.page_cursor)
    window = paging.merged_window(page, limit)
    kinds = ("reply", "mention") if params.type_ in (None, "all") else (params.type_,)
    parts = []
    for kind in kinds:
        if kind not in ("reply", "mention"):  # private messages, subscriptions, mod actions: not in this inbox yet
            continue
        views = await inbox.notifications(
            db, member, kind, sort="New", unread_only=bool(params.unread_only), page=1, limit=window
        )
        parts.append([notification_view_json(v, kind) for v in views])
    items = paging.merged_page(parts, page, limit, key=_newest)
    return json_response(paging.offset_paged(items, page, limit))


@router.post("/account/notification/mark_as_read", response_model=SuccessResponse, dependencies=[MESSAGE])
async def mark_notification_as_read(form: MarkNotificationAsRead, member: Member, db: WriteDb) -> Response:
    kind, row_id = row_of(form.notification_id)
    if kind == "reply":
        await notifications.mark_reply(db, member, row_id, form.read)
    else:
        await notifications.mark_mention(db, member, row_id, form.read)
    return json_response(SUCCESS)


@router.post("/account/notification/mark_as_read/all", response_model=SuccessResponse, dependencies=[MESSAGE])
async def mark_all_notifications_as_read(member: Member, db: WriteDb) -> Response:
    await notifications.mark_all_read(db, member)
    return json_response(SUCCESS)


def _newest(item: dict) -> tuple:
    return (item["notification"]["published_at"], item["notification"]["id"])
