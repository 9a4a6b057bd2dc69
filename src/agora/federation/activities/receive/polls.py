"""Votes in polls from other servers: Mastodon's Create{Note} with the choice as its `name`, sent to the poll's
author, and PieFed's PollVote with its `choice_text`, sent to the poll's community. A vote is not a comment.

A vote counts on a poll made here. On another server's poll it counts only when that poll's community announces
it (PieFed sends no new counts for its own members' votes, only their PollVotes); otherwise the poll's server
counts it and tells us the counts in an Update.
"""

from __future__ import annotations

from agora.domain import polls
from agora.domain.permissions import RemoteActing
from agora.errors import AgoraError, Code
from agora.federation.activities import Activity
from agora.federation.objects import reading
from agora.queries import rows

CHOICE_MAX = 1000  # longer than any choice we keep; a longer name is refused before it is looked for


async def note_vote(ctx, activity: Activity, document: dict) -> str | None:
    if activity.type != "Create":
        return "a vote is made once, never updated"
    object_id = reading.url(document.get("id"), "object.id")
    voter = reading.url(document.get("attributedTo"), "object.attributedTo")
    if voter != activity.actor or not reading.same_host(object_id, activity.actor):
        raise AgoraError(Code.invalid_activity, "only the voter sends their vote")
    name = reading.text(document.get("name"), "object.name", required=True, max_length=CHOICE_MAX)
    return await _vote(ctx, activity, reading.url(document.get("inReplyTo"), "object.inReplyTo"), name)


async def poll_vote(ctx, activity: Activity) -> str | None:
    name = reading.text(activity.document.get("choice_text"), "choice_text", required=True, max_length=CHOICE_MAX)
    return await _vote(ctx, activity, activity.object_url(), name)


async def _vote(ctx, activity: Activity, poll_url: str, name: str) -> str | None:
    found = await ctx.lookup(poll_url)
    if found is None or found[0] != "post":
        return "a vote in a poll we do not have"
    voter_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.write() as session:
        post = await rows.one(session, "post", found[1])
        if not post["local"] and (ctx.via is None or ctx.via != post["community_id"]):
            return "a vote in another server's poll is counted there"
        ctx.check_via(post["community_id"])
        await polls.vote_by_name(session, RemoteActing(voter_id), post["id"], name)
        await ctx.settle(session)
    return None
