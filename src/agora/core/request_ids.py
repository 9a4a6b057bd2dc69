"""The request id: one token per HTTP request, carried by a context variable into the work the request causes.

The operations layer (agora.ops) sets it for each request; the outbox stores it on the activities a request queues
and the delivery and inbox workers set it again while they work on such a row, so every log line about that work
names the request that caused it.
"""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

current: ContextVar[str | None] = ContextVar("agora_request_id", default=None)

# What we accept from a client or proxy's X-Request-ID: a short token that cannot break a log line or a header.
_SANE = re.compile(r"[A-Za-z0-9._:@/+=-]{1,64}")


def accept_or_make(offered: str | None) -> str:
    """`offered` when it is a sane token (a proxy's id, so both logs agree), else a new random one."""
    if offered is not None and _SANE.fullmatch(offered):
        return offered
    return secrets.token_hex(8)
