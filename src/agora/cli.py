"""The `agora` command: thin wiring from arguments and AGORA_* variables to the app, migrations and domain."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from typing import Annotated

import typer
from pydantic import ValidationError

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
admin_app = typer.Typer(help="Manage administrator accounts; verify and repair counts.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
bench_app = typer.Typer(help="Benchmark data (see bench/README.md).", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


def _load_settings(**overrides) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        typer.echo(f"agora: invalid configuration:\n{exc}", err=True)
        raise typer.Exit(2) from None


def _settings() -> Settings:
    """The configuration; without AGORA_HOSTNAME, the hostname the database was first served under."""
    settings = _load_settings()
    if "hostname" in settings.model_fields_set:
        return settings
    from agora.domain.instance import recorded_hostname

    try:
        recorded = asyncio.run(recorded_hostname(settings))
    except Exception:  # unreachable or not yet a database: the command's own steps say what is wrong
        recorded = None
    return _load_settings(hostname=recorded) if recorded else settings


def _check_hostname(settings: Settings, *, from_port: int | None = None) -> None:
    """Bootstrap the instance, refusing a hostname other than the one the database was created with.
    `from_port`: the hostname was not set but made from `serve --port`, which the message then explains."""
    from agora.domain.instance import HostnameMismatch, prepare

    try:
        asyncio.run(prepare(settings))
    except HostnameMismatch as exc:
        if from_port is not None:
            owner = str(exc).split("belongs to ", 1)[1].split(";", 1)[0]
            typer.echo(
                f"agora: this database belongs to {owner}, but AGORA_HOSTNAME is not set, so serving on port"
                f" {from_port} would make it {settings.hostname}.\nAn instance's hostname is part of every URL it"
                f" has given out and cannot change: serve it as before (--port {owner.rsplit(':', 1)[-1]}), or set"
                f" AGORA_HOSTNAME={owner} when a proxy answers there.",
                err=True,
            )
        else:
            typer.echo(f"agora: {exc}", err=True)
        raise typer.Exit(2) from None


def _check_recorded_hostname(settings: Settings) -> None:
    """Compare AGORA_HOSTNAME with the database's without creating anything (for `agora migrate`)."""
    from agora.domain.instance import recorded_hostname

    recorded = asyncio.run(recorded_hostname(settings))
    if recorded is not None and recorded != settings.hostname:
        typer.echo(
            f"agora: this database belongs to {recorded}; set AGORA_HOSTNAME={recorded}"
            " (an instance's hostname cannot change)",
            err=True,
        )
        raise typer.Exit(2)


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # each migration's INFO line means nothing to an operator


def _migrate(settings: Settings, quiet: bool = False, failed: tuple[str, int] = ("migration failed", 1)) -> list[str]:
    """Apply pending migrations; a new SQLite file is named, a failure is one line and exit code 1."""
    from agora.db.migrate import sqlite_path, upgrade

    def step(rev: str) -> None:
        if not quiet:
            typer.echo(f"applying migration {rev}")

    new_file = sqlite_path(settings.database_url) if settings.is_sqlite else None
    if new_file is not None and new_file.exists():
        new_file = None
    try:
        applied = asyncio.run(upgrade(settings, on_step=step))
    except Exception as exc:
        typer.echo(f"agora: {failed[0]}: {exc}", err=True)
        raise typer.Exit(failed[1]) from None
    if new_file is not None:
        typer.echo(f"created a new database: {new_file}", err=True)
    return applied


@app.command()
def migrate() -> None:
    """Apply database migrations (a no-op when the schema is current).

    Refuses (exit 2) when AGORA_HOSTNAME names another hostname than the database was created with.
    """
    settings = _settings()
    applied = _migrate(settings)
    _check_recorded_hostname(settings)
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
    import uvicorn

    settings = _load_settings()
    from_port = None
    if "hostname" not in settings.model_fields_set:
        from agora.config import served_hostname

        settings = _load_settings(hostname=served_hostname(host, port))
        os.environ["AGORA_HOSTNAME"] = settings.hostname  # the server processes read their settings afresh
        from_port = port
    _setup_logging(settings.log_level)
    if workers > 1 and settings.is_sqlite:
        typer.echo("agora: --workers > 1 needs PostgreSQL; SQLite serves from one process", err=True)
        raise typer.Exit(2)
    _migrate(settings, quiet=True)
    _check_hostname(settings, from_port=from_port)
    _first_run_hint(settings)
    leftover = None
    if workers > 1:  # the workers tell each other which members changed (db.changes)
        from agora.db import changes

        shared, leftover = changes.create_shared_file()
        os.environ[changes.SHARED_FILE_ENV] = shared
    try:
        _run_uvicorn(uvicorn, settings, host, port, workers)
    finally:
        if leftover:
            os.unlink(leftover)


def _first_run_hint(settings: Settings) -> None:
    from agora.domain.admins import admin_names

    if asyncio.run(admin_names(settings)):
        return
    typer.echo(
        f"Agora serves {settings.base_url}/ (open it in a browser). It has no administrator yet; make one from"
        " another shell:\n  echo 'a long password' | agora admin create NAME --password-stdin",
        err=True,
    )


def _run_uvicorn(uvicorn, settings: Settings, host: str, port: int, workers: int) -> None:
    uvicorn.run(
        "agora.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
        server_header=False,
        timeout_graceful_shutdown=10,
        # Longer than the usual client and proxy idle times, so a reused keep-alive connection is not closed
        # under a request in flight (the race that shows as "server disconnected without a response").
        timeout_keep_alive=75,
    )


@admin_app.command("create")
def admin_create(
    name: Annotated[str, typer.Argument(help="account name (3-20 of A-Z a-z 0-9 _)")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
    email: Annotated[str | None, typer.Option(help="email address")] = None,
) -> None:
    """Create a local administrator account, usable at once."""
    if not password_stdin:
        typer.echo("agora: give the password on stdin with --password-stdin", err=True)
        raise typer.Exit(2)
    password = sys.stdin.readline().rstrip("\r\n")
    settings = _settings()
    _migrate(settings, quiet=True)
    from agora.domain.admins import create_admin
    from agora.errors import AgoraError

    _check_hostname(settings)
    try:
        person_id = asyncio.run(create_admin(settings, name=name, password=password, email=email))
    except AgoraError as exc:
        detail = f" ({exc.message})" if exc.message and exc.message != exc.code.value else ""
        typer.echo(f"agora: cannot create admin: {exc.code.value}{detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created admin {name} (person {person_id}) on {settings.base_url}")


@admin_app.command("recount")
def admin_recount(
    check: Annotated[bool, typer.Option("--check", help="compare only: change nothing; exit 1 if a count differs")] = (
        False
    ),
    batch: Annotated[int, typer.Option(min=100, max=1_000_000, help="ids per batch")] = 10_000,
) -> None:
    """Recount post, comment, person, community, site and poll counts from the rows; set those that differ.

    Each difference is printed as `table id column stored recounted`. With --check nothing is changed and the exit
    code is 1 when any count differs (0 when all agree); without it the differing rows are set and counted. Safe
    on a running instance. Exit code 2: bad configuration, or the database could not be read.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from agora.domain import aggregates, recounts

    settings = _settings()
    _migrate(settings, quiet=True, failed=("cannot open the database", 2))
    _check_hostname(settings)
    columns = (
        TextColumn("{task.description:<11}"),
        BarColumn(),
        TextColumn("{task.completed:>12,.0f} ids"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    began = time.monotonic()
    with Progress(*columns, console=Console(stderr=True)) as bar:
        tasks = {a.name: bar.add_task(a.name, total=None, start=False) for a in aggregates.AGGREGATES}

        def progress(table: str, done: int, total: int) -> None:
            bar.start_task(tasks[table])
            bar.update(tasks[table], completed=done, total=total)

        def found(m: recounts.Mismatch) -> None:
            typer.echo(f"{m.table} {m.row_id} {m.column} {m.stored} {m.recounted}")

        try:
            tally = asyncio.run(
                recounts.run(settings, repair_counts=not check, batch_size=batch, progress=progress, found=found)
            )
        except Exception as exc:
            typer.echo(f"agora: recount failed: {exc}", err=True)
            raise typer.Exit(2) from None
    seconds = time.monotonic() - began
    differing = sum(tally.mismatches.values())
    per_table = ", ".join(f"{name} {n:,}" for name, n in tally.rows.items() if n)
    if not differing:
        typer.echo(f"all counts agree ({seconds:.1f}s)")
    elif check:
        typer.echo(f"{differing:,} count(s) differ on {sum(tally.rows.values()):,} row(s): {per_table}")
        raise typer.Exit(1)
    else:
        changed = ", ".join(f"{name} {n:,}" for name, n in tally.changed.items() if n)
        typer.echo(
            f"repaired {sum(tally.changed.values()):,} row(s) ({changed or 'none left to change'}) in {seconds:.1f}s"
        )


@app.command()
def version() -> None:
    """Print the version (Lemmy API level + Agora release)."""
    typer.echo(SERVED_VERSION)


def main() -> None:
    app()


@bench_app.command("seed")
def bench_seed(
    size: Annotated[str, typer.Option(help="preset: small (10k posts), medium (100k), large (1M)")] = "small",
    posts: Annotated[int | None, typer.Option(min=1, help="posts (overrides the preset)")] = None,
    comments: Annotated[int | None, typer.Option(min=0, help="comments")] = None,
    communities: Annotated[int | None, typer.Option(min=1, help="communities")] = None,
    persons: Annotated[int | None, typer.Option(min=1, help="people (the first 1,000 can log in)")] = None,
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same data")] = 1,
) -> None:
    """Fill an empty database (AGORA_DATABASE_URL) with a realistic instance's worth of content."""
    from dataclasses import replace

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from agora.bench import seed as seeding

    if size not in seeding.PRESETS:
        typer.echo(f"agora: unknown size {size!r}; pick one of {', '.join(seeding.PRESETS)}", err=True)
        raise typer.Exit(2)
    sizes = replace(seeding.PRESETS[size], seed=seed)
    for name, value in (("posts", posts), ("comments", comments), ("communities", communities), ("persons", persons)):
        if value is not None:
            setattr(sizes, name, value)
    settings = _settings()
    _migrate(settings, quiet=True)
    _check_hostname(settings)
    if asyncio.run(seeding.has_content(settings)):
        typer.echo("agora: the database already has people or posts; seed an empty one", err=True)
        raise typer.Exit(1)
    columns = (
        TextColumn("{task.description:<14}"),
        BarColumn(),
        TextColumn("{task.completed:>12,.0f} {task.fields[unit]}"),
        TextColumn("{task.fields[rate]:>9}/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns) as bar:
        # First every post's events are drawn and counted, then every row is written (see agora.bench.seed).
        counting = bar.add_task("counting", total=sizes.posts, rate="-", unit="posts")
        writing = bar.add_task("writing", total=seeding.total_rows(sizes), rate="-", unit="rows", start=False)
        started = {counting: time.monotonic()}
        logged = {"at": time.monotonic(), "task": None}  # a log or a pipe gets lines instead of a bar

        def progress(phase: str, count: int) -> None:
            if phase == "total":
                bar.update(writing, total=count)
                bar.start_task(writing)
                started[writing] = time.monotonic()
                return
            task = counting if phase == "counting" else writing
            done = bar.tasks[task].completed + count
            rate = done / max(time.monotonic() - started[task], 1e-6)
            description = phase if task == writing else "counting"
            bar.update(task, advance=count, description=description, rate=f"{rate:,.0f}")
            if not bar.console.is_terminal and (task != logged["task"] or time.monotonic() - logged["at"] >= 10):
                logged.update(at=time.monotonic(), task=task)
                total = bar.tasks[task].total or done
                left = (total - done) / rate if rate else 0
                unit = bar.tasks[task].fields["unit"]
                typer.echo(
                    f"{description}: {done:,.0f}/{total:,.0f} {unit}, {rate:,.0f}/s, about {left:,.0f}s left", err=True
                )

        began = time.monotonic()
        written = asyncio.run(seeding.seed(settings, sizes, progress))
    typer.echo(" ".join(f"{k}={v:,}" for k, v in written.items()) + f" in {time.monotonic() - began:.1f}s")
