"""Per-IP rate limiting with Lemmy's buckets: `count` actions per `interval` seconds, refilled continuously.

In-process state: with several server processes each enforces the limit on its own share of the traffic, which
errs on the generous side and never blocks a legitimate member because of another process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

BUCKETS = ("message", "post", "register", "image", "comment", "search", "import_user_settings")


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(self, max_keys: int = 100_000) -> None:
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._max_keys = max_keys

    def allow(self, kind: str, key: str, count: int, interval: int) -> bool:
        """Take one token for (kind, key); False when none is left."""
        if count <= 0 or interval <= 0:
            return True
        now = time.monotonic()
        rate = count / interval
        bucket = self._buckets.get((kind, key))
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._evict(now)
            bucket = self._buckets[(kind, key)] = _Bucket(tokens=float(count), at=now)
        else:
            bucket.tokens = min(float(count), bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True

    def _evict(self, now: float) -> None:
        # Drop the buckets idle longest; a dropped bucket comes back full, which only errs towards allowing.
        stale = sorted(self._buckets.items(), key=lambda item: item[1].at)[: len(self._buckets) // 2]
        for key, _ in stale:
            del self._buckets[key]

    def reset(self) -> None:
        self._buckets.clear()
