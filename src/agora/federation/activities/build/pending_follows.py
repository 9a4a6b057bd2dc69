"""A moderator's decision on a remote person's follow of our Private community: Accept or Reject of their Follow."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.domain import events
from agora.federation import outbox
from agora.federation.activities import new_id
from agora.federation.activities.build.envelopes import rows
from agora.queries import activities as activity_queries


async def pending_follow_decided(
    session: AsyncSession, here: LocalInstance, event: events.PendingFollowDecided
) -> None:
    """The answer quotes the Follow the person's server sent (the latest we stored); one rebuilt from the follow
    row stands in when that is gone, since Lemmy matches an answer by its Follow's actor and object."""
    found = await rows(session, community=event.community_id, person=event.person_id)
    community, follower = found["community"], found["person"]
    if follower["local"]:
        return
    group, actor = community["actor_id"], follower["actor_id"]
    follow = await activity_queries.received_follow(session, actor, group)
    if follow is None:
        follow = {"actor": actor, "object": group, "type": "Follow", "id": new_id(here.base_url, "Follow")}
    follow = {k: v for k, v in follow.items() if k != "@context"}
    kind = "Accept" if event.approved else "Reject"
    answer = {"actor": group, "to": [actor], "object": follow, "type": kind, "id": new_id(here.base_url, kind)}
    inbox = follower["shared_inbox_url"] or follower["inbox_url"]
    await outbox.queue(session, here, outbox.Delivery(answer, group, inboxes=[inbox]))
