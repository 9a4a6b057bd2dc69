"""Post listings as pages: sort and listing type from the query string, keyset paging forward and back."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from agora.queries import comments as comment_queries
from agora.queries import polls as poll_queries
from agora.queries import post_listings
from agora.queries.polls import PollItem
from agora.queries.views import PostItem
from agora.web.context import PageContext
from agora.web.render import query

PAGE_SIZE = 20
LISTING_TYPES = ("Subscribed", "Local", "All")
RANK_MAX = 10_000_000


@dataclass
class Listing:
    posts: list[PostItem]
    sort: str
    listing_type: str
    start: int
    prev: str | None = None
    next: str | None = None
    mod_ids: frozenset[int] = field(default_factory=frozenset)
    polls: dict[int, PollItem] = field(default_factory=dict)


def _start(value: str | None) -> int:
    return min(int(value), RANK_MAX) if value and value.isdigit() and int(value) > 0 else 1


async def post_listing(ctx: PageContext, db: AsyncSession, *, community_id: int | None = None) -> Listing:
    params = ctx.params
    asked_sort = params.get("sort")
    sort = asked_sort if asked_sort in post_listings.SORTS else post_listings.default_sort(ctx.viewer, ctx.site)
    asked = params.get("listingType")
    if community_id is None and asked in LISTING_TYPES and (ctx.viewer or asked != "Subscribed"):
        listing_type = asked
    else:
        listing_type = post_listings.default_listing_type(ctx.viewer, ctx.site, community_id)
        if listing_type not in LISTING_TYPES:  # the web UI lists no ModeratorView
            listing_type = "Local"
    cursor = params.get("pageCursor") or None
    back = cursor is not None and params.get("back") == "1"
    start = _start(params.get("start"))

    def ask(cursor: str | None, back: bool) -> post_listings.PostQuery:
        return post_listings.PostQuery(
            listing_type=listing_type,
            sort=sort,
            community_id=community_id,
            show_nsfw=None if ctx.viewer else False,
            limit=PAGE_SIZE + 1,
            cursor=cursor,
            page_back=back,
        )

    # One post more than a page tells whether another page follows (forward) or precedes (back).
    page = await post_listings.list_posts(db, ctx.viewer, ask(cursor, back))
    posts, more = page.posts, len(page.posts) > PAGE_SIZE
    if back and not more:
        # Paged back to the top: show the real first page, which may have gained posts since.
        cursor, start, back = None, 1, False
        page = await post_listings.list_posts(db, ctx.viewer, ask(None, False))
        posts, more = page.posts, len(page.posts) > PAGE_SIZE
    elif back:
        posts, more = posts[1:], True
    posts = posts[:PAGE_SIZE]
    kept = {"sort": params.get("sort"), "listingType": params.get("listingType")}
    listing = Listing(posts=posts, sort=sort, listing_type=listing_type, start=start)
    if posts and (more or back):
        listing.next = query(
            kept, pageCursor=post_listings.encode_cursor(posts[-1].post["id"]), start=start + PAGE_SIZE
        )
    if cursor is not None:
        first = posts[0].post["id"] if posts else post_listings.decode_cursor(cursor)
        listing.prev = query(
            kept, pageCursor=post_listings.encode_cursor(first), back=1, start=max(1, start - PAGE_SIZE)
        )
    listing.mod_ids = await comment_queries.moderated_ids(db, ctx.viewer)
    listing.polls = await poll_queries.polls_of(db, [pv.post["id"] for pv in posts], viewer_id(ctx))
    return listing


def viewer_id(ctx: PageContext) -> int | None:
    return ctx.viewer.person_id if ctx.viewer else None
