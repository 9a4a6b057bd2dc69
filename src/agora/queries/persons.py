"""People as PersonItem: profiles, admins, lookups by name or handle."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import RowMapping, Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Instance, LocalUser, LoginToken, Person
from agora.db.prepared import Prepared, fetch
from agora.queries import actor_names, columns, rows
from agora.queries.views import PersonItem

PERSON = Person.__table__
USER = LocalUser.__table__


def person_select() -> Select[*tuple[Any, ...]]:
    """A person's columns (prefixed `c_`) and whether they are an admin, for `to_view`."""
    flag = USER.alias("admin_flag")
    is_admin = exists().where(flag.c.person_id == PERSON.c.id, flag.c.admin.is_(True)).label("f_admin")
    return select(*columns.labelled(PERSON, columns.PERSON, "c_"), is_admin)


def to_view(row: RowMapping) -> PersonItem:
    return PersonItem(person=columns.take(row, columns.PERSON, "c_"), is_admin=bool(row["f_admin"]))


async def get_view(session: AsyncSession, person_id: int) -> PersonItem | None:
    row = (await session.execute(person_select().where(PERSON.c.id == person_id))).mappings().first()
    return to_view(row) if row else None


async def views_by_ids(session: AsyncSession, person_ids: list[int]) -> list[PersonItem]:
    if not person_ids:
        return []
    rows = (await session.execute(person_select().where(PERSON.c.id.in_(person_ids)))).mappings()
    by_id = {row["c_id"]: to_view(row) for row in rows}
    return [by_id[i] for i in person_ids if i in by_id]


async def find_id(session: AsyncSession, local_instance_id: int, name: str) -> int | None:
    """A person id by `name` (local) or `name@host` (remote, if already known)."""
    return await actor_names.find_id(session, PERSON, local_instance_id, name.strip().lstrip("@"))


@lru_cache(maxsize=1)
def _admins() -> Prepared:
    query = (
        person_select()
        .join(USER, USER.c.person_id == PERSON.c.id)
        .where(USER.c.admin.is_(True), PERSON.c.deleted.is_(False))
        .order_by(USER.c.id)
    )
    return Prepared(lambda _dialect: query)


async def admins(session: AsyncSession) -> list[PersonItem]:
    """Admins, the oldest (the "top admin") first."""
    n = len(columns.PERSON)
    return [
        PersonItem(person=dict(zip(columns.PERSON, row[:n], strict=True)), is_admin=bool(row[n]))
        for row in await fetch(session, _admins(), {})
    ]


async def banned(session: AsyncSession) -> list[PersonItem]:
    query = person_select().where(PERSON.c.banned.is_(True)).order_by(PERSON.c.name)
    return [to_view(row) for row in (await session.execute(query)).mappings()]


async def login_tokens(session: AsyncSession, local_user_id: int) -> list[dict[str, Any]]:
    """A member's active sessions, oldest first (Lemmy's LoginToken list)."""
    rows = await session.execute(
        select(LoginToken.user_id, LoginToken.published, LoginToken.ip, LoginToken.user_agent)
        .where(LoginToken.user_id == local_user_id)
        .order_by(LoginToken.id)
    )
    return [{k: v for k, v in row.items() if v is not None} for row in rows.mappings()]


async def by_handle(session: AsyncSession, name: str, domain: str) -> dict[str, Any] | None:
    query = (
        select(Person.__table__)
        .join(Instance, Instance.id == Person.instance_id)
        .where(func.lower(Person.name) == name.lower(), Instance.domain == domain.lower())
    )
    found = (await session.execute(query)).mappings().first()
    return dict(found) if found else None


async def is_local(session: AsyncSession, person_id: int) -> bool:
    person = rows.already_loaded(session, Person, person_id)
    if person is not None:
        return bool(person.local)
    return bool((await session.execute(select(Person.local).where(Person.id == person_id))).scalar_one_or_none())
