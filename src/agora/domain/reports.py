"""Reports: a member flags a post or comment to its community's moderators (and the admins), who resolve it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db import upsert
from agora.db.models import CommentReport, CommunityReport, PostReport
from agora.domain import comments, limits, posts
from agora.domain.events import ContentReported, record
from agora.domain.permissions import Acting, get_community, get_person, require_can_write_in, require_mod_or_admin
from agora.errors import AgoraError, Code


async def report_post(session: AsyncSession, actor: Acting, post_id: int, reason: str | None) -> int:
    reason = limits.check_report_reason(reason)
    post = await posts.get_post(session, post_id)
    await _check_reporter(session, actor, post.community_id)
    statement = upsert.insert(session, PostReport).values(
        creator_id=actor.person_id,
        post_id=post.id,
        original_post_name=post.name,
        original_post_url=post.url,
        original_post_body=post.body,
        reason=reason,
        resolved=False,
        published=now(),
    )
    # A second report by the same member replaces their first and reopens it.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["post_id", "creator_id"], set_={"reason": reason, "resolved": False, "updated": now()}
        )
    )
    report_id = (
        await session.execute(
            select(PostReport.id).where(PostReport.post_id == post.id, PostReport.creator_id == actor.person_id)
        )
    ).scalar_one()
    await record(session, ContentReported(actor.person_id, "post", report_id))
    return report_id


async def report_comment(session: AsyncSession, actor: Acting, comment_id: int, reason: str | None) -> int:
    reason = limits.check_report_reason(reason)
    comment = await comments.get_comment(session, comment_id)
    post = await posts.get_post(session, comment.post_id)
    await _check_reporter(session, actor, post.community_id)
    statement = upsert.insert(session, CommentReport).values(
        creator_id=actor.person_id,
        comment_id=comment.id,
        original_comment_text=comment.content,
        reason=reason,
        resolved=False,
        published=now(),
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["comment_id", "creator_id"], set_={"reason": reason, "resolved": False, "updated": now()}
        )
    )
    report_id = (
        await session.execute(
            select(CommentReport.id).where(
                CommentReport.comment_id == comment.id, CommentReport.creator_id == actor.person_id
            )
        )
    ).scalar_one()
    await record(session, ContentReported(actor.person_id, "comment", report_id))
    return report_id


async def resolve_post_report(session: AsyncSession, actor: Acting, report_id: int, resolved: bool) -> PostReport:
    report = await session.get(PostReport, report_id)
    if report is None:
        raise AgoraError(Code.couldnt_find_post_report)
    post = await posts.get_post(session, report.post_id)
    await require_mod_or_admin(session, actor, post.community_id)
    set_resolved(report, actor, resolved)
    await session.flush()
    return report


async def resolve_comment_report(session: AsyncSession, actor: Acting, report_id: int, resolved: bool) -> CommentReport:
    report = await session.get(CommentReport, report_id)
    if report is None:
        raise AgoraError(Code.couldnt_find_comment_report)
    comment = await comments.get_comment(session, report.comment_id)
    post = await posts.get_post(session, comment.post_id)
    await require_mod_or_admin(session, actor, post.community_id)
    set_resolved(report, actor, resolved)
    await session.flush()
    return report


def set_resolved(report: PostReport | CommentReport | CommunityReport, actor: Acting, resolved: bool) -> None:
    """Mark a report (un)resolved by `actor`, once the caller has checked they may."""
    report.resolved = resolved
    report.resolver_id = actor.person_id if resolved else None
    report.updated = now()


async def _check_reporter(session: AsyncSession, actor: Acting, community_id: int) -> None:
    person = await get_person(session, actor.person_id)
    community = await get_community(session, community_id)
    await require_can_write_in(session, actor, person, community)
