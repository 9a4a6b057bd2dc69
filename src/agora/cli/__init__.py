"""The `agora` command: thin wiring from arguments and AGORA_* variables to the app, migrations and domain."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from typing import Annotated

import typer

from agora.cli import common, serving
from agora.cli.admin import admin_app
from agora.cli.bench import bench_app
from agora.cli.importing import import_app
from agora.config import SERVED_VERSION, Settings

ENV_HELP = """
Configuration comes from environment variables:

\b
  AGORA_DATABASE_URL   sqlite+aiosqlite:///PATH (default ./agora.db) or postgresql+asyncpg://user@host/db
  AGORA_HOSTNAME       public host[:port] that goes into every object's URL, fixed at first start (default:
                       what the database has, else localhost:PORT from `serve --port`)
  AGORA_HTTPS          1/0: public URLs use https (default: on unless the hostname is loopback)
  AGORA_MEDIA_DIR      where uploaded images are stored (default ./media)
  AGORA_ENVIRONMENT    development | production (production refuses unsafe settings)
  AGORA_FEDERATION_DEBUG  1 allows plain http and loopback peers (tests only)
  AGORA_DB_POOL_SIZE, AGORA_SQLITE_READERS, AGORA_RATE_LIMITS_ENABLED, AGORA_SCHEDULER_ENABLED,
  AGORA_RANK_REFRESH_SECONDS, AGORA_ARGON2_TIME_COST, AGORA_ARGON2_MEMORY_KIB, AGORA_LOG_LEVEL
  AGORA_LOG_FORMAT     text (default) | json: one JSON object per line, with each request's id
  AGORA_METRICS_TOKEN  bearer token that opens /metrics to other hosts than loopback (README: Operating)

\b
Secrets (JWT key, instance keys) are generated on first start and kept in the database.
"""

app = typer.Typer(
    name="agora",
    help=f"Agora, a federated link aggregator and forum (Lemmy API {SERVED_VERSION}).\n{ENV_HELP}",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(admin_app, name="admin")
app.add_typer(bench_app, name="bench")
app.add_typer(import_app, name="import")


@app.command()
def migrate() -> None:
    """Apply database migrations (a no-op when the schema is current).

    Refuses (exit 2) when AGORA_HOSTNAME names another hostname than the database was created with.
    """
    settings = common.settings_or_recorded()
    applied = common.migrate(settings)
    common.check_recorded_hostname(settings)
    typer.echo(f"applied {len(applied)} migration(s)" if applied else "database is up to date")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8536,
    workers: Annotated[int, typer.Option(help="server processes (use 2+ on PostgreSQL in production)")] = 1,
) -> None:
    """Migrate the database, then serve the whole instance (API, web UI, federation, jobs).

    The hostname goes into the URL of everything the instance makes, and the first start fixes it for good.
    Without AGORA_HOSTNAME it follows --host and --port (localhost:PORT for a loopback or any-address host), so
    `agora serve --port 9201` serves http://localhost:9201; a database first served under another hostname is
    refused with an explanation. Behind a proxy, set AGORA_HOSTNAME to the public host.
    """
    settings = common.load_settings()
    from_port = None
    if "hostname" not in settings.model_fields_set:
        from agora.config import served_hostname

        settings = common.load_settings(hostname=served_hostname(host, port))
        os.environ["AGORA_HOSTNAME"] = settings.hostname  # the server processes read their settings afresh
        from_port = port
    common.setup_logging(settings)
    if workers > 1 and settings.is_sqlite:
        typer.echo("agora: --workers > 1 needs PostgreSQL; SQLite serves from one process", err=True)
        raise typer.Exit(2)
    common.migrate(settings, quiet=True)
    common.check_hostname(settings, from_port=from_port)
    _first_run_hint(settings)
    _serve(settings, host, port, workers)


def _first_run_hint(settings: Settings) -> None:
    from agora.domain.admins import admin_names

    if asyncio.run(admin_names(settings)):
        return
    typer.echo(
        f"Agora serves {settings.base_url}/ (open it in a browser). It has no administrator yet; make one from"
        " another shell:\n  echo 'a long password' | agora admin create NAME --password-stdin",
        err=True,
    )


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve (agora.cli.serving); with several workers, their metrics are kept in a folder this command makes and
    removes, which prometheus_client's multiprocess mode sums at each scrape (agora.core.metrics)."""
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        folder = tempfile.mkdtemp(prefix="agora-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder  # the workers, started after this, inherit it
        try:
            serving.serve(settings, host, port, workers)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    serving.serve(settings, host, port, workers)


@app.command()
def version() -> None:
    """Print the version (Lemmy API level + Agora release)."""
    typer.echo(SERVED_VERSION)


def main() -> None:
    app()
