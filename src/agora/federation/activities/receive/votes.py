"""Like, Dislike and their Undo: votes of remote people, through the same vote rules as ours.

`cast_together` applies many votes on one object in one transaction: the object's row is locked once for all of
them instead of once each, the inbox worker's answer to a peer's burst of votes on one popular post.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

from agora.domain import votes
from agora.domain.permissions import RemoteActing
from agora.errors import AgoraError, Code
from agora.federation.activities import Activity

SCORES = {"Like": 1, "Dislike": -1}


@dataclass(frozen=True)
class Ballot:
    """A received vote, its target and voter resolved: what the write needs and nothing to fetch."""

    kind: str
    target_id: int
    voter_id: int
    score: int


def vote_of(activity: Activity) -> tuple[str, int] | None:
    """(the voted object's URL, the score) when `activity` is a plain Like, Dislike or its Undo; None otherwise."""
    try:
        if activity.type in SCORES:
            return activity.object_url(), SCORES[activity.type]
        if activity.type == "Undo" and isinstance(activity.object, dict):
            inner = activity.inner()
            if inner.type in SCORES and inner.actor == activity.actor:
                return inner.object_url(), 0
    except AgoraError:
        return None
    return None


async def ballot(ctx: ActivityContext, target_url: str, voter_url: str, score: int) -> Ballot:
    """Resolve the target (fetching it when unknown) and the voter; no write."""
    kind, target_id = await ctx.resolve(target_url, solicited=False)
    if kind not in ("post", "comment"):
        raise AgoraError(Code.invalid_activity, f"a vote on a {kind}")
    return Ballot(kind, target_id, await ctx.person_id(voter_url), score)


async def cast(ctx: ActivityContext, session: AsyncSession, vote: Ballot) -> None:
    """Write one ballot in `session`, with its forward to a local community's followers (its row not settled)."""
    write = votes.vote_post if vote.kind == "post" else votes.vote_comment
    community = await write(session, ctx.here, RemoteActing(vote.voter_id), vote.target_id, vote.score)
    ctx.check_via(community.id)  # refused after the vote: the transaction, vote included, rolls back
    await ctx.forward(session, community.id)  # held here, so forward finds it in the session


async def cast_together(ballots: list[tuple[ActivityContext, Ballot]]) -> None:
    """Apply ballots on one object (by different voters) in one transaction: all of them or, on any refusal or
    conflict, none (the caller then applies them one by one, so each refusal is kept on its own row)."""
    if not ballots:
        return
    async with ballots[0][0].state.db.write() as session:
        for ctx, vote in ballots:
            await cast(ctx, session, vote)
        await ballots[0][0].settle_together(session, [ctx for ctx, _ in ballots])


async def _vote(ctx: ActivityContext, activity: Activity, score: int) -> str | None:
    vote = await ballot(ctx, activity.object_url(), activity.actor, score)
    async with ctx.state.db.write() as session:
        await cast(ctx, session, vote)
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
