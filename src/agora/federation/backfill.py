"""Backfill: when the first member here follows a remote community, its recent posts are fetched from its outbox,
so the community's page is not empty until someone posts again (Lemmy shows nothing before the follow)."""

from __future__ import annotations

import logging

from agora.errors import AgoraError
from agora.federation.context import Context
from agora.federation.objects import reading
from agora.outbound import OutboundError
from agora.queries import federation as federation_queries

log = logging.getLogger("agora.federation")
POSTS = 20
BUDGET = 80  # the group, its outbox, a page of it, and each post's author or copy


def _items(collection: dict) -> list:
    items = collection.get("orderedItems") or collection.get("items")
    return items if isinstance(items, list) else []


def _page_of(item) -> dict | str | None:
    """Announce { Create { Page } } (Lemmy), Create { Page }, or the Page itself."""
    for _ in range(3):
        if isinstance(item, dict) and item.get("type") in ("Announce", "Create"):
            item = item.get("object")
        else:
            break
    return item if isinstance(item, dict | str) else None


async def recent_posts(state, community_id: int) -> int:
    """Fetch and store up to POSTS recent posts of a remote community; answers how many were stored."""
    ctx = Context(state, budget=BUDGET)
    async with state.db.read() as session:
        community = await federation_queries.row(session, "community", community_id)
    if community is None or community["local"]:
        return 0
    group = await ctx.fetch(community["actor_id"])
    outbox = reading.url(group.get("outbox"), "outbox", required=False)
    if not outbox or not reading.same_host(outbox, community["actor_id"]):
        return 0
    collection = await ctx.fetch(outbox)
    items = _items(collection)
    first = collection.get("first")
    if not items and first is not None:
        items = _items(first) if isinstance(first, dict) else _items(await ctx.fetch(reading.url(first, "first")))
    stored = 0
    for item in items[:POSTS]:
        page = _page_of(item)
        try:
            if isinstance(page, dict) and not reading.same_host(reading.url(page.get("id")), community["actor_id"]):
                page = reading.url(page.get("id"))  # a post from a third server: take its own copy
            if isinstance(page, str):
                await ctx.resolve(page)
            elif isinstance(page, dict) and await ctx.lookup(reading.url(page.get("id"))) is None:
                await ctx.store(page, solicited=True)
            stored += 1
        except (AgoraError, OutboundError) as error:
            log.info("backfill of %s skipped an item: %s", community["actor_id"], error)
    return stored
