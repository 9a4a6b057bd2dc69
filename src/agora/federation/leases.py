"""Who holds a federation row (a received activity being applied, an instance being delivered to).

A holder is "host:pid:worker". A process killed while holding rows would leave them held until their lease runs
out; a process starting on the same host frees the rows of holders whose process is gone, so a restart resumes
at once. Holders on other hosts are left to their leases.
"""

from __future__ import annotations

import os
import socket

from sqlalchemy import select, update

from agora.db.models import FederationQueueState, ReceivedActivity
from agora.deps import AppState


def holder_name(worker: object) -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{id(worker)}"


def _gone(holder: str) -> bool:
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


async def release_dead(state: AppState) -> int:
    """Free the rows held by processes of this host that no longer run; answers how many holders were dead."""
    dead = 0
    for model in (ReceivedActivity, FederationQueueState):
        async with state.db.read() as session:
            holders = set((await session.execute(select(model.holder).where(model.holder.is_not(None)))).scalars())
        gone = [h for h in holders if h is not None and _gone(h)]
        if gone:
            dead += len(gone)
            async with state.db.write() as session:
                await session.execute(update(model).where(model.holder.in_(gone)).values(holder=None, lease_until=None))
    return dead
