"""Run the server processes of `agora serve`: one uvicorn process, or a gunicorn arbiter forking uvicorn workers.

With several workers the app is built once in the arbiter (gunicorn's `preload_app`) and the workers are forked
from it after `gc.freeze()`, so the modules, routes and models they all hold stay shared pages instead of one copy
per worker (docs/performance.md, "Memory per worker"). Nothing that holds a connection or a loop exists before the
fork: `create_app` only builds routes and middleware, and each worker's lifespan opens its own engines, pools,
outbound client and event loop. The arbiter restarts a worker that dies, stops gracefully on SIGTERM or SIGINT
(requests in flight get `GRACEFUL_SECONDS`), and restarts its workers on SIGHUP.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
from typing import Any

from agora.config import Settings

APP_FACTORY = "agora.app:create_app"
GRACEFUL_SECONDS = 10
# What each worker would otherwise import for itself after the fork, when its lifespan opens the engines and the
# outbound client and uvicorn picks its loop and HTTP parser: imported once in the arbiter, shared by all.
WORKER_IMPORTS = (
    "asyncpg",
    "sqlalchemy.dialects.postgresql.asyncpg",
    "httpcore",
    "anyio._backends._asyncio",
    "certifi",
    "uvicorn.loops.uvloop",
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.lifespan.on",
)
# Longer than the usual client and proxy idle times, so a reused keep-alive connection is not closed under a
# request in flight (the race that shows as "server disconnected without a response").
KEEP_ALIVE_SECONDS = 75


def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve until stopped; blocks."""
    if workers == 1:
        _serve_one(settings, host, port)
    else:
        _serve_forked(settings, host, port, workers)


def _serve_one(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from agora.ops import logs

    log_config = logs.config(settings.log_level, settings.log_format)
    logging_options: dict[str, Any] = {"log_config": log_config, "access_log": False} if log_config else {}
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        **logging_options,
        proxy_headers=True,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


def _serve_forked(settings: Settings, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from agora.ops import logs

    json_logs = logs.config(settings.log_level, settings.log_format)
    options: dict[str, Any] = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "agora.cli.worker.Worker",
        "preload_app": True,
        "graceful_timeout": GRACEFUL_SECONDS,
        "keepalive": KEEP_ALIVE_SECONDS,
        "loglevel": settings.log_level.lower(),
        "errorlog": "-",
        # uvicorn's access lines are INFO: printed at that level or below, as `agora serve` with one worker does
        "accesslog": "-"
        if json_logs is None and logging.getLevelName(settings.log_level.upper()) <= logging.INFO
        else None,
        "pre_fork": _freeze_before_fork,
        "proc_name": "agora",
        "control_socket_disable": True,  # one fixed path per user, which several instances would share
    }
    if json_logs is not None:  # the arbiter's own lines too: one JSON object per line
        gunicorn_loggers = {name: {"handlers": [], "propagate": True} for name in ("gunicorn.error", "gunicorn.access")}
        options["logconfig_dict"] = {**json_logs, "loggers": {**json_logs["loggers"], **gunicorn_loggers}}

    class Arbiter(BaseApplication):
        def load_config(self) -> None:
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self) -> Any:
            from uvicorn.importer import import_from_string

            from agora.web import render

            # As uvicorn's factory string did: each layer keeps to its side (cli never imports app), and the app
            # reads its settings from the same environment this command was given.
            app = import_from_string(APP_FACTORY)()
            render.load_templates()
            for module in WORKER_IMPORTS:
                # uvloop, httptools, websockets are optional: uvicorn falls back without them
                with contextlib.suppress(ImportError):
                    importlib.import_module(module)
            return app

    Arbiter().run()


def _freeze_before_fork(arbiter: Any, worker: Any) -> None:
    """Move everything the arbiter built into the permanent generation, so no worker's collector writes to
    (and so copies) the pages it shares with the others."""
    gc.collect()
    gc.freeze()
