"""Warnings (Agora's own, not in Lemmy): a moderator tells a member a post or comment broke the rules.

The seed community's rules promise "a few warnings" before "a beautiful shiny banwall"; warnings are what moderators
look at before they ban, and what the member reads in their inbox.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import PersonWarning
from agora.domain import comments, limits, posts
from agora.domain.events import PersonWarned, record
from agora.domain.modlog import Kind, write
from agora.domain.permissions import Acting, require_mod_or_admin
from agora.errors import AgoraError, Code


async def warn(
    session: AsyncSession, actor: Acting, *, post_id: int | None, comment_id: int | None, reason: str | None
) -> PersonWarning:
    """Warn the author of `post_id` or `comment_id` (exactly one) with a reason."""
    if (post_id is None) == (comment_id is None):
        raise AgoraError(Code.invalid_body_field, "give exactly one of post_id and comment_id")
    reason = limits.check_mod_reason(reason, required=Code.warning_reason_required)
    if comment_id is not None:
        comment = await comments.get_comment(session, comment_id)
        post = await posts.get_post(session, comment.post_id)
        person_id = comment.creator_id
    else:
        assert post_id is not None  # exactly one of the two, checked above
        post = await posts.get_post(session, post_id)
        person_id = post.creator_id
    await require_mod_or_admin(session, actor, post.community_id)
    if person_id == actor.person_id:
        raise AgoraError(Code.cant_block_yourself, "you cannot warn yourself")
    warning = PersonWarning(
        person_id=person_id,
        mod_person_id=actor.person_id,
        community_id=post.community_id,
        post_id=post.id,
        comment_id=comment_id,
        reason=reason,
        read=False,
        published=now(),
    )
    session.add(warning)
    await session.flush()
    await write(
        session,
        Kind.warn,
        actor.person_id,
        other_person_id=person_id,
        community_id=post.community_id,
        post_id=post.id,
        comment_id=comment_id,
        reason=reason,
    )
    await record(session, PersonWarned(actor.person_id, person_id, warning.id))
    return warning


async def mark_read(session: AsyncSession, actor: Acting) -> None:
    await session.execute(
        update(PersonWarning)
        .where(PersonWarning.person_id == actor.person_id, PersonWarning.read.is_(False))
        .values(read=True)
    )
