"""Post listings and single posts as PostView.

Every sort reads one index in order (see db.models.post): featured posts first, then the sort key, then id. A
descending sort (all but Old) is one backward scan of its (featured, key, id) index, cut at the page, with the
views and viewer flags computed for the page's rows only; Old picks featured and plain posts by two range scans
(`featured = const`), unioned. `page_cursor` continues from a post's current keys, so page 200 costs what page 1
costs.

What decides a listing's SQL is its `Shape`; the statement is built once per shape and run through db.prepared,
every value a named parameter (post_filters.values_of).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    Boolean,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    false,
    literal_column,
    null,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agora.db.models import (
    Community,
    CommunityFollower,
    CommunityModerator,
    InstanceBlock,
    PostHide,
    PostLike,
    PostRead,
    PostSaved,
)
from agora.db.moderators import is_moderator
from agora.db.prepared import Prepared, fetch
from agora.errors import AgoraError, Code
from agora.queries import columns, flags, visibility
from agora.queries.id_lists import one_of
from agora.queries.post_filters import (
    ASKED,
    COMM,
    CREATOR,
    JOINED,
    SORTS,
    P,
    PostQuery,
    Shape,
    filters,
    shape_of,
    source,
    utc_now,
    values_of,
    view_filters,
    viewer_values,
)
from agora.queries.viewer import Viewer, feed_follows
from agora.queries.views import PostPage, PostView

__all__ = ["COMM", "CREATOR", "JOINED", "SORTS", "P", "PostQuery", "Shape", "view_filters"]


def _view_columns(has_viewer: bool, asked: tuple[bool, bool, bool, bool] = ASKED) -> list:
    """The view's columns; `asked` says which viewer flags read their tables (post_filters.probes)."""
    blocks, saved_asked, read_asked, hidden_asked = asked
    cols = [
        *columns.labelled(P, columns.POST, "p_"),
        *columns.labelled(CREATOR, columns.PERSON, "c_"),
        *columns.labelled(COMM, columns.COMMUNITY, "m_"),
        *flags.author_flags(CREATOR, P.c.community_id),
        *flags.viewer_flags(has_viewer, CREATOR, P.c.community_id, blocks=blocks),
    ]
    if has_viewer:
        vid = bindparam("vid")
        like, saved, read, hide = PostLike.__table__, PostSaved.__table__, PostRead.__table__, PostHide.__table__
        cols += [
            select(like.c.score)
            .where(like.c.post_id == P.c.id, like.c.person_id == vid)
            .scalar_subquery()
            .label("f_my_vote"),
            (exists().where(saved.c.post_id == P.c.id, saved.c.person_id == vid) if saved_asked else false()).label(
                "f_saved"
            ),
            (
                select(read.c.read_comments).where(read.c.post_id == P.c.id, read.c.person_id == vid).scalar_subquery()
                if read_asked
                else null()
            ).label("f_read_comments"),
            (exists().where(hide.c.post_id == P.c.id, hide.c.person_id == vid) if hidden_asked else false()).label(
                "f_hidden"
            ),
        ]
    return cols


def view_select(viewer: Viewer | None) -> Select:
    """Post views with the viewer's flags, values bound (for ad-hoc queries such as search)."""
    return select(*_view_columns(viewer is not None)).select_from(JOINED).params(viewer_values(viewer, utc_now()))


_FLAGS = PostView.FLAGS_AT  # the viewer's flags follow the post, creator and community columns
_COMMENTS = columns.POST.index("comments")


def to_view(row) -> PostView:
    """A row of `view_select` (by position: plain tuples from db.prepared or SQLAlchemy rows)."""
    banned, mod, admin, viewer_banned, pending, blocked, *mine = row[_FLAGS:]
    my_vote, saved, read_comments, hidden = mine or (None, False, None, False)
    return PostView(
        row,
        bool(banned),
        bool(viewer_banned),
        bool(mod),
        bool(admin),
        flags.subscription(pending),
        bool(saved),
        read_comments is not None,
        bool(hidden),
        bool(blocked),
        my_vote,
        max(0, row[_COMMENTS] - (read_comments or 0)),
    )


@lru_cache(maxsize=1024)
def _listing(s: Shape, limit: int, paged: bool) -> Prepared:
    return Prepared(lambda dialect_name: _listing_select(s, limit, paged, postgres=dialect_name == "postgresql"))


def _listing_select(s: Shape, limit: int, paged: bool, *, postgres: bool = False) -> Select:
    """The page size is written into the SQL: PostgreSQL cannot plan `LIMIT $1` without knowing it, so it would
    plan every execution afresh (measured: 1.5-4 ms of planning for a 0.5 ms query on the large set). A page
    after the first (`paged`) reads `fetch` = offset + limit rows of each part, as parameters.

    A scoped listing (Subscribed, ModeratorView) answers only the ids, for `views_by_ids`: its communities are
    a list parameter, with which PostgreSQL never settles on a generic plan, and planning the ids alone takes
    0.5 ms where the whole view took 10-20 ms."""
    page_size = literal_column(str(int(limit)))
    key_name, descending, window = SORTS[s.sort]
    key = P.c[key_name]
    featured = P.c["featured_community" if s.community else "featured_local"]
    where = filters(s, one_plan=postgres and window is None)
    if s.scoped:
        where.append(one_of(P.c.community_id, "scope", filter_only=True))
    if window is not None:
        where.append(P.c.published >= bindparam("since"))
    if descending:
        # One backward scan of the (featured, key, id) index gives featured posts first, then the rest, in order;
        # the select list (views and viewer flags) is computed for the page's rows only, as the scan stops there.
        if s.after is not None:
            # The cursor post's current keys, read by the same statement: PostgreSQL uses the row comparison
            # with this subquery as the index bound, and plans it once (with the keys as parameters, the
            # generic plan looked dear and every page 2+ was planned afresh: 1.8 ms a time).
            cursor = P.alias("cursor")
            keys = select(cursor.c[featured.name], cursor.c[key_name], cursor.c.id).where(
                cursor.c.id == bindparam("cursor_id", type_=Integer)
            )
            where.append(tuple_(featured, key, P.c.id) < keys.scalar_subquery())
        chosen = [P.c.id] if s.scoped else _view_columns(s.viewer, s.probes)
        query = (
            select(*chosen)
            .select_from(source(s))
            .where(*where)
            .order_by(featured.desc(), key.desc(), P.c.id.desc())
            .limit(page_size)
        )
        return query.offset(bindparam("offset", type_=Integer)) if paged else query
    # An ascending sort (Old) with featured posts first cannot be one scan: featured and plain posts are two range
    # scans (`featured = const`, each on its index), unioned and cut to the page.
    order = (key.asc(), P.c.id.asc())
    position = tuple_(key, P.c.id)
    beyond = position > tuple_(bindparam("after_key", type_=key.type), bindparam("after_id", type_=Integer))

    def part(number: int, flag, bounded: bool):
        chosen = (
            select(P.c.id.label("id"), literal_column(str(number)).label("part"), key.label("k"))
            .select_from(source(s))
            .where(*where, featured == flag, *([beyond] if bounded else []))
            .order_by(*order)
            .limit(bindparam("fetch", type_=Integer) if paged else page_size)
            .subquery()
        )
        return select(chosen.c.id, chosen.c.part, chosen.c.k)

    if s.after == "plain":
        parts = part(1, columns.FALSE, True)
    else:
        parts = part(0, columns.TRUE, s.after == "featured").union_all(part(1, columns.FALSE, False))
    page = parts.subquery("page")
    if s.scoped:
        query = select(page.c.id).order_by(page.c.part, page.c.k.asc(), page.c.id.asc()).limit(page_size)
    else:
        query = (
            select(*_view_columns(s.viewer, s.probes))
            .select_from(page.join(JOINED, P.c.id == page.c.id))
            .order_by(page.c.part, *order)
            .limit(page_size)
        )
    return query.offset(bindparam("offset", type_=Integer)) if paged else query


@lru_cache(maxsize=256)
def _listing_back(s: Shape, limit: int) -> Prepared:
    """The ids of the `limit` posts just before the cursor post, nearest first (Lemmy's page_back): the listing's
    order reversed, bounded by the cursor's keys. A rarely used path (the web UI's "‹ prev"), kept simple."""
    key_name, descending, window = SORTS[s.sort]
    key = P.c[key_name]
    featured = P.c["featured_community" if s.community else "featured_local"]
    where = filters(s)
    if s.scoped:
        where.append(one_of(P.c.community_id, "scope", filter_only=True))
    if window is not None:
        where.append(P.c.published >= bindparam("since"))
    at = (
        bindparam("after_featured", type_=Boolean),
        bindparam("after_key", type_=key.type),
        bindparam("after_id", type_=Integer),
    )
    if descending:  # listed by (featured, key, id) descending: before the cursor is above it
        where.append(tuple_(featured, key, P.c.id) > tuple_(*at))
        order = (featured.asc(), key.asc(), P.c.id.asc())
    else:  # featured first, then (key, id) ascending
        where.append(or_(featured > at[0], and_(featured == at[0], tuple_(key, P.c.id) < tuple_(at[1], at[2]))))
        order = (featured.asc(), key.desc(), P.c.id.desc())
    query = select(P.c.id).select_from(source(s)).where(*where).order_by(*order).limit(literal_column(str(int(limit))))
    return Prepared(lambda _dialect: query)


@lru_cache(maxsize=64)
def _cursor_keys(featured_name: str, key_name: str) -> Prepared:
    query = select(P.c[featured_name], P.c[key_name]).where(P.c.id == bindparam("cursor_id"))
    return Prepared(lambda _dialect: query)


async def _cursor(session: AsyncSession, featured_name: str, key_name: str, cursor_id: int):
    found = await fetch(session, _cursor_keys(featured_name, key_name), {"cursor_id": cursor_id})
    if not found:
        raise AgoraError(Code.couldnt_get_posts, "page_cursor refers to no post")
    return found[0]


async def _scoped_community_ids(
    session: AsyncSession, viewer: Viewer, listing_type: str, *, show_nsfw: bool
) -> list[int]:
    """The communities a scoped listing reads: for Subscribed, only those whose posts it may show (the statement
    then checks no community row: Shape.scope_checked)."""
    lists = viewer.lists
    if lists is not None and listing_type == "Subscribed":  # read with the viewer
        if show_nsfw or not lists.subscribed_nsfw:
            return lists.subscribed
        nsfw = set(lists.subscribed_nsfw)
        return [community_id for community_id in lists.subscribed if community_id not in nsfw]
    if lists is not None:
        return lists.moderated
    if listing_type == "Subscribed":
        follower, community = CommunityFollower.__table__, Community.__table__
        query = (
            select(follower.c.community_id)
            .select_from(follower.join(community, community.c.id == follower.c.community_id))
            .where(*feed_follows(follower, community, viewer.person_id, InstanceBlock.__table__))
        )
        if not show_nsfw:
            query = query.where(community.c.nsfw == columns.FALSE)
    else:
        mod = CommunityModerator.__table__
        query = select(mod.c.community_id).where(mod.c.person_id == viewer.person_id)
    return list((await session.execute(query)).scalars())


def encode_cursor(post_id: int) -> str:
    return f"P{post_id:x}"


def decode_cursor(cursor: str) -> int:
    if len(cursor) < 2 or len(cursor) > 9 or cursor[0] != "P":
        raise AgoraError(Code.couldnt_get_posts, "invalid page_cursor")
    try:
        post_id = int(cursor[1:], 16)
    except ValueError:
        raise AgoraError(Code.couldnt_get_posts, "invalid page_cursor") from None
    if post_id >= 2**31:  # past any post id: the database would refuse the number itself
        raise AgoraError(Code.couldnt_get_posts, "invalid page_cursor")
    return post_id


async def list_posts(session: AsyncSession, viewer: Viewer | None, q: PostQuery) -> PostPage:
    if q.sort not in SORTS:
        raise AgoraError(Code.couldnt_get_posts, f"unknown sort {q.sort}")
    if q.liked_only and q.disliked_only:
        raise AgoraError(Code.contradicting_filters)
    key_name, descending, _window = SORTS[q.sort]
    featured_name = "featured_community" if q.community_id is not None else "featured_local"
    show_nsfw = q.show_nsfw if q.show_nsfw is not None else bool(viewer and viewer.show_nsfw)
    values = values_of(viewer, q, utc_now())
    scoped = q.listing_type in ("Subscribed", "ModeratorView")
    if scoped:
        if viewer is None:
            return PostPage(posts=[])
        values["scope"] = await _scoped_community_ids(session, viewer, q.listing_type, show_nsfw=show_nsfw)
        if not values["scope"]:
            return PostPage(posts=[])
    after = None
    if q.cursor:
        cursor_id = values["cursor_id"] = decode_cursor(q.cursor)
        if descending:
            after = "cursor"  # its keys are read by the listing itself
        else:
            found = await _cursor(session, featured_name, key_name, cursor_id)
            after = "featured" if found[0] else "plain"
            values.update(after_key=found[1], after_id=cursor_id)
    if q.page_back and q.cursor:
        found = await _cursor(session, featured_name, key_name, values["cursor_id"])
        values.update(after_featured=bool(found[0]), after_key=found[1], after_id=values["cursor_id"])
        shape = shape_of(viewer, q, show_nsfw=show_nsfw, scoped=scoped)
        ids = [row[0] for row in await fetch(session, _listing_back(shape, q.limit), values)]
        views = await views_by_ids(session, viewer, ids[::-1], asked=shape.probes)
        return PostPage(posts=views, next_cursor=encode_cursor(views[-1].post["id"]) if views else None)
    offset = (q.page - 1) * q.limit if q.page and q.page > 1 else 0
    values.update(offset=offset, fetch=q.limit + offset)
    shape = shape_of(viewer, q, show_nsfw=show_nsfw, scoped=scoped, after=after)
    rows = await fetch(session, _listing(shape, q.limit, offset > 0), values)
    if not rows and after == "cursor":
        await _cursor(session, featured_name, key_name, values["cursor_id"])  # an empty page, or no such post?
    if scoped:
        views = await views_by_ids(session, viewer, [row[0] for row in rows], asked=shape.probes)
    else:
        views = [to_view(row) for row in rows]
    next_cursor = encode_cursor(views[-1].post["id"]) if views else None
    return PostPage(posts=views, next_cursor=next_cursor)


@lru_cache(maxsize=32)
def _by_ids(has_viewer: bool, asked: tuple[bool, bool, bool, bool]) -> Prepared:
    query = select(*_view_columns(has_viewer, asked)).select_from(JOINED).where(one_of(P.c.id, "ids"))
    return Prepared(lambda _dialect: query)


async def get_post_view(session: AsyncSession, viewer: Viewer | None, post_id: int) -> PostView | None:
    """One post with the viewer's flags, whatever its state; callers check `visibility.may_see_post`."""
    views = await views_by_ids(session, viewer, [post_id])
    return views[0] if views else None


async def visible_post_view(session: AsyncSession, viewer: Viewer | None, post_id: int) -> PostView | None:
    """One post as `viewer` may see it (queries.visibility.may_see_post), else None."""
    view = await get_post_view(session, viewer, post_id)
    if view is None:
        return None
    is_mod = (
        viewer is not None
        and view.post["removed"]
        and await is_moderator(session, viewer.person_id, view.post["community_id"])
    )
    return view if visibility.may_see_post(viewer, view.post, view.community, is_mod=is_mod) else None


async def views_by_ids(
    session: AsyncSession, viewer: Viewer | None, post_ids: list[int], *, asked: tuple[bool, ...] = ASKED
) -> list[PostView]:
    """`asked`: which viewer flags to read (post_filters.probes); a listing may trust what the viewer's row said,
    but not a caller that has just changed the member's rows (a first save answered with its post)."""
    if not post_ids:
        return []
    values = viewer_values(viewer, utc_now())
    values["ids"] = post_ids
    rows = await fetch(session, _by_ids(viewer is not None, asked), values)
    by_id = {view.post["id"]: view for view in map(to_view, rows)}
    return [by_id[i] for i in post_ids if i in by_id]


async def cross_posts(session: AsyncSession, viewer: Viewer | None, view: PostView) -> list[PostView]:
    """Other visible posts linking the same URL (Lemmy computes these on read; so do we)."""
    url = view.post.get("url")
    if not url:
        return []
    q = PostQuery(listing_type="All", sort="New", url=url, limit=20, show_hidden=True, show_read=True)
    page = await list_posts(session, viewer, q)
    return [v for v in page.posts if v.post["id"] != view.post["id"]]
