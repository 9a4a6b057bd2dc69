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
        bucket = self._refilled(kind, key, count, interval)
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True

    def wait(self, kind: str, key: str, count: int, interval: int) -> float:
        """Seconds until (kind, key) has a token again (0 when it has one now); takes nothing."""
        if count <= 0 or interval <= 0:
            return 0.0
        bucket = self._refilled(kind, key, count, interval)
        return 0.0 if bucket.tokens >= 1.0 else (1.0 - bucket.tokens) * interval / count

    def forget(self, kind: str, key: str) -> None:
        self._buckets.pop((kind, key), None)

    def _refilled(self, kind: str, key: str, count: int, interval: int) -> _Bucket:
        now = time.monotonic()
        bucket = self._buckets.get((kind, key))
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._evict(now)
            bucket = self._buckets[(kind, key)] = _Bucket(tokens=float(count), at=now)
        else:
            bucket.tokens = min(float(count), bucket.tokens + (now - bucket.at) * count / interval)
            bucket.at = now
        return bucket

    def _evict(self, now: float) -> None:
        # Drop the buckets idle longest; a dropped bucket comes back full, which only errs towards allowing.
        stale = sorted(self._buckets.items(), key=lambda item: item[1].at)[: len(self._buckets) // 2]
        for key, _ in stale:
            del self._buckets[key]

    def reset(self) -> None:
        self._buckets.clear()


# Logging in has limits of its own, spent by failed attempts only: a few typos for one account slow that account
# down (a guess a minute after five), and an address is held only after many failures, so one person's typos do
# not lock out everyone behind the same NAT, nor does signing up or resetting a password.
LOGIN_ACCOUNT = ("login_account", 5, 300)  # (kind, failures allowed at once, seconds to earn them all back)
LOGIN_ADDRESS = ("login_address", 30, 600)


def login_wait(limiter: RateLimiter, account: str, address: str) -> float:
    """Seconds before another login attempt for `account` from `address` is heard (0: now)."""
    kind, count, interval = LOGIN_ACCOUNT
    by_account = limiter.wait(kind, account.strip().lower(), count, interval)
    kind, count, interval = LOGIN_ADDRESS
    return max(by_account, limiter.wait(kind, address, count, interval))


def login_failed(limiter: RateLimiter, account: str, address: str) -> None:
    for (kind, count, interval), key in ((LOGIN_ACCOUNT, account.strip().lower()), (LOGIN_ADDRESS, address)):
        limiter.allow(kind, key, count, interval)


def login_succeeded(limiter: RateLimiter, account: str) -> None:
    limiter.forget(LOGIN_ACCOUNT[0], account.strip().lower())
