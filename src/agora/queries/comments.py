"""Comment trees and lists as CommentItem.

Tree mode (`max_depth` given) returns up to 300 comments breadth-first: every comment of depth d, best first,
before any of depth d+1. A client that nests by `path` therefore never gets a reply whose parent was cut off, and
when a huge thread hits the cap it keeps the top levels, which are what a reader sees first.

A listing is one statement: the page's ids are chosen first (so the viewer flags, correlated subqueries, are
computed for the page only, not for every candidate before the sort: a 20k-comment post would be every comment),
then joined to their views. Statements are built once per `CommentStatementKey` and run through db.prepared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    literal_column,
    not_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import (
    Comment,
    CommentLike,
    CommentSaved,
    Community,
    CommunityFollower,
    CommunityModerator,
    InstancePersonsBlock,
    Person,
    PersonBlock,
    Post,
)
from agora.db.prepared import Prepared, fetch, with_values
from agora.errors import AgoraError, Code
from agora.queries import columns, community_access, flags, keyset, paging, visibility
from agora.queries.id_lists import one_of
from agora.queries.viewer import Viewer
from agora.queries.views import CommentItem

C = Comment.__table__
P = Post.__table__
CREATOR = Person.__table__.alias("creator")
COMM = Community.__table__.alias("comm")
JOINED = (
    C.join(CREATOR, CREATOR.c.id == C.c.creator_id)
    .join(P, P.c.id == C.c.post_id)
    .join(COMM, COMM.c.id == P.c.community_id)
)

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
    cursor_id: int | None = None  # keyset paging: the page after this comment (instead of `page`)
    page_back: bool = False  # with `cursor_id`: the page that ends just before it, in listing order


@dataclass(frozen=True, slots=True)
class CommentStatementKey:
    """Everything that decides a comment listing's SQL (the statement cache key); the values are parameters."""

    viewer: bool = False
    listing_type: str = "All"
    sort: str = "Hot"
    post: bool = False
    parent: bool = False
    community: bool = False
    creator: bool = False
    saved_only: bool = False
    vote: int = 0
    tree: bool = False
    after: str = ""  # keyset paging: "", "forward" or "back"


def statement_key(viewer: Viewer | None, q: CommentQuery) -> CommentStatementKey:
    return CommentStatementKey(
        viewer=viewer is not None,
        listing_type=q.listing_type,
        sort=q.sort,
        post=q.post_id is not None,
        parent=q.parent_id is not None,
        community=q.community_id is not None,
        creator=q.creator_id is not None,
        saved_only=q.saved_only and viewer is not None,
        vote=(1 if q.liked_only else -1 if q.disliked_only else 0) if viewer is not None else 0,
        tree=q.max_depth is not None,
        after=("back" if q.page_back else "forward") if q.cursor_id is not None and q.max_depth is None else "",
    )


def _viewer_values(viewer: Viewer | None) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"now": now} if viewer is None else {"now": now, "vid": viewer.person_id}


def _values(viewer: Viewer | None, q: CommentQuery) -> dict[str, Any]:
    values = _viewer_values(viewer)
    values.update(post_id=q.post_id, community_id=q.community_id, creator_id=q.creator_id)
    return values


def _view_columns(
    has_viewer: bool, community_id: int | ColumnElement[int] = P.c.community_id, *, with_post: bool = True
) -> list[ColumnElement[Any]]:
    """The comment, its author, (its post and community,) then the flags: author's, viewer's, viewer's own."""
    cols: list[ColumnElement[Any]] = [
        *columns.labelled(C, columns.COMMENT, "k_"),
        *columns.labelled(CREATOR, columns.PERSON, "c_"),
    ]
    if with_post:
        cols += [*columns.labelled(P, columns.POST, "p_"), *columns.labelled(COMM, columns.COMMUNITY, "m_")]
    cols += [*flags.author_flags(CREATOR, community_id), *flags.viewer_flags(has_viewer, CREATOR, community_id)]
    if has_viewer:
        vid: BindParameter[int] = bindparam("vid")
        like, saved, mod = CommentLike.__table__, CommentSaved.__table__, CommunityModerator.__table__
        cols += [
            select(like.c.score)
            .where(like.c.comment_id == C.c.id, like.c.person_id == vid)
            .scalar_subquery()
            .label("f_my_vote"),
            exists().where(saved.c.comment_id == C.c.id, saved.c.person_id == vid).label("f_saved"),
            exists().where(mod.c.community_id == community_id, mod.c.person_id == vid).label("f_viewer_mod"),
        ]
    return cols


def view_select(viewer: Viewer | None) -> Select[*tuple[Any, ...]]:
    """Comment views with the viewer's flags, values bound (for ad-hoc queries such as search)."""
    return select(*_view_columns(viewer is not None)).select_from(JOINED).params(_viewer_values(viewer))


_NP, _NM = len(columns.POST), len(columns.COMMUNITY)


def to_view(row: Sequence[Any], viewer: Viewer | None, moderated: frozenset[int] = frozenset()) -> CommentItem:
    """A row of `view_select` (by position). Whether the viewer moderates the community comes with the row;
    `moderated` is kept for callers that pass it."""
    at = CommentItem.CREATOR_END  # the comment and its creator, then its post and community, then the flags
    post = dict(zip(columns.POST, row[at : at + _NP], strict=True))
    community = dict(zip(columns.COMMUNITY, row[at + _NP : at + _NP + _NM], strict=True))
    return _view(row, viewer, post, community, at + _NP + _NM, moderated)


def _view(
    row: Sequence[Any],
    viewer: Viewer | None,
    post: dict[str, Any],
    community: dict[str, Any],
    flags_at: int,
    moderated: frozenset[int] = frozenset(),
) -> CommentItem:
    viewer_mod = row[flags_at + 8] if len(row) > flags_at + 8 else False
    return CommentItem(
        row,
        post,
        community,
        _hides_content(row, viewer, bool(viewer_mod) or post["community_id"] in moderated),
        **flags.relations(row, flags_at),
    )


_DELETED, _REMOVED, _CREATOR_ID = (columns.COMMENT.index(name) for name in ("deleted", "removed", "creator_id"))


def _hides_content(row: Sequence[Any], viewer: Viewer | None, moderates: bool) -> bool:
    """Deleted and removed comments keep their place in the tree with empty content, except for those allowed
    to see it: admins always; moderators of the community and the author for a removal."""
    deleted, removed = row[_DELETED], row[_REMOVED]
    if not (deleted or removed):
        return False
    if viewer is not None and viewer.admin:
        return False
    allowed_removed = viewer is not None and (viewer.person_id == row[_CREATOR_ID] or moderates)
    return not (removed and not deleted and allowed_removed)


async def moderated_ids(session: AsyncSession, viewer: Viewer | None) -> frozenset[int]:
    if viewer is None:
        return frozenset()
    mod = CommunityModerator.__table__
    rows = await session.execute(select(mod.c.community_id).where(mod.c.person_id == viewer.person_id))
    return frozenset(rows.scalars())


def _order_keys(sort: str, *, in_post: bool) -> list[keyset.OrderKey]:
    key_name, descending = SORTS[sort]
    keys: list[keyset.OrderKey] = [(C.c.distinguished, True)] if in_post else []
    return [*keys, (C.c[key_name], descending), (C.c.id, descending)]


def _order(sort: str, *, in_post: bool) -> list[ColumnElement[Any]]:
    return keyset.order_by(_order_keys(sort, in_post=in_post))


def _filters(s: CommentStatementKey) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [COMM.c.deleted == columns.FALSE, COMM.c.removed == columns.FALSE]
    vid: BindParameter[int] = bindparam("vid")
    where += visibility.content_filters(COMM, member=s.viewer, vid=vid if s.viewer else None)
    if not s.post and not s.parent:
        where += [P.c.deleted == columns.FALSE, P.c.removed == columns.FALSE]
        if not s.creator:
            where += [C.c.deleted == columns.FALSE, C.c.removed == columns.FALSE]
    if s.post:
        where.append(C.c.post_id == bindparam("post_id"))
    if s.community:
        where.append(P.c.community_id == bindparam("community_id"))
    if s.creator:
        where.append(C.c.creator_id == bindparam("creator_id"))
    if s.listing_type == "Local" and not s.post:
        where.append(COMM.c.local == columns.TRUE)
    if s.viewer:
        if s.listing_type == "Subscribed" and not s.post:
            follower = CommunityFollower.__table__
            where.append(
                exists().where(
                    follower.c.community_id == P.c.community_id,
                    follower.c.person_id == vid,
                    follower.c.pending == columns.FALSE,
                )
            )
        if s.listing_type == "ModeratorView" and not s.post:
            mod = CommunityModerator.__table__
            where.append(exists().where(mod.c.community_id == P.c.community_id, mod.c.person_id == vid))
        if not s.creator:
            block, by_instance = PersonBlock.__table__, InstancePersonsBlock.__table__
            where.append(not_(exists().where(block.c.person_id == vid, block.c.target_id == C.c.creator_id)))
            mine = by_instance.c.person_id == vid
            where.append(not_(exists().where(mine, by_instance.c.instance_id == CREATOR.c.instance_id)))
        if s.saved_only:
            saved = CommentSaved.__table__
            where.append(exists().where(saved.c.comment_id == C.c.id, saved.c.person_id == vid))
        if s.vote:
            like = CommentLike.__table__
            where.append(exists().where(like.c.comment_id == C.c.id, like.c.person_id == vid, like.c.score == s.vote))
            where.append(C.c.creator_id != vid)
    elif s.listing_type in ("Subscribed", "ModeratorView") and not s.post:
        where.append(C.c.id.is_(None))
    return where


def view_filters(viewer: Viewer | None, q: CommentQuery) -> list[ColumnElement[bool]]:
    """The visibility rules of a comment listing, values bound (for ad-hoc queries such as search)."""
    return [with_values(and_(*_filters(statement_key(viewer, q))), _values(viewer, q))]


@lru_cache(maxsize=512)
def _listing(s: CommentStatementKey, limit: int, paged: bool) -> Prepared:
    return Prepared(lambda _dialect: _listing_select(s, limit, paged))


def _listing_select(s: CommentStatementKey, limit: int, paged: bool) -> Select[*tuple[Any, ...]]:
    """The page's ids first (the author is not needed to choose them), then their views; a post's own listing
    leaves out the post and community, which are the same on every row (read first: `_post_and_community`).
    The page size is in the SQL (see queries.post_listings._listing_select), the offset a parameter if any."""
    where = _filters(s)
    in_post = s.post or s.parent
    if s.parent:
        # The subtree of "0.12" is the bytewise range ["0.12", "0.12/"), '/' being the byte after '.'.
        start: BindParameter[str] = bindparam("path_from")
        where += [C.c.path >= start if s.tree else C.c.path > start, C.c.path < bindparam("path_to")]
    if s.tree:
        where.append(C.c.depth <= bindparam("depth_limit", type_=Integer))
        order = [C.c.depth.asc(), *_order(s.sort, in_post=True)]
    elif s.after:
        keys = _order_keys(s.sort, in_post=in_post)
        keys = keyset.reversed_keys(keys) if s.after == "back" else keys
        where.append(keyset.beyond(keys, "after_"))
        order = keyset.order_by(keys)
    else:
        order = _order(s.sort, in_post=in_post)
    chosen = (
        select(C.c.id.label("id"), P.c.community_id.label("community_id"))
        .select_from(C.join(P, P.c.id == C.c.post_id).join(COMM, COMM.c.id == P.c.community_id))
        .where(*where)
        .order_by(*order)
        .limit(literal_column(str(int(limit))))
    )
    ids = (chosen.offset(bindparam("offset", type_=Integer)) if paged else chosen).subquery("page")
    if s.post:
        joined = ids.join(C, C.c.id == ids.c.id).join(CREATOR, CREATOR.c.id == C.c.creator_id)
        # The post's community as a constant: PostgreSQL then looks up only its moderators and bans, rather than
        # hashing every community's moderators for a 300-row page (3.5 ms on the large set).
        own = _view_columns(s.viewer, bindparam("post_community", type_=Integer), with_post=False)
        return select(*own).select_from(joined).order_by(*order)
    return select(*_view_columns(s.viewer)).select_from(ids.join(JOINED, C.c.id == ids.c.id)).order_by(*order)


@lru_cache(maxsize=1)
def _post_and_community() -> Prepared:
    query = (
        select(*columns.labelled(P, columns.POST, "p_"), *columns.labelled(COMM, columns.COMMUNITY, "m_"))
        .select_from(P.join(COMM, COMM.c.id == P.c.community_id))
        .where(P.c.id == bindparam("post_id"))
    )
    return Prepared(lambda _dialect: query)


async def _cursor_keys(session: AsyncSession, q: CommentQuery, in_post: bool) -> dict[str, Any]:
    keys = _order_keys(q.sort, in_post=in_post)
    found = (await session.execute(select(*(column for column, _ in keys)).where(C.c.id == q.cursor_id))).first()
    if found is None:
        raise AgoraError(Code.couldnt_get_comments, "page_cursor refers to no comment")
    return keyset.cursor_values("after_", tuple(found))


@lru_cache(maxsize=4)
def _parent() -> Prepared:
    query = select(C.c.path, C.c.depth).where(C.c.id == bindparam("parent_id"))
    return Prepared(lambda _dialect: query)


async def list_comments(session: AsyncSession, viewer: Viewer | None, q: CommentQuery) -> list[CommentItem]:
    if q.sort not in SORTS:
        raise AgoraError(Code.couldnt_get_comments, f"unknown sort {q.sort}")
    if q.liked_only and q.disliked_only:
        raise AgoraError(Code.contradicting_filters)
    values = _values(viewer, q)
    parent = None
    if q.parent_id is not None:
        found = await fetch(session, _parent(), {"parent_id": q.parent_id})
        if not found:
            raise AgoraError(Code.couldnt_find_comment)
        parent = found[0]
    if q.max_depth is not None:
        if q.max_depth < 1:
            raise AgoraError(Code.couldnt_get_comments, "max_depth must be ≥ 1")
        if parent is None and q.post_id is None:
            raise AgoraError(Code.couldnt_get_comments, "tree mode needs post_id or parent_id")
        limit, offset = paging.TREE_MAX, 0
        if parent is not None:
            values.update(path_from=parent[0], path_to=parent[0] + "/", depth_limit=parent[1] + q.max_depth)
        else:
            values["depth_limit"] = q.max_depth - 1
    else:
        page, limit = paging.check_page(q.page, q.limit, Code.couldnt_get_comments)
        offset = 0 if q.cursor_id is not None else (page - 1) * limit
        values["offset"] = offset
        if parent is not None:
            values.update(path_from=parent[0] + ".", path_to=parent[0] + "/")  # strictly below the parent
        if q.cursor_id is not None:
            values.update(await _cursor_keys(session, q, q.post_id is not None or parent is not None))
    listing = _listing(statement_key(viewer, q), limit, offset > 0)
    turned = q.page_back and q.cursor_id is not None and q.max_depth is None  # a back page comes nearest first
    if q.post_id is None:
        views = [to_view(row, viewer) for row in await fetch(session, listing, values)]
        return views[::-1] if turned else views
    found = await fetch(session, _post_and_community(), {"post_id": q.post_id})
    if not found:
        return []
    post = dict(zip(columns.POST, found[0][:_NP], strict=True))
    community = dict(zip(columns.COMMUNITY, found[0][_NP:], strict=True))
    values["post_community"] = post["community_id"]
    rows = await fetch(session, listing, values)
    views = [_view(row, viewer, post, community, CommentItem.CREATOR_END) for row in rows]
    return views[::-1] if turned else views


@lru_cache(maxsize=4)
def _by_ids(has_viewer: bool) -> Prepared:
    query = select(*_view_columns(has_viewer)).select_from(JOINED).where(one_of(C.c.id, "ids"))
    return Prepared(lambda _dialect: query)


async def views_by_ids(session: AsyncSession, viewer: Viewer | None, ids: list[int]) -> list[CommentItem]:
    """Views in the order of `ids`."""
    if not ids:
        return []
    values = _viewer_values(viewer)
    values["ids"] = ids
    rows = await fetch(session, _by_ids(viewer is not None), values)
    by_id = {view.comment["id"]: view for view in (to_view(row, viewer) for row in rows)}
    return [by_id[i] for i in ids if i in by_id]


async def get_comment_view(session: AsyncSession, viewer: Viewer | None, comment_id: int) -> CommentItem | None:
    views = await views_by_ids(session, viewer, [comment_id])
    if not views:
        return None
    community = views[0].community
    approved = viewer is not None and await community_access.approved_reader(session, community, viewer.person_id)
    return views[0] if visibility.may_read_content(viewer, community, approved=approved) else None


async def reply_urls(session: AsyncSession, post_id: int, limit: int) -> list[str]:
    """The ActivityPub ids of a post's comments that are neither deleted nor removed, each after its parent (by
    path), the first `limit` of them."""
    query = (
        select(Comment.ap_id)
        .where(Comment.post_id == post_id, Comment.deleted.is_(False), Comment.removed.is_(False))
        .order_by(Comment.path, Comment.id)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())
