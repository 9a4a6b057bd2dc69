"""GET /metrics: the Prometheus text exposition of agora.core.metrics, plus what the database knows at scrape time.

Counters and histograms (requests, deliveries, inbox outcomes, jobs) and the pool gauges are kept by each process;
under several server processes prometheus_client's multiprocess mode sums them (PROMETHEUS_MULTIPROC_DIR, made
by `agora serve`). The federation queue per instance and the inbox backlog are facts the database owns, so they are
read from it at each scrape, by whichever process answers: every process would report the same.

Who may read it: a loopback client always (behind a proxy on this host, uvicorn takes the client from its
X-Forwarded-For, so a proxied outsider is not loopback), and anyone sending `Authorization: Bearer
$AGORA_METRICS_TOKEN`. Others get 403 when a token is set, else 404, as if there were nothing here.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from agora.config import Settings
from agora.core import metrics
from agora.core.clock import now
from agora.db.engine import Database
from agora.deps import AppState
from agora.queries import activities as activity_queries
from agora.queries import deliveries as delivery_queries

log = logging.getLogger("agora.ops")
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def allowed(scope: Scope, settings: Settings) -> int | None:
    """None when the client may read the metrics, else the status to refuse it with."""
    client = scope.get("client")
    try:
        if client and ipaddress.ip_address(client[0]).is_loopback:
            return None
    except ValueError:
        pass  # not an address (a unix socket's peer): only the token opens it
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    if not token:
        return 404
    offered = next((value for name, value in scope["headers"] if name == b"authorization"), b"")
    scheme, _, credential = offered.decode("latin-1").partition(" ")
    if scheme.lower() == "bearer" and secrets.compare_digest(credential.strip().encode(), token.encode()):
        return None
    return 403


async def serve(scope: Scope, receive: Receive, send: Send) -> None:
    state: AppState = scope["app"].state.agora
    refused = allowed(scope, state.settings)
    if refused == 404:
        response: Response = JSONResponse({"error": "not_found"}, status_code=404)
    elif refused is not None:
        response = JSONResponse(
            {"error": "metrics_token_required", "message": "send Authorization: Bearer <AGORA_METRICS_TOKEN>"},
            status_code=403,
        )
    else:
        registry = CollectorRegistry(auto_describe=False)
        if os.environ.get(MULTIPROCESS_DIR):
            MultiProcessCollector(registry)
        else:
            registry.register(_Fixed(list(metrics.REGISTRY.collect())))
        registry.register(_Fixed(await _from_database(state)))
        response = Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    await response(scope, receive, send)


class _Fixed:
    """A collector of metric families made before the scrape (prometheus_client's collect() cannot await)."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


def _age(at: datetime | None, reference: datetime) -> float:
    if at is None:
        return 0.0
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return max(0.0, (reference - at).total_seconds())


async def _from_database(state: AppState) -> list[Metric]:
    pending = GaugeMetricFamily(
        "agora_federation_queue_pending", "Activities waiting to be delivered, by remote instance", labels=["instance"]
    )
    lag = GaugeMetricFamily(
        "agora_federation_queue_lag_seconds",
        "Age of the oldest activity waiting to be delivered, by remote instance (0: caught up)",
        labels=["instance"],
    )
    backlog = GaugeMetricFamily("agora_inbox_backlog", "Received activities waiting to be applied")
    oldest = GaugeMetricFamily(
        "agora_inbox_lag_seconds", "Age of the oldest received activity waiting to be applied (0: none)"
    )
    up = GaugeMetricFamily("agora_database_up", "1 when this scrape could read the queues from the database")
    try:
        async with state.db.read() as session:
            instances = await delivery_queries.backlog_by_instance(session)
            waiting, first = await activity_queries.inbox_backlog(session)
    except Exception as error:  # the scrape still answers with the process's own numbers
        log.warning("metrics could not read the queues: %s", error)
        up.add_metric([], 0)
        return [up]
    at = now()
    for domain, count, published in instances:
        pending.add_metric([domain], count)
        lag.add_metric([domain], _age(published, at) if count else 0.0)
    backlog.add_metric([], waiting)
    oldest.add_metric([], _age(first, at) if waiting else 0.0)
    up.add_metric([], 1)
    return [pending, lag, backlog, oldest, up]


def _engines(db: Database) -> dict[str, AsyncEngine]:
    if db.reader is db.writer:
        return {"writer": db.writer}
    return {"reader": db.reader, "writer": db.writer}


def watch_pools(db: Database) -> None:
    """Keep the pool gauges of `db`'s engines: their size now, and checkouts as they happen."""
    for name, engine in _engines(db).items():
        pool = engine.sync_engine.pool
        size = getattr(pool, "size", None)
        metrics.DB_POOL_SIZE.labels(name).inc(size() if callable(size) else 0)
        _count_checkouts(engine, metrics.DB_POOL_CHECKED_OUT.labels(name))


def _count_checkouts(engine: AsyncEngine, in_use: Gauge) -> None:
    event.listen(engine.sync_engine, "checkout", lambda *_: in_use.inc())
    event.listen(engine.sync_engine, "checkin", lambda *_: in_use.dec())


def unwatch_pools(db: Database) -> None:
    """At shutdown: this process's pools no longer count (and, under several processes, its gauges go)."""
    for name, engine in _engines(db).items():
        size = getattr(engine.sync_engine.pool, "size", None)
        metrics.DB_POOL_SIZE.labels(name).dec(size() if callable(size) else 0)
    if os.environ.get(MULTIPROCESS_DIR):
        mark_process_dead(os.getpid())
