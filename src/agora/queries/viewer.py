"""Who is asking: a login token resolved to the member and the settings that shape what they see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import bindparam, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from agora.db.models import (
    CommunityBlock,
    CommunityFollower,
    CommunityModerator,
    InstanceBlock,
    KeywordFilter,
    LocalUser,
    LocalUserLanguage,
    LoginToken,
    Person,
    PersonBlock,
    PostHide,
    PostRead,
)
from agora.db.prepared import Prepared, fetch
from agora.domain.instance import LocalInstance
from agora.domain.logins import decode_token, token_hash


@dataclass(slots=True)
class ViewerLists:
    """What the member has blocked, and whether they have any keyword filter, hidden or read post: read with the
    viewer so a listing leaves out the filters that cannot match (each NOT EXISTS costs planning time: a member's
    Subscribed page took 13-20 ms to plan with all of them, every time)."""

    blocked_people: list[int] = field(default_factory=list)
    blocked_communities: list[int] = field(default_factory=list)
    blocked_instances: list[int] = field(default_factory=list)
    subscribed: list[int] = field(default_factory=list)  # communities followed (accepted follows)
    moderated: list[int] = field(default_factory=list)
    keyword_filters: bool = False
    hidden_posts: bool = False
    read_posts: bool = False


@dataclass(slots=True)
class Viewer:
    local_user_id: int
    person_id: int
    name: str
    admin: bool
    show_nsfw: bool
    show_bot_accounts: bool
    show_read_posts: bool
    default_sort_type: str
    default_listing_type: str
    token: str
    language_ids: list[int] = field(default_factory=list)
    lists: ViewerLists | None = None  # None: unknown, listings filter with subqueries


@lru_cache(maxsize=4096)
def _claimed_user(token: str, here: LocalInstance) -> int | None:
    """The local_user id a token's signature vouches for (deterministic for a token, so kept: it is checked on
    every request). Whether the token is still valid is the database's answer, asked every time."""
    return decode_token(token, here)


@lru_cache(maxsize=1)
def _by_token() -> Prepared:
    lu, person, lt, lang = LocalUser.__table__, Person.__table__, LoginToken.__table__, LocalUserLanguage.__table__
    wanted = (
        lu.c.id, person.c.id, person.c.name, lu.c.admin, lu.c.show_nsfw, lu.c.show_bot_accounts,
        lu.c.show_read_posts, lu.c.default_sort_type, lu.c.default_listing_type,
        person.c.deleted, person.c.banned, person.c.ban_expires, lang.c.language_id,
    )  # fmt: skip
    query = (
        select(*wanted)
        .select_from(
            lu.join(person, person.c.id == lu.c.person_id)
            .join(lt, lt.c.user_id == lu.c.id)
            .outerjoin(lang, lang.c.local_user_id == lu.c.id)
        )
        .where(lu.c.id == bindparam("local_user_id"), lt.c.token_hash == bindparam("token_hash"))
        .order_by(lang.c.language_id)
    )
    return Prepared(lambda _dialect: query)


@lru_cache(maxsize=1)
def _lists() -> Prepared:
    """(kind, id) rows: 1-3 the people, communities and instances blocked, 7-8 the communities followed and
    moderated; 4-6 one row if there is any keyword filter, hidden post or read post."""
    vid, luid = bindparam("person_id"), bindparam("local_user_id")
    pb, cb, ib = PersonBlock.__table__, CommunityBlock.__table__, InstanceBlock.__table__
    follower, mod = CommunityFollower.__table__, CommunityModerator.__table__
    kinds = [
        select(literal_column("1"), pb.c.target_id).where(pb.c.person_id == vid),
        select(literal_column("2"), cb.c.community_id).where(cb.c.person_id == vid),
        select(literal_column("3"), ib.c.instance_id).where(ib.c.person_id == vid),
        select(literal_column("7"), follower.c.community_id).where(
            follower.c.person_id == vid, follower.c.pending == literal_column("false")
        ),
        select(literal_column("8"), mod.c.community_id).where(mod.c.person_id == vid),
    ]
    owners = ((KeywordFilter.local_user_id, luid), (PostHide.person_id, vid), (PostRead.person_id, vid))
    for kind, (column, owner) in enumerate(owners, start=4):
        one = select(literal_column("1").label("x")).where(column == owner).limit(1).subquery()
        kinds.append(select(literal_column(str(kind)), literal_column("0")).select_from(one))
    query = union_all(*kinds)
    return Prepared(lambda _dialect: query)


async def lists(session: AsyncSession | AsyncConnection, person_id: int, local_user_id: int) -> ViewerLists:
    out = ViewerLists()
    blocked = {
        1: out.blocked_people,
        2: out.blocked_communities,
        3: out.blocked_instances,
        7: out.subscribed,
        8: out.moderated,
    }
    for kind, value in await fetch(session, _lists(), {"person_id": person_id, "local_user_id": local_user_id}):
        if kind in blocked:
            blocked[kind].append(value)
        elif kind == 4:
            out.keyword_filters = True
        elif kind == 5:
            out.hidden_posts = True
        else:
            out.read_posts = True
    return out


async def resolve(session: AsyncSession | AsyncConnection, here: LocalInstance, token: str | None) -> Viewer | None:
    """The member behind a token, or None when it is absent, forged, revoked, or the account may not act.

    Lemmy treats an unusable token as no token on public routes; login-required routes then refuse with
    incorrect_login. One query: the account, its person and token, and one row per chosen language.
    """
    if not token:
        return None
    local_user_id = _claimed_user(token, here) if len(token) <= 1024 else decode_token(token, here)
    if local_user_id is None:
        return None
    rows = await fetch(session, _by_token(), {"local_user_id": local_user_id, "token_hash": token_hash(token)})
    if not rows:
        return None
    user_id, person_id, name, admin, nsfw, bots, read, sort, listing, deleted, banned, ban_expires, _ = rows[0]
    if deleted:
        return None
    if banned and (ban_expires is None or ban_expires > datetime.now(UTC)):
        return None
    return Viewer(
        local_user_id=user_id,
        person_id=person_id,
        name=name,
        admin=admin,
        show_nsfw=nsfw,
        show_bot_accounts=bots,
        show_read_posts=read,
        default_sort_type=sort,
        default_listing_type=listing,
        token=token,
        language_ids=[row[-1] for row in rows if row[-1] is not None],
        lists=await lists(session, person_id, user_id),
    )
