"""Like, Dislike and their Undo: votes of remote people, through the same vote rules as ours."""

from __future__ import annotations

from agora.domain import votes
from agora.domain.permissions import RemoteActing
from agora.errors import AgoraError, Code
from agora.federation.activities import Activity
from agora.queries import federation as federation_queries


async def _vote(ctx, activity: Activity, score: int) -> str | None:
    kind, target_id = await ctx.resolve(activity.object_url(), solicited=False)
    if kind not in ("post", "comment"):
        raise AgoraError(Code.invalid_activity, f"a vote on a {kind}")
    voter_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.write() as session:
        row = await federation_queries.row(session, kind, target_id)
        post = row if kind == "post" else await federation_queries.row(session, "post", row["post_id"])
        ctx.check_via(post["community_id"])
        if kind == "post":
            await votes.vote_post(session, ctx.here, RemoteActing(voter_id), target_id, score)
        else:
            await votes.vote_comment(session, ctx.here, RemoteActing(voter_id), target_id, score)
        await ctx.forward(session, post["community_id"])
    return None


async def like(ctx, activity: Activity) -> str | None:
    return await _vote(ctx, activity, 1)


async def dislike(ctx, activity: Activity) -> str | None:
    return await _vote(ctx, activity, -1)


async def undo(ctx, activity: Activity) -> str | None:
    if await ctx.lookup(activity.object_url()) is None:
        return "an Undo of a vote on something we do not have"
    return await _vote(ctx, activity, 0)
