"""The outbox: activities we send, written as rows in the same transaction as the change they announce.

`register()` subscribes the builders of `activities.build` to domain events; each makes its activity and hands
a `Delivery` (the activity, who signs it, who gets it) to `queue`, which stores it once. Nothing is sent here:
the delivery workers of `federation.queue` read these rows after the commit. Only changes made by our own
members go out; what a remote person did here is forwarded as they sent it (`forward`), inside the community's
Announce.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import bindparam, event, insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from agora.core import request_ids
from agora.core.clock import now
from agora.core.instance import LocalInstance
from agora.db import upsert
from agora.db.models import Community, FederationQueueState, SentActivity
from agora.domain import remote
from agora.domain.events import Event, subscribe
from agora.federation.activities import new_id
from agora.federation.objects import CONTEXT, PUBLIC, addressed, private, reading
from agora.queries import deliveries as delivery_queries
from agora.queries import followers as follower_queries
from agora.queries import persons as person_queries
from agora.queries import rows, visibility
from agora.queries import site as site_queries

log = logging.getLogger("agora.federation")


@dataclass(slots=True)
class Delivery:
    activity: dict
    actor: str  # whose key signs it
    inboxes: list[str] = field(default_factory=list)
    followers_of: int | None = None
    all_instances: bool = False


async def queue(session: AsyncSession, here: LocalInstance, delivery: Delivery) -> None:
    """Store the activity once, and give every instance it goes to a queue position if it has none yet."""
    inboxes = sorted({i for i in delivery.inboxes if i and reading.host(i) != here.domain})
    instance_ids = {(await remote.instance_for(session, reading.host(inbox))).id for inbox in inboxes}
    if delivery.followers_of is not None:
        instance_ids |= await _follower_instances(session, delivery.followers_of)
    if not instance_ids and not delivery.all_instances:
        return  # no other server follows or is addressed: nothing to store (most local writes on most instances)
    activity = {"@context": CONTEXT, **delivery.activity}
    await session.execute(
        _store(),
        {
            "ap_id": activity["id"],
            "actor": delivery.actor,
            "data": orjson.dumps(activity).decode(),
            "inboxes": orjson.dumps(inboxes).decode(),
            "followers_of": delivery.followers_of,
            "all_instances": delivery.all_instances,
            "published": now(),
            "request_id": request_ids.current.get(),
        },
    )
    new = sorted(instance_ids - await delivery_queries.instances_with_position(session, instance_ids))
    if new:
        # A new instance starts at the current position: it gets what is queued from now on, not the backlog.
        # Only instances without a position are written: a community's thousand follower instances cost one
        # query per activity, not a thousand.
        position = await delivery_queries.last_seq(session)
        statement = upsert.insert(session, FederationQueueState).on_conflict_do_nothing(index_elements=["instance_id"])
        await session.execute(
            statement, [{"instance_id": i, "last_successful_seq": position, "fail_count": 0} for i in new]
        )
    await session.flush()
    wake = _wake_by_engine.get(id(session.bind))
    if wake is not None:
        session.info[_WAKE] = wake


_WAKE = "federation_wake"
_FOLLOWERS = "federation_follower_instances"


async def _follower_instances(session: AsyncSession, community_id: int) -> set[int]:
    """The instances following a community, read once per transaction (the inbox applies a batch's votes in one
    community in one transaction, each forwarded)."""
    known: dict[int, set[int]] = session.info.setdefault(_FOLLOWERS, {})
    if community_id not in known:
        known[community_id] = set(await follower_queries.instance_ids(session, community_id))
    return known[community_id]


_wake_by_engine: dict[int, asyncio.Event] = {}


def wake_on_commit(engines: Iterable[AsyncEngine], wake: asyncio.Event) -> None:
    """Set `wake` when a transaction that queued an activity commits: the delivery manager, which waits on it
    between polls, sends at once instead of at its next look (AGORA_FEDERATION_POLL_SECONDS)."""
    for engine in engines:
        _wake_by_engine[id(engine)] = wake


@event.listens_for(Session, "after_commit")
def _wake_delivery(session: Session) -> None:
    wake = session.info.pop(_WAKE, None)
    if wake is not None:
        wake.set()


@event.listens_for(Session, "after_rollback")
def _nothing_to_wake_for(session: Session) -> None:
    session.info.pop(_WAKE, None)


@lru_cache(maxsize=1)
def _store():
    """An activity to send, stored once (built once: a busy community forwards every vote it receives)."""
    table = SentActivity.__table__
    names = ("ap_id", "actor", "data", "inboxes", "followers_of", "all_instances", "published", "request_id")
    return insert(table).values({table.c[name]: bindparam(name, type_=table.c[name].type) for name in names})


def announce(here: LocalInstance, community: dict, inner: dict) -> Delivery:
    """The community wraps what happened in it and sends it to its followers (Lemmy's Announce)."""
    inner = {k: v for k, v in inner.items() if k != "@context"}
    activity = {
        "actor": community["actor_id"],
        "to": addressed(community) if private(community) else [PUBLIC],
        "object": inner,
        "cc": [f"{community['actor_id']}/followers"],
        "type": "Announce",
        "id": new_id(here.base_url, "announce"),
    }
    return Delivery(activity, community["actor_id"], followers_of=community["id"])


def boost(here: LocalInstance, community: dict, inner: dict) -> Delivery | None:
    """For a new post, also an Announce of the Page itself: Mastodon and other microblogs cannot read an Announce
    of an activity, and show this one as the community boosting the post (Lemmy sends the same; Lemmy-family
    receivers ignore it)."""
    page = inner.get("object")
    if inner.get("type") != "Create" or not isinstance(page, dict) or page.get("type") not in ("Page", "Question"):
        return None
    if private(community):
        return None  # a microblog would show it to everyone
    activity = {
        "actor": community["actor_id"],
        "to": [PUBLIC],
        "object": {k: v for k, v in page.items() if k != "@context"},
        "cc": [f"{community['actor_id']}/followers"],
        "type": "Announce",
        "id": new_id(here.base_url, "announce"),
    }
    return Delivery(activity, community["actor_id"], followers_of=community["id"])


async def _announce(session: AsyncSession, here: LocalInstance, community: dict, inner: dict) -> None:
    await queue(session, here, announce(here, community, inner))
    boosted = boost(here, community, inner)
    if boosted is not None:
        await queue(session, here, boosted)


async def in_community(
    session: AsyncSession, here: LocalInstance, activity: dict, actor: str, community: dict, extra: Iterable[str] = ()
) -> None:
    """An activity in a community: to its inbox when it lives elsewhere; announced to its followers when it is
    ours. `extra` inboxes (people replied to or mentioned on other servers) get the activity itself."""
    extra = [i for i in extra if i]
    if community["local"]:
        await _announce(session, here, community, activity)
        if extra:
            await queue(session, here, Delivery(activity, actor, inboxes=extra))
    else:
        target = community.get("shared_inbox_url") or community.get("inbox_url")
        await queue(session, here, Delivery(activity, actor, inboxes=[i for i in (target, *extra) if i]))


async def forward(session: AsyncSession, here: LocalInstance, community_id: int | None, document: dict) -> None:
    """A remote person acted in one of our communities: its followers get what they sent, in our Announce."""
    if community_id is None:
        return
    loaded = rows.already_loaded(session, Community, community_id)
    community: dict[str, Any] | None
    if loaded is not None:
        community = {
            "id": loaded.id,
            "actor_id": loaded.actor_id,
            "local": loaded.local,
            "visibility": loaded.visibility,
        }
    else:
        community = await rows.one(session, "community", community_id)
    if community is not None and visibility.federated_community(community):
        await _announce(session, here, community, document)


# Each builder takes the event type it is registered under (federation.activities.build.BUILDERS).
Builder = Callable[[AsyncSession, LocalInstance, Any], Awaitable[None]]
_builders: dict[type[Event], Builder] = {}
_here_by_engine: dict[int, LocalInstance] = {}


def register(engines: Iterable[AsyncEngine], here: LocalInstance, builders: dict[type[Event], Builder]) -> None:
    """Subscribe the builders to their events, for the app whose database `engines` are.

    Subscribers are process-wide and a process may run several apps (tests do): each event finds its app's
    LocalInstance through the engine its session is bound to."""
    for engine in engines:
        _here_by_engine[id(engine)] = here
    _builders.update(builders)
    for event_type in builders:
        subscribe(event_type, on_event)


async def on_event(session: AsyncSession, event: Event) -> None:
    builder = _builders.get(type(event))
    here = _here_by_engine.get(id(session.bind))
    if builder is None or here is None or not await _made_here(session, event):
        return
    if not await site_queries.federation_enabled(session, here.local_site_id):
        return  # the admin turned federation off: nothing leaves
    await builder(session, here, event)


async def _made_here(session: AsyncSession, event: Event) -> bool:
    """Our members' changes go out; a remote actor's change arrived from elsewhere and is not sent back."""
    if event.actor_id is None:
        return True
    return await person_queries.is_local(session, event.actor_id)
