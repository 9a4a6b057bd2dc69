"""`resolve_object` for the API and the web UI: a URL or a handle to our row, fetched when a member asks.

The one way the surfaces reach federation (STYLE.md): they name what they want, this finds or fetches it through a
`ActivityContext`, and answers what a member may be shown (nothing deleted or removed).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from agora.deps import AppState
from agora.errors import AgoraError, Code
from agora.federation import backfill
from agora.federation.context import ActivityContext
from agora.federation.documents import parse_handle, webfinger
from agora.federation.objects import reading
from agora.outbound import OutboundError
from agora.queries import communities as community_queries
from agora.queries import multi_communities as multi_queries
from agora.queries import persons as person_queries
from agora.queries import rows

RESOLVE_FETCHES = 100


async def resolve(state: AppState, q: str, *, fetch: bool, feeds: bool = False) -> tuple[str, int]:
    """`resolve_object`: a URL or a handle → ("post" | "comment" | "person" | "community", local id), and with
    `feeds` (API v4) a multi-community's URL → ("multi_community", local id).

    Known objects answer from the database; with `fetch` (a logged-in caller) unknown ones are fetched."""
    q = q.strip()
    handle = parse_handle(q)
    # A member waits for this one answer: a comment fifty replies deep needs each ancestor (Lemmy resolves it too).
    ctx = ActivityContext(state, budget=max(state.settings.federation_fetch_limit, RESOLVE_FETCHES))
    if handle is not None:
        name, domain, kind = handle
        if domain == state.here.domain:
            return await _local_handle(state, name, kind)
        if not fetch:
            return await _known_handle(state, name, domain, kind)
        try:
            url = await webfinger(state, name, domain, kind)
        except OutboundError as error:  # no such host, refused, timed out: the handle names nothing we can reach
            raise AgoraError(Code.couldnt_find_object, error.reason) from error
    else:
        parts = urlsplit(q)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AgoraError(Code.couldnt_find_object)
        url = q
        if reading.host(url) == state.here.domain and (ours := _our_page(parts.path)) is not None:
            return await _found_and_present(state, ours)  # our page of an object, maybe another server's
        if feeds and (multi_id := await _known_feed(state, url)) is not None:
            return "multi_community", multi_id
    try:
        found = known = await ctx.lookup(url)
        if fetch and known is None and handle is None:
            found = await _fetch_moved(ctx, url)
        elif fetch:
            found = await ctx.resolve(url, solicited=True)
    except OutboundError as error:
        raise AgoraError(Code.couldnt_find_object, error.reason) from error
    except AgoraError as error:  # a refused host, a gone object, an unreadable document: Lemmy says one thing
        raise AgoraError(Code.couldnt_find_object, error.message) from error
    if known is None and found is not None and found[0] == "community":
        backfill.soon(state, found[1])  # a community new here comes with its recent and pinned posts, as in Lemmy
    elif known is None and found is not None and found[0] == "post":
        backfill.thread_soon(state, found[1])  # and a post with the comments its own server lists
    elif found is not None and found[0] == "multi_community":
        if not feeds:
            raise AgoraError(Code.couldnt_find_object, "API v3 has no multi-communities")
        await _backfill_listed(state, found[1])
        return found
    return await _found_and_present(state, found)


async def _known_feed(state: AppState, url: str) -> int | None:
    async with state.db.read() as session:
        return await multi_queries.id_by_ap_id(session, url)


async def _backfill_listed(state: AppState, multi_id: int) -> None:
    """A multi-community new here comes with the recent posts of the remote communities it lists."""
    async with state.db.read() as session:
        listed = await multi_queries.listed_communities(session, multi_id)
    for community in listed:
        if not community["local"]:
            backfill.soon(state, community["id"])


_OUR_PAGE = re.compile(r"^/(post|comment)/([0-9]{1,9})$")


def _our_page(path: str) -> tuple[str, int] | None:
    """`/post/12` → ("post", 12): the URL we give every post and comment we hold, ours or not."""
    match = _OUR_PAGE.match(path)
    return (match.group(1), int(match.group(2))) if match else None


async def _fetch_moved(ctx: ActivityContext, url: str) -> tuple[str, int]:
    """An unknown URL: what it serves, or where it redirects to (another server's URL for a post it holds)."""
    if reading.host(url) == ctx.here.domain:
        raise AgoraError(Code.couldnt_find_object, f"{url} is not here")
    found = await ctx.fetch(url, moved=True)
    object_id = reading.url(found.get("id"), "id")
    if object_id != url and (known := await ctx.lookup(object_id)) is not None:
        return known
    return await ctx.store_fetched(found, solicited=True)


async def _found_and_present(state: AppState, found: tuple[str, int] | None) -> tuple[str, int]:
    """What resolve_object answers: a post, comment, person or community that is neither deleted nor removed."""
    if found is None or found[0] not in ("post", "comment", "person", "community"):
        raise AgoraError(Code.couldnt_find_object)
    async with state.db.read() as session:
        row = await rows.one(session, *found)
    if row is None or row.get("deleted") or row.get("removed"):
        raise AgoraError(Code.couldnt_find_object)
    return found


async def actor_by_handle(state: AppState, handle: str, kind: str) -> int | None:
    """Our id of the person ("Person") or community ("Group") `name@host`, fetched by WebFinger when we do not
    have it (Lemmy does so for a logged-in reader of GET /community and /user by name); None when not found."""
    sigil = "!" if kind == "Group" else "@"
    try:
        found_kind, found = await resolve(state, sigil + handle.strip().lstrip("!@"), fetch=True)
    except AgoraError:
        return None
    return found if found_kind == ("community" if kind == "Group" else "person") else None


async def _local_handle(state: AppState, name: str, kind: str | None) -> tuple[str, int]:
    return await _handle(state, name, kind, state.here.instance_id)


async def _known_handle(state: AppState, name: str, domain: str, kind: str | None) -> tuple[str, int]:
    return await _handle(state, f"{name}@{domain}", kind, state.here.instance_id)


async def _handle(state: AppState, name: str, kind: str | None, instance_id: int) -> tuple[str, int]:
    """A person or community we hold, by `name` (`name@host` for a remote one); kind None tries a person first."""
    found = None
    async with state.db.read() as session:
        if kind in (None, "Person") and (person_id := await person_queries.find_id(session, instance_id, name)):
            found = ("person", person_id)
        elif kind in (None, "Group") and (community_id := await community_queries.find_id(session, instance_id, name)):
            found = ("community", community_id)
    return await _found_and_present(state, found)


async def actor_afresh(state: AppState, q: str, kind: str, refusal: Code) -> tuple[int, str]:
    """(our id, actor URL) of the "person" or "community" (`kind`) a handle or URL names, taken again from its own
    server when remote, so what it says now (its aliases) is what we read; AgoraError(`refusal`) when it cannot be
    found or fetched."""
    try:
        found_kind, found = await resolve(state, q, fetch=True)
        async with state.db.read() as session:
            row = await rows.one(session, found_kind, found)
        if found_kind != kind or row is None:
            raise AgoraError(refusal, f"{q} is not a {kind}")
        if not row["local"]:
            await ActivityContext(state).refetch(row["actor_id"])
    except OutboundError as error:
        raise AgoraError(refusal, f"{q}: {error.reason}") from error
    except AgoraError as error:
        raise AgoraError(refusal, error.message or f"{q} could not be found") from error
    return found, row["actor_id"]
