"""The API's GET routes answered without FastAPI's router and dependency solver: the same handlers, called directly.

A FastAPI request pays for its routing and its dependencies before the handler runs. On FastAPI 0.165 that was
half of a front page's server CPU (issue 7's profiles, uncached All Hot on the medium set: 0.75 ms a request,
of which the handler used 0.28): the router walks nested routers twice (once to match, once to handle), each of
the handler's five dependencies costs tens of microseconds to solve, and a query model is read field by field.
An unknown path costs 0.58 ms before it is refused.

Most GET handlers depend only on the request: a read session, the viewer, the site settings, a rate-limit token,
and one query model. For those, this middleware finds the route by its path in a dict and resolves the same
dependencies itself, in FastAPI's order (the route's `dependencies` first, then the parameters as written, the
query model validated after them all), each called with the request, a `yield` dependency entered as a context
that is left before the response is sent (as `Depends(scope="function")` does). The query model is validated
from the query string in one call; a refusal is the same `RequestValidationError` FastAPI raises, with the same
locations. Any exception goes to the app's exception handler for it, as ExceptionMiddleware would.

A route is answered here only if all of this holds, checked once when the table is built: a plain path (no
path parameters), GET, an async handler annotated to return a Response, every parameter a `Request`, a
`Depends` on an async function or async generator of the request alone, or a `Query()` model of scalar fields.
Every other route, method or path goes through FastAPI as before, and so does the OpenAPI document.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

from fastapi import params as fastapi_params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, APIRouter
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agora.api.read_cache import AnonymousReadCache

Resolve = Callable[[Request, AsyncExitStack], Awaitable[Any]]
# A resolver: what it is keyed by in the request's cache (a dependency's callable: FastAPI calls each once per
# request, however many times it is named), or None when every use resolves afresh.
Resolver = tuple[Callable | None, Resolve]

SEQUENCES = (list, set, tuple, frozenset)


@dataclass(slots=True)
class DirectRoute:
    endpoint: Callable[..., Awaitable[Response]]
    before: tuple[Resolver, ...]  # the route's own dependencies, for their effect
    arguments: tuple[tuple[str, Resolver], ...]
    queries: tuple[tuple[str, Resolve], ...]  # query models: validated after every dependency, as FastAPI does

    async def answer(self, request: Request, stack: AsyncExitStack) -> Response:
        solved: dict[Callable, Any] = {}

        async def value(resolver: Resolver):
            key, resolve = resolver
            if key is None:
                return await resolve(request, stack)
            if key not in solved:
                solved[key] = await resolve(request, stack)
            return solved[key]

        for dependency in self.before:
            await value(dependency)
        arguments = {name: await value(resolver) for name, resolver in self.arguments}
        for name, validate in self.queries:
            arguments[name] = await validate(request, stack)
        return await self.endpoint(**arguments)


def direct_routes(prefix: str, routers: typing.Iterable[APIRouter]) -> dict[str, DirectRoute]:
    """The GET routes of `routers` (mounted under `prefix`) that can be answered directly, by path."""
    table: dict[str, DirectRoute] = {}
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()) or "{" in route.path:
                continue
            direct = _direct(route)
            if direct is not None:
                table.setdefault(prefix + route.path, direct)  # the first route of a path wins, as in FastAPI
    return table


def _direct(route: APIRoute) -> DirectRoute | None:
    endpoint = route.endpoint
    if not inspect.iscoroutinefunction(endpoint):
        return None
    hints = typing.get_type_hints(endpoint, include_extras=True)
    answer = hints.get("return")
    if not (inspect.isclass(answer) and issubclass(answer, Response)):
        return None
    before = []
    for dependency in route.dependencies:
        resolver = _dependency(dependency)
        if resolver is None:
            return None
        before.append(resolver)
    arguments, queries = [], []
    for name in inspect.signature(endpoint).parameters:
        annotation = hints.get(name)
        model = _query_model_of(annotation)
        if model is not None:
            validate = _query_model(model)
            if validate is None:
                return None
            queries.append((name, validate))
            continue
        resolver = _parameter(annotation)
        if resolver is None:
            return None
        arguments.append((name, resolver))
    return DirectRoute(endpoint, tuple(before), tuple(arguments), tuple(queries))


def _query_model_of(annotation) -> type[BaseModel] | None:
    """The model of an `Annotated[Model, Query()]` parameter, else None."""
    if get_origin(annotation) is not Annotated:
        return None
    base, *meta = get_args(annotation)
    is_model = inspect.isclass(base) and issubclass(base, BaseModel)
    return base if is_model and any(isinstance(item, fastapi_params.Query) for item in meta) else None


def _parameter(annotation) -> Resolver | None:
    if annotation is Request:
        return None, _the_request
    if get_origin(annotation) is not Annotated:
        return None
    _base, *meta = get_args(annotation)
    for item in meta:
        if isinstance(item, fastapi_params.Depends):
            return _dependency(item)
    return None


async def _the_request(request: Request, _stack: AsyncExitStack) -> Request:
    return request


def _dependency(depends: fastapi_params.Depends) -> Resolver | None:
    """A resolver for `Depends(call)` when `call` needs nothing but the request."""
    call = depends.dependency
    if call is None:
        return None
    key = call if depends.use_cache else None
    signature = inspect.signature(call)
    hints = typing.get_type_hints(call)
    if [hints.get(name) for name in signature.parameters] != [Request]:
        return None
    if inspect.isasyncgenfunction(call):
        if getattr(depends, "scope", None) != "function":
            return None  # its exit would come after the response is sent: FastAPI's to run
        context = asynccontextmanager(call)

        async def entered(request: Request, stack: AsyncExitStack):
            return await stack.enter_async_context(context(request))

        return key, entered
    if inspect.iscoroutinefunction(call):

        async def awaited(request: Request, _stack: AsyncExitStack):
            return await call(request)

        return key, awaited
    return None  # FastAPI runs a plain function in a thread; leave such routes to it


def _query_model(model: type[BaseModel]) -> Resolve | None:
    for field in model.model_fields.values():
        kinds = [field.annotation, *get_args(field.annotation)]
        if any(get_origin(kind) in SEQUENCES or kind in SEQUENCES for kind in kinds):
            return None  # a repeated key is a list: FastAPI's to read

    async def validated(request: Request, _stack: AsyncExitStack):
        try:
            return model.model_validate(dict(request.query_params))
        except ValidationError as invalid:
            errors = [{**e, "loc": ("query", *e["loc"])} for e in invalid.errors(include_url=False)]
            raise RequestValidationError(errors) from None

    return validated


class DirectReads:
    """Answers the GETs of `routes` (from `direct_routes`) and passes everything else on to `app`.

    `create_app` puts it in front of FastAPI's whole middleware stack (see `agora.app.Agora`), whose layers (error
    page, telemetry, two body limits, JSON depth, CORS) each wrap `send` or read the headers again: about 8 % of an
    uncached front page's server CPU (issue 7, paired with bench/pair.py). A direct GET needs only two of their
    effects, kept here: the response headers CORSMiddleware adds for `allow_origins=["*"]` (with `any_origin`), and
    a JSON 500 from the app's handler for `Exception` when something fails before the answer starts. A GET that
    comes with a body goes through the stack, whose limits refuse it if it is too large or too deep, as before.
    The anonymous read cache (`anonymous_cache_seconds` > 0) sits between the two, as it did in the stack.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: dict[str, DirectRoute],
        anonymous_cache_seconds: float = 0,
        any_origin: bool = False,
    ) -> None:
        self.app = app
        self.routes = routes
        self.any_origin = any_origin
        cached = anonymous_cache_seconds > 0
        self.answer = AnonymousReadCache(self._answer, ttl=anonymous_cache_seconds) if cached else self._answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in self.routes:
            await self.app(scope, receive, send)
            return
        with_origin = False
        for name, value in scope["headers"]:
            if name == b"origin":
                with_origin = self.any_origin
            elif (name == b"content-length" and value != b"0") or name == b"transfer-encoding":
                await self.app(scope, receive, send)  # a body: the stack's limits are for it
                return
        started = False

        async def sent(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if self.any_origin:
                    message = {**message, "headers": _cors_headers(message.get("headers", ()), with_origin)}
            await send(message)

        try:
            await self.answer(scope, receive, sent)
        except Exception as error:
            handler = None if started else _handler_for(scope["app"].exception_handlers, error)
            if handler is None:
                raise
            request = Request(scope, receive)
            await (await handler(request, error))(scope, receive, sent)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The route's answer; an exception goes to `__call__`, which has the app's handler answer it."""
        async with AsyncExitStack() as stack:
            response = await self.routes[scope["path"]].answer(Request(scope, receive), stack)
        await response(scope, receive, send)


def _cors_headers(headers, with_origin: bool) -> list[tuple[bytes, bytes]]:
    """`headers` with what CORSMiddleware(allow_origins=["*"]) adds to a simple response: `Vary: Origin` (merged
    into any Vary already there) always, and `Access-Control-Allow-Origin: *` when the request names an Origin."""
    varies = [value for name, value in headers if name == b"vary"]
    out = [(name, value) for name, value in headers if name != b"vary"]
    if with_origin:
        out.append((b"access-control-allow-origin", b"*"))
    out.append((b"vary", b", ".join([*varies, b"Origin"])))
    return out


def _handler_for(handlers: dict, error: Exception):
    """The app's handler for `error`, found as Starlette's ExceptionMiddleware finds it."""
    if isinstance(error, HTTPException) and error.status_code in handlers:
        return handlers[error.status_code]
    for cls in type(error).__mro__:
        if cls in handlers:
            return handlers[cls]
    return None
