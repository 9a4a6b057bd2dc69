"""JSON responses serialised with orjson (timestamps as RFC 3339 with a Z, as Lemmy sends them)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body, option=OPTIONS), status_code=status, media_type="application/json", headers=headers
    )


SUCCESS = {"success": True}
