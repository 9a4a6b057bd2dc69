"""A pure ASGI middleware that refuses request bodies over the cap before anything reads them."""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Multipart image uploads: v3's (pict-rs's path) and 1.0's, which upload avatars, banners and icons directly.
UPLOAD_PATHS: tuple[str, ...] = ("/pictrs/image", "/api/v4/image", "/api/v4/account/avatar", "/api/v4/account/banner")
UPLOAD_PATHS += ("/api/v4/community/icon", "/api/v4/community/banner", "/api/v4/site/icon", "/api/v4/site/banner")


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.upload_max_bytes if scope["path"].startswith(UPLOAD_PATHS) else self.max_bytes
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _refuse(send, 400, "invalid Content-Length")
                    return
                if declared > cap:
                    await _refuse(send, 413, f"request body over {cap} bytes")
                    return
        received = 0
        refused = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    refused = True
                    raise BodyTooLarge()
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _refuse(send, 413, f"request body over {cap} bytes")


class BodyTooLarge(Exception):
    pass


async def _refuse(send: Send, status: int, message: str, code: str | None = None) -> None:
    body = orjson.dumps({"error": code or ("too_large" if status == 413 else "unknown"), "message": message})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


JSON_TYPES = (b"application/json", b"application/activity+json", b"application/ld+json")
MAX_JSON_DEPTH = 32


def json_depth(value: object) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


class JsonDepthLimit:
    """Refuses JSON bodies nested deeper than MAX_JSON_DEPTH before a handler or validator walks them.

    Runs inside BodySizeLimit, so the body it buffers is already capped; it is replayed to the app unchanged.
    """

    def __init__(self, app: ASGIApp, *, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type = dict(scope.get("headers", ())).get(b"content-type", b"") if scope["type"] == "http" else b""
        if content_type.split(b";", 1)[0].strip().lower() not in JSON_TYPES:
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        try:
            too_deep = bool(body) and json_depth(orjson.loads(body)) > self.max_depth
        except orjson.JSONDecodeError:
            too_deep = False  # malformed, or deeper than orjson's own cap: the app's parser refuses it with a 400
        if too_deep:
            await _refuse(send, 400, f"JSON nested deeper than {self.max_depth} levels", "invalid_body_field")
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """Hand the buffered messages to the app, then the real channel (which reports a disconnect when it comes)."""

    async def replayed() -> Message:
        return messages.pop(0) if messages else await receive()

    return replayed
