"""Received activities → domain calls, by explicit `type` dispatch.

`apply(ctx, activity)` answers None when the activity changed something, a sentence when there was nothing to do
(skipped), and raises AgoraError when it is refused (its reason is kept on the row) or OutboundError when a server
it depends on could not be reached (tried again later). Each handler makes its change in one transaction, with
the Announce that forwards it to a local community's followers, so a refused activity leaves nothing behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

from agora.errors import AgoraError, Code
from agora.federation.activities import Activity
from agora.federation.activities.receive import actors, announced, content, follows, moderation, moves, polls, votes
from agora.federation.objects import reading


async def announce(ctx: ActivityContext, activity: Activity) -> str | None:
    return await announced.announce(ctx, activity, apply)


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
    "PollVote": polls.poll_vote,
    "Move": moves.move,
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


async def undo(ctx: ActivityContext, activity: Activity) -> str | None:
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


async def apply(ctx: ActivityContext, activity: Activity) -> str | None:
    """Apply `activity`, which must be the word of `ctx.speaker`: the host that signed it, or the host a relayed
    activity was fetched again from. No server speaks for another's actors."""
    if ctx.speaker is None or reading.host(activity.actor) != ctx.speaker:
        raise AgoraError(Code.invalid_activity, f"{ctx.speaker} cannot speak for {activity.actor}")
    handler = HANDLERS.get(activity.type)
    if handler is None:
        return f"Agora does not handle {activity.type} activities"
    ctx.forward_for = None
    return await handler(ctx, activity)
