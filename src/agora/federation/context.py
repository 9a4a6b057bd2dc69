"""One received activity's view of the fediverse: what we already know, and fetches within a budget for the rest.

`ActivityContext.resolve(url)` answers our row for an ActivityPub id, fetching and storing it (and what it depends on:
its author, community, parent comment) when we do not have it. Each fetch spends from a budget, so one activity
can never make us crawl another server; stale remote actors are refetched on the way.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import Integer, Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core.clock import now
from agora.db import upsert
from agora.db.models import ReceivedActivity
from agora.deps import AppState
from agora.errors import AgoraError, Code
from agora.federation import documents, feeds, keys, outbox, store
from agora.federation.activities import Activity
from agora.federation.objects import message, note, reading
from agora.federation.objects.person import PERSON_TYPES
from agora.outbound import OutboundError
from agora.queries import actor_keys, ap_ids

PAGE_TYPES = frozenset({"Page", "Article", "Video", "Event", "Question"})
ACTOR_TYPES = PERSON_TYPES | {"Group", "Application", "Feed"}


@lru_cache(maxsize=2)
def _applied(many: bool = False) -> Update:
    """A received activity's row marked applied, in the transaction that applied it (built once: it runs for
    every received activity). Parameters: row_id (`many`: row_ids, a list), at."""
    table = ReceivedActivity.__table__
    which = (
        table.c.id.in_(bindparam("row_ids", expanding=True))
        if many
        else table.c.id == bindparam("row_id", type_=Integer)
    )
    return (
        update(table)
        .where(which)
        .values(
            state="applied",
            reason=None,
            holder=None,
            lease_until=None,
            processed=bindparam("at", type_=table.c.processed.type),
        )
    )


class ActivityContext:
    def __init__(
        self, state: AppState, *, budget: int | None = None, document: dict | None = None, row_id: int | None = None
    ) -> None:
        self.state = state
        self.here = state.here
        self.budget = state.settings.federation_fetch_limit if budget is None else budget
        self.document = document  # the received activity, when there is one (forwarded as received)
        self.row_id = row_id  # its received_activity row, when the inbox worker applies it
        self.settled = False  # the row was marked applied by the handler's own transaction
        self.via: int | None = None  # the community whose Announce brought the activity
        self.via_url: str | None = None
        self.announced: Activity | None = None  # the Activity inside that Announce
        self.forward_for: str | None = None  # the object whose storing forwards `document` to followers
        self.speaker: str | None = None  # the host whose word the activity being applied is (see `believe`)

    async def fetch(self, url: str, *, moved: bool = False) -> dict:
        if self.budget <= 0:
            raise AgoraError(Code.invalid_activity, "this activity needs more fetches than allowed")
        self.budget -= 1
        return await documents.document(self.state, url, moved=moved)

    async def lookup(self, url: str) -> tuple[str, int] | None:
        async with self.state.db.read() as session:
            return await ap_ids.find_object(session, url)

    async def resolve(self, url: str, *, solicited: bool = True) -> tuple[str, int]:
        """Our (kind, id) for `url`; `solicited` is False for content pushed at us, which needs a local reader."""
        url = reading.url(url, "id")
        found = await self.lookup(url)
        if found is not None:
            if found[0] in ("person", "community"):
                await self._refresh_if_stale(url)
            return found
        if reading.host(url) == self.here.domain:
            raise AgoraError(Code.couldnt_find_object, f"{url} is not here")
        return await self.store_fetched(await self.fetch(url), solicited=solicited)

    async def store_fetched(self, document: dict, *, solicited: bool = True) -> tuple[str, int]:
        """Store an object fetched from its id's own host (`documents.document` checked that): any kind, actors and
        their keys included."""
        try:
            return await self._store(document, solicited)
        finally:
            if isinstance(document, dict) and isinstance(document.get("id"), str):  # a read meanwhile kept the old key
                keys.known(self.state).forget(document["id"])

    async def store_pushed(self, document: dict, *, solicited: bool) -> tuple[str, int]:
        """Store an object embedded in what `speaker` sent. It is believed only when its id is on that host, and
        never for an actor: a key (and a profile) is only ever taken from the actor's own host, by a fetch."""
        object_id = reading.url(document.get("id"), "object.id")
        if reading.kind(document) in ACTOR_TYPES:
            raise AgoraError(Code.invalid_activity, "an actor is only taken from its own server, never from a push")
        if self.speaker is None or reading.host(object_id) != self.speaker:
            where = reading.host(object_id)
            raise AgoraError(Code.invalid_activity, f"{self.speaker} cannot speak for an object of {where}")
        return await self._store(document, solicited)

    async def refetch(self, url: str) -> tuple[str, int]:
        """Take an object again from its own host (an actor's new profile and key, a community's new settings)."""
        return await self.store_fetched(await self.fetch(url), solicited=True)

    async def _store(self, document: dict, solicited: bool) -> tuple[str, int]:
        kind = reading.kind(document)
        if kind in PERSON_TYPES:
            return "person", await store.person(self, document)
        if kind == "Group":
            return "community", await store.community(self, document)
        if kind == "Feed":
            return "multi_community", await feeds.store(self, document)
        if kind in ("Application",):
            return "site", await store.instance_actor(self, document)
        if message.is_message(document):
            return "message", await store.message(self, document)
        if note.is_comment(document):
            return "comment", await store.comment(self, document, solicited=solicited)
        if kind in PAGE_TYPES or kind == "Note":
            return "post", await store.post(self, document, solicited=solicited)
        raise AgoraError(Code.invalid_activity, f"Agora does not store {kind} objects")

    async def _refresh_if_stale(self, url: str, key: actor_keys.ActorKey | None = None) -> None:
        if key is None:
            key = await keys.known(self.state).get(self.state.db, url)
        max_age = timedelta(seconds=self.state.settings.federation_actor_refresh_seconds)
        if key is None or key.local or key.refreshed is None or now() - key.refreshed < max_age or self.budget <= 0:
            return
        with contextlib.suppress(AgoraError, OutboundError):  # a stale copy is better than none
            await self.refetch(url)

    async def stored(self, session: AsyncSession, object_id: str, community_id: int | None) -> None:
        """Called by `store` inside the transaction that stored an object: the received activity that carried it
        is forwarded to a local community's followers in that same commit."""
        if object_id == self.forward_for:
            await self.forward(session, community_id)

    async def forward(self, session: AsyncSession, community_id: int | None) -> None:
        """The received activity, applied in one of our communities, goes to its followers in our Announce."""
        if self.document is not None and self.via is None:
            await outbox.forward(session, self.here, community_id, self.document)

    async def remember(self, activity: Activity) -> None:
        """An activity applied from inside an Announce: its id is kept, so a direct copy is recognised later."""
        async with self.state.db.write() as session:
            await self._remember_in(session, activity)

    @staticmethod
    async def _remember_in(session: AsyncSession, activity: Activity) -> None:
        at = now()
        statement = upsert.insert(session, ReceivedActivity).values(
            ap_id=activity.id,
            actor=activity.actor,
            kind=activity.type,
            state="applied",
            reason="announced",
            attempts=1,
            available_at=at,
            received=at,
            processed=at,
        )
        await session.execute(statement.on_conflict_do_nothing(index_elements=["ap_id"]))

    async def settle(self, session: AsyncSession) -> None:
        """Called by a handler inside the one transaction that applies the activity, as its last step: the same
        commit marks the received row applied (and keeps an announced activity's own id), so the worker writes
        nothing after it. A vote then costs one write transaction instead of two (three when announced)."""
        if self.announced is not None:
            await self._remember_in(session, self.announced)
        if self.row_id is not None:
            await session.execute(_applied(), {"row_id": self.row_id, "at": now()})
        self.settled = True

    @staticmethod
    async def settle_together(session: AsyncSession, contexts: list[ActivityContext]) -> None:
        """`settle` for activities applied in one transaction, none of them from inside an Announce: one
        statement marks all their rows applied."""
        assert all(ctx.announced is None for ctx in contexts)
        row_ids = [ctx.row_id for ctx in contexts if ctx.row_id is not None]
        if row_ids:
            await session.execute(_applied(many=True), {"row_ids": row_ids, "at": now()})
        for ctx in contexts:
            ctx.settled = True

    def check_via(self, community_id: int | None) -> None:
        """What a community announces must happen in that community: it cannot speak for another one."""
        if self.via is not None and community_id != self.via:
            raise AgoraError(Code.invalid_activity, "a community announced something that is not in it")

    async def person_id(self, url: str) -> int:
        # The actor of nearly every activity is someone we know: one read answers who, and whether to refresh.
        url = reading.url(url, "id")
        key = await keys.known(self.state).get(self.state.db, url)
        if key is not None and key.kind == "person":
            await self._refresh_if_stale(url, key)
            return key.id
        kind, found = await self.resolve(url)
        if kind != "person":
            raise AgoraError(Code.couldnt_find_person, f"{url} is not a person")
        return found

    async def community_id(self, url: str) -> int:
        kind, found = await self.resolve(url)
        if kind != "community":
            raise AgoraError(Code.couldnt_find_community, f"{url} is not a community")
        return found

    async def first_community(self, candidates: list[str]) -> int:
        """The first of an object's audience/addressing that is a community (people and collections are not)."""
        unreachable: OutboundError | None = None
        for candidate in candidates[:5]:
            try:
                return await self.community_id(candidate)
            except AgoraError:
                continue
            except OutboundError as error:
                unreachable = error
        if unreachable is not None:
            raise unreachable  # maybe the community's server is down: try the activity again later
        raise AgoraError(Code.couldnt_find_community, "the object names no community we can reach")
