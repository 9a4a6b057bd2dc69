"""Delivery: every remote instance walks the sent activities from its saved position, in order.

`sequence` numbers committed activities (see SentActivity). Each tick `DeliveryManager` leases every instance with
something after its position whose retry time has come, in one statement, reads their next activities and the
followers those go to once for all of them, and starts one job per instance that sends them in order, one at a
time. The lease keeps several processes on one database from delivering to an instance at once. Jobs keep their
progress in memory and a flush writes all of it every FLUSH_SECONDS (and before each claim), so a restart resumes
from the saved position: after a graceful stop nothing is sent twice, after a kill at most the deliveries of the
last flush interval are. A failure (network, 5xx, 408, 429) stops that instance only, until a retry time that
doubles with each failure (up to AGORA_FEDERATION_RETRY_MAX_SECONDS); after AGORA_FEDERATION_DEAD_AFTER_DAYS of
failures the instance is dead and tried once a day. A 4xx other than 408/429 is the receiver refusing that one
activity: it is logged and passed, as Lemmy does. A slow or dead instance holds its own job and one connection
(outbound.Deliveries), never a slot another instance waits for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Row, Select, bindparam, case, delete, func, select, text, update
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
FLUSH_SECONDS = 0.1  # jobs' positions reach the database this often, together
STOP_GRACE = 2.0  # seconds a stopping manager lets the deliveries in hand finish
ACTIVITY_COLUMNS = (
    SentActivity.seq,
    SentActivity.ap_id,
    SentActivity.actor,
    SentActivity.data,
    SentActivity.inboxes,
    SentActivity.followers_of,
    SentActivity.all_instances,
    SentActivity.published,
    SentActivity.request_id,
)
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


@dataclass(slots=True)
class Claim:
    """An instance this process holds the lease of, and where its delivery stands."""

    instance_id: int
    domain: str
    position: int
    fail_count: int
    failing_since: datetime | None


@dataclass(slots=True)
class Progress:
    """Where a job has got to since the last flush: the position, the last activity actually sent (None when the
    activities passed were not for this instance), and whether the job is over (the lease goes back)."""

    seq: int
    published: datetime | None = None
    sent_at: datetime | None = None
    release: bool = False

    def then(self, newer: Progress) -> Progress:
        return Progress(
            max(self.seq, newer.seq),
            newer.published or self.published,
            newer.sent_at or self.sent_at,
            self.release or newer.release,
        )


class DeliveryManager:
    """Claims the due instances in one statement per tick, reads their next activities and the followers those go
    to once for all of them, and runs one job per instance that sends in order; positions and failures reach the
    database in batches (every FLUSH_SECONDS), not a transaction per delivery."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.holder = leases.holder_name(self)
        self.jobs: dict[int, asyncio.Task] = {}
        self.held: set[int] = set()  # leased by us: claimed, and its last progress not yet written
        # Our actors' signing keys: a fan-out to a thousand instances signs with one key and reads it once.
        self.keys: dict[str, tuple[str, str]] = {}
        self.shared_inboxes: dict[int, str] = {}
        self.progress: dict[int, Progress] = {}
        self.failures: dict[int, dict[str, Any]] = {}
        self.stopping = False
        self._flushing = asyncio.Lock()
        self._extended = 0.0
        self._tasks: list[asyncio.Task] = []
        self.wake = asyncio.Event()  # set by a commit that queued an activity (outbox.wake_on_commit)

    def start(self) -> None:
        outbox.wake_on_commit({self.state.db.writer, self.state.db.reader}, self.wake)
        self._tasks = [
            asyncio.create_task(self._loop(), name="agora-delivery"),
            asyncio.create_task(self._flush_loop(), name="agora-delivery-flush"),
        ]

    async def stop(self) -> None:
        """Let each job finish the delivery in hand (up to STOP_GRACE seconds), write where every job got to and
        give the leases back: a restart resumes from there."""
        self.stopping = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        jobs = [task for task in self.jobs.values() if not task.done()]
        if jobs:
            _done, late = await asyncio.wait(jobs, timeout=STOP_GRACE)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self.flush()

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

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("saving delivery positions failed")

    async def tick(self) -> None:
        await sequence(self.state)
        await self.flush()  # a job that ended gives its instance back before the claim can see it again
        await self._extend_leases()
        claims, rows_after, followers = await self.claim()
        for actor in {row.actor for rows in rows_after.values() for row in rows}:
            with contextlib.suppress(LookupError):
                await self._key(actor)  # read here once, not by a thousand jobs at once
        for claim in claims:
            # The site's rules come from its cache, read by the first claim: not a read per job at once.
            refused = await documents.host_refusal(self.state, claim.domain) is not None
            job = self._deliver(claim, rows_after.get(claim.instance_id, []), {} if refused else followers, refused)
            self.jobs[claim.instance_id] = asyncio.create_task(job, name=f"agora-deliver-{claim.instance_id}")

    def _free(self, at: datetime) -> ColumnElement[bool]:
        state = FederationQueueState
        return state.lease_until.is_(None) | (state.lease_until < at) | (state.holder == self.holder)

    @staticmethod
    def _retry_due(at: datetime) -> ColumnElement[bool]:
        return FederationQueueState.next_retry.is_(None) | (FederationQueueState.next_retry <= at)

    async def claim(self) -> tuple[list[Claim], dict[int, list[Row]], dict[int, dict[int, list[str]]]]:
        """Lease every due instance not held here in one statement; answers the claims, each one's next
        activities (read once per distinct position: a fan-out's instances all stand at the same one) and, per
        community those activities go to the followers of, each instance's follower inboxes."""
        at = now()
        state = FederationQueueState

        def due_after(last: int) -> Select[int]:
            due = select(state.instance_id).where(state.last_successful_seq < last, self._free(at), self._retry_due(at))
            return due.where(state.instance_id.not_in(sorted(self.held))) if self.held else due

        # An idle poll only reads: a write transaction at every tick would drop the anonymous read cache and the
        # process caches that lapse on writes (db.cached), several times a minute, for nothing.
        async with self.state.background_slots, self.state.db.read() as session:
            if (await session.execute(due_after(await delivery_queries.last_seq(session)).limit(1))).first() is None:
                return [], {}, {}
        async with self.state.background_slots, self.state.db.write() as session:
            due = due_after(await delivery_queries.last_seq(session))
            # Rows another process is claiming right now are skipped, not waited for (nor deadlocked on: two
            # claims would lock their rows in different orders); SQLite has no FOR UPDATE and needs none.
            due = due.order_by(state.instance_id).with_for_update(skip_locked=True)
            returned = await session.execute(
                update(state)
                .where(state.instance_id.in_(due.scalar_subquery()))
                .values(holder=self.holder, lease_until=at + LEASE)
                .returning(state.instance_id, state.last_successful_seq, state.fail_count, state.failing_since)
                .execution_options(synchronize_session=False)
            )
            leased = sorted(returned.all(), key=lambda row: row.instance_id)
            if not leased:
                return [], {}, {}
            ids = [row.instance_id for row in leased]
            self.held.update(ids)
            found = await session.execute(select(Instance.id, Instance.domain).where(Instance.id.in_(ids)))
            domains: dict[int, str] = {instance_id: domain for instance_id, domain in found}
            claims = [
                Claim(
                    row.instance_id,
                    domains.get(row.instance_id, ""),
                    row.last_successful_seq,
                    row.fail_count,
                    row.failing_since,
                )
                for row in leased
            ]
            by_position = await self._activities_after(session, {c.position for c in claims})
            communities = {r.followers_of for rows in by_position.values() for r in rows if r.followers_of is not None}
            followers: dict[int, dict[int, list[str]]] = {}
            for community_id in communities:
                per_instance = followers[community_id] = {}
                for instance_id, inbox in await follower_queries.inboxes(session, community_id):
                    per_instance.setdefault(instance_id, []).append(inbox)
        return claims, {c.instance_id: by_position[c.position] for c in claims}, followers

    @staticmethod
    async def _activities_after(session: AsyncSession, positions: set[int]) -> dict[int, list[Row]]:
        """position → the next BATCH activities after it, in order, in as few reads as the positions allow."""
        found: dict[int, list[Row]] = {}
        waiting = sorted(positions)
        while waiting:
            start = waiting[0]
            rows = list(
                await session.execute(
                    select(*ACTIVITY_COLUMNS)
                    .where(SentActivity.seq.is_not(None), SentActivity.seq > start)
                    .order_by(SentActivity.seq)
                    .limit(BATCH)
                )
            )
            reach = rows[-1].seq if len(rows) == BATCH else None  # positions at or past it need a read of their own
            later = []
            for position in waiting:
                if reach is not None and position >= reach:
                    later.append(position)
                else:
                    found[position] = [row for row in rows if row.seq > position]
            waiting = later
        return found

    async def _extend_leases(self) -> None:
        """Jobs can outlast a lease (a slow instance, a long backlog): renew the ones held, a third of the way in."""
        if not self.held or time.monotonic() - self._extended < LEASE.total_seconds() / 3:
            return
        self._extended = time.monotonic()
        # Under the flush's lock: the two update the same rows, and in one process must not wait on each other.
        async with self._flushing, self.state.background_slots, self.state.db.write() as session:
            await session.execute(
                update(FederationQueueState)
                .where(
                    FederationQueueState.holder == self.holder, FederationQueueState.instance_id.in_(sorted(self.held))
                )
                .values(lease_until=now() + LEASE)
                .execution_options(synchronize_session=False)
            )

    def _advance(self, instance_id: int, progress: Progress) -> None:
        before = self.progress.get(instance_id)
        self.progress[instance_id] = progress if before is None else before.then(progress)

    async def _deliver(
        self, claim: Claim, rows: list[Row], followers: dict[int, dict[int, list[str]]], refused: bool
    ) -> None:
        """Send `rows` to one instance in order, one at a time (an instance the site's rules refuse: none, its
        position moves past them); stops at the first failure (which plans the retry) or when the manager stops;
        the lease goes back with the last position at the next flush."""
        position = claim.position
        try:
            for row in rows:
                if self.stopping:
                    break
                inboxes = [] if refused else await self._inboxes(row, claim, followers)
                if inboxes:
                    request_ids.current.set(row.request_id)  # this task's log lines name the request that queued it
                    error = await self._send(row, inboxes)
                    if error is not None:
                        DELIVERIES.labels("failed").inc()
                        self._failed(claim, position, error)
                        return
                    DELIVERIES.labels("sent").inc()
                    self._advance(claim.instance_id, Progress(row.seq, row.published, now()))
                else:
                    self._advance(claim.instance_id, Progress(row.seq))
                position = row.seq
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivery to instance %s stopped", claim.instance_id)
        finally:
            if claim.instance_id not in self.failures:
                self._advance(claim.instance_id, Progress(position, release=True))
            if rows and not self.stopping:
                self.wake.set()  # more may wait after this batch: the next tick claims the instance again

    async def _inboxes(self, row: Row, claim: Claim, followers: dict[int, dict[int, list[str]]]) -> list[str]:
        found = [i for i in orjson.loads(row.inboxes) if reading.host(i) == claim.domain]
        if row.followers_of is not None:
            found += followers.get(row.followers_of, {}).get(claim.instance_id, [])
        if row.all_instances:
            if claim.instance_id not in self.shared_inboxes:
                async with self.state.background_slots, self.state.db.read() as session:
                    shared = await instance_queries.inbox(session, claim.instance_id)
                self.shared_inboxes[claim.instance_id] = shared or f"https://{claim.domain}/inbox"
            found.append(self.shared_inboxes[claim.instance_id])
        return list(dict.fromkeys(found))  # one POST per inbox: a shared inbox stands for all its people

    async def _key(self, actor: str) -> tuple[str, str]:
        if actor not in self.keys:
            async with self.state.background_slots, self.state.db.write() as session:
                key = await actor_keys.find(session, actor)
                if key is None or (not key.local and key.kind != "site"):
                    raise LookupError(f"{actor} is not one of our actors")
                pem = key.private_key or await keys.private_key(session, MODELS[key.kind], key.id)
            self.keys[actor] = (f"{actor}#main-key", pem)
        return self.keys[actor]

    async def _send(self, row: Row, inboxes: list[str]) -> str | None:
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
                result = await self.state.outbound.deliveries.post(inbox, content=body, headers=headers)
            except OutboundError as error:
                return f"{inbox}: {error.reason}"
            if result.status in (408, 429) or result.status >= 500:
                return f"{inbox} answered {result.status}"
            if result.status >= 400:
                log.warning("%s refused %s with %s: %s", inbox, row.ap_id, result.status, result.content[:200])
        return None

    def _failed(self, claim: Claim, position: int, reason: str) -> None:
        at = now()
        settings = self.state.settings
        fail_count = claim.fail_count + 1
        failing_since = claim.failing_since or at
        delay = backoff(fail_count, settings.federation_retry_max_seconds)
        if at - failing_since > timedelta(days=settings.federation_dead_after_days):
            delay = max(delay, DEAD_RETRY)  # dead: probed once a day until it answers
        self.failures[claim.instance_id] = {
            "b_id": claim.instance_id,
            "b_seq": position,
            "b_fail_count": fail_count,
            "b_failing_since": failing_since,
            "b_last_retry": at,
            "b_next_retry": at + delay,
            "b_last_error": reason[:2000],
        }
        log.info("delivery to instance %s failed (%s), retry in %s", claim.instance_id, reason, delay)

    async def flush(self) -> None:
        """Write every job's progress and failures since the last flush in a few statements (executemany), and
        forget the instances whose jobs are over; on an error they are kept for the next flush."""
        async with self._flushing:
            progress, self.progress = self.progress, {}
            failures, self.failures = self.failures, {}
            if not progress and not failures:
                return
            try:
                await self._write(progress, failures)
            except BaseException:
                for instance_id, older in progress.items():
                    newer = self.progress.get(instance_id)
                    self.progress[instance_id] = older if newer is None else older.then(newer)
                for instance_id, failure in failures.items():
                    self.failures.setdefault(instance_id, failure)
                raise
            for instance_id in [i for i, p in progress.items() if p.release] + list(failures):
                self.held.discard(instance_id)
                self.jobs.pop(instance_id, None)

    async def _write(self, progress: dict[int, Progress], failures: dict[int, dict[str, Any]]) -> None:
        at = now()
        sent, passed = [], []
        for instance_id, p in sorted(progress.items()):
            if instance_id in failures:
                failure = failures[instance_id]  # what was sent before the failure stays sent
                failure["b_seq"] = max(failure["b_seq"], p.seq)
                continue
            lease: dict[str, Any] = {
                "b_holder": None if p.release else self.holder,
                "b_lease": None if p.release else at + LEASE,
            }
            values = {"b_id": instance_id, "b_seq": p.seq, **lease}
            if p.sent_at is not None:
                sent.append({**values, "b_published": p.published, "b_success": p.sent_at})
            else:
                passed.append(values)
        async with self.state.background_slots, self.state.db.write() as session:
            statements = _statements()
            if sent:
                await session.execute(statements["sent"], sent)
                await session.execute(statements["seen"], [{"b_id": v["b_id"], "b_at": v["b_success"]} for v in sent])
            if passed:
                await session.execute(statements["passed"], passed)
            if failures:
                await session.execute(statements["failed"], [failures[i] for i in sorted(failures)])


def _forward(column: Any) -> Any:
    """A position only moves forward, whatever order the flushes of two processes land in."""
    return case((column < bindparam("b_seq"), bindparam("b_seq")), else_=column)


@lru_cache(maxsize=1)
def _statements() -> dict[str, Any]:
    """The executemany statements of a flush, keyed by what they record."""
    table = FederationQueueState.__table__
    by_instance = update(table).where(table.c.instance_id == bindparam("b_id"))
    position = _forward(table.c.last_successful_seq)
    lease: dict[str, Any] = {"holder": bindparam("b_holder"), "lease_until": bindparam("b_lease")}
    instance = Instance.__table__
    return {
        "sent": by_instance.values(
            last_successful_seq=position,
            last_successful_published=bindparam("b_published"),
            last_success=bindparam("b_success"),
            fail_count=0,
            failing_since=None,
            next_retry=None,
            last_error=None,
            **lease,
        ),
        "seen": update(instance).where(instance.c.id == bindparam("b_id")).values(updated=bindparam("b_at")),
        "passed": by_instance.values(last_successful_seq=position, **lease),
        "failed": by_instance.values(
            last_successful_seq=position,
            fail_count=bindparam("b_fail_count"),
            failing_since=bindparam("b_failing_since"),
            last_retry=bindparam("b_last_retry"),
            next_retry=bindparam("b_next_retry"),
            last_error=bindparam("b_last_error"),
            holder=None,
            lease_until=None,
        ),
    }


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
