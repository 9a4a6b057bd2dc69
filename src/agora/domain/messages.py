"""Private messages: write, edit, delete, read; and their reports to the admins."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db.models import PersonBlock, PrivateMessage, PrivateMessageReport
from agora.domain import blocked_urls, edit_history, limits, reports
from agora.domain.events import PrivateMessageChanged, record
from agora.domain.permissions import Acting, Origin, get_person, require_admin, require_person_active
from agora.domain.site import local_site
from agora.errors import AgoraError, Code


async def get_message(session: AsyncSession, message_id: int) -> PrivateMessage:
    message = await session.get(PrivateMessage, message_id)
    if message is None:
        raise AgoraError(Code.couldnt_find_private_message)
    return message


async def _check_content(session: AsyncSession, here: LocalInstance, content: str) -> str:
    text = limits.check_body(content, limits.MARKDOWN_MAX)
    if not text or not text.strip():
        raise AgoraError(Code.invalid_body_field, "a message needs some text")
    site = await local_site(session, here)
    limits.check_slurs(site.slur_filter_regex, text)
    await blocked_urls.check(session, site, text)
    return text


async def create(
    session: AsyncSession,
    here: LocalInstance,
    actor: Acting,
    recipient_id: int,
    content: str,
    *,
    origin: Origin | None = None,
) -> PrivateMessage:
    """With `origin`, a message arriving by federation (same rules, its own id and time)."""
    content = await _check_content(session, here, content)
    sender = await get_person(session, actor.person_id)
    require_person_active(sender)
    recipient = await get_person(session, recipient_id)
    if recipient.deleted:
        raise AgoraError(Code.couldnt_find_person)
    blocked = await session.execute(
        select(PersonBlock.person_id).where(PersonBlock.person_id == recipient.id, PersonBlock.target_id == sender.id)
    )
    if blocked.first():
        raise AgoraError(Code.person_is_blocked)
    message = PrivateMessage(
        creator_id=sender.id,
        recipient_id=recipient.id,
        content=content,
        ap_id=origin.ap_id if origin else f"{here.base_url}/private_message/pending-{uuid.uuid4().hex}",
        local=origin is None,
        published=origin.published_at() if origin else now(),
    )
    session.add(message)
    await session.flush()
    if origin is None:
        message.ap_id = here.url("private_message", message.id)
    await session.flush()
    await record(session, PrivateMessageChanged(actor.person_id, message.id, "created"))
    return message


async def edit(
    session: AsyncSession, here: LocalInstance, actor: Acting, message_id: int, content: str
) -> PrivateMessage:
    message = await get_message(session, message_id)
    if message.creator_id != actor.person_id:
        raise AgoraError(Code.edit_private_message_not_allowed)
    if message.deleted:
        raise AgoraError(Code.deleted)
    before = edit_history.snapshot(message)
    message.content = await _check_content(session, here, content)
    edit_history.edited(session, message, before, actor.person_id)
    await session.flush()
    await record(session, PrivateMessageChanged(actor.person_id, message.id, "updated"))
    return message


async def set_deleted(session: AsyncSession, actor: Acting, message_id: int, deleted: bool) -> PrivateMessage:
    message = await get_message(session, message_id)
    if message.creator_id != actor.person_id:
        raise AgoraError(Code.edit_private_message_not_allowed)
    if message.deleted != deleted:
        message.deleted = deleted
        await session.flush()
        change = "deleted" if deleted else "restored"
        await record(session, PrivateMessageChanged(actor.person_id, message.id, change))
    return message


async def mark_read(session: AsyncSession, actor: Acting, message_id: int, read: bool) -> PrivateMessage:
    message = await get_message(session, message_id)
    if message.recipient_id != actor.person_id:
        raise AgoraError(Code.couldnt_update_private_message)
    message.read = read
    await session.flush()
    return message


async def report(session: AsyncSession, actor: Acting, message_id: int, reason: str | None) -> int:
    """Only the recipient can report a message; admins see the report."""
    reason = limits.check_report_reason(reason)
    message = await get_message(session, message_id)
    if message.recipient_id != actor.person_id:
        raise AgoraError(Code.couldnt_create_report)
    snapshot = {"original_pm_text": message.content}
    return await reports.file_report(
        session, PrivateMessageReport, actor, "private_message_id", message.id, reason, snapshot
    )


async def resolve_report(session: AsyncSession, actor: Acting, report_id: int, resolved: bool) -> None:
    require_admin(actor)
    row = await reports.get_report(session, PrivateMessageReport, report_id, Code.couldnt_find_private_message_report)
    await reports.set_resolved(session, row, actor, resolved)
