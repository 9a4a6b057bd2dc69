"""A member's inbox: replies, mentions, unread counts, mark as read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.api import lookups
from agora.api.v3.paging import paging
from agora.api.v3.shapes import inbox as shapes
from agora.deps import MESSAGE, Member, ReadDb, WriteDb
from agora.domain import notifications
from agora.errors import Code
from agora.queries import inbox
from agora.queries.inbox import NotificationItem
from agora.queries.viewer import Viewer
from agora.responses import json_response

router = APIRouter(tags=["inbox"])


async def _list(db: AsyncSession, member: Viewer, kind: str, params: shapes.GetNotifications) -> list[NotificationItem]:
    page, limit = paging(params.page, params.limit)
    return await inbox.notifications(
        db, member, kind, sort=params.sort or "New", unread_only=bool(params.unread_only), page=page, limit=limit
    )


@router.get("/user/replies", response_model=shapes.GetRepliesResponse, dependencies=[MESSAGE])
async def replies(params: Annotated[shapes.GetNotifications, Query()], member: Member, db: ReadDb) -> Response:
    views = await _list(db, member, "reply", params)
    return json_response({"replies": [shapes.notification_view_json(v, "comment_reply") for v in views]})


@router.get("/user/mention", response_model=shapes.GetPersonMentionsResponse, dependencies=[MESSAGE])
async def mentions(params: Annotated[shapes.GetNotifications, Query()], member: Member, db: ReadDb) -> Response:
    views = await _list(db, member, "mention", params)
    return json_response({"mentions": [shapes.notification_view_json(v, "person_mention") for v in views]})


@router.post("/comment/mark_as_read", response_model=shapes.CommentReplyResponse, dependencies=[MESSAGE])
async def mark_reply_read(form: shapes.MarkCommentReplyAsRead, member: Member, db: WriteDb) -> Response:
    await notifications.mark_reply(db, member, form.comment_reply_id, form.read)
    view = lookups.found(
        await inbox.notification(db, member, "reply", form.comment_reply_id), Code.couldnt_update_replies
    )
    return json_response({"comment_reply_view": shapes.notification_view_json(view, "comment_reply")})


@router.post("/user/mention/mark_as_read", response_model=shapes.PersonMentionResponse, dependencies=[MESSAGE])
async def mark_mention_read(form: shapes.MarkPersonMentionAsRead, member: Member, db: WriteDb) -> Response:
    await notifications.mark_mention(db, member, form.person_mention_id, form.read)
    found = await inbox.notification(db, member, "mention", form.person_mention_id)
    view = lookups.found(found, Code.couldnt_update_person_mentions)
    return json_response({"person_mention_view": shapes.notification_view_json(view, "person_mention")})


@router.post("/user/mark_all_as_read", response_model=shapes.GetRepliesResponse, dependencies=[MESSAGE])
async def mark_all_read(member: Member, db: WriteDb) -> Response:
    await notifications.mark_all_read(db, member)
    return json_response({"replies": []})


@router.get("/user/unread_count", response_model=shapes.GetUnreadCountResponse, dependencies=[MESSAGE])
async def unread_count(member: Member, db: ReadDb) -> Response:
    return json_response(await inbox.unread_counts(db, member))
