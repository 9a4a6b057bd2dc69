"""/community/notifications and /post/notifications: a member's notification mode for a community or a post
(domain.notification_modes says what each mode lets into the inbox)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from starlette.responses import Response

from agora.api.v4.shapes.base import Form, Id, SuccessResponse
from agora.deps import MESSAGE, Member, WriteDb
from agora.domain import notification_modes
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: notifications"])


class EditCommunityNotifications(Form):
    community_id: Id
    mode: Literal["all_posts_and_comments", "all_posts", "replies_and_mentions", "mute"]


class EditPostNotifications(Form):
    post_id: Id
    mode: Literal["all_comments", "replies_and_mentions", "mute"]


@router.put("/community/notifications", response_model=SuccessResponse, dependencies=[MESSAGE])
async def edit_community_notifications(form: EditCommunityNotifications, member: Member, db: WriteDb) -> Response:
    await notification_modes.set_community_mode(db, member, form.community_id, form.mode)
    return json_response(SUCCESS)


@router.put("/post/notifications", response_model=SuccessResponse, dependencies=[MESSAGE])
async def edit_post_notifications(form: EditPostNotifications, member: Member, db: WriteDb) -> Response:
    await notification_modes.set_post_mode(db, member, form.post_id, form.mode)
    return json_response(SUCCESS)
