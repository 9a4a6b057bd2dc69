"""Rate limits counted by the `limits` library: `count` hits per moving window of `interval` seconds for a
(kind, key) pair, kept in this process's memory, or in Redis so that every server process on every host counts
against the same window (`AGORA_REDIS_URL`).

A limit of 0 hits or 0 seconds is no limit (Lemmy's convention for a switched-off bucket). Redis that cannot be
reached lets the request through: a limiter outage must not take the forum down with it.
"""

from __future__ import annotations

import logging
import time

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

log = logging.getLogger("agora.limits")


class RateLimiter:
    def __init__(self, redis_url: str | None = None, instance: str = "") -> None:
        """`instance`: the hostname whose limits these are; instances sharing one Redis count apart."""
        self.storage: Storage = (
            RedisStorage(redis_url, implementation="redispy", key_prefix=f"agora-limits:{instance}")
            if redis_url
            else MemoryStorage()
        )
        self.shared = redis_url is not None
        self._strategy = MovingWindowRateLimiter(self.storage)

    async def allow(self, kind: str, key: str, count: int, interval: int) -> bool:
        """Count one hit for (kind, key); False, counting nothing, when the window already holds `count`."""
        if count <= 0 or interval <= 0:
            return True
        try:
            return await self._strategy.hit(RateLimitItemPerSecond(count, interval), kind, key)
        except Exception as error:
            log.warning("rate limit storage unavailable, allowing: %s", error)
            return True

    async def wait(self, kind: str, key: str, count: int, interval: int) -> float:
        """Seconds until (kind, key) may hit again (0 when it may now); counts nothing."""
        if count <= 0 or interval <= 0:
            return 0.0
        item = RateLimitItemPerSecond(count, interval)
        try:
            stats = await self._strategy.get_window_stats(item, kind, key)
        except Exception as error:
            log.warning("rate limit storage unavailable, allowing: %s", error)
            return 0.0
        return 0.0 if stats.remaining > 0 else max(0.0, stats.reset_time - time.time())

    async def forget(self, kind: str, key: str, count: int, interval: int) -> None:
        """Drop the hits counted for (kind, key)."""
        if count <= 0 or interval <= 0:
            return
        try:
            await self._strategy.clear(RateLimitItemPerSecond(count, interval), kind, key)
        except Exception as error:
            log.warning("rate limit storage unavailable: %s", error)

    async def reset(self) -> None:
        await self.storage.reset()
