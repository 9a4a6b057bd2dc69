"""Communities as CommunityItem, their moderators, allowed languages and the posts their outbox shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, Select, exists, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import (
    Community,
    CommunityBlock,
    CommunityFollower,
    CommunityLanguage,
    CommunityModerator,
    CommunityPersonBan,
    Person,
    Post,
)
from agora.db.moderators import is_moderator as is_moderator  # the one rule, read here by the faces
from agora.db.prepared import with_values
from agora.errors import AgoraError, Code
from agora.queries import actor_names, columns, keyset, visibility
from agora.queries.viewer import Viewer
from agora.queries.views import CommunityItem, ModeratorItem

COMM = Community.__table__

# A post sort name reinterpreted for communities, as Lemmy does: (column, descending).
SORTS: dict[str, tuple[str, bool]] = {
    **{s: ("hot_rank", True) for s in ("Hot", "Active", "Scaled")},
    "New": ("published", True),
    "Old": ("published", False),
    **{s: ("users_active_day", True) for s in ("TopHour", "TopSixHour", "TopTwelveHour", "TopDay", "NewComments")},
    "TopWeek": ("users_active_week", True),
    "TopMonth": ("users_active_month", True),
    **{s: ("users_active_half_year", True) for s in ("TopThreeMonths", "TopSixMonths")},
    **{s: ("subscribers", True) for s in ("TopNineMonths", "TopYear", "TopAll")},
    **{s: ("comments", True) for s in ("MostComments", "Controversial")},
    # Lemmy 1.0's community sorts that 0.19 had no name for
    "NameAsc": ("name", False),
    "NameDesc": ("name", True),
    "Posts": ("posts", True),
    "SubscribersLocal": ("subscribers_local", True),
}


def _select(viewer: Viewer | None) -> Select[*tuple[Any, ...]]:
    cols = list(columns.labelled(COMM, columns.COMMUNITY, "m_"))
    if viewer is not None:
        follower, block, ban = CommunityFollower.__table__, CommunityBlock.__table__, CommunityPersonBan.__table__
        vid = viewer.person_id
        follow = (follower.c.community_id == COMM.c.id) & (follower.c.person_id == vid)
        cols += [
            exists().where(follow).label("f_followed"),
            select(follower.c.pending).where(follow).scalar_subquery().label("f_follow_pending"),
            exists().where(block.c.community_id == COMM.c.id, block.c.person_id == vid).label("f_blocked"),
            exists()
            .where(
                ban.c.community_id == COMM.c.id,
                ban.c.person_id == vid,
                or_(ban.c.expires.is_(None), ban.c.expires > now()),
            )
            .label("f_banned"),
        ]
    return select(*cols).select_from(COMM)


def to_view(row: RowMapping) -> CommunityItem:
    subscribed = "NotSubscribed"
    if row.get("f_followed"):
        subscribed = "Pending" if row.get("f_follow_pending") else "Subscribed"
    return CommunityItem(
        community=columns.take(row, columns.COMMUNITY, "m_"),
        subscribed=subscribed,
        blocked=bool(row.get("f_blocked", False)),
        banned_from_community=bool(row.get("f_banned", False)),
    )


async def get_view(
    session: AsyncSession, viewer: Viewer | None, community_id: int, *, any_state: bool = False
) -> CommunityItem | None:
    """A community as `viewer` may see it (queries.visibility); `any_state` also returns it deleted or removed
    (after a mod's own write, which they were allowed to make)."""
    rules = visibility.community_filters(COMM, member=viewer is not None)
    where = [COMM.c.id == community_id, *(rules if any_state else visibility.community_rules(COMM, viewer))]
    first = (await session.execute(_select(viewer).where(*where))).mappings().first()
    return to_view(first) if first else None


async def views_by_ids(session: AsyncSession, viewer: Viewer | None, community_ids: list[int]) -> list[CommunityItem]:
    """The communities of `community_ids` that `viewer` may see, in that order."""
    if not community_ids:
        return []
    where = [COMM.c.id.in_(community_ids), *visibility.community_rules(COMM, viewer)]
    by_id = {
        view.community["id"]: view
        for view in map(to_view, (await session.execute(_select(viewer).where(*where))).mappings())
    }
    return [by_id[i] for i in community_ids if i in by_id]


async def find_id(session: AsyncSession, local_instance_id: int, name: str) -> int | None:
    """A community id by `name` (local) or `name@host` (remote, if already known)."""
    return await actor_names.find_id(session, COMM, local_instance_id, name.strip().lstrip("!"))


async def list_views(
    session: AsyncSession,
    viewer: Viewer | None,
    *,
    listing_type: str,
    sort: str,
    show_nsfw: bool,
    page: int,
    limit: int,
    cursor_id: int | None = None,
    page_back: bool = False,
) -> list[CommunityItem]:
    """`cursor_id`: keyset paging, the page after that community (before it with `page_back`, still in listing
    order) instead of `page`."""
    key_name, descending = SORTS.get(sort, SORTS["Hot"])
    key = COMM.c[key_name]
    where = visibility.community_rules(COMM, viewer)
    vid = viewer.person_id if viewer else None
    follower = CommunityFollower.__table__
    if viewer is None:
        where.append(COMM.c.hidden.is_(False))
    elif not viewer.admin:
        where.append(
            or_(
                COMM.c.hidden.is_(False),
                exists().where(follower.c.community_id == COMM.c.id, follower.c.person_id == vid),
            )
        )
    if not show_nsfw:
        where.append(COMM.c.nsfw.is_(False))
    if listing_type == "Local":
        where.append(COMM.c.local.is_(True))
    elif listing_type == "Subscribed":
        if vid is None:
            return []
        where.append(exists().where(follower.c.community_id == COMM.c.id, follower.c.person_id == vid))
    elif listing_type == "ModeratorView":
        if vid is None:
            return []
        mod = CommunityModerator.__table__
        where.append(exists().where(mod.c.community_id == COMM.c.id, mod.c.person_id == vid))
    if vid is not None and listing_type != "Subscribed":
        block = CommunityBlock.__table__
        where.append(not_(exists().where(block.c.community_id == COMM.c.id, block.c.person_id == vid)))
    if sort == "Random":  # one listing's rules, any order: GET /community/random
        query = _select(viewer).where(*where).order_by(func.random()).limit(limit)
        return [to_view(row) for row in (await session.execute(query)).mappings()]
    keys = [(key, descending), (COMM.c.id, descending)]
    offset = (page - 1) * limit
    if cursor_id is not None:
        found = (await session.execute(select(key, COMM.c.id).where(COMM.c.id == cursor_id))).first()
        if found is None:
            raise AgoraError(Code.invalid_body_field, "page_cursor refers to no community")
        keys = keyset.reversed_keys(keys) if page_back else keys
        where.append(with_values(keyset.beyond(keys, "after_"), keyset.cursor_values("after_", tuple(found))))
        offset = 0
    query = _select(viewer).where(*where).order_by(*keyset.order_by(keys)).limit(limit).offset(offset)
    views = [to_view(row) for row in (await session.execute(query)).mappings()]
    return views[::-1] if cursor_id is not None and page_back else views


async def moderators(session: AsyncSession, community_id: int) -> list[ModeratorItem]:
    person = Person.__table__
    mod = CommunityModerator.__table__
    query = (
        select(*columns.labelled(COMM, columns.COMMUNITY, "m_"), *columns.labelled(person, columns.PERSON, "c_"))
        .select_from(mod.join(COMM, COMM.c.id == mod.c.community_id).join(person, person.c.id == mod.c.person_id))
        .where(mod.c.community_id == community_id)
        .order_by(mod.c.rank, mod.c.id)
    )
    return [
        ModeratorItem(
            community=columns.take(row, columns.COMMUNITY, "m_"), moderator=columns.take(row, columns.PERSON, "c_")
        )
        for row in (await session.execute(query)).mappings()
    ]


async def moderated_by(session: AsyncSession, viewer: Viewer | None, person_id: int) -> list[ModeratorItem]:
    """The communities a person moderates that `viewer` may see, deleted and removed ones left out."""
    person = Person.__table__
    mod = CommunityModerator.__table__
    query = (
        select(*columns.labelled(COMM, columns.COMMUNITY, "m_"), *columns.labelled(person, columns.PERSON, "c_"))
        .select_from(mod.join(COMM, COMM.c.id == mod.c.community_id).join(person, person.c.id == mod.c.person_id))
        .where(mod.c.person_id == person_id, COMM.c.deleted.is_(False), COMM.c.removed.is_(False))
        .where(*visibility.community_filters(COMM, member=viewer is not None))
        .order_by(COMM.c.name)
    )
    return [
        ModeratorItem(
            community=columns.take(row, columns.COMMUNITY, "m_"), moderator=columns.take(row, columns.PERSON, "c_")
        )
        for row in (await session.execute(query)).mappings()
    ]


async def language_ids(session: AsyncSession, community_id: int) -> list[int]:
    query = (
        select(CommunityLanguage.language_id)
        .where(CommunityLanguage.community_id == community_id)
        .order_by(CommunityLanguage.language_id)
    )
    return list((await session.execute(query)).scalars())


async def recent_post_ids(session: AsyncSession, community_id: int, limit: int) -> list[int]:
    query = (
        select(Post.id)
        .where(Post.community_id == community_id, Post.deleted.is_(False), Post.removed.is_(False))
        .order_by(Post.published.desc(), Post.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def featured_post_ids(session: AsyncSession, community_id: int) -> list[int]:
    query = (
        select(Post.id)
        .where(
            Post.community_id == community_id,
            Post.featured_community.is_(True),
            Post.deleted.is_(False),
            Post.removed.is_(False),
        )
        .order_by(Post.published.desc())
    )
    return list((await session.execute(query)).scalars())


async def moderator_urls(session: AsyncSession, community_id: int) -> list[str]:
    query = (
        select(Person.actor_id)
        .join(CommunityModerator, CommunityModerator.person_id == Person.id)
        .where(CommunityModerator.community_id == community_id)
        .order_by(CommunityModerator.rank, CommunityModerator.id)
    )
    return list((await session.execute(query)).scalars())
