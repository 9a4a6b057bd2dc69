"""Registration applications for admins: the answer, the applicant and who decided."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import LocalUser, RegistrationApplication
from agora.queries import paging, rows
from agora.queries.rows import Row
from agora.queries.site import LOCAL_USER

APP = RegistrationApplication.__table__
USER = LocalUser.__table__


@dataclass(slots=True)
class ApplicationItem:
    application: Row
    local_user: Row
    creator: Row
    admin: Row | None


async def list_views(
    session: AsyncSession,
    *,
    unread_only: bool,
    page: int = 1,
    limit: int = 20,
    application_id: int | None = None,
    person_id: int | None = None,
) -> list[ApplicationItem]:
    query = select(APP, *[USER.c[n].label(f"u_{n}") for n in LOCAL_USER]).join(USER, USER.c.id == APP.c.local_user_id)
    if unread_only:
        query = query.where(APP.c.admin_id.is_(None))
    if application_id is not None:
        query = query.where(APP.c.id == application_id)
    if person_id is not None:
        query = query.where(USER.c.person_id == person_id)
    query = paging.newest_first(query, APP, page, limit)
    found = [dict(r) for r in (await session.execute(query)).mappings()]
    people = await rows.persons(session, [r[k] for r in found for k in ("u_person_id", "admin_id")])
    views = []
    for r in found:
        user = {n: r[f"u_{n}"] for n in LOCAL_USER}
        application = {k: r[k] for k in ("id", "local_user_id", "answer", "admin_id", "deny_reason", "published")}
        if user["person_id"] in people:
            views.append(ApplicationItem(application, user, people[user["person_id"]], people.get(r["admin_id"])))
    return views


async def unread_count(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).where(APP.c.admin_id.is_(None)))).scalar_one()
