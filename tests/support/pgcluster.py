"""A private PostgreSQL cluster for tests that stop and restart the database server (never the shared one), and a
streaming standby of one (`standby_of`) for tests of read replicas."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} not found")
    return found[-1]


def _as_postgres(*args: str) -> subprocess.CompletedProcess:
    command = list(args)
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)


class PrivateCluster:
    """Lives in its own directory under the system temp dir, which the postgres user can reach (pytest's tmp_path
    is private to root)."""

    def __init__(self, port: int) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="agora-pg-"))
        self.dir = self.base / "pgdata"
        self.port = port
        self.socket_dir = self.base / "pgsock"

    def init(self) -> PrivateCluster:
        os.chmod(self.base, 0o755)
        self.dir.mkdir()
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            for path in (self.base, self.dir, self.socket_dir):
                shutil.chown(path, "postgres")
        _as_postgres(_bin("initdb"), "-D", str(self.dir), "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def standby_of(self, primary: PrivateCluster) -> PrivateCluster:
        """Make this (not yet initialised) cluster a streaming standby of the running `primary`: a base backup
        that writes its own primary_conninfo and standby.signal (-R), after an immediate checkpoint (`-c fast`:
        the default spreads it over minutes)."""
        os.chmod(self.base, 0o755)
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            for path in (self.base, self.socket_dir):
                shutil.chown(path, "postgres")
        address = ("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres")
        _as_postgres(
            _bin("pg_basebackup"), *address, "-D", str(self.dir), "-R", "-X", "stream", "-c", "fast", "--no-sync"
        )
        return self

    def sql(self, statement: str, database: str = "postgres") -> str:
        """One statement through psql; its first row's values, `|`-separated."""
        address = ("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database)
        done = _as_postgres(_bin("psql"), *address, "-XAtq", "-c", statement)
        return done.stdout.strip()

    def start(self, settings: dict[str, str] | None = None) -> None:
        """Start it; `settings` are server settings over the defaults here (fsync off: nothing here must survive a
        crash of the machine)."""
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c wal_level=replica"
        options += "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
        log = str(self.base / "postgres.log")  # the server must not inherit our pipes
        _as_postgres(_bin("pg_ctl"), "-D", str(self.dir), "-l", log, "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        _as_postgres(_bin("pg_ctl"), "-D", str(self.dir), "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        subprocess.run(
            [_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ok = subprocess.run([_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)], capture_output=True)
            if ok.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError("private PostgreSQL did not start")


@contextlib.contextmanager
def primary_with_standby(
    database: str, settings: dict[str, str] | None = None
) -> Iterator[tuple[PrivateCluster, PrivateCluster]]:
    """A private primary holding an empty `database` and a streaming standby of it, both running with `settings`
    (see `PrivateCluster.start`); stopped and removed at the end (either may have been stopped already by then)."""
    primary = PrivateCluster(free_port()).init()
    primary.start(settings)
    standby = PrivateCluster(free_port())
    try:
        primary.create_database(database)
        standby.standby_of(primary).start(settings)
        standby.wait_ready()
        yield primary, standby
    finally:
        for cluster in (standby, primary):
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.stop("immediate")
            cluster.remove()
