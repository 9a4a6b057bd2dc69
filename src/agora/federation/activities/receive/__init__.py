"""Received activities → domain calls, by explicit `type` dispatch.

`apply(ctx, activity)` answers None when the activity changed something, a sentence when there was nothing to do
(skipped), and raises AgoraError when it is refused (its reason is kept on the row) or OutboundError when a server
it depends on could not be reached (tried again later). Each handler makes its change in one transaction, with
the Announce that forwards it to a local community's followers, so a refused activity leaves nothing behind.
"""

from __future__ import annotations

from agora.errors import AgoraError, Code
from agora.federation import fetch
from agora.federation.activities import Activity
from agora.federation.activities.receive import actors, content, follows, moderation, votes
from agora.federation.objects import reading
from agora.queries import federation as federation_queries


async def announce(ctx, activity: Activity) -> str | None:
    """A community forwards what happened in it: apply the inner activity with the community as its witness."""
    inner_document = activity.object
    if not isinstance(inner_document, dict):
        return "an Announce of a bare URL (a boost) changes nothing here"
    if "actor" not in inner_document:
        return "an Announce of an object (sent for microblog followers) changes nothing here"
    inner = activity.inner()
    if inner.type == "Announce":
        raise AgoraError(Code.invalid_activity, "an Announce of an Announce")
    if reading.host(inner.actor) == ctx.here.domain:
        return "our own activity, announced back to us"
    await fetch.check_host_allowed(ctx.state, inner.actor)  # the site's lists hold for relayed activities too
    community_id = await ctx.community_id(activity.actor)
    async with ctx.state.db.read() as session:
        if await federation_queries.received_ap_id(session, inner.id):
            return "already received"
    ctx.via, ctx.via_url, ctx.announced = community_id, activity.actor, inner
    outcome = await apply(ctx, inner)
    if not ctx.settled:
        await ctx.remember(inner)
    return outcome


HANDLERS = {
    "Follow": follows.follow,
    "Accept": follows.accept,
    "Reject": follows.reject,
    "Create": content.create_or_update,
    "Update": actors.update,
    "Delete": content.delete,
    "Like": votes.like,
    "Dislike": votes.dislike,
    "Lock": moderation.lock,
    "Add": moderation.add,
    "Remove": moderation.remove,
    "Block": moderation.block,
    "Flag": moderation.flag,
    "Resolve": moderation.resolve,
    "Warn": moderation.warn,
    "Announce": announce,
}

UNDOABLE = {
    "Follow": follows.undo_follow,
    "Like": votes.undo,
    "Dislike": votes.undo,
    "Delete": content.undo_delete,
    "Lock": moderation.unlock,
    "Block": moderation.unblock,
}


async def undo(ctx, activity: Activity) -> str | None:
    inner_document = activity.object
    if isinstance(inner_document, str):
        return "an Undo of an activity we were not given"
    inner = activity.inner()
    if not reading.same_host(inner.actor, activity.actor) or inner.actor != activity.actor:
        raise AgoraError(Code.invalid_activity, "only the actor of an activity can undo it")
    handler = UNDOABLE.get(inner.type)
    if handler is None:
        return f"Agora does not undo {inner.type}"
    return await handler(ctx, inner)


HANDLERS["Undo"] = undo


async def apply(ctx, activity: Activity) -> str | None:
    handler = HANDLERS.get(activity.type)
    if handler is None:
        return f"Agora does not handle {activity.type} activities"
    ctx.forward_for = None
    return await handler(ctx, activity)
