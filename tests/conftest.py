"""Test set-up: a real database (AGORA_TEST_DATABASE=sqlite|postgres) and real servers on loopback.

A template database is migrated once per run; every test gets its own copy (a file copy on SQLite, CREATE DATABASE
… TEMPLATE on PostgreSQL) and its own `agora` app served by uvicorn on a free port.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import uuid
from pathlib import Path

import pytest

from agora.config import Settings
from tests.support.client import Api

ENGINES = {"sqlite": "sqlite", "postgres": "postgres", "postgresql": "postgres"}
_engine_asked = os.environ.get("AGORA_TEST_DATABASE", "sqlite").strip().lower()
if _engine_asked not in ENGINES:
    raise pytest.UsageError(f"AGORA_TEST_DATABASE={_engine_asked!r}: use one of {', '.join(ENGINES)}")
ENGINE = ENGINES[_engine_asked]
PG_ADMIN_URL = os.environ.get("AGORA_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Cheap hashing keeps hundreds of registrations fast; production uses argon2-cffi's strong defaults.
FAST_HASH = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _pg(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _pg_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


class DatabaseFactory:
    """Hands out fresh, migrated databases copied from one template."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.created: list[str] = []
        from agora.db.migrate import upgrade

        if ENGINE == "postgres":
            self.template = f"agora_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            asyncio.run(_pg(f'CREATE DATABASE "{self.template}"'))
            asyncio.run(upgrade(Settings(database_url=_pg_url(self.template))))
        else:
            self.template_path = tmp / "template.db"
            asyncio.run(upgrade(Settings(database_url=f"sqlite+aiosqlite:///{self.template_path}")))

    def new(self) -> str:
        name = f"agora_t_{uuid.uuid4().hex[:10]}"
        if ENGINE == "postgres":
            asyncio.run(_pg(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
            self.created.append(name)
            return _pg_url(name)
        path = self.tmp / f"{name}.db"
        shutil.copyfile(self.template_path, path)
        return f"sqlite+aiosqlite:///{path}"

    def drop(self, url: str) -> None:
        if ENGINE == "postgres":
            name = url.rsplit("/", 1)[-1]
            asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            path = Path(url.split(":///", 1)[1])
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        if ENGINE == "postgres":
            asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = DatabaseFactory(tmp_path_factory.mktemp("db"))
    yield factory
    factory.close()


class LiveServer:
    """An Agora app served by uvicorn in a background thread; `api` talks to it over real HTTP."""

    def __init__(self, settings: Settings, port: int) -> None:
        import uvicorn

        from agora.app import create_app

        self.settings = settings
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.app = create_app(settings)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self.server.serve())

    def start(self) -> LiveServer:
        self.thread.start()
        for _ in range(400):
            if self.server.started:
                return self
            if not self.thread.is_alive():
                raise RuntimeError("server failed to start")
            threading.Event().wait(0.025)
        raise RuntimeError("server did not start in time")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)

    @property
    def state(self):
        return self.app.state.agora

    def server_loop(self):
        """The event loop uvicorn runs this app on (engines are bound to it)."""
        return self._loop

    def run(self, coroutine_function):
        """Run `await coroutine_function()` on the server's loop, from the test thread."""
        return asyncio.run_coroutine_threadsafe(coroutine_function(), self._loop).result(timeout=60)

    def api(self, token: str | None = None) -> Api:
        return Api(self.base_url, token)


async def _mark_set_up(live: LiveServer) -> None:
    from agora.domain import site_settings

    async with live.state.db.write() as session:
        await site_settings.mark_set_up(session, live.state.here)
    live.state.site_cache.invalidate()


def make_settings(database_url: str, port: int, tmp: Path, **overrides) -> Settings:
    values = {
        "database_url": database_url,
        "hostname": f"127.0.0.1:{port}",
        "media_dir": str(tmp / "media"),
        "rate_limits_enabled": False,
        "scheduler_enabled": False,
        **FAST_HASH,
        **overrides,
    }
    return Settings(**values)


class ServerFactory:
    """Starts servers with settings overrides (`factory(rate_limits_enabled=True)`) and stops them all at the end."""

    def __init__(self, databases: DatabaseFactory, tmp: Path) -> None:
        self.databases = databases
        self.tmp = tmp
        self.started: list[tuple[LiveServer, str]] = []

    def __call__(self, *, set_up: bool = True, **overrides) -> LiveServer:
        """`set_up`: the operator has made the site's admin already (README's second command), so whoever
        registers is a member; False for a fresh instance, where the first to register becomes its admin."""
        url = overrides.pop("database_url", None) or self.databases.new()
        port = free_port()
        live = LiveServer(make_settings(url, port, self.tmp, **overrides), port).start()
        self.started.append((live, url))
        if set_up:
            live.run(lambda: _mark_set_up(live))
        return live

    def close(self) -> None:
        for live, url in self.started:
            live.stop()
            self.databases.drop(url)


@pytest.fixture
def server_factory(databases, tmp_path):
    """Start servers with settings overrides: `server_factory(rate_limits_enabled=True)`."""
    factory = ServerFactory(databases, tmp_path)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def server_factory_module(databases, tmp_path_factory):
    """The same, for servers shared by a module's tests (read-mostly tables of checks)."""
    factory = ServerFactory(databases, tmp_path_factory.mktemp("module"))
    yield factory
    factory.close()


@pytest.fixture
def server(server_factory) -> LiveServer:
    return server_factory()


@pytest.fixture
def api(server) -> Api:
    return server.api()
