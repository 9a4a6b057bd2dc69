"""Federation housekeeping, hourly: old received and delivered activities are forgotten, so both tables stay
the size of a week of traffic; instances we do not know the software of are asked (NodeInfo)."""

from __future__ import annotations

import logging

from agora.deps import AppState
from agora.federation import queue

log = logging.getLogger("agora.jobs")
NODEINFO_PER_RUN = 20


async def cleanup(state: AppState) -> None:
    received, sent = await queue.forget_old(state)
    if received or sent:
        log.info("federation cleanup: %s received and %s sent activities forgotten", received, sent)


async def learn_software(state: AppState) -> None:
    await queue.learn_software(state, NODEINFO_PER_RUN)
