"""Reports for moderators (their communities) and admins (all), with the reported content as the viewer sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Comment, CommentReport, CommunityModerator, Post, PostReport
from agora.queries import comments as comment_queries
from agora.queries import paging, post_views, rows
from agora.queries.rows import Row
from agora.queries.viewer import Viewer
from agora.queries.views import CommentItem, PostItem

PR = PostReport.__table__
CR = CommentReport.__table__
P = Post.__table__
C = Comment.__table__


@dataclass(slots=True)
class ReportFilter:
    unresolved_only: bool = True
    reporter: bool = False  # the viewer's own reports instead of those they moderate
    community_id: int | None = None
    post_id: int | None = None
    comment_id: int | None = None
    report_id: int | None = None
    page: int = 1
    limit: int = 20


@dataclass(slots=True)
class PostReportItem:
    report: Row
    post: PostItem
    creator: Row
    resolver: Row | None


@dataclass(slots=True)
class CommentReportItem:
    report: Row
    comment: CommentItem
    creator: Row
    resolver: Row | None


def _in_scope(
    viewer: Viewer, community_column: ColumnElement[int], *, reporter: ColumnElement[int] | None = None
) -> list[ColumnElement[bool]]:
    """Admins see every report; moderators those in the communities they moderate; `reporter` their own."""
    if viewer.admin:
        return []
    if reporter is not None:
        return [reporter == viewer.person_id]
    moderated = select(CommunityModerator.community_id).where(CommunityModerator.person_id == viewer.person_id)
    return [community_column.in_(moderated)]


def _report_filters(
    viewer: Viewer, f: ReportFilter, report: FromClause, reported: ColumnElement[int], reported_id: int | None
) -> list[ColumnElement[bool]]:
    """The filters of a list of post or comment reports: `report` is its table, `reported` the column naming the
    post or comment, `reported_id` the one asked for (if any)."""
    where = _in_scope(viewer, P.c.community_id, reporter=report.c.creator_id if f.reporter else None)
    if f.unresolved_only:
        where.append(report.c.resolved.is_(False))
    if f.community_id is not None:
        where.append(P.c.community_id == f.community_id)
    if reported_id is not None:
        where.append(reported == reported_id)
    if f.report_id is not None:
        where.append(report.c.id == f.report_id)
    return where


def _post_report_filters(viewer: Viewer, f: ReportFilter) -> list[ColumnElement[bool]]:
    return _report_filters(viewer, f, PR, PR.c.post_id, f.post_id)


def _comment_report_filters(viewer: Viewer, f: ReportFilter) -> list[ColumnElement[bool]]:
    return _report_filters(viewer, f, CR, CR.c.comment_id, f.comment_id)


async def page_of_reports(
    session: AsyncSession, query: Select[Any], table: FromClause, f: ReportFilter
) -> tuple[list[Row], dict[int, Row]]:
    """The page of reports `query` selects from `table`, newest first, and their reporters and resolvers by id."""
    reports = [dict(r) for r in (await session.execute(paging.newest_first(query, table, f.page, f.limit))).mappings()]
    people = await rows.persons(session, [r[k] for r in reports for k in ("creator_id", "resolver_id")])
    return reports, people


async def post_reports(session: AsyncSession, viewer: Viewer, f: ReportFilter) -> list[PostReportItem]:
    query = select(PR).join(P, P.c.id == PR.c.post_id).where(*_post_report_filters(viewer, f))
    reports, people = await page_of_reports(session, query, PR, f)
    found = await post_views.views_by_ids(session, viewer, [r["post_id"] for r in reports])
    views = {v.post["id"]: v for v in found}
    return [
        PostReportItem(r, views[r["post_id"]], people[r["creator_id"]], people.get(r["resolver_id"]))
        for r in reports
        if r["post_id"] in views and r["creator_id"] in people
    ]


async def comment_reports(session: AsyncSession, viewer: Viewer, f: ReportFilter) -> list[CommentReportItem]:
    query = (
        select(CR)
        .join(C, C.c.id == CR.c.comment_id)
        .join(P, P.c.id == C.c.post_id)
        .where(*_comment_report_filters(viewer, f))
    )
    reports, people = await page_of_reports(session, query, CR, f)
    items = []
    for r in reports:
        view = await comment_queries.get_comment_view(session, viewer, r["comment_id"])
        if view is not None and r["creator_id"] in people:
            items.append(CommentReportItem(r, view, people[r["creator_id"]], people.get(r["resolver_id"])))
    return items


async def post_report(
    session: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False
) -> PostReportItem | None:
    f = ReportFilter(unresolved_only=False, reporter=reporter, report_id=report_id, limit=1)
    found = await post_reports(session, viewer, f)
    return found[0] if found else None


async def comment_report(
    session: AsyncSession, viewer: Viewer, report_id: int, *, reporter: bool = False
) -> CommentReportItem | None:
    f = ReportFilter(unresolved_only=False, reporter=reporter, report_id=report_id, limit=1)
    found = await comment_reports(session, viewer, f)
    return found[0] if found else None


async def counts(session: AsyncSession, viewer: Viewer, community_id: int | None) -> dict[str, int]:
    f = ReportFilter(unresolved_only=True, community_id=community_id)
    posts = select(func.count()).select_from(PR.join(P, P.c.id == PR.c.post_id)).where(*_post_report_filters(viewer, f))
    comments = (
        select(func.count())
        .select_from(CR.join(C, C.c.id == CR.c.comment_id).join(P, P.c.id == C.c.post_id))
        .where(*_comment_report_filters(viewer, f))
    )
    return {
        "post_reports": (await session.execute(posts)).scalar_one(),
        "comment_reports": (await session.execute(comments)).scalar_one(),
    }


async def find_id(session: AsyncSession, kind: str, target_id: int, creator_id: int) -> int | None:
    model, column = (PostReport, PostReport.post_id) if kind == "post" else (CommentReport, CommentReport.comment_id)
    query = select(model.id).where(column == target_id, model.creator_id == creator_id)
    return (await session.execute(query)).scalar_one_or_none()


async def row(session: AsyncSession, kind: str, report_id: int) -> dict[str, Any] | None:
    model = PostReport if kind == "post" else CommentReport
    found = (await session.execute(select(model.__table__).where(model.id == report_id))).mappings().first()
    return dict(found) if found else None
