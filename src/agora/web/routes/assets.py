"""The stylesheet and scripts, served with long caching (their URLs carry a content hash)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import FileResponse, Response

from agora.errors import AgoraError, Code
from agora.web.render import STATIC
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
FILES = {
    "agora.css": "text/css; charset=utf-8",
    "agora.js": "text/javascript; charset=utf-8",
    "api-docs.js": "text/javascript; charset=utf-8",
}


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    if name not in FILES:
        raise AgoraError(Code.not_found)
    return FileResponse(
        STATIC / name, media_type=FILES[name], headers={"Cache-Control": "public, max-age=31536000, immutable"}
    )
