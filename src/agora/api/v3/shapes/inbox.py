"""Inbox and private messages: requests, responses and Lemmy's views."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agora.api.shapes.messages import CreatePrivateMessage as CreatePrivateMessage
from agora.api.shapes.messages import CreatePrivateMessageReport as CreatePrivateMessageReport
from agora.api.shapes.messages import DeletePrivateMessage as DeletePrivateMessage
from agora.api.shapes.messages import EditPrivateMessage as EditPrivateMessage
from agora.api.shapes.messages import ResolvePrivateMessageReport as ResolvePrivateMessageReport
from agora.api.v3.shapes.base import Form, Id, Paging, Shape, Timestamp, pick
from agora.api.v3.shapes.enums import CommentSortType
from agora.api.v3.shapes.objects import Person, person_json, with_person
from agora.api.v3.shapes.views import comment_view_json
from agora.queries.inbox import MessageItem, MessageReportItem, NotificationItem


class GetNotifications(Paging):
    sort: CommentSortType | None = None
    unread_only: bool | None = None


class MarkCommentReplyAsRead(Form):
    comment_reply_id: Id
    read: bool


class MarkPersonMentionAsRead(Form):
    person_mention_id: Id
    read: bool


class GetUnreadCountResponse(Shape):
    replies: int
    mentions: int
    private_messages: int
    warnings: int = Field(0, description="Agora: unread moderator warnings")


class CommentReplyView(Shape):
    comment_reply: dict[str, Any]
    recipient: Person


class PersonMentionView(Shape):
    person_mention: dict[str, Any]
    recipient: Person


class GetRepliesResponse(Shape):
    replies: list[CommentReplyView]


class GetPersonMentionsResponse(Shape):
    mentions: list[PersonMentionView]


class CommentReplyResponse(Shape):
    comment_reply_view: CommentReplyView


class PersonMentionResponse(Shape):
    person_mention_view: PersonMentionView


class PrivateMessage(Shape):
    id: int
    creator_id: int
    recipient_id: int
    content: str
    deleted: bool
    read: bool
    published: Timestamp
    updated: Timestamp | None = None
    ap_id: str
    local: bool


class PrivateMessageView(Shape):
    private_message: PrivateMessage
    creator: Person
    recipient: Person


class GetPrivateMessages(Paging):
    unread_only: bool | None = None
    creator_id: Id | None = None


class MarkPrivateMessageAsRead(Form):
    private_message_id: Id
    read: bool


class PrivateMessageResponse(Shape):
    private_message_view: PrivateMessageView


class PrivateMessagesResponse(Shape):
    private_messages: list[PrivateMessageView]


class ListPrivateMessageReports(Paging):
    unresolved_only: bool | None = None


class PrivateMessageReportView(Shape):
    private_message_report: dict[str, Any]
    private_message: PrivateMessage
    private_message_creator: Person
    creator: Person
    resolver: Person | None = None


class PrivateMessageReportResponse(Shape):
    private_message_report_view: PrivateMessageReportView


class ListPrivateMessageReportsResponse(Shape):
    private_message_reports: list[PrivateMessageReportView]


NOTIFICATION_FIELDS = ("id", "recipient_id", "comment_id", "read", "published")
MESSAGE_FIELDS = (*PrivateMessage.model_fields, "removed")
MESSAGE_REPORT_FIELDS = (
    "id",
    "creator_id",
    "private_message_id",
    "original_pm_text",
    "reason",
    "resolved",
    "resolver_id",
    "published",
    "updated",
)


def notification_view_json(view: NotificationItem, key: str) -> dict[str, Any]:
    """CommentReplyView (`key` "comment_reply") or PersonMentionView ("person_mention"): a comment view plus these."""
    return {
        key: pick(view.notification, NOTIFICATION_FIELDS),
        **comment_view_json(view.comment),
        "recipient": person_json(view.recipient),
    }


def message_view_json(view: MessageItem) -> dict[str, Any]:
    return {
        "private_message": pick(view.message, MESSAGE_FIELDS),
        "creator": person_json(view.creator),
        "recipient": person_json(view.recipient),
    }


def message_report_view_json(view: MessageReportItem) -> dict[str, Any]:
    out = {
        "private_message_report": pick(view.report, MESSAGE_REPORT_FIELDS),
        "private_message": pick(view.message, MESSAGE_FIELDS),
        "private_message_creator": person_json(view.message_creator),
        "creator": person_json(view.creator),
    }
    return with_person(out, "resolver", view.resolver)
