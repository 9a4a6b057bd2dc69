"""FastAPI dependencies shared by the API and the web UI.

Handler signatures read as sentences: `async def create_post(form: CreatePost, db: WriteDb, member: Member, …)`.
A write session commits once, after the handler returns and before the response is sent; an exception rolls
everything back, so a refused request leaves no row behind. A handler may commit sooner with `after_commit`, to
read its answer outside the write.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from agora.config import Settings
from agora.core.instance import LocalInstance
from agora.core.limiter import RateLimiter
from agora.db.cached import SITE_SETTINGS, UntilWrite
from agora.db.engine import Database, is_unavailable
from agora.domain import rate_limits
from agora.domain import site as site_rules
from agora.errors import AgoraError, Code
from agora.media import storage as media_storage
from agora.media.decoding import Decoder
from agora.outbound import Outbound
from agora.queries import instances as instance_queries
from agora.queries import viewer as viewers
from agora.queries import visibility
from agora.queries.viewer import Viewer


class SiteSettingsCache(UntilWrite[dict[str, Any]]):
    """The local site's settings and its instance allow / block lists: many requests (and every received
    activity) need them and they rarely change; held under db.cached's rule (`settings_cache_seconds`, or this
    process's next write to a table they are read from: `TABLES`)."""

    TABLES = frozenset({"local_site", "local_site_rate_limit", "federation_rule", "instance"})

    async def get_settings(
        self, db: Database, here: LocalInstance, session: AsyncSession | None = None
    ) -> dict[str, Any]:
        """`session`: the asking request's own read session, if it has one. A request that holds a connection and
        waits for a second one can starve the pool: with every connection held by such requests, none is ever
        returned (SQLite's 4 readers under 8 concurrent members did, until the pool's 60-s timeout)."""

        async def build() -> dict[str, Any]:
            if session is not None and "replica" not in session.info:  # shared: built from the primary only
                return await self._read(session, here)
            async with db.read() as own:
                return await self._read(own, here)

        return await self.get(build)

    @staticmethod
    async def _read(session: AsyncSession, here: LocalInstance) -> dict[str, Any]:
        local_site = await site_rules.local_site(session, here)
        limits = await site_rules.rate_limits(session, here)
        value = {c.name: getattr(local_site, c.key) for c in local_site.__table__.columns}
        value["rate_limits"] = {c.name: getattr(limits, c.key) for c in limits.__table__.columns}
        value["federation_rules"] = await instance_queries.rules(session)
        return value

    @property
    def last_read(self) -> dict[str, Any] | None:
        """The settings as last read, however old (for when the database cannot be asked)."""
        return self.last


@dataclass(slots=True)
class _KeptViewer:
    viewer: Viewer
    expires: float


class ViewerCache:
    """The members this process resolved lately, by login token, so that a member's read does not read their
    account, follows and blocks again (a query as costly as the front page's own). A kept member is used only
    while the database still holds the token and the viewer versions read with it (db.viewer_versions: every
    write to what it holds moves them in its own transaction), checked on every read by one indexed row; and at
    most `ttl` seconds. Only reads use it: a write resolves its member afresh. Tokens that resolved to nobody are
    not kept, so forged ones cannot fill it."""

    def __init__(self, ttl: float, max_entries: int = 4096) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, _KeptViewer] = {}

    def get(self, token: str) -> Viewer | None:
        """The member kept for `token`, still to be checked against the database (`viewers.current_versions`)."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            del self._entries[token]
            return None
        return entry.viewer

    def keep(self, token: str, viewer: Viewer) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.max_entries and token not in self._entries:
            del self._entries[next(iter(self._entries))]  # the oldest
        self._entries[token] = _KeptViewer(viewer, time.monotonic() + self.ttl)


@dataclass
class AppState:
    """Everything a request may need from the process: set up by app.lifespan."""

    settings: Settings
    db: Database
    here: LocalInstance
    outbound: Outbound
    site_cache: SiteSettingsCache = field(init=False)
    rate_limiter: RateLimiter = field(init=False)  # in Redis when the settings name one (core.limiter)
    extras: dict[str, Any] = field(default_factory=dict)
    viewer_cache: ViewerCache = field(init=False)
    site_view: UntilWrite = field(init=False)  # GET /site without the member's own part, serialised
    # Background work (the inbox worker, delivery workers) takes database sessions from half the pool together,
    # so requests always keep the other half.
    background_slots: asyncio.Semaphore = field(init=False)
    decoder: Decoder = field(init=False)  # images are decoded only through it (media/decoding.py)
    media: media_storage.MediaStore = field(init=False)  # the folder or bucket images are kept in (media/storage.py)

    def __post_init__(self) -> None:
        self.rate_limiter = RateLimiter(self.settings.redis_url, self.settings.hostname)
        self.site_cache = SiteSettingsCache(
            self.db, self.settings.settings_cache_seconds, tables=SiteSettingsCache.TABLES
        )
        self.viewer_cache = ViewerCache(self.settings.viewer_cache_seconds)
        self.site_view = UntilWrite(self.db, self.settings.anonymous_cache_seconds, built_by_readers=True)
        self.background_slots = asyncio.Semaphore(max(1, self.settings.db_pool_size // 2))
        self.decoder = Decoder.for_settings(self.settings)
        self.media = media_storage.for_settings(self.settings)


def _app_state(request: Request) -> AppState:
    return request.app.state.agora


async def get_state(request: Request) -> AppState:
    return request.app.state.agora


State = Annotated[AppState, Depends(get_state)]


async def get_here(request: Request) -> LocalInstance:
    return request.app.state.agora.here


Here = Annotated[LocalInstance, Depends(get_here)]


def may_read_stale(request: Request) -> bool:
    """Whether a request's reads may come from a replica a moment behind (db.replicas): an anonymous page or API
    GET. Not a member's (they must see their own writes), nor a federation fetch or lookup: another server may ask
    for an object or actor we have just told it about."""
    if request.method not in ("GET", "HEAD") or request_token(request) is not None:
        return False
    if "signature" in request.headers or request.url.path.startswith("/.well-known/"):
        return False
    accept = request.headers.get("accept", "")
    return "activity+json" not in accept and "ld+json" not in accept


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with _app_state(request).db.read(stale_ok=may_read_stale(request)) as session:
        request.state.read_db = session  # the viewer, when resolved after it, reads on its connection too
        yield session


async def write_session(request: Request) -> AsyncIterator[AsyncSession]:
    state = _app_state(request)
    async with state.db.write() as session:
        # built, on a miss, on this session's own connection (see SiteSettingsCache.get_settings)
        session.info[SITE_SETTINGS] = lambda: state.site_cache.get_settings(state.db, state.here, session)
        yield session


# A read route that names `db: ReadDb` before its viewer (`Reader`, `MaybeViewer`, `Member`) resolves the viewer
# (and refreshes the site settings) on the session's connection: one pool checkout a request instead of two
# (FastAPI solves a signature's dependencies in order). The busiest reads are written so. What runs while a
# request holds this session must not wait for another connection of the same pool (see SiteSettingsCache.get).
ReadDb = Annotated[AsyncSession, Depends(read_session, scope="function")]
WriteDb = Annotated[AsyncSession, Depends(write_session, scope="function")]


@asynccontextmanager
async def after_commit(db: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commit the request's write now, and read its answer in a session of its own. The write's locks and, on
    SQLite, the one writer connection are free while the answer is read and encoded: SQLite's writes queue on
    that connection, so whatever a write does inside its transaction is time every other write waits."""
    await db.commit()  # gives the connection back to the pool: the read below never waits on this request
    database: Database = db.info["database"]
    async with database.read() as reader:
        yield reader


def database_unavailable(exc: BaseException) -> bool:
    """Whether an exception means the database cannot be reached (a 503 to retry): the surfaces' one look at it."""
    return is_unavailable(exc)


def request_token(request: Request) -> str | None:
    """The login token: `Authorization: Bearer …`, else the `jwt` cookie (Lemmy 0.19's order)."""
    header = request.headers.get("authorization")
    if header and header[:7].lower() == "bearer ":
        token = header[7:].strip()
        if token:
            return token
    return request.cookies.get("jwt") or None


async def optional_viewer(request: Request) -> Viewer | None:
    token = request_token(request)
    if not token:
        return None
    if hasattr(request.state, "viewer"):  # resolved once per request
        cached: Viewer | None = request.state.viewer
        return cached
    state = _app_state(request)
    local_user_id = viewers.claimed_user(token, state.here)
    if local_user_id is None:
        request.state.viewer = None
        return None
    reading = request.method in ("GET", "HEAD")
    kept = state.viewer_cache.get(token) if reading else None
    shared = getattr(request.state, "read_db", None)
    if shared is not None:
        viewer = await _current_viewer(shared, state.here, token, kept)
    else:
        async with state.db.reader.connect() as connection:
            viewer = await _current_viewer(connection, state.here, token, kept)
    if viewer is not None and reading and viewer is not kept:
        state.viewer_cache.keep(token, viewer)
    request.state.viewer = viewer
    return viewer


async def _current_viewer(
    session: AsyncSession | AsyncConnection, here: LocalInstance, token: str, kept: Viewer | None
) -> Viewer | None:
    """`kept` while its token and viewer versions are current in the database, else the member read afresh."""
    if kept is not None and await viewers.current_versions(session, kept) == kept.versions:
        return kept
    return await viewers.resolve(session, here, token)


MaybeViewer = Annotated[Viewer | None, Depends(optional_viewer)]


async def require_viewer(viewer: MaybeViewer) -> Viewer:
    if viewer is None:
        raise AgoraError(Code.incorrect_login)
    return viewer


Member = Annotated[Viewer, Depends(require_viewer)]


async def require_admin(member: Member) -> Viewer:
    if not member.admin:
        raise AgoraError(Code.not_an_admin)
    return member


Admin = Annotated[Viewer, Depends(require_admin)]


async def site_settings(request: Request) -> dict[str, Any]:
    state = _app_state(request)
    return await state.site_cache.get_settings(state.db, state.here, getattr(request.state, "read_db", None))


SiteSettings = Annotated[dict[str, Any], Depends(site_settings)]


async def content_reader(viewer: MaybeViewer, site: SiteSettings) -> Viewer | None:
    """The viewer of a content route: on a private instance only members may read (queries.visibility; agora.gate
    refuses the others first, this holds if it is bypassed)."""
    visibility.check_site(viewer, site)
    return viewer


Reader = Annotated[Viewer | None, Depends(content_reader)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def user_agent(request: Request) -> str | None:
    return request.headers.get("user-agent")


async def allows(state: AppState, site: dict[str, Any], bucket: str, ip: str | None) -> bool:
    """Count one action of `bucket` for the address; False when the site's limit is spent."""
    if not state.settings.rate_limits_enabled:
        return True
    limits = site["rate_limits"]
    return await state.rate_limiter.allow(bucket, ip or "unknown", limits[bucket], limits[f"{bucket}_per_second"])


def too_many(wait: float) -> AgoraError:
    """The 429 for a limit that passes in `wait` seconds: the wait goes in the message and in Retry-After."""
    seconds = max(1, math.ceil(wait))
    when = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
    return AgoraError(
        Code.rate_limit_error, f"Too many attempts in a short time; try again in {when}.", retry_after=seconds
    )


async def spend(request: Request, state: AppState, site: dict[str, Any], bucket: str) -> None:
    """Spend one action of `bucket` for the client's address (429 rate_limit_error, as Lemmy)."""
    if not await allows(state, site, bucket, client_ip(request)):
        limits = site["rate_limits"]
        interval, count = limits[f"{bucket}_per_second"], limits[bucket]
        raise too_many(await state.rate_limiter.wait(bucket, client_ip(request) or "unknown", count, interval))


# What a site's admins and its moderators do while they build a community (a post and its first comments, a
# dozen in a row) is not flooding; everyone else keeps Lemmy's limits.
TRUSTED_BUCKETS = ("post", "comment", "image")


async def take_token(request: Request, bucket: str) -> None:
    """Spend one token of `bucket` when rate limits are on (see `spend`); admins and moderators seeding their
    communities are not held by the content buckets (TRUSTED_BUCKETS)."""
    state = _app_state(request)
    if not state.settings.rate_limits_enabled:
        return
    if bucket in TRUSTED_BUCKETS and request_token(request):
        viewer = await optional_viewer(request)
        if viewer is not None and (viewer.admin or (viewer.lists is not None and viewer.lists.moderated)):
            return
    await spend(request, state, await site_settings(request), bucket)


@functools.cache
def rate_limited(bucket: str) -> Any:
    """A route dependency that spends one token of `bucket`: one object per bucket, so routes can be compared."""

    async def check(request: Request) -> None:
        await take_token(request, bucket)

    check.bucket = bucket  # type: ignore[attr-defined]
    return Depends(check)


# The bucket most reads and writes spend from, one dependency for every route that names it
MESSAGE = rate_limited("message")


async def check_login_allowed(request: Request, state: AppState, account: str) -> None:
    """Refuse a login attempt while the account or the address has failed too often (see domain.rate_limits)."""
    if state.settings.rate_limits_enabled:
        wait = await rate_limits.login_wait(state.rate_limiter, account, client_ip(request) or "unknown")
        if wait > 0:
            raise too_many(wait)


async def note_login(request: Request, state: AppState, account: str, succeeded: bool) -> None:
    if succeeded:
        await rate_limits.login_succeeded(state.rate_limiter, account)
    else:
        await rate_limits.login_failed(state.rate_limiter, account, client_ip(request) or "unknown")
