"""create_app(settings): the whole instance as one ASGI app.

The lifespan opens the database, bootstraps the local site on first start, registers event subscribers and
starts the scheduler; routers for the API, discovery and (later) the web UI and federation are mounted here.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from agora.api import errors as api_errors
from agora.api import feeds, hot_reads, pictrs
from agora.api.limits import BodySizeLimit, JsonDepthLimit
from agora.api.read_cache import AnonymousReadCache
from agora.api.v3.router import router as api_v3
from agora.api.v4.router import router as api_v4
from agora.config import AGORA_VERSION, Settings
from agora.db.engine import open_database
from agora.deps import AppState
from agora.domain import notifications, passwords
from agora.domain.instance import bootstrap
from agora.federation import collections as activitypub_collections
from agora.federation import routes as activitypub
from agora.federation import wellknown
from agora.federation import workers as federation
from agora.gate import PrivateInstanceGate
from agora.jobs import federation as federation_jobs
from agora.jobs import scheduler
from agora.ops import health
from agora.ops import metrics as ops_metrics
from agora.ops.middleware import Operations
from agora.outbound import Outbound
from agora.web import router as web_ui
from agora.web import routing as web_routing

log = logging.getLogger("agora")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        passwords.configure(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        notifications.register()
        db = open_database(settings)
        async with db.write() as session:
            here = await bootstrap(session, settings)
        state = AppState(settings=settings, db=db, here=here, outbound=Outbound(settings))
        app.state.agora = state
        ops_metrics.watch_pools(db)
        health.note_database(state)
        federation_workers = federation.start(state)
        signals = None
        if settings.redis_url:  # imported only then: redis costs every worker ~8 MiB (docs/performance.md)
            from agora.ops.write_signals import WriteSignals

            signals = WriteSignals(db, settings.redis_url, settings.hostname)
            signals.start()
        jobs = scheduler.Scheduler(state) if settings.scheduler_enabled else None
        if jobs:
            jobs.add("federation_cleanup", 3600, federation_jobs.cleanup)
            jobs.add("federation_software", 3600, federation_jobs.learn_software)
            jobs.start()
        # Everything made so far (modules, models, the app) lives as long as the process: leave it out of the
        # cyclic garbage collector's full passes, which otherwise walk ~180k objects and stall every request in
        # flight for 50-150 ms a few times a minute under load (the front page's p99).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if jobs:
                await jobs.stop()
            if signals:
                await signals.stop()
            await federation_workers.stop()
            await state.outbound.aclose()
            await state.media.aclose()
            ops_metrics.unwatch_pools(db)
            await db.dispose()

    app = FastAPI(
        title="Agora",
        version=AGORA_VERSION,
        description="Lemmy-compatible HTTP APIs v3 (Lemmy 0.19) and v4 (Lemmy 1.0), and Agora's own routes.",
        lifespan=lifespan,
        openapi_url="/api/v3/openapi.json",
        docs_url=None,  # web/routes/api_docs.py serves it with its assets, under the site's CSP
        redoc_url=None,
    )
    api_errors.install(app)

    @app.exception_handler(StarletteHTTPException)
    async def _no_such_route(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and web_routing.wants_page(request):
            return await web_routing.not_found_page(request)
        return await api_errors.http_error(request, exc)

    if settings.hot_reads:
        app.router.routes.extend(hot_reads.routes())  # first: the API's busiest GETs (api/hot_reads.py)
    # Then the inboxes: routes are tried in order, and other servers' POSTs are the busiest traffic of a
    # federated instance; only POSTs to these paths match them, so nothing else changes route.
    app.include_router(activitypub.inbox_router)
    app.include_router(api_v3)
    app.include_router(api_v4)  # Lemmy 1.0's face over the same rules and reads
    app.include_router(wellknown.router)
    app.include_router(activitypub.router)  # before the web UI's routes at the same paths
    app.include_router(activitypub_collections.router)
    app.include_router(feeds.router)
    app.include_router(pictrs.router)
    app.include_router(web_ui)  # last: the HTML pages, beside the API and ActivityPub routes
    # Added innermost first. The anonymous read cache answers inside every other layer, and only after the
    # private-instance gate: no route, cached or not, answers a reader a private instance does not serve.
    if settings.anonymous_cache_seconds > 0:
        app.add_middleware(AnonymousReadCache, ttl=settings.anonymous_cache_seconds)
    app.add_middleware(PrivateInstanceGate)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"], max_age=3600)
    app.add_middleware(JsonDepthLimit)  # inside the size limit: it only ever buffers a capped body
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, upload_max_bytes=settings.max_upload_bytes)
    # Outermost: it times and labels every answer, gives each request its id, and serves /healthz, /readyz, /metrics.
    # Text logs keep uvicorn's access lines; JSON logs get its own, with the route and the request id.
    app.add_middleware(Operations, access_log_lines=settings.log_format == "json")
    return app
