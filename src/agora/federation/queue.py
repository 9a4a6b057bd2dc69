"""Delivery: one worker per remote instance walks the sent activities from its saved position, in order.

`sequence` numbers committed activities (see SentActivity); `DeliveryManager` starts an `InstanceWorker` for every
instance with something after its position whose retry time has come. A worker holds its instance's lease while
it sends, so several processes on one database never deliver the same activity twice at once; it saves its
position after each delivery, so a restart resumes where it stopped. A failure (network, 5xx, 408, 429) stops
that instance only, until a retry time that doubles with each failure (up to AGORA_FEDERATION_RETRY_MAX_SECONDS);
after AGORA_FEDERATION_DEAD_AFTER_DAYS of failures the instance is dead and tried once a day. A 4xx other than
408/429 is the receiver refusing that one activity: it is logged and passed, as Lemmy does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.core import request_ids
from agora.core.clock import now
from agora.core.metrics import DELIVERIES
from agora.db import dml
from agora.db.models import Community, FederationQueueState, Instance, Person, SentActivity, Site
from agora.deps import AppState
from agora.domain import remote
from agora.errors import AgoraError
from agora.federation import documents, keys, leases, outbox, signatures
from agora.federation import inbox as received_activities
from agora.federation.objects import reading
from agora.outbound import OutboundError
from agora.queries import actor_keys
from agora.queries import deliveries as delivery_queries
from agora.queries import followers as follower_queries
from agora.queries import instances as instance_queries

log = logging.getLogger("agora.federation")
LEASE = timedelta(seconds=60)
BATCH = 50
SEQUENCE_LOCK = 7_312_001  # PostgreSQL advisory lock: one sequencer at a time across processes
DEAD_RETRY = timedelta(days=1)
WAKE_GATHER = 0.02  # seconds: a woken manager waits this long, so a burst of commits costs one look, not many
MODELS: dict[str, type[Person | Community | Site]] = {"person": Person, "community": Community, "site": Site}


async def sequence(state: AppState) -> int:
    """Give committed, unnumbered activities the next positions, in id order; answers how many."""
    async with state.db.read() as session:
        waiting = (await session.execute(select(SentActivity.id).where(SentActivity.seq.is_(None)).limit(1))).first()
    if waiting is None:
        return 0
    async with state.db.write() as session:
        if not state.db.is_sqlite:
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCE_LOCK})
        ids = list(
            (
                await session.execute(
                    select(SentActivity.id).where(SentActivity.seq.is_(None)).order_by(SentActivity.id).limit(1000)
                )
            ).scalars()
        )
        if not ids:
            return 0
        base = await delivery_queries.last_seq(session)
        await session.execute(update(SentActivity), [{"id": i, "seq": base + n} for n, i in enumerate(ids, 1)])
    return len(ids)


def backoff(fail_count: int, max_seconds: float) -> timedelta:
    return timedelta(seconds=min(max_seconds, 2 ** min(fail_count - 1, 30)))


class DeliveryManager:
    def __init__(self, state: AppState) -> None:
        self.state = state
        self.holder = leases.holder_name(self)
        self.workers: dict[int, asyncio.Task] = {}
        # Our actors' signing keys, shared by the workers: a fan-out to a thousand instances signs with one key
        # and read it once, not once per instance.
        self.keys: dict[str, tuple[str, str]] = {}
        self._task: asyncio.Task | None = None
        self.wake = asyncio.Event()  # set by a commit that queued an activity (outbox.wake_on_commit)

    def start(self) -> None:
        outbox.wake_on_commit({self.state.db.writer, self.state.db.reader}, self.wake)
        self._task = asyncio.create_task(self._loop(), name="agora-delivery")

    async def stop(self) -> None:
        tasks = [t for t in [self._task, *self.workers.values()] if t]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        with contextlib.suppress(Exception):
            await leases.release_dead(self.state)
        while True:
            self.wake.clear()
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery manager tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), self.state.settings.federation_poll_seconds)
                await asyncio.sleep(WAKE_GATHER)

    async def tick(self) -> None:
        await sequence(self.state)
        for instance_id, domain in await self.due():
            running = self.workers.get(instance_id)
            if running is None or running.done():
                worker = InstanceWorker(self.state, instance_id, domain, self.holder, self.keys)
                self.workers[instance_id] = asyncio.create_task(worker.run(), name=f"agora-deliver-{instance_id}")

    async def due(self) -> list[tuple[int, str]]:
        """(instance id, domain) of the instances with activities after their position, not failing, not leased
        by another process."""
        at = now()
        async with self.state.db.read() as session:
            last = await delivery_queries.last_seq(session)
            query = (
                select(FederationQueueState.instance_id, Instance.domain)
                .join(Instance, Instance.id == FederationQueueState.instance_id)
                .where(
                    FederationQueueState.last_successful_seq < last,
                    (FederationQueueState.next_retry.is_(None)) | (FederationQueueState.next_retry <= at),
                    (FederationQueueState.lease_until.is_(None))
                    | (FederationQueueState.lease_until < at)
                    | (FederationQueueState.holder == self.holder),
                )
            )
            return [(row.instance_id, row.domain) for row in await session.execute(query)]


class InstanceWorker:
    """Delivers to one instance until it is caught up or a delivery fails.

    A fan-out starts a worker for every follower instance at once, all sharing the background share of the pool,
    so each works in as few transactions as it can: one leases the instance and reads its next activities and
    their followers; the last delivery saves the position and gives the lease back in one more."""

    def __init__(self, state: AppState, instance_id: int, domain: str, holder: str, keys: dict | None = None) -> None:
        self.state = state
        self.instance_id = instance_id
        self.domain = domain
        self.holder = holder
        self.keys: dict[str, tuple[str, str]] = {} if keys is None else keys
        self.followers: dict[int, list[str]] = {}

    @contextlib.asynccontextmanager
    async def _session(self, *, write: bool = False) -> AsyncIterator[AsyncSession]:
        """A database session out of the background share of the pool: a thousand follower instances mean a
        thousand workers, which must not take every connection from the requests."""
        opened = self.state.db.write() if write else self.state.db.read()
        async with self.state.background_slots, opened as session:
            yield session

    async def _claim(self, cursor: int | None = None) -> tuple[int, list[SentActivity]] | None:
        """Take (or extend) the lease and read the activities after the saved position (or `cursor`, if further),
        with the followers they go to; None when another process holds the instance."""
        at = now()
        async with self._session(write=True) as session:
            saved = (
                await session.execute(
                    update(FederationQueueState)
                    .where(
                        FederationQueueState.instance_id == self.instance_id,
                        (FederationQueueState.lease_until.is_(None))
                        | (FederationQueueState.lease_until < at)
                        | (FederationQueueState.holder == self.holder),
                    )
                    .values(holder=self.holder, lease_until=at + LEASE)
                    .returning(FederationQueueState.last_successful_seq)
                )
            ).scalar_one_or_none()
            if saved is None:
                return None
            position = saved if cursor is None else max(saved, cursor)
            rows = (
                (
                    await session.execute(
                        select(SentActivity)
                        .where(SentActivity.seq.is_not(None), SentActivity.seq > position)
                        .order_by(SentActivity.seq)
                        .limit(BATCH)
                    )
                )
                .scalars()
                .all()
            )
            self.followers.clear()
            for community_id in {row.followers_of for row in rows if row.followers_of is not None}:
                pairs = await follower_queries.inboxes(session, community_id, self.instance_id)
                self.followers[community_id] = [inbox for _, inbox in pairs]
        return position, list(rows)

    async def _release(self) -> None:
        async with self._session(write=True) as session:
            await session.execute(
                update(FederationQueueState)
                .where(FederationQueueState.instance_id == self.instance_id, FederationQueueState.holder == self.holder)
                .values(holder=None, lease_until=None)
            )

    async def run(self) -> None:
        try:
            claimed = await self._claim()
        except Exception:
            log.exception("delivery to instance %s could not start", self.instance_id)
            return
        if claimed is None:
            return
        released = False
        try:
            released = await self._deliver_all(*claimed)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivery to instance %s stopped", self.instance_id)
        finally:
            if not released:
                with contextlib.suppress(Exception):
                    await self._release()

    async def _deliver_all(self, cursor: int, rows: list[SentActivity]) -> bool:
        """Deliver batch after batch; answers whether the lease was given back on the way."""
        refused = await documents.host_refusal(self.state, self.domain) is not None
        while rows:
            caught_up = len(rows) < BATCH  # if more come meanwhile, the next tick starts a worker again
            saved = cursor
            for row in rows:
                assert row.seq is not None  # the batch holds sequenced rows only (see _claim)
                last = caught_up and row is rows[-1]
                inboxes = [] if refused else await self._inboxes(row, self.domain)
                if inboxes:
                    request_ids.current.set(row.request_id)  # this task's log lines name the request that queued it
                    error = await self._send(row, inboxes)
                    if error is not None:
                        DELIVERIES.labels("failed").inc()
                        await self._failed(cursor, error)
                        return True
                    DELIVERIES.labels("sent").inc()
                    log.debug("delivered %s to %s", row.ap_id, self.domain)
                    await self._succeeded(row, release=last)
                    if last:
                        return True
                    saved = row.seq
                cursor = row.seq
            if cursor != saved:  # activities that were not for this instance: move past them too
                await self._save(cursor, release=caught_up)
                if caught_up:
                    return True
            if caught_up:
                return False
            claimed = await self._claim(cursor)
            if claimed is None:
                return True  # another process holds the instance now
            cursor, rows = claimed
        return False

    async def _inboxes(self, row: SentActivity, domain: str) -> list[str]:
        found = [i for i in orjson.loads(row.inboxes) if reading.host(i) == domain]
        if row.followers_of is not None:
            found += self.followers.get(row.followers_of, [])  # read with the batch, by _claim
        if row.all_instances:
            async with self._session() as session:
                shared = await instance_queries.inbox(session, self.instance_id)
            found.append(shared or f"https://{domain}/inbox")
        return list(dict.fromkeys(found))  # one POST per inbox: a shared inbox stands for all its people

    async def _key(self, actor: str) -> tuple[str, str]:
        if actor not in self.keys:
            async with self._session(write=True) as session:
                key = await actor_keys.find(session, actor)
                if key is None or (not key.local and key.kind != "site"):
                    raise LookupError(f"{actor} is not one of our actors")
                pem = key.private_key or await keys.private_key(session, MODELS[key.kind], key.id)
            self.keys[actor] = (f"{actor}#main-key", pem)
        return self.keys[actor]

    async def _send(self, row: SentActivity, inboxes: list[str]) -> str | None:
        """Deliver to each inbox; answers None when done, else the reason to retry later."""
        try:
            key_id, pem = await self._key(row.actor)
        except LookupError as error:
            log.error("activity %s cannot be signed: %s", row.ap_id, error)
            return None  # an internal error: skip it rather than block the queue (Lemmy does the same)
        body = row.data.encode()
        for inbox in inboxes:
            headers = {"Content-Type": "application/activity+json", "Accept": "application/activity+json"}
            headers.update(signatures.sign_headers("POST", inbox, body, key_id, pem))
            try:
                result = await self.state.outbound.post(inbox, content=body, headers=headers)
            except OutboundError as error:
                return f"{inbox}: {error.reason}"
            if result.status in (408, 429) or result.status >= 500:
                return f"{inbox} answered {result.status}"
            if result.status >= 400:
                log.warning("%s refused %s with %s: %s", inbox, row.ap_id, result.status, result.content[:200])
        return None

    @staticmethod
    def _lease_after(release: bool, at: datetime) -> dict[str, Any]:
        return {"holder": None, "lease_until": None} if release else {"lease_until": at + LEASE}

    async def _succeeded(self, row: SentActivity, *, release: bool = False) -> None:
        at = now()
        async with self._session(write=True) as session:
            await session.execute(
                update(FederationQueueState)
                .where(FederationQueueState.instance_id == self.instance_id)
                .values(
                    last_successful_seq=row.seq,
                    last_successful_published=row.published,
                    last_success=at,
                    fail_count=0,
                    failing_since=None,
                    next_retry=None,
                    last_error=None,
                    **self._lease_after(release, at),
                )
            )
            await session.execute(update(Instance).where(Instance.id == self.instance_id).values(updated=at))

    async def _save(self, cursor: int, *, release: bool = False) -> None:
        async with self._session(write=True) as session:
            await session.execute(
                update(FederationQueueState)
                .where(FederationQueueState.instance_id == self.instance_id)
                .values(
                    last_successful_seq=case(
                        (FederationQueueState.last_successful_seq < cursor, cursor),
                        else_=FederationQueueState.last_successful_seq,
                    ),
                    **self._lease_after(release, now()),
                )
            )

    async def _failed(self, cursor: int, reason: str) -> None:
        at = now()
        settings = self.state.settings
        async with self._session(write=True) as session:
            queue_state = await session.get(FederationQueueState, self.instance_id)
            if queue_state is None:
                return  # the instance's row is gone (purged): there is no retry to plan
            fail_count = queue_state.fail_count + 1
            failing_since = queue_state.failing_since or at
            delay = backoff(fail_count, settings.federation_retry_max_seconds)
            if at - failing_since > timedelta(days=settings.federation_dead_after_days):
                delay = max(delay, DEAD_RETRY)  # dead: probed once a day until it answers
            queue_state.last_successful_seq = max(queue_state.last_successful_seq, cursor)
            queue_state.fail_count = fail_count
            queue_state.failing_since = failing_since
            queue_state.last_retry = at
            queue_state.next_retry = at + delay
            queue_state.last_error = reason[:2000]
            queue_state.holder, queue_state.lease_until = None, None
        log.info("delivery to instance %s failed (%s), retry in %s", self.instance_id, reason, delay)


SENT_KEPT = timedelta(days=7)
SENT_KEPT_FOR_THE_DEAD = timedelta(days=30)


async def forget_delivered(state: AppState) -> int:
    """Delete sent activities every instance has had and that are a week old (a month, whatever the positions,
    so a dead instance cannot keep them forever); the newest row stays, as the sequencer counts from it."""
    at = now()
    async with state.db.write() as session:
        newest = await delivery_queries.last_seq(session)
        slowest = (await session.execute(select(func.min(FederationQueueState.last_successful_seq)))).scalar()
        passed = newest if slowest is None else slowest
        return await dml.rows_changed(
            session,
            delete(SentActivity).where(
                SentActivity.seq.is_not(None),
                SentActivity.seq < newest,
                ((SentActivity.seq <= passed) & (SentActivity.published < at - SENT_KEPT))
                | (SentActivity.published < at - SENT_KEPT_FOR_THE_DEAD),
            ),
        )


async def forget_old(state: AppState) -> tuple[int, int]:
    """Housekeeping: (received, sent) activities forgotten: applied ones a week old, failed ones a month old,
    delivered ones every instance has had."""
    return await received_activities.forget_old(state), await forget_delivered(state)


async def learn_software(state: AppState, instances: int) -> int:
    """Ask up to `instances` instances whose software we do not know for their NodeInfo; answers how many."""
    async with state.db.read() as session:
        unknown = await instance_queries.without_software(session, state.here.instance_id, instances)
    for instance_id, domain in unknown:
        try:
            software, version = await documents.nodeinfo(state, domain)
        except (AgoraError, OutboundError, ValueError):
            software, version = None, None
        async with state.db.write() as session:
            await remote.set_software(session, instance_id, software, version)
    return len(unknown)
