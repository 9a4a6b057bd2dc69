"""Move going out: our member moved to another account (Mastodon's `Move`, with Agora's carried lists), or our
community to another community."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.domain import events
from agora.federation import outbox
from agora.federation.activities.build.envelopes import envelope, rows
from agora.queries import visibility

CARRIED = "agoraCarried"  # Agora's extension: what is the member's, for the new account's server only


async def person_moved(session: AsyncSession, here: LocalInstance, event: events.PersonMoved) -> None:
    """Every instance we federate with hears of the move, as of a profile's Update; the new account's own inbox
    also gets a copy carrying the member's follows, saves and blocks (private: no other server sees them)."""
    old = (await rows(session, person=event.person_id))["person"]
    target = (await rows(session, person=event.target_id))["person"]
    if not old["local"]:
        return
    public = envelope(here, "Move", old["actor_id"], old["actor_id"], target=target["actor_id"])
    await outbox.queue(session, here, outbox.Delivery(public, old["actor_id"], all_instances=True))
    if target["local"]:
        return  # carried over here already, by domain.moves
    personal = envelope(
        here, "Move", old["actor_id"], old["actor_id"], to=[target["actor_id"]], cc=[], target=target["actor_id"]
    )
    personal[CARRIED] = event.carried
    inbox = target["inbox_url"] or target["shared_inbox_url"]
    await outbox.queue(session, here, outbox.Delivery(personal, old["actor_id"], inboxes=[inbox]))


async def community_moved(session: AsyncSession, here: LocalInstance, event: events.CommunityMoved) -> None:
    """The community's followers' servers hear of the move (and follow the new community for their members); the
    new community's server also gets the moderators, who moderate it there."""
    community = (await rows(session, community=event.community_id))["community"]
    target = (await rows(session, community=event.target_id))["community"]
    if not community["local"] or not visibility.federated_community(community):
        return
    activity = envelope(here, "Move", community["actor_id"], community["actor_id"], target=target["actor_id"])
    activity[CARRIED] = {"moderators": event.moderators}
    inboxes = [] if target["local"] else [target["inbox_url"] or target["shared_inbox_url"]]
    delivery = outbox.Delivery(activity, community["actor_id"], inboxes=inboxes, followers_of=community["id"])
    await outbox.queue(session, here, delivery)
