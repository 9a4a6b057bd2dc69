"""`agora import lemmy`: wiring from arguments to agora.importers, with progress bars and the closing report."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from agora.cli import common

if TYPE_CHECKING:
    from agora.importers.lemmy import Count, Report

import_app = typer.Typer(help="Bring another server's database into a new Agora database.", no_args_is_help=True)


class RowsPerSecond(ProgressColumn):
    """rows/s (rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f} rows/s" if task.speed else "", style="progress.data.speed")


class Bars:
    """One progress bar per table, with rows/s and the time left (an importers.lemmy.Watcher)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def table(self, name: str, total: int, done: int) -> None:
        self.tasks[name] = self.progress.add_task(name, total=total or None, completed=done)

    def rows(self, name: str, count: int) -> None:
        self.progress.advance(self.tasks[name], count)


@import_app.command("lemmy")
def import_lemmy(
    postgres_url: Annotated[str, typer.Argument(help="the Lemmy 0.19 database: postgresql://user@host/lemmy")],
    check: Annotated[
        bool, typer.Option("--check", help="only compare row counts per table (exit 1 if any differ)")
    ] = False,
    batch: Annotated[int, typer.Option(min=1, max=50_000, help="rows per transaction")] = 5000,
) -> None:
    """Import a Lemmy 0.19 instance (read only) into the configured, new Agora database (AGORA_DATABASE_URL).

    Ids, ActivityPub ids, key pairs, follows and password hashes are kept: remote servers keep delivering and
    verifying as before, and members log in with their old passwords. Run it again after an interruption: it
    continues where it stopped. AGORA_HOSTNAME must be the Lemmy instance's hostname. Exit codes: 0 done,
    1 failed (or --check found differences), 2 refused (usage, not a Lemmy database, target not new).
    """
    from agora.importers import lemmy

    settings = common.settings_or_recorded()
    console = Console(stderr=True)
    if check:
        with _exit_on_failure("the check"):
            found = asyncio.run(lemmy.counts(settings, postgres_url))
        raise typer.Exit(_print_counts(found))
    common.migrate(settings, quiet=True)
    columns = (
        TextColumn("{task.description:<26}"),
        BarColumn(),
        MofNCompleteColumn(),
        RowsPerSecond(),
        TimeRemainingColumn(),
    )
    with (
        _exit_on_failure("import", hint="\n(run the same command again to continue)"),
        Progress(*columns, console=console, refresh_per_second=4) as progress,
    ):
        report = asyncio.run(lemmy.run(settings, postgres_url, batch=batch, watcher=Bars(progress)))
    _print_report(report)


@contextmanager
def _exit_on_failure(what: str, hint: str = "") -> Iterator[None]:
    """A refusal (usage, not a Lemmy database, target not new) exits 2 and any other failure 1, said on stderr."""
    from agora.importers import lemmy

    try:
        yield
    except lemmy.ImportRefused as exc:
        typer.echo(f"agora: {exc}", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:
        typer.echo(f"agora: {what} failed: {exc}{hint}", err=True)
        raise typer.Exit(1) from None


def _print_counts(found: list[Count]) -> int:
    table = Table("Lemmy table", "Agora table", "in Lemmy", "skipped", "in Agora", "", box=box.SIMPLE)
    differ = 0
    for count in found:
        differ += not count.matches
        table.add_row(
            count.source,
            count.target,
            str(count.in_lemmy),
            str(count.skipped),
            str(count.in_agora),
            "ok" if count.matches else "DIFFERS",
        )
    Console().print(table)
    typer.echo(f"{len(found) - differ} of {len(found)} tables match")
    return 1 if differ else 0


def _print_report(report: Report) -> None:
    typer.echo(f"{'continued an earlier import; ' if report.resumed else ''}copied {sum(report.copied.values())} rows")
    for table, reasons in report.skipped.items():
        for reason, count in reasons.items():
            typer.echo(f"skipped {count} row(s) of {table}: {reason}")
    for tables, reason in report.not_copied.items():
        typer.echo(f"not copied: {tables}: {reason}")
    typer.echo(f"recounted {report.recounted} stored count(s); check with: agora import lemmy URL --check")
