"""Federation housekeeping, hourly: old received and delivered activities are forgotten, so both tables stay
the size of a week of traffic."""

from __future__ import annotations

import logging

from agora.federation import inbox, queue

log = logging.getLogger("agora.jobs")


async def cleanup(state) -> None:
    received = await inbox.forget_old(state)
    sent = await queue.forget_delivered(state)
    if received or sent:
        log.info("federation cleanup: %s received and %s sent activities forgotten", received, sent)
