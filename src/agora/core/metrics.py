"""The instance's Prometheus instruments, in one registry of our own (agora.ops serves them at /metrics).

They live this low so any layer may count what it does (federation workers, jobs, the pool) without knowing how
the numbers are served. Under `agora serve --workers N`, prometheus_client's multiprocess mode
(PROMETHEUS_MULTIPROC_DIR, set by the serve command before any worker starts) keeps each process's values in a
file of its own and the scrape sums them; gauges count only live processes.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "agora_http_requests",
    "HTTP requests answered, by route template, method and status class",
    ["route", "method", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "agora_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by route template and method",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
DB_POOL_CHECKED_OUT = Gauge(
    "agora_db_pool_checked_out",
    "Database connections in use, by engine (summed over live server processes)",
    ["engine"],
    multiprocess_mode="livesum",
    registry=REGISTRY,
)
DB_POOL_SIZE = Gauge(
    "agora_db_pool_size",
    "Database connections the pool may hold, by engine (summed over live server processes)",
    ["engine"],
    multiprocess_mode="livesum",
    registry=REGISTRY,
)
INBOX_PROCESSED = Counter(
    "agora_inbox_processed",
    "Received activities worked on, by outcome (applied, skipped, failed, retrying)",
    ["outcome"],
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "agora_federation_deliveries",
    "Activity deliveries to a remote instance, by outcome (sent, failed)",
    ["outcome"],
    registry=REGISTRY,
)
JOB_RUNS = Counter(
    "agora_job_runs",
    "Scheduled job runs, by job and outcome (ok, failed)",
    ["job", "outcome"],
    registry=REGISTRY,
)
JOB_DURATION = Histogram(
    "agora_job_duration_seconds",
    "Time a scheduled job run took, by job",
    ["job"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0),
    registry=REGISTRY,
)
