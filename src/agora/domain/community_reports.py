"""Community reports (Lemmy 1.0): a member reports a whole community to the admins, who resolve it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import CommunityReport
from agora.domain import limits, reports
from agora.domain.permissions import Acting, get_community, get_person, require_admin, require_can_write_in
from agora.errors import Code


async def report(session: AsyncSession, actor: Acting, community_id: int, reason: str | None) -> int:
    """File (or, reported again, replace and reopen) the member's report; answers its id."""
    reason = limits.check_report_reason(reason)
    community = await get_community(session, community_id)
    await require_can_write_in(session, actor, await get_person(session, actor.person_id), community)
    snapshot = {
        "original_community_name": community.name,
        "original_community_title": community.title,
        "original_community_description": community.description,
        "original_community_icon": community.icon,
        "original_community_banner": community.banner,
    }
    refiled = {"resolver_id": None, **snapshot}
    return await reports.file_report(
        session, CommunityReport, actor, "community_id", community.id, reason, snapshot, refiled=refiled
    )


async def resolve(session: AsyncSession, actor: Acting, report_id: int, resolved: bool) -> CommunityReport:
    require_admin(actor)
    found = await reports.get_report(session, CommunityReport, report_id, Code.couldnt_find_community_report)
    await reports.set_resolved(session, found, actor, resolved)
    return found
