"""One command per benchmark run: make the database if it is missing, seed it once, measure, save the table.

    .venv/bin/python bench/suite.py large-pg            # small-pg | medium-pg | large-pg | medium-sqlite
    .venv/bin/python bench/suite.py medium-pg --duration 10   # anything after the name goes to bench/run.py

PostgreSQL databases are `agora_bench_SIZE` on AGORA_BENCH_PG (default postgresql://postgres@127.0.0.1:5432, a
role that may create databases); SQLite files are bench/data/SIZE.db. A database that already holds a seeded
instance is measured as it is, so a second run skips the seeding. Results go to bench/results/NAME.json.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
RUNS = {"small-pg", "medium-pg", "large-pg", "medium-sqlite", "small-sqlite", "large-sqlite"}
# The settings README.md tells an admin to give PostgreSQL for an instance this size (bench/README.md says why).
RECOMMENDED = {"max_wal_size": "8GB", "checkpoint_timeout": "15min", "wal_compression": "on"}


async def _postgres(admin: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{admin}/postgres")
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
        for setting, wanted in RECOMMENDED.items():
            current = await conn.fetchval(f"SHOW {setting}")
            if current != wanted and not (setting == "wal_compression" and current != "off"):  # on = pglz
                print(f"note: PostgreSQL has {setting} = {current}; README.md recommends {wanted}", flush=True)
    finally:
        await conn.close()


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in RUNS:
        print(__doc__)
        return 2
    name, extra = sys.argv[1], sys.argv[2:]
    size, engine = name.rsplit("-", 1)
    if engine == "pg":
        admin = os.environ.get("AGORA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
        asyncio.run(_postgres(admin, f"agora_bench_{size}"))
        url = admin.replace("postgresql://", "postgresql+asyncpg://", 1) + f"/agora_bench_{size}"
    else:
        (ROOT / "data").mkdir(exist_ok=True)
        url = f"sqlite+aiosqlite:///{ROOT / 'data' / f'{size}.db'}"
    env = {**os.environ, "AGORA_DATABASE_URL": url}
    if subprocess.run([str(BIN / "agora"), "migrate"], env=env).returncode:
        return 1
    from agora.bench.seed import has_content
    from agora.config import Settings

    if asyncio.run(has_content(Settings(database_url=url))):
        print(f"{url}: already seeded, measuring it as it is", flush=True)
    elif subprocess.run([str(BIN / "agora"), "bench", "seed", "--size", size], env=env).returncode:
        return 1
    return subprocess.run([sys.executable, str(ROOT / "run.py"), "--label", name, *extra], env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
