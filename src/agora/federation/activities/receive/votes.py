"""Like, Dislike and their Undo: votes of remote people, through the same vote rules as ours."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

from agora.domain import votes
from agora.domain.permissions import RemoteActing
from agora.errors import AgoraError, Code
from agora.federation.activities import Activity


async def _vote(ctx: ActivityContext, activity: Activity, score: int) -> str | None:
    kind, target_id = await ctx.resolve(activity.object_url(), solicited=False)
    if kind not in ("post", "comment"):
        raise AgoraError(Code.invalid_activity, f"a vote on a {kind}")
    voter_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.write() as session:
        vote = votes.vote_post if kind == "post" else votes.vote_comment
        community = await vote(session, ctx.here, RemoteActing(voter_id), target_id, score)
        ctx.check_via(community.id)  # refused after the vote: the transaction, vote included, rolls back
        await ctx.forward(session, community.id)  # held here, so forward finds it in the session
        await ctx.settle(session)
    return None


async def like(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _vote(ctx, activity, 1)


async def dislike(ctx: ActivityContext, activity: Activity) -> str | None:
    return await _vote(ctx, activity, -1)


async def undo(ctx: ActivityContext, activity: Activity) -> str | None:
    if await ctx.lookup(activity.object_url()) is None:
        return "an Undo of a vote on something we do not have"
    return await _vote(ctx, activity, 0)
