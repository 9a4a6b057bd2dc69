"""Post listings as pages of PostItem: the query a reader asks, its order, page and cursor, and its defaults.

Every sort reads one index in order (see db.models.post): featured posts first, then the sort key, then id. A
descending sort (all but Old) is one backward scan of its (featured, key, id) index, cut at the page, with the
views and viewer flags computed for the page's rows only; Old picks featured and plain posts by two range scans
(`featured = const`), unioned. `page_cursor` continues from a post's current keys, so page 200 costs what page 1
costs.

What decides a listing's SQL is its `PostStatementKey`; the statement is built once per key and run through db.prepared,
every value a named parameter (`values_of`); which posts it shows is post_filters'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db.models import (
    Community,
    CommunityFollower,
    CommunityModerator,
    InstanceBlock,
)
from agora.db.prepared import Prepared, fetch, with_values
from agora.errors import AgoraError, Code
from agora.queries import columns, multi_communities
from agora.queries.id_lists import one_of
from agora.queries.post_filters import PostStatementKey, filters, source, statement_key
from agora.queries.post_views import JOINED, P, to_view, view_columns, viewer_values, views_by_ids
from agora.queries.viewer import Viewer, feed_follows
from agora.queries.views import PostItem, PostPage

# sort → (key column, descending, time window)
SORTS: dict[str, tuple[str, bool, timedelta | None]] = {
    "Active": ("hot_rank_active", True, None),
    "Hot": ("hot_rank", True, None),
    "Scaled": ("scaled_rank", True, None),
    "Controversial": ("controversy_rank", True, None),
    "New": ("published", True, None),
    "Old": ("published", False, None),
    "MostComments": ("comments", True, None),
    "NewComments": ("newest_comment_time", True, None),
    "TopHour": ("score", True, timedelta(hours=1)),
    "TopSixHour": ("score", True, timedelta(hours=6)),
    "TopTwelveHour": ("score", True, timedelta(hours=12)),
    "TopDay": ("score", True, timedelta(days=1)),
    "TopWeek": ("score", True, timedelta(days=7)),
    "TopMonth": ("score", True, timedelta(days=30)),
    "TopThreeMonths": ("score", True, timedelta(days=91)),
    "TopSixMonths": ("score", True, timedelta(days=182)),
    "TopNineMonths": ("score", True, timedelta(days=273)),
    "TopYear": ("score", True, timedelta(days=365)),
    "TopAll": ("score", True, None),
}


@dataclass(slots=True)
class PostQuery:
    listing_type: str = "All"
    sort: str = "Hot"
    community_id: int | None = None
    multi_community_id: int | None = None  # the communities a multi-community lists (with listing_type "All")
    creator_id: int | None = None
    saved_only: bool = False
    liked_only: bool = False
    disliked_only: bool = False
    show_hidden: bool = False
    show_read: bool | None = None
    show_nsfw: bool | None = None
    page: int | None = None
    limit: int = 10
    cursor: str | None = None
    page_back: bool = False  # with `cursor`: the page that ends just before the cursor post (Lemmy's page_back)
    url: str | None = None
    keep_deleted_of_creator: bool = False
    tag_id: int | None = None  # only posts carrying this community tag


def values_of(viewer: Viewer | None, q: PostQuery, now: datetime) -> dict[str, Any]:
    out = viewer_values(viewer, now)
    out.update(community_id=q.community_id, creator_id=q.creator_id, url=q.url, tag_id=q.tag_id)
    window = SORTS[q.sort][2] if q.sort in SORTS else None
    if window is not None:
        out["since"] = now - window
    return out


def view_filters(viewer: Viewer | None, q: PostQuery, *, show_nsfw: bool) -> list[ColumnElement[bool]]:
    """The visibility rules of a post listing, values bound (for ad-hoc queries such as search)."""
    rules = and_(*filters(statement_key(viewer, q, show_nsfw=show_nsfw)))
    return [with_values(rules, values_of(viewer, q, now()))]


@lru_cache(maxsize=1024)
def _listing(s: PostStatementKey, limit: int, paged: bool) -> Prepared:
    return Prepared(lambda dialect_name: _listing_select(s, limit, paged, postgres=dialect_name == "postgresql"))


def _listing_select(
    s: PostStatementKey, limit: int, paged: bool, *, postgres: bool = False
) -> Select[*tuple[Any, ...]]:
    """The page size is written into the SQL: PostgreSQL cannot plan `LIMIT $1` without knowing it, so it would
    plan every execution afresh (measured: 1.5-4 ms of planning for a 0.5 ms query on the large set). A page
    after the first (`paged`) reads `fetch` = offset + limit rows of each part, as parameters.

    A scoped listing (Subscribed, ModeratorView) answers only the ids, for `views_by_ids`: its communities are
    a list parameter, with which PostgreSQL never settles on a generic plan, and planning the ids alone takes
    0.5 ms where the whole view took 10-20 ms."""
    page_size: ColumnElement[int] = literal_column(str(int(limit)))
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
        chosen = [P.c.id] if s.scoped else view_columns(s.viewer, s.probes)
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

    def part(number: int, flag: ColumnElement[bool], bounded: bool) -> Select[*tuple[Any, ...]]:
        chosen = (
            select(P.c.id.label("id"), literal_column(str(number)).label("part"), key.label("k"))
            .select_from(source(s))
            .where(*where, featured == flag, *([beyond] if bounded else []))
            .order_by(*order)
            .limit(bindparam("fetch", type_=Integer) if paged else page_size)
            .subquery()
        )
        return select(chosen.c.id, chosen.c.part, chosen.c.k)

    parts: Select[*tuple[Any, ...]] | CompoundSelect[*tuple[Any, ...]]
    if s.after == "plain":
        parts = part(1, columns.FALSE, True)
    else:
        parts = part(0, columns.TRUE, s.after == "featured").union_all(part(1, columns.FALSE, False))
    page = parts.subquery("page")
    if s.scoped:
        query = select(page.c.id).order_by(page.c.part, page.c.k.asc(), page.c.id.asc()).limit(page_size)
    else:
        query = (
            select(*view_columns(s.viewer, s.probes))
            .select_from(page.join(JOINED, P.c.id == page.c.id))
            .order_by(page.c.part, *order)
            .limit(page_size)
        )
    return query.offset(bindparam("offset", type_=Integer)) if paged else query


@lru_cache(maxsize=256)
def _listing_back(s: PostStatementKey, limit: int) -> Prepared:
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


async def _cursor(session: AsyncSession, featured_name: str, key_name: str, cursor_id: int) -> Sequence[Any]:
    found = await fetch(session, _cursor_keys(featured_name, key_name), {"cursor_id": cursor_id})
    if not found:
        raise AgoraError(Code.couldnt_get_posts, "page_cursor refers to no post")
    return found[0]


async def _scoped_community_ids(
    session: AsyncSession, viewer: Viewer, listing_type: str, *, show_nsfw: bool
) -> list[int]:
    """The communities a scoped listing reads: for Subscribed, only those whose posts it may show (the statement
    then checks no community row: PostStatementKey.scope_checked)."""
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
    values = values_of(viewer, q, now())
    scoped = q.listing_type in ("Subscribed", "ModeratorView") or q.multi_community_id is not None
    if q.multi_community_id is not None:
        values["scope"] = await multi_communities.community_ids(session, q.multi_community_id)
        if not values["scope"]:
            return PostPage(posts=[])
    elif scoped:
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
        shape = statement_key(viewer, q, show_nsfw=show_nsfw, scoped=scoped)
        ids = [row[0] for row in await fetch(session, _listing_back(shape, q.limit), values)]
        views = await views_by_ids(session, viewer, ids[::-1], asked=shape.probes)
        return PostPage(posts=views, next_cursor=encode_cursor(views[-1].post["id"]) if views else None)
    offset = (q.page - 1) * q.limit if q.page and q.page > 1 else 0
    values.update(offset=offset, fetch=q.limit + offset)
    shape = statement_key(viewer, q, show_nsfw=show_nsfw, scoped=scoped, after=after)
    rows = await fetch(session, _listing(shape, q.limit, offset > 0), values)
    if not rows and after == "cursor":
        await _cursor(session, featured_name, key_name, values["cursor_id"])  # an empty page, or no such post?
    if scoped:
        views = await views_by_ids(session, viewer, [row[0] for row in rows], asked=shape.probes)
    else:
        views = [to_view(row) for row in rows]
    next_cursor = encode_cursor(views[-1].post["id"]) if views else None
    return PostPage(posts=views, next_cursor=next_cursor)


async def cross_posts(session: AsyncSession, viewer: Viewer | None, view: PostItem) -> list[PostItem]:
    """Other visible posts linking the same URL (Lemmy computes these on read; so do we)."""
    url = view.post.get("url")
    if not url:
        return []
    q = PostQuery(listing_type="All", sort="New", url=url, limit=20, show_hidden=True, show_read=True)
    page = await list_posts(session, viewer, q)
    return [v for v in page.posts if v.post["id"] != view.post["id"]]


def default_listing_type(viewer: Viewer | None, site: dict[str, Any], community_id: int | None) -> str:
    """The listing a reader gets who asks for none: all of a community on its page; else the member's own default,
    or the site's."""
    if community_id is not None:
        return "All"
    return viewer.default_listing_type if viewer is not None else site["default_post_listing_type"]


def default_sort(viewer: Viewer | None, site: dict[str, Any]) -> str:
    """The sort a reader gets who asks for none: the member's own default, or the site's."""
    return viewer.default_sort_type if viewer is not None else site["default_sort_type"]
