"""Reports: a member flags a post or comment to its community's moderators (and the admins), who resolve it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db import upsert
from agora.db.models import CommentReport, CommunityReport, PostReport, PrivateMessageReport
from agora.domain import comments, limits, posts
from agora.domain.events import ContentReported, record
from agora.domain.permissions import Acting, get_community, get_person, require_can_write_in, require_mod_or_admin
from agora.errors import AgoraError, Code

Report = PostReport | CommentReport | CommunityReport | PrivateMessageReport
R = TypeVar("R", PostReport, CommentReport, CommunityReport, PrivateMessageReport)


async def report_post(session: AsyncSession, actor: Acting, post_id: int, reason: str | None) -> int:
    reason = limits.check_report_reason(reason)
    post = await posts.get_post(session, post_id)
    await _check_reporter(session, actor, post.community_id)
    snapshot = {"original_post_name": post.name, "original_post_url": post.url, "original_post_body": post.body}
    report_id = await file_report(session, PostReport, actor, "post_id", post.id, reason, snapshot)
    await record(session, ContentReported(actor.person_id, "post", report_id))
    return report_id


async def report_comment(session: AsyncSession, actor: Acting, comment_id: int, reason: str | None) -> int:
    reason = limits.check_report_reason(reason)
    comment = await comments.get_comment(session, comment_id)
    post = await posts.get_post(session, comment.post_id)
    await _check_reporter(session, actor, post.community_id)
    snapshot = {"original_comment_text": comment.content}
    report_id = await file_report(session, CommentReport, actor, "comment_id", comment.id, reason, snapshot)
    await record(session, ContentReported(actor.person_id, "comment", report_id))
    return report_id


async def resolve_post_report(session: AsyncSession, actor: Acting, report_id: int, resolved: bool) -> PostReport:
    report = await get_report(session, PostReport, report_id, Code.couldnt_find_post_report)
    post = await posts.get_post(session, report.post_id)
    await require_mod_or_admin(session, actor, post.community_id)
    await set_resolved(session, report, actor, resolved)
    return report


async def resolve_comment_report(session: AsyncSession, actor: Acting, report_id: int, resolved: bool) -> CommentReport:
    report = await get_report(session, CommentReport, report_id, Code.couldnt_find_comment_report)
    comment = await comments.get_comment(session, report.comment_id)
    post = await posts.get_post(session, comment.post_id)
    await require_mod_or_admin(session, actor, post.community_id)
    await set_resolved(session, report, actor, resolved)
    return report


async def file_report(
    session: AsyncSession,
    model: type[Report],
    actor: Acting,
    target: str,
    target_id: int,
    reason: str,
    snapshot: Mapping[str, object],
    *,
    refiled: Mapping[str, object] | None = None,
) -> int:
    """Files `actor`'s report of the row `target` = `target_id`, with a `snapshot` of what it said; a second report
    by the same member replaces their first and reopens it (setting `refiled` too). Answers the report's id."""
    statement = upsert.insert(session, model).values(
        creator_id=actor.person_id, reason=reason, resolved=False, published=now(), **{target: target_id}, **snapshot
    )
    reopened = {"reason": reason, "resolved": False, "updated": now(), **(refiled or {})}
    await session.execute(statement.on_conflict_do_update(index_elements=[target, "creator_id"], set_=reopened))
    mine = select(model.id).where(getattr(model, target) == target_id, model.creator_id == actor.person_id)
    return (await session.execute(mine)).scalar_one()


async def get_report(session: AsyncSession, model: type[R], report_id: int, missing: Code) -> R:
    """The report `report_id` of `model`; AgoraError(`missing`) when there is none."""
    found = await session.get(model, report_id)
    if found is None:
        raise AgoraError(missing)
    return found


async def set_resolved(session: AsyncSession, report: Report, actor: Acting, resolved: bool) -> None:
    """Mark a report (un)resolved by `actor`, once the caller has checked they may."""
    report.resolved = resolved
    report.resolver_id = actor.person_id if resolved else None
    report.updated = now()
    await session.flush()


async def _check_reporter(session: AsyncSession, actor: Acting, community_id: int) -> None:
    person = await get_person(session, actor.person_id)
    community = await get_community(session, community_id)
    await require_can_write_in(session, actor, person, community)
