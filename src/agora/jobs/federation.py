"""Federation housekeeping, hourly: old received and delivered activities are forgotten, so both tables stay
the size of a week of traffic; instances we do not know the software of are asked (NodeInfo)."""

from __future__ import annotations

import logging

from agora.domain import remote
from agora.errors import AgoraError
from agora.federation import fetch, inbox, queue
from agora.outbound import OutboundError
from agora.queries import federation as federation_queries

log = logging.getLogger("agora.jobs")


async def cleanup(state) -> None:
    received = await inbox.forget_old(state)
    sent = await queue.forget_delivered(state)
    if received or sent:
        log.info("federation cleanup: %s received and %s sent activities forgotten", received, sent)


NODEINFO_PER_RUN = 20


async def learn_software(state) -> None:
    async with state.db.read() as session:
        unknown = await federation_queries.instances_without_software(session, state.here.instance_id, NODEINFO_PER_RUN)
    for instance_id, domain in unknown:
        try:
            software, version = await fetch.nodeinfo(state, domain)
        except (AgoraError, OutboundError, ValueError):
            software, version = None, None
        async with state.db.write() as session:
            await remote.set_software(session, instance_id, software, version)
