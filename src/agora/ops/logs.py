"""Log lines for people (text, the default) or for collectors (AGORA_LOG_FORMAT=json: one JSON object per line).

Both are the standard logging module; JSON lines come from python-json-logger's formatter. Every record carries
`request_id` (agora.core.request_ids), so a request's access line, its app log lines and the lines of the
federation work it queued can be found together. In JSON mode the access line is ours (`agora.access`, with the
route, status, duration and request id) and uvicorn's own access log is off.
"""

from __future__ import annotations

import logging
from typing import Any

from agora.core import request_ids

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"

access_log = logging.getLogger("agora.access")


class RequestIdFilter(logging.Filter):
    """Adds the current request id (or None outside a request and its work) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_ids.current.get()
        return True


def config(level: str, log_format: str) -> dict[str, Any] | None:
    """A logging.config.dictConfig for uvicorn to apply in each server process; None keeps uvicorn's own (text)."""
    if log_format != "json":
        return None
    level = level.upper()
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "agora.ops.logs.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "timestamp": False,
            }
        },
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "alembic": {"level": "WARNING"},
        },
    }


def setup(level: str, log_format: str) -> None:
    """Logging for the command line's own process (the server processes get `config` through uvicorn)."""
    import logging.config

    dict_config = config(level, log_format)
    if dict_config is not None:
        logging.config.dictConfig(dict_config)
        return
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO), format=TEXT_FORMAT)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # each migration's INFO line means nothing to an operator
