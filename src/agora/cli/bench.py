"""`agora bench seed`: fill an empty database with a realistic instance's worth of content."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any

import typer

from agora.cli import common

bench_app = typer.Typer(help="Benchmark data (see bench/README.md).", no_args_is_help=True)


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
    settings = common.settings_or_recorded()
    common.migrate(settings, quiet=True)
    common.check_hostname(settings)
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
        logged: dict[str, Any] = {"at": time.monotonic(), "task": None}  # a log or a pipe gets lines, not a bar

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
