"""Who is banned from a community, until when and why: for its moderators' page, a person's profile as moderators
see it, and the banned member themselves. The reason is the one the ban's modlog entry gave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import CommunityModerator, CommunityPersonBan, ModlogEntry
from agora.queries import rows
from agora.queries.rows import Row

BAN = CommunityPersonBan.__table__
LOG = ModlogEntry.__table__


@dataclass(slots=True)
class BanItem:
    """One ban in force: `expires` None is for good; `reason` is what the moderator wrote, if anything."""

    expires: datetime | None
    reason: str | None
    person: Row
    community: Row
    published: datetime


async def _views(session: AsyncSession, *where: ColumnElement[bool]) -> list[BanItem]:
    current = (BAN.c.expires.is_(None)) | (BAN.c.expires > now())
    found = (
        await session.execute(select(BAN).where(current, *where).order_by(BAN.c.published.desc()).limit(200))
    ).mappings()
    bans = [dict(b) for b in found]
    people = await rows.persons(session, [b["person_id"] for b in bans])
    communities = await rows.communities(session, [b["community_id"] for b in bans])
    views = []
    for b in bans:
        reason = (
            await session.execute(
                select(LOG.c.reason)
                .where(
                    LOG.c.kind == "ModBanFromCommunity",
                    LOG.c.community_id == b["community_id"],
                    LOG.c.other_person_id == b["person_id"],
                    LOG.c.flag.is_(True),
                )
                .order_by(LOG.c.id.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
        views.append(
            BanItem(
                expires=b["expires"],
                reason=reason,
                person=people[b["person_id"]],
                community=communities[b["community_id"]],
                published=b["published"],
            )
        )
    return views


async def of_community(session: AsyncSession, community_id: int) -> list[BanItem]:
    """The community's bans in force, newest first."""
    return await _views(session, BAN.c.community_id == community_id)


async def of_person(session: AsyncSession, person_id: int, *, moderated_by: int | None) -> list[BanItem]:
    """The person's community bans in force (only in communities `moderated_by` moderates, when set)."""
    where = [BAN.c.person_id == person_id]
    if moderated_by is not None:
        mine = select(CommunityModerator.community_id).where(CommunityModerator.person_id == moderated_by)
        where.append(BAN.c.community_id.in_(mine))
    return await _views(session, *where)


async def in_community(session: AsyncSession, person_id: int, community_id: int) -> BanItem | None:
    """The person's ban from the community, if one is in force (what the banned member is told)."""
    found = await _views(session, BAN.c.person_id == person_id, BAN.c.community_id == community_id)
    return found[0] if found else None
