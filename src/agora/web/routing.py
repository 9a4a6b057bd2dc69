"""The route class of every web page: refusals become readable HTML pages (or JSON for our script), never a 500
traceback or Lemmy's JSON error; every response gets the security headers."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.exc import DataError
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from agora.deps import database_unavailable
from agora.errors import AgoraError, Code
from agora.web import security
from agora.web.context import LoginRequired, PageContext, cached_chrome
from agora.web.forms import local_path, message

log = logging.getLogger("agora.web")

CSRF_MESSAGE = "This form has expired or was sent from another site. Reload the page and try again."


def _status(error: AgoraError) -> int:
    if error.code.value.startswith("couldnt_find_") or error.code == Code.not_found:
        return 404
    if error.code in (Code.not_an_admin, Code.not_a_moderator, Code.not_a_mod_or_admin, Code.site_ban):
        return 403
    return error.status


async def error_page(request: Request, status: int, text: str) -> Response:
    """Rendered without the database: the error may be that the database is gone."""
    if request.headers.get("x-agora-fetch") == "1":
        return JSONResponse({"error": text}, status_code=status)
    state = request.app.state.agora
    viewer = getattr(request.state, "viewer", None) or None
    ctx = PageContext(request=request, state=state, viewer=viewer, site={}, chrome=cached_chrome(state), unread=0)
    return await ctx.page("error.html", status=status, message=text, status_code=status)


# Paths that belong to machines: a miss there is answered in the API's JSON even to a browser.
MACHINE_PREFIXES = ("/api/", "/pictrs/", "/feeds/", "/.well-known/", "/nodeinfo/", "/inbox")


def wants_page(request: Request) -> bool:
    """A browser asking for a page, as opposed to an app or another server asking for data."""
    if request.method not in ("GET", "HEAD") or request.url.path.startswith(MACHINE_PREFIXES):
        return False
    return "text/html" in request.headers.get("accept", "")


async def not_found_page(request: Request) -> Response:
    response = await error_page(request, 404, message(AgoraError(Code.not_found)))
    return security.finish(request, response, secure=request.app.state.agora.settings.use_https)


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":  # after login, go back to the page the form was on
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = referer.netloc == request.headers.get("host")
        target = local_path(referer.path + (f"?{referer.query}" if referer.query else "")) if same_site else "/"
    return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)


class WebRoute(APIRoute):
    def get_route_handler(self):
        handle = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                response = await handle(request)
            except LoginRequired:
                response = login_redirect(request)
            except security.CsrfRefused:
                response = await error_page(request, 403, CSRF_MESSAGE)
            except AgoraError as error:
                if error.code == Code.instance_is_private:
                    response = login_redirect(request)
                else:
                    response = await error_page(request, _status(error), message(error))
                    if error.retry_after is not None:
                        response.headers["retry-after"] = str(error.retry_after)
            except (RequestValidationError, OverflowError, DataError):  # /post/abc, /post/99999999999999: no such page
                response = await error_page(request, 404, message(AgoraError(Code.not_found)))
            except Exception as exc:
                if database_unavailable(exc):
                    log.warning("database unavailable during %s %s: %s", request.method, request.url.path, exc)
                    response = await error_page(request, 503, message(AgoraError(Code.service_unavailable)))
                else:
                    log.exception("unhandled error in %s %s", request.method, request.url.path)
                    response = await error_page(request, 500, "Something went wrong on our side.")
            return security.finish(request, response, secure=request.app.state.agora.settings.use_https)

        return run
