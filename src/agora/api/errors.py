"""Errors as Lemmy sends them: `{"error": code}` (plus `"message"` where useful), never an HTML page or a bare 500."""

from __future__ import annotations

import logging

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from agora.api.v4.errors import v4_error
from agora.deps import database_unavailable
from agora.errors import AgoraError, Code
from agora.outbound import OutboundError

log = logging.getLogger("agora.api")


def error_response(code: str, status: int, message: str | None = None) -> Response:
    body: dict[str, object] = {"error": code}
    if message is not None:
        body["message"] = message
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query"))
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
    """No such route (404), wrong method (405) and the like; app.py registers it, beside the web UI's 404 page."""
    code = Code.not_found.value if exc.status_code == 404 else Code.unknown.value
    return error_response(code, exc.status_code, str(exc.detail) if exc.detail else None)


def install(app: FastAPI) -> None:
    @app.exception_handler(AgoraError)
    async def _agora(request: Request, exc: AgoraError) -> Response:
        message = exc.message if exc.code in _WITH_MESSAGE or exc.message != exc.code.value else None
        if request.url.path.startswith(V4_PREFIX):  # one rule, two faces: v4 names the same error its own way
            code, status = v4_error(exc.code, exc.status)
        else:
            code, status = exc.code.value, exc.status
        response = error_response(code, status, message)
        if exc.retry_after is not None:
            response.headers["retry-after"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> Response:
        return error_response(Code.unknown.value, 400, _validation_message(exc))

    @app.exception_handler(OutboundError)
    async def _unreachable(request: Request, exc: OutboundError) -> Response:
        # Another server named by the request failed it (no such host, refused, timed out, too large): the
        # request cannot be served, and the fault is not ours. Callers that can say more catch it first.
        log.info("outbound failure in %s %s: %s", request.method, request.url.path, exc.reason)
        return error_response(Code.couldnt_find_object.value, 400, exc.reason)

    @app.exception_handler(RecursionError)
    async def _too_deep(_request: Request, _exc: RecursionError) -> Response:
        return error_response(Code.unknown.value, 400, "request nested too deeply")

    async def _database(request: Request, exc: Exception) -> Response:
        # Handled here, inside the app, so the connection stays healthy and nothing is re-raised to the server.
        if database_unavailable(exc):
            log.warning("database unavailable during %s %s: %s", request.method, request.url.path, exc)
            return error_response(Code.service_unavailable.value, 503, "the database is unreachable; retry shortly")
        log.error("database error in %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(Code.unknown.value, 500, "internal error")

    for database_error in (DBAPIError, PoolTimeout, ConnectionError, OSError):
        app.add_exception_handler(database_error, _database)

    async def _out_of_range(_request: Request, exc: Exception) -> Response:
        # A number the database cannot hold (an id past 2^31, say): the request is wrong, not the server.
        return error_response(Code.unknown.value, 400, "a number in the request is out of range")

    for range_error in (OverflowError, DataError):
        app.add_exception_handler(range_error, _out_of_range)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error in %s %s", request.method, request.url.path)
        return error_response(Code.unknown.value, 500, "internal error")


V4_PREFIX = "/api/v4/"
_WITH_MESSAGE = {Code.registration_denied, Code.person_is_banned_from_site, Code.unknown}
