"""resolve_object of a handle or URL whose server fails us answers 400 couldnt_find_object, never a 500: no such
host, a name no resolver can encode, a bad port, a refused connection, a page that is not JSON, a time-out."""

from __future__ import annotations

import socket
import threading

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.conftest import free_port
from tests.federation.conftest import FAST
from tests.support.admin import make_admin

pytestmark = pytest.mark.federation


class HtmlSite:
    """A web server that answers every path with an HTML page, WebFinger included."""

    def __init__(self) -> None:
        self.port = free_port()
        app = Starlette(routes=[Route("/{path:path}", lambda _request: HTMLResponse("<html>hello</html>"))])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> HtmlSite:
        self.thread.start()
        while not self.server.started:
            threading.Event().wait(0.02)
        return self

    def __exit__(self, *_exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class Silent:
    """A port that accepts connections and never answers."""

    def __enter__(self) -> Silent:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.port = self.socket.getsockname()[1]
        return self

    def __exit__(self, *_exc) -> None:
        self.socket.close()


@pytest.mark.parametrize("debug", [False, True], ids=["public-only", "loopback-allowed"])
def test_handles_and_urls_of_unreachable_servers_are_not_found(server_factory, debug):
    server = server_factory(**(FAST if debug else {}))
    admin = make_admin(server)
    closed = free_port()
    queries = [
        "!main@no-such-host.invalid",
        "@someone@no-such-host.invalid",
        "someone@no-such-host.invalid",
        "!main@" + "a" * 70 + ".example",
        "!main@example.org:99999",
        f"!main@127.0.0.1:{closed}",
        f"http://127.0.0.1:{closed}/c/main",
        "https://no-such-host.invalid/post/1",
    ]
    for q in queries:
        assert admin.api.error("GET", "/resolve_object", q=q) == (400, "couldnt_find_object"), q


def test_a_server_that_answers_html_or_nothing_is_not_found(server_factory):
    server = server_factory(**FAST)
    admin = make_admin(server)
    with HtmlSite() as site:
        for q in (f"!main@127.0.0.1:{site.port}", f"http://127.0.0.1:{site.port}/post/1"):
            assert admin.api.error("GET", "/resolve_object", q=q) == (400, "couldnt_find_object"), q
    with Silent() as silent:
        assert admin.api.error("GET", "/resolve_object", q=f"!main@127.0.0.1:{silent.port}") == (
            400,
            "couldnt_find_object",
        )
