"""Viewer-dependent flags of post and comment views, as correlated subqueries in the same SELECT.

One query per listing, whatever the page size: no per-row round trips. The viewer and the time are the named
parameters `vid` and `now` (statements are built once and run with values: db.prepared).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, FromClause, Label, and_, bindparam, exists, false, literal, null, or_, select

from agora.db.models import (
    CommunityFollower,
    CommunityModerator,
    CommunityPersonBan,
    LocalUser,
    PersonBlock,
)
from agora.queries import columns


def _ban_active(person_id, community_id) -> ColumnElement[bool]:
    ban = CommunityPersonBan.__table__
    return exists().where(
        ban.c.community_id == community_id,
        ban.c.person_id == person_id,
        or_(ban.c.expires.is_(None), ban.c.expires > bindparam("now")),
    )


def author_flags(creator: FromClause, community_id) -> list[Label]:
    """Flags about the author that every viewer sees."""
    mod = CommunityModerator.__table__
    user = LocalUser.__table__
    return [
        _ban_active(creator.c.id, community_id).label("f_creator_banned"),
        exists().where(mod.c.community_id == community_id, mod.c.person_id == creator.c.id).label("f_creator_mod"),
        # `admin = true` as the partial index ix_local_user_admin says it
        exists().where(user.c.person_id == creator.c.id, user.c.admin == columns.TRUE).label("f_creator_admin"),
    ]


def viewer_flags(has_viewer: bool, creator: FromClause, community_id) -> list[Label]:
    """Flags about the viewer's relation to the row's community and author (constants when anonymous)."""
    if not has_viewer:
        return [
            false().label("f_banned"),
            null().label("f_follow_pending"),
            literal(False).label("f_followed"),
            false().label("f_creator_blocked"),
        ]
    follower = CommunityFollower.__table__
    block = PersonBlock.__table__
    viewer_person_id = bindparam("vid")
    follow = and_(follower.c.community_id == community_id, follower.c.person_id == viewer_person_id)
    return [
        _ban_active(viewer_person_id, community_id).label("f_banned"),
        select(follower.c.pending).where(follow).scalar_subquery().label("f_follow_pending"),
        exists().where(follow).label("f_followed"),
        exists()
        .where(block.c.person_id == viewer_person_id, block.c.target_id == creator.c.id)
        .label("f_creator_blocked"),
    ]


def subscribed_type(row) -> str:
    if not row["f_followed"]:
        return "NotSubscribed"
    return "Pending" if row["f_follow_pending"] else "Subscribed"


def subscription(followed, pending) -> str:
    if not followed:
        return "NotSubscribed"
    return "Pending" if pending else "Subscribed"
