"""What every `agora` command shares: settings (and the hostname a database keeps), logging, migrations."""

from __future__ import annotations

import asyncio
from typing import Any

import typer
from pydantic import ValidationError

from agora.config import Settings


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        typer.echo(f"agora: invalid configuration:\n{exc}", err=True)
        raise typer.Exit(2) from None


def settings_or_recorded() -> Settings:
    """The configuration; without AGORA_HOSTNAME, the hostname the database was first served under."""
    settings = load_settings()
    if "hostname" in settings.model_fields_set:
        return settings
    from agora.domain.instance import recorded_hostname

    try:
        recorded = asyncio.run(recorded_hostname(settings))
    except Exception:  # unreachable or not yet a database: the command's own steps say what is wrong
        recorded = None
    return load_settings(hostname=recorded) if recorded else settings


def check_hostname(settings: Settings, *, from_port: int | None = None) -> None:
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


def check_recorded_hostname(settings: Settings) -> None:
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


def setup_logging(settings: Settings) -> None:
    from agora.ops import logs

    logs.setup(settings.log_level, settings.log_format)


def migrate(settings: Settings, quiet: bool = False, failed: tuple[str, int] = ("migration failed", 1)) -> list[str]:
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
