"""Multi-communities going out (Lemmy 1.0's Feeds): a member's Follow / Undo Follow of another server's Feed, and
the Update of ours, sent to its followers elsewhere when its texts or entries change."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.models import Site
from agora.domain import events
from agora.federation import keys, outbox
from agora.federation.activities.build.envelopes import envelope, rows, undo
from agora.federation.objects import PUBLIC, feed
from agora.queries import multi_communities as multi_queries


async def feed_document(session: AsyncSession, here: LocalInstance, multi: dict) -> dict:
    """Our multi-community as its Feed actor (what `/m/{name}` serves)."""
    owner = (await rows(session, person=multi["creator_id"]))["person"]
    pem = await keys.public_key(session, Site, here.site_id)
    return feed.feed(multi, owner["actor_id"], pem, here.base_url)


async def multi_followed(session: AsyncSession, here: LocalInstance, event: events.MultiCommunityFollowed) -> None:
    """A member follows or leaves another server's multi-community: Follow (pending until its Accept) or Undo."""
    multi = await multi_queries.row_by_id(session, event.multi_community_id)
    follower = (await rows(session, person=event.person_id))["person"]
    if multi is None or multi["local"] or not follower["local"] or not multi["inbox_url"]:
        return
    follow = envelope(here, "Follow", follower["actor_id"], multi["actor_id"], to=[multi["actor_id"]], cc=[])
    del follow["cc"]
    activity = follow if event.follow else undo(here, follower["actor_id"], follow)
    await outbox.queue(session, here, outbox.Delivery(activity, follower["actor_id"], inboxes=[multi["inbox_url"]]))


async def multi_changed(session: AsyncSession, here: LocalInstance, event: events.MultiCommunityChanged) -> None:
    """Our multi-community's new texts and entries: its owner's Update of the Feed to its followers elsewhere."""
    multi = await multi_queries.row_by_id(session, event.multi_community_id)
    if multi is None or not multi["local"] or multi["deleted"]:
        return
    inboxes = await multi_queries.remote_follower_inboxes(session, multi["id"])
    if not inboxes:
        return
    document = {k: v for k, v in (await feed_document(session, here, multi)).items() if k != "@context"}
    owner = document["attributedTo"]
    update = envelope(here, "Update", owner, document, to=[multi["actor_id"], PUBLIC], audience=multi["actor_id"])
    await outbox.queue(session, here, outbox.Delivery(update, owner, inboxes=inboxes))
