"""Who is asking: a login token resolved to the member and the settings that shape what they see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    ScalarSelect,
    Select,
    String,
    bindparam,
    case,
    exists,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from agora.core.instance import LocalInstance
from agora.core.tokens import decode_token, token_hash
from agora.db.models import (
    Community,
    CommunityBlock,
    CommunityFollower,
    CommunityModerator,
    InstanceBlock,
    InstancePersonsBlock,
    KeywordFilter,
    LocalSite,
    LocalUser,
    LocalUserLanguage,
    LoginToken,
    Person,
    PersonBlock,
    PostHide,
    PostRead,
    PostSaved,
)
from agora.db.prepared import Prepared, fetch
from agora.queries import columns


@dataclass(slots=True)
class ViewerLists:
    """What the member has blocked, and whether they have any keyword filter, hidden or read post: read with the
    viewer so a listing leaves out the filters that cannot match (each NOT EXISTS costs planning time: a member's
    Subscribed page took 13-20 ms to plan with all of them, every time)."""

    blocked_people: list[int] = field(default_factory=list)
    blocked_communities: list[int] = field(default_factory=list)
    blocked_instances: list[int] = field(default_factory=list)  # instances whose communities are blocked
    blocked_instance_persons: list[int] = field(default_factory=list)  # instances whose persons are blocked
    # The communities whose posts the member's Subscribed feed shows: accepted follows of communities that are
    # neither deleted nor removed, on no instance the member blocked; and which of them are marked NSFW. The
    # feed's own statement then reads the post table alone (see queries.post_listings).
    subscribed: list[int] = field(default_factory=list)
    subscribed_nsfw: list[int] = field(default_factory=list)
    moderated: list[int] = field(default_factory=list)
    keyword_filters: bool = False
    hidden_posts: bool = False
    read_posts: bool = False
    saved_posts: bool = False


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
    # (local_user.viewer_version, local_site.viewer_epoch) as read with the rest: whether a kept viewer is current
    versions: tuple[int, int] = (0, 0)


def claimed_user(token: str, here: LocalInstance) -> int | None:
    """The local_user id a token's signature vouches for, or None."""
    return _claimed_user(token, here) if len(token) <= 1024 else decode_token(token, here)


@lru_cache(maxsize=4096)
def _claimed_user(token: str, here: LocalInstance) -> int | None:
    """The local_user id a token's signature vouches for (deterministic for a token, so kept: it is checked on
    every request). Whether the token is still valid is the database's answer, asked every time."""
    return decode_token(token, here)


def _id_list(
    dialect_name: str, column: ColumnElement[Any], *where: ColumnElement[bool], source: FromClause | None = None
) -> ScalarSelect[Any]:
    """The ids as one value of the viewer's row: an array on PostgreSQL, comma-separated text on SQLite."""
    chosen: Select[Any]
    if dialect_name == "postgresql":
        chosen = select(func.array_agg(column))
    else:
        chosen = select(func.group_concat(column, type_=String))
    if source is not None:
        chosen = chosen.select_from(source)
    return chosen.where(*where).scalar_subquery()


def feed_follows(
    follower: FromClause, community: FromClause, person_id: int | ColumnElement[int], instance_block: FromClause
) -> tuple[ColumnElement[bool], ...]:
    """The conditions of a follow whose community's posts a Subscribed feed shows (see ViewerLists)."""
    return (
        follower.c.person_id == person_id,
        follower.c.pending == columns.FALSE,
        community.c.deleted == columns.FALSE,
        community.c.removed == columns.FALSE,
        ~exists()
        .where(instance_block.c.person_id == person_id, instance_block.c.instance_id == community.c.instance_id)
        .correlate_except(instance_block),
    )


def _ids(value: str | list[int] | None) -> list[int]:
    if not value:
        return []
    return [int(v) for v in value.split(",")] if isinstance(value, str) else list(value)


def _viewer_select(dialect_name: str) -> Select[*tuple[Any, ...]]:
    """One row: the account, its person and token, its languages, what it blocked, follows (those its feed shows,
    and which of them are NSFW) and moderates, and whether it has any keyword filter, hidden or read post. One
    round trip for every logged-in request (it was two, and the second of them eight selects in a union)."""
    lu, person, lt, lang = LocalUser.__table__, Person.__table__, LoginToken.__table__, LocalUserLanguage.__table__
    pb, cb, ib = PersonBlock.__table__, CommunityBlock.__table__, InstanceBlock.__table__
    ipb = InstancePersonsBlock.__table__
    follower, mod, community = CommunityFollower.__table__, CommunityModerator.__table__, Community.__table__
    kf, hide, read, saved = KeywordFilter.__table__, PostHide.__table__, PostRead.__table__, PostSaved.__table__
    ids = partial(_id_list, dialect_name)
    followed = follower.join(community, community.c.id == follower.c.community_id)
    signed_follow = case((community.c.nsfw == columns.TRUE, -follower.c.community_id), else_=follower.c.community_id)
    in_feed = feed_follows(follower, community, person.c.id, ib.alias("feed_ib"))
    wanted = (
        lu.c.id,
        person.c.id,
        person.c.name,
        lu.c.admin,
        lu.c.show_nsfw,
        lu.c.show_bot_accounts,
        lu.c.show_read_posts,
        lu.c.default_sort_type,
        lu.c.default_listing_type,
        person.c.deleted,
        person.c.banned,
        person.c.ban_expires,
        ids(lang.c.language_id, lang.c.local_user_id == lu.c.id),
        ids(pb.c.target_id, pb.c.person_id == person.c.id),
        ids(cb.c.community_id, cb.c.person_id == person.c.id),
        ids(ib.c.instance_id, ib.c.person_id == person.c.id),
        ids(ipb.c.instance_id, ipb.c.person_id == person.c.id),
        # one list for both: an NSFW community's id negated (ids are positive), so the follows are read once
        ids(signed_follow, *in_feed, source=followed),
        ids(mod.c.community_id, mod.c.person_id == person.c.id),
        exists().where(kf.c.local_user_id == lu.c.id),
        exists().where(hide.c.person_id == person.c.id),
        exists().where(read.c.person_id == person.c.id),
        exists().where(saved.c.person_id == person.c.id),
        lu.c.viewer_version,
        _epoch(),
    )
    return (
        select(*wanted)
        .select_from(lu.join(person, person.c.id == lu.c.person_id).join(lt, lt.c.user_id == lu.c.id))
        .where(lu.c.id == bindparam("local_user_id"), lt.c.token_hash == bindparam("token_hash"))
    )


@lru_cache(maxsize=1)
def _by_token() -> Prepared:
    return Prepared(_viewer_select)


def _epoch() -> ScalarSelect[int]:
    site = LocalSite.__table__
    return select(site.c.viewer_epoch).order_by(site.c.id).limit(1).scalar_subquery()


def _versions_select(_dialect_name: str) -> Select[*tuple[Any, ...]]:
    lu, lt = LocalUser.__table__, LoginToken.__table__
    return (
        select(lu.c.viewer_version, _epoch())
        .select_from(lu.join(lt, lt.c.user_id == lu.c.id))
        .where(lu.c.id == bindparam("local_user_id"), lt.c.token_hash == bindparam("token_hash"))
    )


@lru_cache(maxsize=1)
def _versions() -> Prepared:
    return Prepared(_versions_select)


async def current_versions(session: AsyncSession | AsyncConnection, viewer: Viewer) -> tuple[int, int] | None:
    """The member's and the site's viewer versions now, or None when the viewer's token no longer logs in: one
    indexed row, so a kept viewer is checked against the database on every read (deps.ViewerCache)."""
    params = {"local_user_id": viewer.local_user_id, "token_hash": token_hash(viewer.token)}
    rows = await fetch(session, _versions(), params)
    return (rows[0][0], rows[0][1]) if rows else None


async def resolve(session: AsyncSession | AsyncConnection, here: LocalInstance, token: str | None) -> Viewer | None:
    """The member behind a token, or None when it is absent, forged, revoked, or the account may not act.

    Lemmy treats an unusable token as no token on public routes; login-required routes then refuse with
    incorrect_login. One query: the account, its person and token, and one row per chosen language.
    """
    if not token:
        return None
    local_user_id = claimed_user(token, here)
    if local_user_id is None:
        return None
    rows = await fetch(session, _by_token(), {"local_user_id": local_user_id, "token_hash": token_hash(token)})
    if not rows:
        return None
    user_id, person_id, name, admin, nsfw, bots, read, sort, listing, deleted, banned, ban_expires, *lists = rows[0]
    *lists, version, epoch = lists
    (
        languages,
        people,
        communities,
        instances,
        instance_persons,
        follows,
        moderated,
        keyword_filters,
        hidden,
        read_posts,
        saved_posts,
    ) = lists
    if deleted:
        return None
    if banned and (ban_expires is None or ban_expires > datetime.now(UTC)):
        return None
    signed = _ids(follows)
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
        versions=(version, epoch),
        language_ids=sorted(_ids(languages)),
        lists=ViewerLists(
            blocked_people=_ids(people),
            blocked_communities=_ids(communities),
            blocked_instances=_ids(instances),
            blocked_instance_persons=_ids(instance_persons),
            subscribed=[abs(community_id) for community_id in signed],
            subscribed_nsfw=[-community_id for community_id in signed if community_id < 0],
            moderated=_ids(moderated),
            keyword_filters=bool(keyword_filters),
            hidden_posts=bool(hidden),
            read_posts=bool(read_posts),
            saved_posts=bool(saved_posts),
        ),
    )
