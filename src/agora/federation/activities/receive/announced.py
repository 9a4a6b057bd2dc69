"""Announce: a community forwards what happened in it. An Announce is a claim, not a proof.

The announcing server speaks for itself only. What it wraps is applied when it is something a community may
announce (content, votes and moderation in that very community: `ANNOUNCED`), and only from a copy its own host
gave us: the announcer's copy when the inner actor lives on the announcer's host, otherwise the copy fetched again
from the inner actor's host by its id (Lemmy, PieFed and Agora serve their activities there). A Create or Update
whose activity its origin does not serve is taken as its object, fetched from the object's own host. Anything
else is refused: actor updates, account deletions, follows, site bans, private messages, another community's
affairs. Each handler then holds the activity to the announcing community (`ActivityContext.check_via`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

from agora.errors import AgoraError, Code
from agora.federation import documents
from agora.federation.activities import Activity, parse
from agora.federation.objects import message, reading
from agora.queries import activities as activity_queries

# Inner activity type → the types of what it may act on, as a community announces them (Lemmy 0.19 and 1.0's
# announcable activities; Flag, Resolve and Warn are 1.0's). None: the object is given by URL and checked by the
# handler against the community.
ANNOUNCED: dict[str, frozenset[str] | None] = {
    "Create": frozenset({"Page", "Article", "Video", "Event", "Question", "Note"}),
    "Update": frozenset({"Page", "Article", "Video", "Event", "Question", "Note", "Group"}),
    "Delete": None,
    "Like": None,
    "Dislike": None,
    "Lock": None,
    "Add": None,
    "Remove": None,
    "Block": None,
    "Flag": None,
    "Resolve": None,
    "Warn": None,
    "PollVote": None,  # PieFed's vote in a poll
    "Undo": None,
}
UNDONE_IN_COMMUNITY = frozenset({"Like", "Dislike", "Delete", "Lock", "Block"})


def refuse(why: str) -> AgoraError:
    return AgoraError(Code.invalid_activity, why)


def check_announceable(announcer: str, inner: Activity) -> None:
    """Refuse what no community may announce, before anything is fetched or written."""
    if inner.type not in ANNOUNCED:
        raise refuse(f"a community does not announce {inner.type} activities")
    if inner.type == "Undo":
        undone = inner.inner() if isinstance(inner.object, dict) else None
        if undone is not None and undone.type not in UNDONE_IN_COMMUNITY:
            raise refuse(f"a community does not announce an Undo of {undone.type}")
    kinds = ANNOUNCED[inner.type]
    document = inner.object
    if kinds is not None and isinstance(document, dict):
        kind = reading.kind(document)
        if kind not in kinds or message.is_message(document):
            raise refuse(f"a community does not announce {inner.type} of a {kind}")
        if kind == "Group" and reading.url(document.get("id"), "object.id") != announcer:
            raise refuse("a community announces updates of itself only")
    if inner.type in ("Block", "Undo"):
        block = inner if inner.type == "Block" else (inner.inner() if isinstance(inner.object, dict) else None)
        if block is not None and block.type == "Block":
            target = reading.url(block.document.get("target"), "target")
            if target.rstrip("/") != announcer.rstrip("/"):
                raise refuse("a community announces bans from itself only")


async def from_origin(ctx: ActivityContext, announcer: str, inner: Activity) -> Activity:
    """The inner activity as its own host gives it: the announcer's copy when that host is the announcer's, the
    copy fetched by id otherwise (for a Create or Update its origin does not serve, its object fetched)."""
    if reading.same_host(inner.actor, announcer):
        return inner
    try:
        document = await ctx.fetch(inner.id)
    except AgoraError as error:
        if error.status != 410 and error.code != Code.couldnt_find_object:
            raise
        if inner.type not in ("Create", "Update"):
            raise refuse(f"{reading.host(inner.actor)} does not confirm the announced {inner.type}") from error
        return await _with_object_from_origin(ctx, inner)
    origin = parse(document, depth=inner.depth)
    if (origin.id, origin.type, origin.actor) != (inner.id, inner.type, inner.actor):
        raise refuse(f"{reading.host(inner.actor)} serves another activity at {inner.id}")
    return origin


async def _with_object_from_origin(ctx: ActivityContext, inner: Activity) -> Activity:
    object_url = inner.object_url()
    if not reading.same_host(object_url, inner.actor):
        raise refuse("the announced object is on another host than its author")
    document = await ctx.fetch(object_url)
    author = reading.url(document.get("attributedTo"), "object.attributedTo")
    if author != inner.actor:
        raise refuse("the announced object has another author on its own server")
    return Activity(
        id=inner.id,
        type=inner.type,
        actor=inner.actor,
        document={**inner.document, "object": document},
        depth=inner.depth,
    )


Apply = Callable[["ActivityContext", Activity], Awaitable[str | None]]


async def announce(ctx: ActivityContext, activity: Activity, apply: Apply) -> str | None:
    """Apply what a community announces, under the rules above; `apply` dispatches the inner activity."""
    inner_document = activity.object
    if not isinstance(inner_document, dict):
        return "an Announce of a bare URL (a boost) changes nothing here"
    if "actor" not in inner_document:
        return "an Announce of an object (sent for microblog followers) changes nothing here"
    inner = activity.inner()
    if inner.type == "Announce":
        raise refuse("an Announce of an Announce")
    if reading.host(inner.actor) == ctx.here.domain:
        return "our own activity, announced back to us"
    check_announceable(activity.actor, inner)
    await documents.check_host_allowed(ctx.state, inner.actor)  # the site's lists hold for relayed activities too
    community_id = await ctx.community_id(activity.actor)
    async with ctx.state.db.read() as session:
        if await activity_queries.is_received(session, inner.id):
            return "already received"
    inner = await from_origin(ctx, activity.actor, inner)  # OutboundError: its host is down, tried again later
    check_announceable(activity.actor, inner)
    ctx.via, ctx.via_url, ctx.announced = community_id, activity.actor, inner
    ctx.speaker = reading.host(inner.actor)
    outcome = await apply(ctx, inner)
    if not ctx.settled:
        await ctx.remember(inner)
    return outcome
