"""The inbox: check, store and answer fast; apply in the background.

`accept` caps the body, reads the envelope, checks the site's allow and block lists and the HTTP signature
against the actor's key (fetching the actor when unknown, refetching once when the key fails, for key rotation),
then stores the raw activity under its id (a second delivery is recognised) and answers 202. Every refusal is a
4xx with its reason. `InboxWorker` applies stored activities in the background, in order per actor, safely from
several processes on one PostgreSQL database; a failure is kept on its row with the reason and others go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

import orjson
from sqlalchemy import String, bindparam, delete, func, literal_column, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.sql.dml import UpdateBase
from starlette.requests import Request

from agora.core import request_ids
from agora.core.clock import now
from agora.core.loops import BackgroundLoop
from agora.core.metrics import INBOX_PROCESSED
from agora.db import dml, prepared, upsert
from agora.db.engine import is_transient
from agora.db.models import ReceivedActivity
from agora.deps import AppState
from agora.errors import AgoraError, Code
from agora.federation import activities, documents, keys, leases, signatures
from agora.federation.activities import receive
from agora.federation.activities.receive import votes
from agora.federation.context import ActivityContext
from agora.federation.objects import reading
from agora.outbound import OutboundError
from agora.queries import visibility

log = logging.getLogger("agora.federation")
QUEUED = literal_column("'queued'", String())
LEASE = timedelta(minutes=5)
BATCH = 64
MAX_ATTEMPTS = 4


async def _body(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise AgoraError(Code.too_large, f"an activity is at most {cap} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise AgoraError(Code.too_large, f"an activity is at most {cap} bytes")
    return bytes(body)


def request_target(request: Request) -> str:
    path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


async def _verify(state: AppState, request: Request, body: bytes, activity: activities.Activity) -> None:
    try:
        key_id = signatures.key_id_of(request.headers)
    except signatures.SignatureError as error:
        raise AgoraError(Code.bad_signature, str(error)) from error
    signer = key_id.split("#", 1)[0]
    if not reading.same_host(signer, activity.actor):
        raise AgoraError(Code.bad_signature, "the request is signed by another server than the activity's actor")
    ctx = ActivityContext(state, budget=3)  # the actor; for a community, its followers count and moderators too
    known = keys.known(state)
    key = await known.get(state.db, signer)
    fetched = False
    if key is None or not key.public_key:
        await _fetch_signer(ctx, signer, activity)
        fetched = True
        key = await known.get(state.db, signer)
    if key is None or not key.public_key or key.local:
        raise AgoraError(Code.bad_signature, "the signing key is unknown")
    target = request_target(request)
    try:
        signatures.verify("POST", target, request.headers, body, key.public_key)
        return
    except signatures.SignatureError as error:
        if fetched or "Date" in str(error) or "Digest" in str(error):
            raise AgoraError(Code.bad_signature, str(error)) from error
    # The key we had failed: the actor may have rotated it. Refetch once and try again.
    await _fetch_signer(ctx, signer, activity)
    key = await known.get(state.db, signer)
    if key is None or not key.public_key:  # the actor's document no longer names a key
        raise AgoraError(Code.bad_signature, "the signing key is unknown")
    try:
        signatures.verify("POST", target, request.headers, body, key.public_key)
    except signatures.SignatureError as error:
        raise AgoraError(Code.bad_signature, str(error)) from error


class Ignored(Exception):
    """The activity needs no work and cannot be verified (a deleted account announcing its own deletion)."""


async def _fetch_signer(ctx: ActivityContext, signer: str, activity: activities.Activity) -> None:
    try:
        await ctx.refetch(signer)
    except AgoraError as error:
        if error.status == 410 and activity.type == "Delete" and activity.object == activity.actor:
            raise Ignored from error
        raise AgoraError(Code.bad_signature, f"the signer's key could not be had: {error.message}") from error
    except OutboundError as error:
        raise AgoraError(Code.bad_signature, f"the signer's key could not be had: {error.reason}") from error


def _store_statement(dialect_name: str) -> UpdateBase:
    """The received activity, queued under its id; answers its row id, or nothing when that id was had before. One
    statement on its own (db.prepared): the busiest write of a federated instance pays no BEGIN and COMMIT."""
    table = ReceivedActivity.__table__
    values = {
        name: bindparam(name, type_=table.c[name].type) for name in ("ap_id", "actor", "kind", "data", "request_id")
    }
    at = bindparam("at", type_=table.c.received.type)
    statement = upsert.insert_for(dialect_name, table).values(
        **values, state="queued", attempts=0, available_at=at, received=at
    )
    return statement.on_conflict_do_nothing(index_elements=["ap_id"]).returning(table.c.id)


_STORE = prepared.Prepared(_store_statement)


class Storing:
    """Received activities stored together: each `store` waits for the one statement that writes the activities
    that arrived while the previous statement ran (a group commit), and answers only once it is committed, so a
    202 still means the activity is kept. Alone, an activity is written by the prepared single-row statement."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.pending: list[tuple[dict, asyncio.Future[bool]]] = []
        self.flushing: asyncio.Task[None] | None = None

    async def store(self, values: dict) -> bool:
        """True when stored now, False when an activity with its id was had before."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.pending.append((values, future))
        if self.flushing is None or self.flushing.done():
            self.flushing = asyncio.create_task(self._flush(), name="inbox-store")
        return await asyncio.shield(future)  # a request given up on does not cancel the others' statement

    async def _flush(self) -> None:
        while self.pending:
            batch, self.pending = self.pending, []
            try:
                stored = await self._write([values for values, _ in batch])
            except Exception as error:
                if len(batch) == 1:
                    batch[0][1].set_exception(error)
                else:  # each on its own: what one activity did wrong is no other's failure
                    await self._alone(batch)
                continue
            for values, future in batch:
                new = values["ap_id"] in stored
                stored.discard(values["ap_id"])  # the same id twice in one statement: the first one is new
                future.set_result(new)

    async def _alone(self, batch: list[tuple[dict, asyncio.Future[bool]]]) -> None:
        for values, future in batch:
            try:
                future.set_result(bool(await self._write([values])))
            except Exception as error:
                future.set_exception(error)

    async def _write(self, rows: list[dict]) -> set[str]:
        at = now()
        if len(rows) == 1:
            async with self.state.db.writer.connect() as connection:
                found = await prepared.fetch(connection, _STORE, {**rows[0], "at": at})
            return {rows[0]["ap_id"]} if found else set()
        table = ReceivedActivity.__table__
        statement = (
            upsert.insert_for(self.state.db.writer.dialect.name, table)
            .values([{**row, "state": "queued", "attempts": 0, "available_at": at, "received": at} for row in rows])
            .on_conflict_do_nothing(index_elements=["ap_id"])
            .returning(table.c.ap_id)
        )
        async with self.state.db.writer.begin() as connection:
            return set((await connection.execute(statement)).scalars())


def storing(state: AppState) -> Storing:
    """This process's inbox writer."""
    found = state.extras.get("inbox_storing")
    if found is None:
        found = state.extras["inbox_storing"] = Storing(state)
    return found


async def accept(state: AppState, request: Request) -> tuple[int, dict]:
    """Answers (status, body): 202 stored, 200 already had it or nothing to do; AgoraError for a refusal."""
    if not visibility.federates(await state.site_cache.get_settings(state.db, state.here)):
        raise AgoraError(Code.federation_disabled, "this instance does not federate", status=403)
    body = await _body(request, state.settings.federation_inbox_max_bytes)
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if not content_type.startswith("application/"):
        raise AgoraError(Code.invalid_activity, "an activity is sent as application/activity+json", status=415)
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise AgoraError(Code.invalid_activity, "the body is not JSON") from error
    activity = activities.parse(document)
    await documents.check_host_allowed(state, activity.actor)
    try:
        await _verify(state, request, body, activity)
    except Ignored:
        return 200, {"status": "ignored", "reason": "a deleted account we never knew"}
    values = {
        "ap_id": activity.id,
        "actor": activity.actor,
        "kind": activity.type,
        "data": body.decode("utf-8", "replace"),
        "request_id": request_ids.current.get(),
    }
    stored = await storing(state).store(values)
    if not stored:
        return 200, {"status": "duplicate"}
    state.extras.setdefault("inbox_wake", asyncio.Event()).set()
    return 202, {"status": "queued"}


Claimed = tuple[int, str, int, str | None]  # a leased row: id, the activity as received, attempt, request id


class InboxWorker(BackgroundLoop):
    """Applies stored activities, a batch at a time; one actor's activities never run side by side."""

    TASK_NAME = "agora-inbox"

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.holder = leases.holder_name(self)
        self._task: asyncio.Task[None] | None = None
        self.wake = state.extras.setdefault("inbox_wake", asyncio.Event())

    async def _loop(self) -> None:
        with contextlib.suppress(Exception):
            await leases.release_dead(self.state)
        while True:
            try:
                claimed = await self.claim()
                if claimed:
                    await self.apply_batch(claimed)
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("inbox worker tick failed")
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), self.state.settings.federation_poll_seconds)

    async def apply_batch(self, claimed: list[Claimed]) -> None:
        """Apply a claimed batch: votes on the same object together (one transaction, its row locked once), every
        other activity on its own, side by side."""
        alone: list[Claimed] = []
        by_target: dict[str, list[tuple[Claimed, activities.Activity, int]]] = {}
        for row in claimed:
            try:
                activity = activities.parse(orjson.loads(row[1]))
            except (AgoraError, orjson.JSONDecodeError):
                alone.append(row)
                continue
            vote = votes.vote_of(activity)
            if vote is None:
                alone.append(row)
            else:
                by_target.setdefault(vote[0], []).append((row, activity, vote[1]))
        for group in [group for group in by_target.values() if len(group) == 1]:
            alone.append(group[0][0])
        together = [(target, group) for target, group in by_target.items() if len(group) > 1]
        await asyncio.gather(
            *(self._process_bounded(*row) for row in alone),  # each its own context
            *(self._votes_bounded(target, group) for target, group in together),
        )

    async def _votes_bounded(self, target: str, group: list[tuple[Claimed, activities.Activity, int]]) -> None:
        async with self.state.background_slots:
            await self.apply_votes(target, group)

    async def apply_votes(self, target: str, group: list[tuple[Claimed, activities.Activity, int]]) -> None:
        """Votes of different actors on one object: resolved once, written in one transaction. Should any of them
        be refused or meet a conflict, the transaction rolls back and each is applied on its own, so the refusal
        is kept on its own row and the others are applied."""
        request_ids.current.set(group[0][0][3])
        ballots: list[tuple[ActivityContext, votes.Ballot]] = []
        alone: list[Claimed] = []
        resolved: tuple[str, int] | None = None
        for row, activity, score in group:
            ctx = ActivityContext(self.state, document=orjson.loads(row[1]), row_id=row[0])
            ctx.speaker = reading.host(activity.actor)
            try:
                if resolved is None:
                    if score == 0 and await ctx.lookup(target) is None:  # an Undo never fetches what it undoes
                        raise LookupError(target)
                    vote = await votes.ballot(ctx, target, activity.actor, score)
                    resolved = (vote.kind, vote.target_id)
                else:
                    voter = await ctx.person_id(activity.actor)
                    vote = votes.Ballot(resolved[0], resolved[1], voter, score)
            except Exception:  # applied on its own below, which keeps the reason on its row
                alone.append(row)
                continue
            ballots.append((ctx, vote))
        try:
            await votes.cast_together(ballots)
            INBOX_PROCESSED.labels("applied").inc(len(ballots))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # each is tried again on its own, below
            log.info("votes on %s applied one by one after: %s: %s", target, type(error).__name__, error)
            alone = sorted(row for row, _, _ in group)
        for row in alone:
            request_ids.current.set(row[3])
            await self.process(row[0], row[1], row[2])

    async def _process_bounded(self, row_id: int, data: str, attempts: int, request_id: str | None) -> None:
        # Activities of a batch run side by side within the background share of the pool: an inbox POST waiting
        # for a connection is a peer timing out.
        request_ids.current.set(request_id)  # gather runs each in a task of its own: this stays with the activity
        async with self.state.background_slots:
            await self.process(row_id, data, attempts)

    async def claim(self) -> list[Claimed]:
        """Lease the next batch: (id, the activity as received, which attempt this is, the inbox POST's request
        id)."""
        at = now()
        # An activity is next for its actor when it is the actor's earliest queued one: asked as a scalar min(),
        # one descent of the partial (actor, id) index of queued rows per candidate. The queue grows faster than
        # autoanalyze looks, so PostgreSQL believes a backlog is a handful of rows and plans a bitmap scan of every
        # queued row and a sort, checking each one (24 ms a claim at 5,000 queued; as NOT EXISTS, a join of every
        # queued row with every other, 0.1-0.35 s at 1,500): a backlog slowed its own draining. Without bitmap
        # scans the plan walks the queue in id order, one descent per row, until it has a batch of actors' first
        # activities (0.2 ms): a backlog from one actor still costs a walk over that actor's queued rows, linear
        # where it was quadratic. 'queued' is written into the statement, not bound: a generic plan of a prepared
        # statement cannot use a partial index for `state = $1`.
        earlier = aliased(ReceivedActivity)
        first_of_actor = (
            select(func.min(earlier.id))
            .where(earlier.actor == ReceivedActivity.actor, earlier.state == QUEUED)
            .scalar_subquery()
        )
        async with self.state.db.write() as session:
            if not self.state.db.is_sqlite:  # on the connection: a Session statement would count as a write
                await (await session.connection()).exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            query = (
                select(
                    ReceivedActivity.id, ReceivedActivity.data, ReceivedActivity.attempts, ReceivedActivity.request_id
                )
                .where(
                    ReceivedActivity.state == "queued",
                    ReceivedActivity.available_at <= at,
                    (ReceivedActivity.lease_until.is_(None)) | (ReceivedActivity.lease_until < at),
                    ReceivedActivity.id == first_of_actor,
                )
                .order_by(ReceivedActivity.id)
                .limit(BATCH)
            )
            if not self.state.db.is_sqlite:
                query = query.with_for_update(skip_locked=True, of=ReceivedActivity)
            rows = [(row.id, row.data, row.attempts + 1, row.request_id) for row in await session.execute(query)]
            if rows:
                await session.execute(
                    update(ReceivedActivity)
                    .where(ReceivedActivity.id.in_([row[0] for row in rows]))
                    .values(holder=self.holder, lease_until=at + LEASE, attempts=ReceivedActivity.attempts + 1)
                )
        return rows

    async def process(self, row_id: int, data: str, attempts: int) -> None:
        values: dict = {"holder": None, "lease_until": None, "processed": now()}
        try:
            document = orjson.loads(data)
            ctx = ActivityContext(self.state, document=document, row_id=row_id)
            activity = activities.parse(document)
            ctx.speaker = reading.host(activity.actor)  # the inbox checked that this host signed it
            outcome = await receive.apply(ctx, activity)
            if ctx.settled and outcome is None:
                INBOX_PROCESSED.labels("applied").inc()
                return  # the handler's transaction marked the row applied
            values.update(state="skipped" if outcome else "applied", reason=outcome)
        except AgoraError as error:
            values.update(state="failed", reason=f"{error.code.value}: {error}"[:2000])
        except OutboundError as error:
            self._retry_or_fail(values, attempts, f"unreachable: {error.reason}")
        except Exception as error:
            if is_transient(error):  # a deadlock or a lost connection is no reason to drop an acknowledged activity
                log.info("received activity %s met a database conflict or outage: %s", row_id, error)
                self._retry_or_fail(values, attempts, f"database: {type(error).__name__}")
            else:
                log.exception("activity %s failed", row_id)
                values.update(state="failed", reason=f"internal error: {type(error).__name__}: {error}"[:2000])
        INBOX_PROCESSED.labels("retrying" if values["state"] == "queued" else values["state"]).inc()
        if values["state"] == "failed":
            log.info("received activity %s failed: %s", row_id, values["reason"])
        await self._save_state(row_id, values)

    async def _save_state(self, row_id: int, values: dict) -> None:
        async with self.state.db.write() as session:
            await session.execute(update(ReceivedActivity).where(ReceivedActivity.id == row_id).values(**values))

    @staticmethod
    def _retry_or_fail(values: dict, attempts: int, why: str) -> None:
        if attempts >= MAX_ATTEMPTS:
            values.update(state="failed", reason=why[:2000])
        else:
            retry = timedelta(seconds=5 * 2 ** (attempts - 1))
            values.update(state="queued", reason=f"retrying: {why}"[:2000], available_at=now() + retry)


APPLIED_KEPT = timedelta(days=7)  # long enough to recognise a redelivery (Lemmy keeps ids a few days too)
FAILED_KEPT = timedelta(days=30)  # for admins to read why


async def forget_old(state: AppState) -> int:
    """Delete received activities applied or skipped a week ago, failed ones after a month."""
    at = now()
    async with state.db.write() as session:
        return await dml.rows_changed(
            session,
            delete(ReceivedActivity).where(
                ((ReceivedActivity.state.in_(("applied", "skipped"))) & (ReceivedActivity.received < at - APPLIED_KEPT))
                | ((ReceivedActivity.state == "failed") & (ReceivedActivity.received < at - FAILED_KEPT))
            ),
        )
