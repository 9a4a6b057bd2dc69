"""Follow, Accept, Reject and Undo Follow: remote people following our communities, and our follows answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora.core.instance import LocalInstance
from agora.federation.store import existing_row

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext

import logging

from agora.domain import communities
from agora.domain.permissions import RemoteActing
from agora.errors import AgoraError, Code
from agora.federation import backfill, outbox
from agora.federation.activities import Activity, new_id
from agora.federation.activities.build import actors
from agora.federation.activities.receive import feeds
from agora.federation.objects import reading
from agora.queries import activities as activity_queries
from agora.queries import followers as follower_queries
from agora.queries import visibility

log = logging.getLogger("agora.federation")


def _answer(kind: str, here: LocalInstance, actor_url: str, follower_url: str, follow: dict) -> dict:
    follow = {k: v for k, v in follow.items() if k != "@context"}
    return {"actor": actor_url, "to": [follower_url], "object": follow, "type": kind, "id": new_id(here.base_url, kind)}


async def follow(ctx: ActivityContext, activity: Activity) -> str | None:
    if (multi := await feeds.known(ctx, activity.object_url())) is not None:
        return await feeds.follow(ctx, activity, multi)
    kind, target_id = await ctx.resolve(activity.object_url())
    follower_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.write() as session:
        target = await existing_row(session, kind, target_id) if kind in ("community", "person") else None
        if target is None or not target["local"]:
            return "a Follow of something that is not ours"
        follower = await existing_row(session, "person", follower_id)
        inbox = follower["shared_inbox_url"] or follower["inbox_url"]
        if kind == "community":
            if not visibility.community_open_to(visibility.REMOTE, target):
                raise AgoraError(Code.couldnt_find_community, "this community does not federate")
            state = await communities.follow(session, RemoteActing(follower_id), target_id, True, even_if_closed=True)
            if state == "Pending":
                return None  # a Private community: the Accept (or Reject) goes when a moderator decides
        # People are not followed here (Lemmy 0.19 keeps no such list); the Accept lets the follower's server
        # stop waiting, and our person's public posts reach it through the communities anyway.
        accept = _answer("Accept", ctx.here, target["actor_id"], follower["actor_id"], activity.document)
        await outbox.queue(session, ctx.here, outbox.Delivery(accept, target["actor_id"], inboxes=[inbox]))
        if kind == "community" and (target["deleted"] or target["removed"]):
            await actors.community_state_to(session, ctx.here, target, inbox)
    return None


async def _follow_of(ctx: ActivityContext, activity: Activity) -> tuple[str, str]:
    """(follower, followed) of the Follow an Accept or Reject answers: embedded, or one we sent (by id)."""
    inner = activity.object
    if isinstance(inner, str):
        async with ctx.state.db.read() as session:
            inner = await activity_queries.sent(session, inner)
        if inner is None:
            raise AgoraError(Code.invalid_activity, "an answer to a Follow we did not send")
    if not isinstance(inner, dict) or inner.get("type") != "Follow":
        raise AgoraError(Code.invalid_activity, f"{activity.type} of something that is not a Follow")
    return reading.url(inner.get("actor"), "object.actor"), reading.url(inner.get("object"), "object.object")


async def _local_follow(ctx: ActivityContext, activity: Activity) -> tuple[int, int] | None:
    follower_url, followed_url = await _follow_of(ctx, activity)
    if followed_url != activity.actor:
        raise AgoraError(Code.invalid_activity, "only the followed community answers a Follow")
    found = await ctx.lookup(follower_url)
    if found is None or found[0] != "person" or reading.host(follower_url) != ctx.here.domain:
        return None
    community_id = await ctx.community_id(activity.actor)
    return found[1], community_id


async def accept(ctx: ActivityContext, activity: Activity) -> str | None:
    follower_url, followed_url = await _follow_of(ctx, activity)
    if followed_url == activity.actor and (multi := await feeds.known(ctx, followed_url)) is not None:
        return await feeds.accepted(ctx, follower_url, multi)
    pair = await _local_follow(ctx, activity)
    if pair is None:
        return "an Accept for someone who is not here"
    person_id, community_id = pair
    async with ctx.state.db.write() as session:
        first = not await follower_queries.has_local(session, community_id, accepted_only=True)
        await communities.accept_follow(session, community_id, person_id)
    if first:
        # The first reader here: fill the community page with its recent posts (Lemmy shows nothing until new
        # posts arrive). Best effort, after the commit, on its own fetch budget.
        try:
            await backfill.recent_posts(ctx.state, community_id)
        except Exception:
            log.warning("backfill of community %s failed", community_id, exc_info=True)
    return None


async def reject(ctx: ActivityContext, activity: Activity) -> str | None:
    pair = await _local_follow(ctx, activity)
    if pair is None:
        return "a Reject for someone who is not here"
    person_id, community_id = pair
    async with ctx.state.db.write() as session:
        await communities.drop_refused_follow(session, community_id, person_id)
    return None


async def undo_follow(ctx: ActivityContext, activity: Activity) -> str | None:
    if (multi := await feeds.known(ctx, activity.object_url())) is not None:
        return await feeds.undo_follow(ctx, activity, multi)
    found = await ctx.lookup(activity.object_url())
    if found is None or found[0] != "community":
        return "an Undo of a Follow of something that is not ours"
    follower = await ctx.lookup(activity.actor)
    if follower is None or follower[0] != "person":
        return "an Undo of a Follow by someone we never knew"
    async with ctx.state.db.write() as session:
        await communities.follow(session, RemoteActing(follower[1]), found[1], False)
    return None
