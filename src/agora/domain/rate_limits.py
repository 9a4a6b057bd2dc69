"""Per-IP rate limiting with Lemmy's buckets (`count` actions per `interval` seconds, counted by
`core.limiter`), and the limits of logging in."""

from __future__ import annotations

from agora.core.limiter import RateLimiter

BUCKETS = ("message", "post", "register", "image", "comment", "search", "import_user_settings")


# Logging in has limits of its own, spent by failed attempts only: a few typos for one account slow that account
# down (five guesses in five minutes), and an address is held only after many failures, so one person's typos do
# not lock out everyone behind the same NAT, nor does signing up or resetting a password.
LOGIN_ACCOUNT = ("login_account", 5, 300)  # (kind, failures allowed, in a window of this many seconds)
LOGIN_ADDRESS = ("login_address", 30, 600)


async def login_wait(limiter: RateLimiter, account: str, address: str) -> float:
    """Seconds before another login attempt for `account` from `address` is heard (0: now)."""
    kind, count, interval = LOGIN_ACCOUNT
    by_account = await limiter.wait(kind, account.strip().lower(), count, interval)
    kind, count, interval = LOGIN_ADDRESS
    return max(by_account, await limiter.wait(kind, address, count, interval))


async def login_failed(limiter: RateLimiter, account: str, address: str) -> None:
    for (kind, count, interval), key in ((LOGIN_ACCOUNT, account.strip().lower()), (LOGIN_ADDRESS, address)):
        await limiter.allow(kind, key, count, interval)


async def login_succeeded(limiter: RateLimiter, account: str) -> None:
    kind, count, interval = LOGIN_ACCOUNT
    await limiter.forget(kind, account.strip().lower(), count, interval)
