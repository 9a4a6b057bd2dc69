"""Follows and actors going out: Follow / Undo Follow of remote communities, Update and Delete of our communities
and people."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.db.models import Community, Person
from agora.domain import events
from agora.domain.modlog import Kind
from agora.domain.permissions import top_moderator_id
from agora.federation import keys, outbox
from agora.federation.activities.build.envelopes import envelope, rows, undo
from agora.federation.objects import group, person
from agora.queries import community_tags as tag_queries
from agora.queries import languages as language_queries
from agora.queries import modlog as modlog_queries
from agora.queries import visibility


def _bare(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "@context"}


async def community_followed(session: AsyncSession, here: LocalInstance, event: events.CommunityFollowed) -> None:
    """A member follows or leaves a remote community: Follow (pending until its Accept) or Undo Follow."""
    found = await rows(session, community=event.community_id, person=event.person_id)
    community, follower = found["community"], found["person"]
    if community["local"] or not follower["local"]:
        return
    follow = envelope(here, "Follow", follower["actor_id"], community["actor_id"], to=[community["actor_id"]], cc=[])
    del follow["cc"]
    activity = follow if event.follow else undo(here, follower["actor_id"], follow)
    inbox = community["inbox_url"] or community["shared_inbox_url"]
    await outbox.queue(session, here, outbox.Delivery(activity, follower["actor_id"], inboxes=[inbox]))


async def _group_document(session: AsyncSession, here: LocalInstance, community: dict) -> dict:
    pem = await keys.public_key(session, Community, community["id"])
    languages = await language_queries.of_community(session, community["id"])
    shared_inbox = f"{here.base_url}/inbox" if community["local"] else community["shared_inbox_url"]
    offered = (await tag_queries.of_communities(session, [community["id"]])).get(community["id"])
    return _bare(group.group(community, pem, shared_inbox, languages, offered))


async def community_updated(session: AsyncSession, here: LocalInstance, event: events.CommunityUpdated) -> None:
    """Our community's new settings go to its followers; a member's edit of a remote community (its moderator,
    or our admin) goes to the community's home, which applies it if they moderate it there and announces it."""
    found = await rows(session, community=event.community_id, person=event.actor_id)
    community = found["community"]
    if community["local"] and not visibility.federated_community(community):
        return  # a remote community's edit goes home; a local-only one of ours goes nowhere
    actor = found["person"]["actor_id"]
    document = await _group_document(session, here, community)
    activity = envelope(here, "Update", actor, document, community=community)
    await outbox.in_community(session, here, activity, actor, community)


async def community_deleted(session: AsyncSession, here: LocalInstance, event: events.CommunityDeleted) -> None:
    found = await rows(session, community=event.community_id, person=event.actor_id)
    community = found["community"]
    if not visibility.federated_community(community):
        return
    actor = found["person"]["actor_id"]
    activity = envelope(here, "Delete", actor, community["actor_id"], community=community)
    if not event.deleted:
        activity = undo(here, actor, activity, community)
    await outbox.queue(session, here, outbox.Delivery(activity, actor, followers_of=community["id"]))


async def community_state_to(session: AsyncSession, here: LocalInstance, community: dict, inbox: str) -> None:
    """Our deleted or removed community, told to a server whose member follows it now: its follow crossed the
    Delete, which only reached the servers that followed then."""
    if community["removed"]:
        remover_id = await modlog_queries.last_actor(session, Kind.remove_community.value, community["id"])
        await _closed(session, here, community, inbox, remover_id, summary="")  # a summary: a removal (Lemmy)
    if community["deleted"]:
        await _closed(session, here, community, inbox, None, summary=None)


async def _closed(
    session: AsyncSession, here: LocalInstance, community: dict, inbox: str, actor_id: int | None, summary: str | None
) -> None:
    actor_id = actor_id or await top_moderator_id(session, community["id"])
    if actor_id is None:
        return
    actor = (await rows(session, person=actor_id))["person"]["actor_id"]
    activity = envelope(here, "Delete", actor, community["actor_id"], community=community, summary=summary)
    await outbox.queue(session, here, outbox.Delivery(activity, actor, inboxes=[inbox]))


async def person_updated(session: AsyncSession, here: LocalInstance, event: events.PersonUpdated) -> None:
    """A profile edit reaches every instance we federate with (Lemmy 0.19 waits for a refetch; Mastodon sends it)."""
    found = (await rows(session, person=event.person_id)).get("person")
    if found is None or not found["local"]:
        return
    pem = await keys.public_key(session, Person, found["id"])
    document = _bare(person.person(found, pem, f"{here.base_url}/inbox"))
    activity = envelope(here, "Update", found["actor_id"], document)
    await outbox.queue(session, here, outbox.Delivery(activity, found["actor_id"], all_instances=True))


async def person_deleted(session: AsyncSession, here: LocalInstance, event: events.PersonDeleted) -> None:
    found = (await rows(session, person=event.person_id)).get("person")
    if found is None or not found["local"]:
        return
    activity = envelope(here, "Delete", found["actor_id"], found["actor_id"], removeData=event.delete_content)
    await outbox.queue(session, here, outbox.Delivery(activity, found["actor_id"], all_instances=True))
