"""What the hand-written baselines (bench/baseline_*.py) share: their Starlette app around a started pool, and
serving it with uvicorn's workers, which import the app by its module's name."""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

DATABASE_URL = "BASELINE_DATABASE_URL"  # how `serve` hands the database to the workers' `from_env`


class Baseline(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def app(baseline: Baseline, routes: list[Route]) -> Starlette:
    """`routes` served while `baseline` is started (its pool open)."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await baseline.start()
        yield
        await baseline.stop()

    return Starlette(routes=routes, lifespan=lifespan)


def serve(module: str, doc: str, port: int) -> None:
    """The command line of baseline `module` (bench/MODULE.py, whose `from_env` makes the app)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgresql://… of a seeded Agora database")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ[DATABASE_URL] = args.database_url
    uvicorn.run(f"{module}:from_env", factory=True, port=args.port, workers=args.workers, log_level="warning")
