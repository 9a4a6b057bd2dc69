"""The gunicorn worker class of `agora serve --workers N`: uvicorn's, with the settings `agora serve` gives it."""

from __future__ import annotations

import logging
from typing import Any

from uvicorn_worker import UvicornWorker

from agora.cli.serving import GRACEFUL_SECONDS


class Worker(UvicornWorker):
    """uvicorn behind the arbiter: proxy headers from loopback, no Server header, the graceful timeout; uvicorn's
    loggers follow the root logger's JSON handler when the arbiter configured one."""

    CONFIG_KWARGS: dict[str, Any] = {
        "loop": "auto",
        "http": "auto",
        "proxy_headers": True,
        "server_header": False,
        "timeout_graceful_shutdown": GRACEFUL_SECONDS,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.cfg.logconfig_dict:
            for name in ("uvicorn.error", "uvicorn.access"):
                logger = logging.getLogger(name)
                logger.handlers = []
                logger.propagate = name != "uvicorn.access"  # JSON logs have their own access lines
