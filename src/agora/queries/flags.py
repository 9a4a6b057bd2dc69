"""Viewer-dependent flags of post and comment views, as correlated subqueries in the same SELECT.

One query per listing, whatever the page size: no per-row round trips. The viewer and the time are the named
parameters `vid` and `now` (statements are built once and run with values: db.prepared).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    FromClause,
    Label,
    and_,
    bindparam,
    false,
    literal,
    null,
    or_,
    select,
)

from agora.db.models import (
    CommunityFollower,
    CommunityModerator,
    CommunityPersonBan,
    LocalUser,
    PersonBlock,
)
from agora.queries import columns
from agora.queries.views import RelationFlags


def _probe(*where: ColumnElement[bool]) -> ColumnElement[bool]:
    """True if a row matches, else NULL: a scalar subquery, which PostgreSQL evaluates for the rows it returns.
    An EXISTS it may instead turn into a hash of the whole table, built once per query: it did so for the
    moderators of every community (10k rows, 1 ms) on a front page whose index scan it thought would read 1M rows
    but stopped after 20."""
    return select(literal(True)).where(*where).limit(1).scalar_subquery()


def _ban_active(person_id: ColumnElement[int], community_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    ban = CommunityPersonBan.__table__
    return _probe(
        ban.c.community_id == community_id,
        ban.c.person_id == person_id,
        or_(ban.c.expires.is_(None), ban.c.expires > bindparam("now")),
    )


def author_flags(creator: FromClause, community_id: int | ColumnElement[int]) -> list[Label[Any]]:
    """Flags about the author that every viewer sees (true or null)."""
    mod = CommunityModerator.__table__
    user = LocalUser.__table__
    return [
        _ban_active(creator.c.id, community_id).label("f_creator_banned"),
        _probe(mod.c.community_id == community_id, mod.c.person_id == creator.c.id).label("f_creator_mod"),
        # `admin = true` as the partial index ix_local_user_admin says it
        _probe(user.c.person_id == creator.c.id, user.c.admin == columns.TRUE).label("f_creator_admin"),
    ]


def viewer_flags(
    has_viewer: bool, creator: FromClause, community_id: int | ColumnElement[int], *, blocks: bool = True
) -> list[Label[Any]]:
    """Flags about the viewer's relation to the row's community and author (constants when anonymous):
    banned from it, the follow's `pending` (null when not following), author blocked (false without asking when
    `blocks` is off: the viewer blocked no one)."""
    if not has_viewer:
        return [false().label("f_banned"), null().label("f_follow_pending"), false().label("f_creator_blocked")]
    follower = CommunityFollower.__table__
    block = PersonBlock.__table__
    viewer_person_id: BindParameter[int] = bindparam("vid")
    follow = and_(follower.c.community_id == community_id, follower.c.person_id == viewer_person_id)
    return [
        _ban_active(viewer_person_id, community_id).label("f_banned"),
        select(follower.c.pending).where(follow).limit(1).scalar_subquery().label("f_follow_pending"),
        (_probe(block.c.person_id == viewer_person_id, block.c.target_id == creator.c.id) if blocks else false()).label(
            "f_creator_blocked"
        ),
    ]


def subscription(pending: bool | None) -> str:
    """Lemmy's SubscribedType from the follow's `pending` flag (None: no follow)."""
    if pending is None:
        return "NotSubscribed"
    return "Pending" if pending else "Subscribed"


def relations(row: Sequence[Any], at: int) -> RelationFlags:
    """The flags of `author_flags`, `viewer_flags` and then the viewer's vote and save (absent when anonymous),
    read from `row` at `at`, as a post or comment item takes them."""
    banned, mod, admin, viewer_banned, pending, blocked = row[at : at + 6]
    my_vote, saved = row[at + 6 : at + 8] or (None, False)
    return {
        "creator_banned_from_community": bool(banned),
        "banned_from_community": bool(viewer_banned),
        "creator_is_moderator": bool(mod),
        "creator_is_admin": bool(admin),
        "subscribed": subscription(pending),
        "creator_blocked": bool(blocked),
        "my_vote": my_vote,
        "saved": bool(saved),
    }
