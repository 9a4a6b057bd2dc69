"""Backfill: when the first member here follows a remote community, its recent posts are fetched from its outbox,
so the community's page is not empty until someone posts again (Lemmy shows nothing before the follow), and its
pinned posts from its featured collection, so they are pinned here too."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from agora.deps import AppState
from agora.domain import remote
from agora.errors import AgoraError
from agora.federation.context import ActivityContext
from agora.federation.objects import reading
from agora.outbound import OutboundError
from agora.queries import rows

log = logging.getLogger("agora.federation")
POSTS = 20
FEATURED = 10  # Lemmy lets a community pin a handful
BUDGET = 100  # the group, its outbox, a page of it, its featured posts, and each post's author or copy
COMMENTS = 50  # of each post new here
COMMENT_FETCHES = 60  # a post's replies pages, and each comment's author or parent or copy
REPLY_PAGES = 4


def _items(collection: dict) -> list:
    items = collection.get("orderedItems") or collection.get("items")
    return items if isinstance(items, list) else []


def _page_of(item: object) -> dict | str | None:
    """Announce { Create { Page } } (Lemmy), Create { Page }, or the Page itself."""
    for _ in range(3):
        if isinstance(item, dict) and item.get("type") in ("Announce", "Create"):
            item = item.get("object")
        else:
            break
    return item if isinstance(item, dict | str) else None


def soon(state: AppState, community_id: int) -> None:
    """Backfill the community in the background, once at a time per community (a resolve answers first)."""
    _in_background(state, "community", community_id, recent_posts)


def thread_soon(state: AppState, post_id: int) -> None:
    """Fetch the comments of a post new here in the background, once at a time per post: a member who resolved
    it sees its thread, not only the comments written after (a server that never sent them had no follower here)."""
    _in_background(state, "post", post_id, thread)


def _in_background(state: AppState, kind: str, row_id: int, work: Callable[[AppState, int], Awaitable[object]]) -> None:
    """Run `work(state, row_id)` as a task unless one for the same (kind, row) is still running; a failure is
    logged, never raised."""
    running: dict[tuple[str, int], asyncio.Task] = state.extras.setdefault("backfills", {})
    key = (kind, row_id)
    if key in running:
        return

    async def logged() -> None:
        try:
            await work(state, row_id)
        except Exception:
            log.warning("backfill of %s %s failed", kind, row_id, exc_info=True)

    task = asyncio.create_task(logged(), name=f"agora-backfill-{kind}-{row_id}")
    running[key] = task
    task.add_done_callback(lambda _task: running.pop(key, None))


async def thread(state: AppState, post_id: int) -> None:
    """Store the comments a remote post's own server lists for it (see `_store_replies`)."""
    async with state.db.read() as session:
        post = await rows.one(session, "post", post_id)
    if post is None or post["local"]:
        return
    ctx = ActivityContext(state, budget=1)
    try:
        document = await ctx.fetch(post["ap_id"])
    except (AgoraError, OutboundError) as error:
        log.info("the comments of %s were not had: %s", post["ap_id"], error)
        return
    await _store_replies(state, document)


async def recent_posts(state: AppState, community_id: int) -> int:
    """Fetch and store up to POSTS recent posts of a remote community; answers how many were stored."""
    ctx = ActivityContext(state, budget=BUDGET)
    async with state.db.read() as session:
        community = await rows.one(session, "community", community_id)
    if community is None or community["local"]:
        return 0
    ctx.speaker = reading.host(community["actor_id"])  # its collections speak for the posts of its own host
    group = await ctx.fetch(community["actor_id"])
    stored = len(await _store_posts(ctx, community, await _collection(ctx, group, "outbox", community), POSTS))
    featured = await _collection(ctx, group, "featured", community)
    if featured is not None:
        pinned = await _store_posts(ctx, community, featured, FEATURED)
        async with state.db.write() as session:
            await remote.set_featured(session, community_id, pinned)
    return stored


async def _collection(ctx: ActivityContext, group: dict, name: str, community: dict) -> list | None:
    """The items of the group's collection `name` (its first page when paged); None when it has none of its own."""
    url = reading.url(group.get(name), name, required=False)
    if not url or not reading.same_host(url, community["actor_id"]):
        return None
    collection = await ctx.fetch(url)
    items = _items(collection)
    first = collection.get("first")
    if not items and first is not None:
        items = _items(first) if isinstance(first, dict) else _items(await ctx.fetch(reading.url(first, "first")))
    return items


async def _store_posts(ctx: ActivityContext, community: dict, items: list | None, limit: int) -> list[int]:
    """Store the posts among `items` we do not have yet, then the comments of those new here; answers the ids of
    the posts we now hold."""
    held, new_pages = [], []
    for item in (items or [])[:limit]:
        page = _page_of(item)
        try:
            if isinstance(page, dict) and not reading.same_host(reading.url(page.get("id")), community["actor_id"]):
                page = reading.url(page.get("id"))  # a post from a third server: take its own copy
            if not isinstance(page, dict | str):
                continue
            url = page if isinstance(page, str) else reading.url(page.get("id"))
            found = await ctx.lookup(url)
            if found is None:
                document = await ctx.fetch(url) if isinstance(page, str) else page
                found = await (
                    ctx.store_fetched(document) if isinstance(page, str) else ctx.store_pushed(page, solicited=True)
                )
                new_pages.append(document)
            if found[0] == "post":
                held.append(found[1])
        except (AgoraError, OutboundError) as error:
            log.info("backfill of %s skipped an item: %s", community["actor_id"], error)
    for document in new_pages:
        await _store_replies(ctx.state, document)
    return held


async def _store_replies(state: AppState, page: dict) -> None:
    """The comments a post's own server lists in its `replies` collection (Mastodon, PieFed and Mbin have one;
    Lemmy 0.19 has none), up to COMMENTS a post on a budget of its own. Best effort."""
    ctx = ActivityContext(state, budget=COMMENT_FETCHES)
    ctx.speaker = reading.host(reading.url(page.get("id")))
    try:
        items = await _replies(ctx, page.get("replies"))
    except (AgoraError, OutboundError) as error:
        log.info("the comments of %s were not had: %s", page.get("id"), error)
        return
    for item in items[:COMMENTS]:
        try:
            if isinstance(item, dict) and reading.host(reading.url(item.get("id"))) == ctx.speaker:
                if await ctx.lookup(reading.url(item.get("id"))) is None:
                    await ctx.store_pushed(item, solicited=True)
            else:
                await ctx.resolve(reading.url(item, "replies.item"))  # from its own server
        except (AgoraError, OutboundError) as error:
            log.info("backfill of %s skipped a comment: %s", page.get("id"), error)


async def _replies(ctx: ActivityContext, collection: object) -> list:
    """The items of a replies collection and of its next pages, fetched from the post's own server only."""
    items: list = []
    for _ in range(REPLY_PAGES):
        if isinstance(collection, str):
            if reading.host(reading.url(collection, "replies")) != ctx.speaker:
                break
            collection = await ctx.fetch(collection)
        if not isinstance(collection, dict):
            break
        items += _items(collection)
        following = collection.get("first") if not _items(collection) else collection.get("next")
        if following is None or len(items) >= COMMENTS:
            break
        collection = following
    return items
