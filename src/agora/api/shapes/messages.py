"""Private message requests Lemmy 1.0 kept from 0.19."""

from __future__ import annotations

from pydantic import Field

from agora.api.shapes.base import Form, Id


class CreatePrivateMessage(Form):
    content: str = Field(max_length=100_000)
    recipient_id: Id


class EditPrivateMessage(Form):
    private_message_id: Id
    content: str = Field(max_length=100_000)


class DeletePrivateMessage(Form):
    private_message_id: Id
    deleted: bool


class CreatePrivateMessageReport(Form):
    private_message_id: Id
    reason: str = Field(max_length=10_000)


class ResolvePrivateMessageReport(Form):
    report_id: Id
    resolved: bool
