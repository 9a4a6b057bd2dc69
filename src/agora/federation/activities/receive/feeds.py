"""Follows of multi-communities (Lemmy 1.0's Feeds): another server's person following ours (recorded and
accepted, as Lemmy accepts them), and the Accept of our member's follow of another server's Feed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora.domain import multi_communities
from agora.domain.permissions import RemoteActing
from agora.federation import outbox
from agora.federation.activities import Activity, new_id
from agora.federation.objects import reading
from agora.federation.store import existing_row
from agora.queries import multi_communities as multi_queries

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext


async def known(ctx: ActivityContext, url: str) -> dict | None:
    """The multi-community whose Feed is `url`, when we hold it."""
    async with ctx.state.db.read() as session:
        multi_id = await multi_queries.id_by_ap_id(session, url)
        return await multi_queries.row_by_id(session, multi_id) if multi_id is not None else None


async def follow(ctx: ActivityContext, activity: Activity, multi: dict) -> str | None:
    """Recorded and accepted at once; the Accept is the Feed's, signed with our instance key (the Feed's key)."""
    if not multi["local"]:
        return "a Follow of something that is not ours"
    follower_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.write() as session:
        await multi_communities.follow(session, RemoteActing(follower_id), multi["id"], True)
        follower = await existing_row(session, "person", follower_id)
        inbox = follower["shared_inbox_url"] or follower["inbox_url"]
        accept = {
            "actor": multi["actor_id"],
            "to": [follower["actor_id"]],
            "object": {k: v for k, v in activity.document.items() if k != "@context"},
            "type": "Accept",
            "id": new_id(ctx.here.base_url, "Accept"),
        }
        await outbox.queue(session, ctx.here, outbox.Delivery(accept, f"{ctx.here.base_url}/", inboxes=[inbox]))
    return None


async def undo_follow(ctx: ActivityContext, activity: Activity, multi: dict) -> str | None:
    follower = await ctx.lookup(activity.actor)
    if follower is None or follower[0] != "person" or not multi["local"]:
        return "an Undo of a Follow by someone we never knew"
    async with ctx.state.db.write() as session:
        await multi_communities.follow(session, RemoteActing(follower[1]), multi["id"], False)
    return None


async def accepted(ctx: ActivityContext, follower_url: str, multi: dict) -> str | None:
    """Another server's Feed accepted our member's follow."""
    found = await ctx.lookup(follower_url)
    if found is None or found[0] != "person" or reading.host(follower_url) != ctx.here.domain:
        return "an Accept for someone who is not here"
    async with ctx.state.db.write() as session:
        await multi_communities.accept_follow(session, multi["id"], found[1])
    return None
