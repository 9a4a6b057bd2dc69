"""Community reports for the admins (all of them) and for their reporters (their own)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import CommunityReport
from agora.queries import rows
from agora.queries.reports import ReportFilter, page_of_reports
from agora.queries.rows import Row
from agora.queries.viewer import Viewer

CR = CommunityReport.__table__


@dataclass(slots=True)
class CommunityReportItem:
    report: Row
    community: Row
    creator: Row
    resolver: Row | None


def _filters(viewer: Viewer, f: ReportFilter) -> list[ColumnElement[bool]] | None:
    """None when the viewer may see none: community reports go to the admins, and to their own reporters."""
    where: list[ColumnElement[bool]] = []
    if f.reporter:
        where.append(CR.c.creator_id == viewer.person_id)
    elif not viewer.admin:
        return None
    if f.post_id is not None or f.comment_id is not None:
        return None  # a community report is about no post or comment
    if f.unresolved_only:
        where.append(CR.c.resolved.is_(False))
    if f.community_id is not None:
        where.append(CR.c.community_id == f.community_id)
    if f.report_id is not None:
        where.append(CR.c.id == f.report_id)
    return where


async def community_reports(session: AsyncSession, viewer: Viewer, f: ReportFilter) -> list[CommunityReportItem]:
    where = _filters(viewer, f)
    if where is None:
        return []
    reports, people = await page_of_reports(session, select(CR).where(*where), CR, f)
    communities = await rows.communities(session, [r["community_id"] for r in reports])
    return [
        CommunityReportItem(r, communities[r["community_id"]], people[r["creator_id"]], people.get(r["resolver_id"]))
        for r in reports
        if r["community_id"] in communities and r["creator_id"] in people
    ]


async def community_report(
    session: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False
) -> CommunityReportItem | None:
    f = ReportFilter(unresolved_only=False, reporter=reporter, report_id=report_id, limit=1)
    found = await community_reports(session, viewer, f)
    return found[0] if found else None
