"""Periodic jobs, run by one process at a time across every process on the database (a renewable lease).

Each job is an `async def job(state)`; a failing job is logged and retried at its next tick, never stopping the
others. Each run is counted and timed by job and outcome (agora.core.metrics, served at /metrics).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from agora.core.clock import now
from agora.core.loops import BackgroundLoop
from agora.core.metrics import JOB_DURATION, JOB_RUNS
from agora.db import upsert
from agora.db.models import JobLease
from agora.deps import AppState
from agora.jobs import activity, cleanup, expiry, ranks

log = logging.getLogger("agora.jobs")
LEASE = timedelta(seconds=60)


@dataclass
class Job:
    name: str
    every: float
    run: Callable[[AppState], Awaitable[None]]
    last: float = 0.0


class Scheduler(BackgroundLoop):
    TASK_NAME = "agora-scheduler"

    def __init__(self, state: AppState, *, tick: float = 1.0) -> None:
        self.state = state
        self.tick = tick
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{id(self)}"
        settings = state.settings
        self.jobs = [
            Job("ranks", settings.rank_refresh_seconds, ranks.refresh_all),
            Job("active_users", 3600, activity.refresh_active_users),
            Job("cleanup", 600, cleanup.run),
            Job("expiry", 60, expiry.run),
        ]
        self.extra: list[Job] = []
        self._task: asyncio.Task | None = None

    def add(self, name: str, every: float, run: Callable[[AppState], Awaitable[None]]) -> None:
        """Other rooms (moderation, federation) register their periodic work here."""
        self.extra.append(Job(name, every, run))

    async def _loop(self) -> None:
        while True:
            try:
                if await self._hold_lease():
                    for job in [*self.jobs, *self.extra]:
                        if time.monotonic() - job.last >= job.every:
                            job.last = time.monotonic()
                            await self._run(job)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler tick failed")
            await asyncio.sleep(self.tick)

    async def _run(self, job: Job) -> None:
        started = time.perf_counter()
        outcome = "failed"
        try:
            await job.run(self.state)
            outcome = "ok"
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("job %s failed", job.name)
        JOB_RUNS.labels(job.name, outcome).inc()
        JOB_DURATION.labels(job.name).observe(time.perf_counter() - started)

    async def _hold_lease(self) -> bool:
        """Take or renew the lease; True while this process is the runner."""
        at = now()
        async with self.state.db.write() as session:
            statement = upsert.insert(session, JobLease).values(
                name="scheduler", holder=self.holder, expires=at + LEASE
            )
            await session.execute(statement.on_conflict_do_nothing())
            await session.execute(
                update(JobLease)
                .where(JobLease.name == "scheduler")
                .where((JobLease.holder == self.holder) | (JobLease.expires < at))
                .values(holder=self.holder, expires=at + LEASE)
            )
            holder = (await session.execute(select(JobLease.holder).where(JobLease.name == "scheduler"))).scalar_one()
        return holder == self.holder
