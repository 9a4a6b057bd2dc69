"""The API's interactive documentation (Swagger UI), served whole from this server: its script and stylesheet
come from the swagger-ui-bundle-v2 package, its start-up from our own static file, so the page works offline and
under the site's Content-Security-Policy (no inline script, nothing from another host)."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter
from starlette.responses import FileResponse, HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

from agora.errors import AgoraError, Code
from agora.web.render import render
from agora.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
DOCS_PATH = "/api/v3/docs"
OPENAPI_PATH = "/api/v3/openapi.json"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
# The package's version names what its files hold, so their URLs change when it does and may be cached for good.
BUNDLE_VERSION = version("swagger-ui-bundle-v2")


def asset_url(name: str) -> str:
    return f"/static/swagger-ui/{name}?v={BUNDLE_VERSION}"


@router.get(DOCS_PATH)
async def api_docs() -> Response:
    html = render(
        "api_docs.html",
        {"openapi_url": OPENAPI_PATH, "script": asset_url("swagger-ui-bundle.js"), "css": asset_url("swagger-ui.css")},
    )
    return HTMLResponse(html)


@router.get("/static/swagger-ui/{name}")
async def swagger_asset(name: str) -> Response:
    if name not in ASSETS:
        raise AgoraError(Code.not_found)
    return FileResponse(
        str(swagger_ui_path / name),
        media_type=ASSETS[name],
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
