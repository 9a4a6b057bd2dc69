"""The outermost ASGI layer: a request id, the request's metrics and access line, and the operations endpoints.

Every HTTP request gets an id (its `X-Request-ID` when that is a sane token, else a new one), returned in the
response's `X-Request-ID` and set in agora.core.request_ids for everything the request does. Its count and
duration go to agora.core.metrics under the route's path template (`/api/v3/post/list`, `/post/{post_id}`):
never the raw path, so ids and query strings cannot grow the label set; a path no route serves counts as
`other`. The template is the matched path with each path parameter's value put back as `{name}`, which works
whatever the router nests (FastAPI's included routers keep their prefixes apart from the route). The anonymous
read cache's hits carry the route of the answer they replay. With AGORA_LOG_FORMAT=json it logs one access line per
request (`agora.access`, without the query string, which old clients fill with their login).

/healthz, /readyz and /metrics are answered here, before the private-instance gate, the CORS layer and the
routes: they speak about the process and its database, not about the site (agora.ops.health, agora.ops.metrics).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client.metrics import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agora.core import metrics, request_ids
from agora.ops import health
from agora.ops import metrics as metrics_endpoint
from agora.ops.logs import access_log

Endpoint = Callable[[Scope, Receive, Send], Awaitable[None]]
ENDPOINTS: dict[str, Endpoint] = {
    "/healthz": health.healthz,
    "/readyz": health.readyz,
    "/metrics": metrics_endpoint.serve,
}
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNKNOWN_ROUTE = "other"
STATUS_CLASSES = {n: f"{n}xx" for n in range(1, 6)}


class Operations:
    def __init__(self, app: ASGIApp, *, access_log_lines: bool = False) -> None:
        self.app = app
        self.access_log_lines = access_log_lines
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        offered = next((value for name, value in scope["headers"] if name == b"x-request-id"), None)
        request_id = request_ids.accept_or_make(offered.decode("latin-1") if offered is not None else None)
        token = request_ids.current.set(request_id)
        id_header = (b"x-request-id", request_id.encode())
        status = 500  # what a request that raised before answering counts as

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), id_header]}
            await send(message)

        endpoint = ENDPOINTS.get(scope["path"]) if scope["method"] in ("GET", "HEAD") else None
        try:
            if endpoint is not None:
                await endpoint(scope, receive, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route(scope)
            method = scope["method"] if scope["method"] in METHODS else "other"
            counter, histogram = self._instruments(route, method, status)
            counter.inc()
            histogram.observe(elapsed)
            if self.access_log_lines and access_log.isEnabledFor(logging.INFO):
                self._access_line(scope, route, method, status, elapsed)
            request_ids.current.reset(token)

    def _instruments(self, route: str, method: str, status: int) -> tuple[Counter, Histogram]:
        key = (route, method, status)
        found = self._children.get(key)
        if found is None:
            status_class = STATUS_CLASSES.get(status // 100, "other")
            found = (
                metrics.HTTP_REQUESTS.labels(route, method, status_class),
                metrics.HTTP_DURATION.labels(route, method),
            )
            self._children[key] = found
        return found

    @staticmethod
    def _access_line(scope: Scope, route: str, method: str, status: int, elapsed: float) -> None:
        client = scope.get("client")
        access_log.info(
            "%s %s %s",
            method,
            scope["path"],
            status,
            extra={
                "method": method,
                "path": scope["path"],
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 3),
                "client": client[0] if client else None,
            },
        )


def _route(scope: Scope) -> str:
    """The path template of the route that answered; `other` when none did (a 404, a CORS preflight)."""
    path: str = scope["path"]
    if path in ENDPOINTS:
        return path
    if scope.get("route") is None and scope.get("endpoint") is None:  # a router sets either when a route matched
        return UNKNOWN_ROUTE
    params = scope.get("path_params")
    if not params:
        return path
    segments = path.split("/")
    at = 1
    for name, value in params.items():
        value = str(value)
        if "/" in value:  # a {name:path} parameter takes the rest of the path
            prefix = path[: len(path) - len(value)] if path.endswith(value) else None
            return f"{prefix}{{{name}}}" if prefix is not None else UNKNOWN_ROUTE
        while at < len(segments) and segments[at] != value:
            at += 1
        if at == len(segments):
            return UNKNOWN_ROUTE  # a parameter that is not a whole segment: never guess a label from the raw path
        segments[at] = f"{{{name}}}"
        at += 1
    return "/".join(segments)
