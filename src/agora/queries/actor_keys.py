"""The keys of the actors (people, communities, this instance) that sign and verify activities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import BindParameter, bindparam, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import Community, Person, Site
from agora.db.prepared import Prepared, fetch
from agora.queries import columns


@dataclass(frozen=True, slots=True)
class ActorKey:
    kind: str  # person | community | site
    id: int
    actor_id: str
    public_key: str | None
    private_key: str | None
    local: bool
    refreshed: datetime | None
    deleted: bool


_ACTOR_KINDS = ("person", "community", "site")


@lru_cache(maxsize=1)
def _actor_key() -> Prepared:
    url: BindParameter[str] = bindparam("url")
    parts = [
        select(
            literal_column(str(rank)).label("rank"),
            t.c.id,
            t.c.public_key,
            t.c.private_key,
            t.c.local,
            t.c.last_refreshed_at,
            t.c.deleted,
        ).where(t.c.actor_id == url)
        for rank, t in enumerate((Person.__table__, Community.__table__))
    ]
    site = Site.__table__
    parts.append(
        select(
            literal_column("2"),
            site.c.id,
            site.c.public_key,
            site.c.private_key,
            columns.FALSE,
            site.c.last_refreshed_at,
            columns.FALSE,
        ).where(site.c.actor_id == url)
    )
    query = union_all(*parts).order_by(literal_column("rank")).limit(1)
    return Prepared(lambda _dialect: query)


async def find(session: AsyncSession, actor_url: str) -> ActorKey | None:
    """The key of the person, community or instance actor with this id (a key id's fragment is ignored)."""
    actor_url = actor_url.split("#", 1)[0]
    rows = await fetch(session, _actor_key(), {"url": actor_url})
    if not rows:
        return None
    rank, row_id, public_key, private_key, local, refreshed, deleted = rows[0]
    return ActorKey(
        _ACTOR_KINDS[int(rank)], row_id, actor_url, public_key, private_key, bool(local), refreshed, bool(deleted)
    )
