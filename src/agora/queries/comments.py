"""Comment trees and lists as CommentView.

Tree mode (`max_depth` given) returns up to 300 comments breadth-first: every comment of depth d, best first,
before any of depth d+1. A client that nests by `path` therefore never gets a reply whose parent was cut off, and
when a huge thread hits the cap it keeps the top levels, which are what a reader sees first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import (
    Comment,
    CommentLike,
    CommentSaved,
    Community,
    CommunityFollower,
    CommunityModerator,
    Person,
    PersonBlock,
    Post,
)
from agora.domain import limits
from agora.errors import AgoraError, Code
from agora.queries import columns, flags
from agora.queries.viewer import Viewer
from agora.queries.views import CommentView

C = Comment.__table__
P = Post.__table__
CREATOR = Person.__table__.alias("creator")
COMM = Community.__table__.alias("comm")

SORTS: dict[str, tuple[str, bool]] = {
    "Hot": ("hot_rank", True),
    "Top": ("score", True),
    "New": ("published", True),
    "Old": ("published", False),
    "Controversial": ("controversy_rank", True),
}
# How a post sort maps onto comments (person details and search use post sorts for both).
FROM_POST_SORT = {
    "Active": "Hot",
    "Hot": "Hot",
    "Scaled": "Hot",
    "New": "New",
    "NewComments": "New",
    "MostComments": "New",
    "Old": "Old",
    "Controversial": "Controversial",
}


@dataclass(slots=True)
class CommentQuery:
    listing_type: str = "All"
    sort: str = "Hot"
    max_depth: int | None = None
    page: int | None = None
    limit: int | None = None
    community_id: int | None = None
    post_id: int | None = None
    parent_id: int | None = None
    creator_id: int | None = None
    saved_only: bool = False
    liked_only: bool = False
    disliked_only: bool = False


def view_select(viewer: Viewer | None) -> Select:
    vid = viewer.person_id if viewer else None
    cols = [
        *columns.labelled(C, columns.COMMENT, "k_"),
        *columns.labelled(CREATOR, columns.PERSON, "c_"),
        *columns.labelled(P, columns.POST, "p_"),
        *columns.labelled(COMM, columns.COMMUNITY, "m_"),
        *flags.author_flags(CREATOR, P.c.community_id),
        *flags.viewer_flags(vid, CREATOR, P.c.community_id),
    ]
    if vid is not None:
        like, saved = CommentLike.__table__, CommentSaved.__table__
        cols += [
            select(like.c.score)
            .where(like.c.comment_id == C.c.id, like.c.person_id == vid)
            .scalar_subquery()
            .label("f_my_vote"),
            exists().where(saved.c.comment_id == C.c.id, saved.c.person_id == vid).label("f_saved"),
        ]
    return select(*cols).select_from(
        C.join(CREATOR, CREATOR.c.id == C.c.creator_id)
        .join(P, P.c.id == C.c.post_id)
        .join(COMM, COMM.c.id == P.c.community_id)
    )


def to_view(row, viewer: Viewer | None, moderated: frozenset[int] = frozenset()) -> CommentView:
    comment = columns.take(row, columns.COMMENT, "k_")
    post = columns.take(row, columns.POST, "p_")
    _blank_hidden_content(comment, post, viewer, moderated)
    return CommentView(
        comment=comment,
        creator=columns.take(row, columns.PERSON, "c_"),
        post=post,
        community=columns.take(row, columns.COMMUNITY, "m_"),
        creator_banned_from_community=bool(row["f_creator_banned"]),
        banned_from_community=bool(row["f_banned"]),
        creator_is_moderator=bool(row["f_creator_mod"]),
        creator_is_admin=bool(row["f_creator_admin"]),
        subscribed=flags.subscribed_type(row),
        saved=bool(row.get("f_saved", False)),
        creator_blocked=bool(row["f_creator_blocked"]),
        my_vote=row.get("f_my_vote"),
    )


def _blank_hidden_content(comment: dict, post: dict, viewer: Viewer | None, moderated: frozenset[int]) -> None:
    """Deleted and removed comments keep their place in the tree with empty content, except for those allowed
    to see it: admins always; moderators of the community and the author for a removal."""
    if not (comment["deleted"] or comment["removed"]):
        return
    if viewer is not None and viewer.admin:
        return
    allowed_removed = viewer is not None and (
        viewer.person_id == comment["creator_id"] or post["community_id"] in moderated
    )
    if comment["removed"] and not comment["deleted"] and allowed_removed:
        return
    comment["content"] = ""


async def moderated_ids(session: AsyncSession, viewer: Viewer | None) -> frozenset[int]:
    if viewer is None:
        return frozenset()
    mod = CommunityModerator.__table__
    rows = await session.execute(select(mod.c.community_id).where(mod.c.person_id == viewer.person_id))
    return frozenset(rows.scalars())


def _order(sort: str, *, in_post: bool) -> list:
    key_name, descending = SORTS[sort]
    key = C.c[key_name]
    order = [C.c.distinguished.desc()] if in_post else []
    order += [key.desc(), C.c.id.desc()] if descending else [key.asc(), C.c.id.asc()]
    return order


def view_filters(viewer: Viewer | None, q: CommentQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [COMM.c.deleted == columns.FALSE, COMM.c.removed == columns.FALSE]
    vid = viewer.person_id if viewer else None
    if viewer is None:
        where.append(COMM.c.visibility != "LocalOnly")
    if q.post_id is None and q.parent_id is None:
        where += [P.c.deleted == columns.FALSE, P.c.removed == columns.FALSE]
        if q.creator_id is None:
            where += [C.c.deleted == columns.FALSE, C.c.removed == columns.FALSE]
    if q.post_id is not None:
        where.append(C.c.post_id == q.post_id)
    if q.community_id is not None:
        where.append(P.c.community_id == q.community_id)
    if q.creator_id is not None:
        where.append(C.c.creator_id == q.creator_id)
    if q.listing_type == "Local" and q.post_id is None:
        where.append(COMM.c.local == columns.TRUE)
    if viewer is not None:
        if q.listing_type == "Subscribed" and q.post_id is None:
            follower = CommunityFollower.__table__
            where.append(
                exists().where(
                    follower.c.community_id == P.c.community_id,
                    follower.c.person_id == vid,
                    follower.c.pending == columns.FALSE,
                )
            )
        if q.listing_type == "ModeratorView" and q.post_id is None:
            mod = CommunityModerator.__table__
            where.append(exists().where(mod.c.community_id == P.c.community_id, mod.c.person_id == vid))
        if q.creator_id is None:
            block = PersonBlock.__table__
            where.append(not_(exists().where(block.c.person_id == vid, block.c.target_id == C.c.creator_id)))
        if q.saved_only:
            saved = CommentSaved.__table__
            where.append(exists().where(saved.c.comment_id == C.c.id, saved.c.person_id == vid))
        if q.liked_only or q.disliked_only:
            like = CommentLike.__table__
            score = 1 if q.liked_only else -1
            where.append(exists().where(like.c.comment_id == C.c.id, like.c.person_id == vid, like.c.score == score))
            where.append(C.c.creator_id != vid)
    elif q.listing_type in ("Subscribed", "ModeratorView") and q.post_id is None:
        where.append(C.c.id.is_(None))
    return where


async def list_comments(session: AsyncSession, viewer: Viewer | None, q: CommentQuery) -> list[CommentView]:
    if q.sort not in SORTS:
        raise AgoraError(Code.couldnt_get_comments, f"unknown sort {q.sort}")
    if q.liked_only and q.disliked_only:
        raise AgoraError(Code.contradicting_filters)
    where = view_filters(viewer, q)
    in_post = q.post_id is not None or q.parent_id is not None
    if q.max_depth is not None:
        if q.max_depth < 1:
            raise AgoraError(Code.couldnt_get_comments, "max_depth must be ≥ 1")
        depth_limit = q.max_depth - 1
        if q.parent_id is not None:
            parent = (await session.execute(select(C.c.path, C.c.depth).where(C.c.id == q.parent_id))).first()
            if parent is None:
                raise AgoraError(Code.couldnt_find_comment)
            # The subtree of "0.12" is the bytewise range ["0.12", "0.12/"), '/' being the byte after '.'.
            where += [C.c.path >= parent.path, C.c.path < parent.path + "/"]
            depth_limit = parent.depth + q.max_depth
        elif q.post_id is None:
            raise AgoraError(Code.couldnt_get_comments, "tree mode needs post_id or parent_id")
        where.append(C.c.depth <= depth_limit)
        order = [C.c.depth.asc(), *_order(q.sort, in_post=True)]
        query = _ids().where(*where).order_by(*order).limit(limits.TREE_MAX)
    else:
        if q.parent_id is not None:
            parent = (await session.execute(select(C.c.path).where(C.c.id == q.parent_id))).first()
            if parent is None:
                raise AgoraError(Code.couldnt_find_comment)
            where += [C.c.path > parent.path + ".", C.c.path < parent.path + "/"]
        page, limit = limits.check_page(q.page, q.limit, Code.couldnt_get_comments)
        query = _ids().where(*where).order_by(*_order(q.sort, in_post=in_post)).limit(limit).offset((page - 1) * limit)
    ids = list((await session.execute(query)).scalars())
    return await views_by_ids(session, viewer, ids)


def _ids() -> Select:
    """The ids of matching comments: chosen first, so the viewer flags (correlated subqueries) are computed for the
    page only, not for every candidate before the sort (a 20k-comment post: every comment)."""
    return select(C.c.id).select_from(
        C.join(CREATOR, CREATOR.c.id == C.c.creator_id)
        .join(P, P.c.id == C.c.post_id)
        .join(COMM, COMM.c.id == P.c.community_id)
    )


async def views_by_ids(session: AsyncSession, viewer: Viewer | None, ids: list[int]) -> list[CommentView]:
    """Views in the order of `ids`."""
    if not ids:
        return []
    rows = (await session.execute(view_select(viewer).where(C.c.id.in_(ids)))).mappings()
    moderated = await moderated_ids(session, viewer)
    by_id = {row["k_id"]: to_view(row, viewer, moderated) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


async def get_comment_view(session: AsyncSession, viewer: Viewer | None, comment_id: int) -> CommentView | None:
    row = (await session.execute(view_select(viewer).where(C.c.id == comment_id))).mappings().first()
    if row is None:
        return None
    if viewer is None and row["m_visibility"] == "LocalOnly":
        return None
    return to_view(row, viewer, await moderated_ids(session, viewer))
