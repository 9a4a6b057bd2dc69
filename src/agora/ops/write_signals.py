"""Hosts of one instance tell each other that they wrote, through Redis pub/sub (`AGORA_REDIS_URL`).

Every process already drops its caches of database reads when it commits a write itself (`Database.commits`,
db/cached.py). With a Redis, each process also publishes "I wrote" on the instance's channel at most every
`INTERVAL` seconds after its commits, and counts every such message from another process as a commit of its own,
so its caches (site settings, chrome, GET /site, anonymous reads) lapse too: a write on one host shows on every
host within about INTERVAL plus Redis' delivery, well under a second. Without Redis, or while it is unreachable,
the caches' own seconds bound the staleness, as on one host.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

import redis.asyncio as redis

from agora.db.engine import Database

log = logging.getLogger("agora.cluster")
INTERVAL = 0.2
RETRY = 2.0


class WriteSignals:
    def __init__(self, db: Database, redis_url: str, instance: str) -> None:
        self.db = db
        self.client = redis.from_url(redis_url)
        self.channel = f"agora-writes:{instance}"
        self.me = uuid.uuid4().hex.encode()
        self.heard = 0  # commits counted for other processes' messages, not published again
        self.sent = 0
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self.sent = self.db.commits
        self._tasks = [
            asyncio.create_task(self._publish(), name="agora-write-signals-out"),
            asyncio.create_task(self._listen(), name="agora-write-signals-in"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.aclose()

    async def _publish(self) -> None:
        while True:
            await asyncio.sleep(INTERVAL)
            ours = self.db.commits - self.heard
            if ours == self.sent:
                continue
            try:
                await self.client.publish(self.channel, self.me)
                self.sent = ours
            except redis.RedisError as error:
                log.warning("could not tell the other hosts of a write: %s", error)
                await asyncio.sleep(RETRY)

    async def _listen(self) -> None:
        while True:
            try:
                async with self.client.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    async for message in pubsub.listen():
                        if message["type"] == "message" and message["data"] != self.me:
                            self.heard += 1
                            self.db.commits += 1
            except redis.RedisError as error:
                log.warning("not hearing the other hosts' writes: %s", error)
                self.db.commits += 1  # what was missed meanwhile: assume a write
                self.heard += 1
                await asyncio.sleep(RETRY)
