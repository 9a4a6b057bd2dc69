"""`agora admin …`: administrator accounts, passwords, and the recount of stored counts."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Coroutine
from typing import Annotated, Any

import typer

from agora.cli import common

admin_app = typer.Typer(help="Manage administrator accounts; verify and repair counts.", no_args_is_help=True)


PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")]


def _password(password_stdin: bool) -> str:
    """The password on stdin's first line; exit 2 without --password-stdin (a password never goes in argv)."""
    if not password_stdin:
        typer.echo("agora: give the password on stdin with --password-stdin", err=True)
        raise typer.Exit(2)
    return sys.stdin.readline().rstrip("\r\n")


@admin_app.command("create")
def admin_create(
    name: Annotated[str, typer.Argument(help="account name (3-20 of A-Z a-z 0-9 _)")],
    password_stdin: PasswordStdin = False,
    email: Annotated[str | None, typer.Option(help="email address")] = None,
) -> None:
    """Create a local administrator account, usable at once."""
    password = _password(password_stdin)
    settings = common.settings_or_recorded()
    common.migrate(settings, quiet=True)
    from agora.domain.admins import create_admin
    from agora.errors import AgoraError

    common.check_hostname(settings)
    try:
        person_id = asyncio.run(create_admin(settings, name=name, password=password, email=email))
    except AgoraError as exc:
        detail = f" ({exc.message})" if exc.message and exc.message != exc.code.value else ""
        typer.echo(f"agora: cannot create admin: {exc.code.value}{detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created admin {name} (person {person_id}) on {settings.base_url}")


def _admin_step(step: Coroutine[Any, Any, Any]) -> None:
    """Run an admin command's domain step; a refusal is one line and exit code 1."""
    from agora.errors import AgoraError

    try:
        asyncio.run(step)
    except AgoraError as exc:
        step.close()
        detail = f" ({exc.message})" if exc.message and exc.message != exc.code.value else ""
        typer.echo(f"agora: {exc.code.value}{detail}", err=True)
        raise typer.Exit(1) from None


@admin_app.command("list")
def admin_list() -> None:
    """Print the names of the local administrators, one a line."""
    from agora.domain.admins import admin_names

    settings = common.settings_or_recorded()
    common.migrate(settings, quiet=True)
    for name in asyncio.run(admin_names(settings)):
        typer.echo(name)


@admin_app.command("promote")
def admin_promote(name: Annotated[str, typer.Argument(help="a local member's name")]) -> None:
    """Make a local member an administrator."""
    _set_admin(name, added=True)
    typer.echo(f"{name} is an admin")


@admin_app.command("demote")
def admin_demote(name: Annotated[str, typer.Argument(help="an administrator's name")]) -> None:
    """Take the admin role from someone (not from the last admin)."""
    _set_admin(name, added=False)
    typer.echo(f"{name} is no longer an admin")


def _set_admin(name: str, *, added: bool) -> None:
    from agora.domain.admins import set_admin_by_name

    settings = common.settings_or_recorded()
    common.migrate(settings, quiet=True)
    _admin_step(set_admin_by_name(settings, name=name, added=added))


@admin_app.command("reset-password")
def admin_reset_password(
    name: Annotated[str, typer.Argument(help="a local member's name")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a member's password (10 to 60 characters, read from stdin); their sessions end."""
    from agora.domain.admins import reset_password

    password = _password(password_stdin)
    settings = common.settings_or_recorded()
    common.migrate(settings, quiet=True)
    _admin_step(reset_password(settings, name=name, password=password))
    typer.echo(f"the password of {name} is set; their sessions have ended")


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

    settings = common.settings_or_recorded()
    common.migrate(settings, quiet=True, failed=("cannot open the database", 2))
    common.check_hostname(settings)
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
