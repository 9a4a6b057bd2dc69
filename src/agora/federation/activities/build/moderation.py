"""Moderation going out: removals (a Delete with the reason in `summary`), Lock (of a post or a comment), featured
and moderator lists (Add / Remove), bans (Block, with `endTime` and `removeData`), reports (Flag to a remote
community)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.instance import LocalInstance
from agora.domain import events
from agora.federation import outbox
from agora.federation.activities.build.content import comment_parts, delete_activity, note_activity, post_parts
from agora.federation.activities.build.envelopes import envelope, rows, undo
from agora.federation.objects import iso
from agora.queries import reports as report_queries
from agora.queries import visibility


async def _moderator(session: AsyncSession, event: events.Event) -> dict:
    return (await rows(session, person=event.actor_id))["person"]


async def post_moderated(session: AsyncSession, here: LocalInstance, event: events.PostModerated) -> None:
    parts = await post_parts(session, event.post_id)
    if parts is None or event.action == "feature_local":
        return  # the front page of this instance is ours alone
    moderator, community, post = await _moderator(session, event), parts["community"], parts["post"]
    actor = moderator["actor_id"]
    if event.action == "remove":
        await delete_activity(session, here, actor, post["ap_id"], community, event.value, summary=event.reason or "")
        return
    if event.action == "lock":
        activity = envelope(here, "Lock", actor, post["ap_id"], community=community)
        if not event.value:
            activity = undo(here, actor, activity, community)
    elif event.action == "feature_community":
        target = f"{community['actor_id']}/featured"
        activity = envelope(
            here, "Add" if event.value else "Remove", actor, post["ap_id"], community=community, target=target
        )
    else:
        return
    await outbox.in_community(session, here, activity, actor, community)


async def comment_moderated(session: AsyncSession, here: LocalInstance, event: events.CommentModerated) -> None:
    parts = await comment_parts(session, here, event.comment_id)
    if parts is None:
        return
    if event.action == "remove":
        moderator = await _moderator(session, event)
        await delete_activity(
            session,
            here,
            moderator["actor_id"],
            parts["comment"]["ap_id"],
            parts["community"],
            event.value,
            summary=event.reason or "",
        )
    elif event.action == "distinguish":
        await note_activity(session, here, event.comment_id, "Update")
    elif event.action == "lock":  # Lemmy 1.0: a Lock (Undo to unlock) of the Note, the reason in `summary`
        actor = (await _moderator(session, event))["actor_id"]
        community = parts["community"]
        activity = envelope(here, "Lock", actor, parts["comment"]["ap_id"], community=community)
        if not event.value:
            activity = undo(here, actor, activity, community)
        if event.reason:
            activity["summary"] = event.reason
        await outbox.in_community(session, here, activity, actor, community)


async def community_moderated(session: AsyncSession, here: LocalInstance, event: events.CommunityModerated) -> None:
    """An admin removed or restored a community: its followers are told (hiding is ours alone)."""
    community = (await rows(session, community=event.community_id))["community"]
    if event.action != "remove" or not visibility.federated_community(community):
        return
    actor = (await _moderator(session, event))["actor_id"]
    activity = envelope(here, "Delete", actor, community["actor_id"], community=community, summary=event.reason or "")
    if not event.value:
        activity = undo(here, actor, activity, community)
    await outbox.queue(session, here, outbox.Delivery(activity, actor, followers_of=community["id"]))


async def person_banned(session: AsyncSession, here: LocalInstance, event: events.PersonBanned) -> None:
    person = (await rows(session, person=event.person_id))["person"]
    actor = (await _moderator(session, event))["actor_id"]
    extra: dict[str, Any] = {"summary": event.reason, "removeData": event.remove_data if event.banned else None}
    if event.expires is not None:
        extra["endTime"] = extra["expires"] = iso(event.expires)  # Lemmy 1.0 reads endTime, 0.19 expires
    if event.community_id is None:
        if not person["local"]:
            return  # we ban a remote person from our site only: their server has no say in it
        target = f"{here.base_url}/"
        activity = envelope(here, "Block", actor, person["actor_id"], target=target, **extra)
        if not event.banned:
            activity = undo(here, actor, activity)
        await outbox.queue(session, here, outbox.Delivery(activity, actor, all_instances=True))
        return
    community = (await rows(session, community=event.community_id))["community"]
    if not visibility.community_open_to(visibility.REMOTE, community):
        return
    activity = envelope(
        here, "Block", actor, person["actor_id"], community=community, target=community["actor_id"], **extra
    )
    if not event.banned:
        activity = undo(here, actor, activity, community)
    inbox = [] if person["local"] else [person["shared_inbox_url"] or person["inbox_url"]]
    await outbox.in_community(session, here, activity, actor, community, inbox)


async def moderator_changed(session: AsyncSession, here: LocalInstance, event: events.ModeratorChanged) -> None:
    """Add / Remove to the moderators collection, for the community's followers and also for the person's own
    server (Lemmy sends it there too): it must know them as a moderator to let them act from home."""
    community = (await rows(session, community=event.community_id))["community"]
    if not visibility.community_open_to(visibility.REMOTE, community):
        return
    person = (await rows(session, person=event.person_id))["person"]
    actor = (await _moderator(session, event))["actor_id"]
    activity = envelope(
        here,
        "Add" if event.added else "Remove",
        actor,
        person["actor_id"],
        community=community,
        target=f"{community['actor_id']}/moderators",
    )
    inbox = [] if person["local"] else [person["shared_inbox_url"] or person["inbox_url"]]
    await outbox.in_community(session, here, activity, actor, community, inbox)


async def content_reported(session: AsyncSession, here: LocalInstance, event: events.ContentReported) -> None:
    """A report goes to the content's community, whose moderators handle it, and to its author's server, whose
    admins answer for their member (Lemmy sends it to both)."""
    report = await report_queries.row(session, event.target, event.report_id)
    if report is None:
        return
    if event.target == "post":
        parts = await post_parts(session, report["post_id"])
    else:
        parts = await comment_parts(session, here, report["comment_id"])
    if parts is None:
        return
    target = parts[event.target]
    author = parts["person" if event.target == "post" else "author"]
    community = parts["community"]
    reporter = (await rows(session, person=report["creator_id"]))["person"]
    activity = envelope(
        here,
        "Flag",
        reporter["actor_id"],
        target["ap_id"],
        community=community,
        to=[community["actor_id"]],
        cc=[],
        summary=report["reason"],
    )
    del activity["cc"]
    inboxes = [] if community["local"] else [community["shared_inbox_url"] or community["inbox_url"]]
    if not author["local"]:
        inboxes.append(author["shared_inbox_url"] or author["inbox_url"])
    await outbox.queue(session, here, outbox.Delivery(activity, reporter["actor_id"], inboxes=inboxes))
