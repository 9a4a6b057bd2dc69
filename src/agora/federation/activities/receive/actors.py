"""Update: of a Group (by its moderators or its server), of a Person (by themselves), of a Feed (a Lemmy 1.0
multi-community, by its owner), and of posts, comments and messages (their authors, as Create does)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora.db.moderators import is_moderator
from agora.domain import communities
from agora.errors import AgoraError, Code
from agora.federation.activities import Activity
from agora.federation.activities.receive import content
from agora.federation.objects import group, reading
from agora.federation.objects.person import PERSON_TYPES
from agora.federation.store import acting_for, existing_row
from agora.queries import multi_communities as multi_queries

if TYPE_CHECKING:
    from agora.federation.context import ActivityContext


async def update(ctx: ActivityContext, activity: Activity) -> str | None:
    document = activity.object
    kind = reading.kind(document) if isinstance(document, dict) else None
    if kind in PERSON_TYPES:
        object_id = reading.url(document.get("id"), "object.id")
        if object_id != activity.actor:
            raise AgoraError(Code.invalid_activity, "only a person updates their own profile")
        await ctx.refetch(object_id)  # a profile, and above all a key, is taken from its own host only
        return None
    if kind == "Group":
        return await _update_group(ctx, activity, document)
    if kind == "Feed":
        return await _update_feed(ctx, activity, document)
    return await content.create_or_update(ctx, activity)


async def _update_group(ctx: ActivityContext, activity: Activity, document: dict) -> str | None:
    community_url = reading.url(document.get("id"), "object.id")
    community_id = await ctx.community_id(community_url)
    ctx.check_via(community_id)
    moderator_id = await ctx.person_id(activity.actor)
    async with ctx.state.db.read() as session:
        community = await existing_row(session, "community", community_id)
    acting = acting_for(moderator_id, activity.actor, community_url)
    if community["local"]:
        parsed = group.parse(document)
        changes = {
            "title": parsed.title,
            "description": parsed.description or "",
            "nsfw": parsed.nsfw,
            "posting_restricted_to_mods": parsed.posting_restricted_to_mods,
            "icon": parsed.icon or "",
            "banner": parsed.banner or "",
        }
        async with ctx.state.db.write() as session:
            await communities.edit(session, acting, community_id, changes)  # a remote moderator of ours edits
            await ctx.forward(session, community_id)
        return None
    async with ctx.state.db.read() as session:
        moderates = await is_moderator(session, moderator_id, community_id)
    if not (acting.admin or moderates):
        raise AgoraError(Code.not_a_moderator, "only the community's moderators or server update it")
    await ctx.refetch(community_url)  # its settings, and above all its key, are taken from its own host only
    return None


async def _update_feed(ctx: ActivityContext, activity: Activity, document: dict) -> str | None:
    """Lemmy sends its Feed's owner's Update when the entries or texts change: a Feed we hold is taken again from
    its own host (its server speaks for it, nobody else)."""
    feed_url = reading.url(document.get("id"), "object.id")
    if not reading.same_host(feed_url, activity.actor):
        raise AgoraError(Code.invalid_activity, "only the Feed's own server updates it")
    async with ctx.state.db.read() as session:
        multi_id = await multi_queries.id_by_ap_id(session, feed_url)
    if multi_id is None:
        return "an Update of a Feed no one here knows"
    if reading.host(feed_url) == ctx.here.domain:
        raise AgoraError(Code.invalid_activity, "that Feed is ours")
    await ctx.refetch(feed_url)
    return None
