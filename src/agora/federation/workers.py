"""Federation's part of the app lifespan: the outbox subscribers, the inbox worker and the delivery manager."""

from __future__ import annotations

from dataclasses import dataclass

from agora.deps import AppState
from agora.federation import outbox
from agora.federation.activities.build import BUILDERS
from agora.federation.inbox import InboxWorker
from agora.federation.queue import DeliveryManager


@dataclass
class Workers:
    inbox: InboxWorker | None
    delivery: DeliveryManager | None

    async def stop(self) -> None:
        for worker in (self.inbox, self.delivery):
            if worker is not None:
                await worker.stop()


def start(state: AppState) -> Workers:
    """Subscribe the outbox to domain events; with AGORA_FEDERATION_WORKERS (the default) also apply received
    activities and deliver ours from this process (every process may: rows are claimed, never shared)."""
    outbox.register({state.db.writer, state.db.reader}, state.here, BUILDERS)
    if not state.settings.federation_workers:
        return Workers(None, None)
    inbox, delivery = InboxWorker(state), DeliveryManager(state)
    inbox.start()
    delivery.start()
    return Workers(inbox, delivery)
