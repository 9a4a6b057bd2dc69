"""Apply Alembic migrations to the configured database (used by `agora migrate` and `agora serve`).

Alembic is imported by the functions that use it: a server process needs it only for `/readyz`, and importing it
with the app would cost every worker its memory (docs/performance.md, "Memory per worker").
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SAWarning
from sqlalchemy.ext.asyncio import AsyncEngine

from agora.config import Settings
from agora.db.engine import open_admin_engine

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    """The migration scripts, read once a process (readiness asks on every probe)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


async def current_revisions(engine: AsyncEngine) -> tuple[str, ...]:
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads())


def pending_revisions(current: tuple[str, ...]) -> list[str]:
    """The revisions a database whose version table holds `current` has still to apply, oldest first.

    Everything not already below a current head: a revision that depends on other branches (`depends_on`) stands
    for them in the version table, so comparing `current` with the script's heads would call it behind."""
    script = _script()
    # iterate_revisions(heads, current) misses a new branch off the core once other branches are applied.
    applied = {rev.revision for rev in script.iterate_revisions(current, "base")} if current else set()
    pending = [rev.revision for rev in script.walk_revisions() if rev.revision not in applied]
    pending.reverse()
    return pending


async def upgrade(settings: Settings, *, on_step: Callable[[str], None] | None = None) -> list[str]:
    """Bring the schema to every head; returns the revisions applied (empty when already current).

    Each area (moderation, inbox, federation …) keeps its own branch of migrations off the core, so the script
    directory may have several heads; all of them are applied.
    """
    if settings.is_sqlite:
        _refuse_missing_sqlite_dir(settings.database_url)
    engine = open_admin_engine(settings)
    try:
        pending = pending_revisions(await current_revisions(engine))
        if not pending:
            return []

        def _run(connection: Connection) -> None:
            from alembic import command

            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            if on_step:
                for rev in pending:
                    on_step(rev)
            command.upgrade(cfg, "heads")

        # SQLAlchemy's note that SQLite's indexes on expressions are not reflected says nothing an operator can
        # act on (nor do Alembic's INFO lines, which the command line keeps quiet); the caller reports what ran.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
            async with engine.begin() as conn:
                await conn.run_sync(_run)
        return pending
    finally:
        await engine.dispose()


def sqlite_path(url: str) -> Path | None:
    """The file an SQLite URL names (None for an in-memory database)."""
    path = url.split(":///", 1)[-1].split("?", 1)[0]
    return None if not path or path == ":memory:" else Path(path).expanduser().resolve()


class MissingDirectory(ValueError):
    """AGORA_DATABASE_URL names an SQLite file in a directory that does not exist (most often a typo)."""


def _refuse_missing_sqlite_dir(url: str) -> None:
    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise MissingDirectory(
            f"AGORA_DATABASE_URL names {path}, but the directory {path.parent} does not exist;"
            " create it first (or correct the path)"
        )
