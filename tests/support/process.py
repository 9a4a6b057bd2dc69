"""`agora serve` as a real subprocess: what an admin runs, killable with real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.client import PASSWORD, Api

AGORA = str(Path(sys.executable).with_name("agora"))


class ServedInstance:
    def __init__(
        self, database_url: str, port: int, workdir: Path, *, workers: int = 1, set_up: bool = True, **env: str
    ) -> None:
        """`set_up`: on first start, make the operator's admin as the README says (`agora admin create`), so
        whoever registers afterwards is a member."""
        self.set_up = set_up
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.workers = workers
        self.workdir = workdir
        self.env = {
            **os.environ,
            "AGORA_DATABASE_URL": database_url,
            "AGORA_HOSTNAME": f"127.0.0.1:{port}",
            "AGORA_MEDIA_DIR": str(workdir / "media"),
            "AGORA_RATE_LIMITS_ENABLED": "0",
            "AGORA_ARGON2_TIME_COST": "1",
            "AGORA_ARGON2_MEMORY_KIB": "64",
            "AGORA_LOG_LEVEL": "warning",
            **env,
        }
        self.proc: subprocess.Popen | None = None
        self.log = workdir / f"serve-{port}.log"

    def start(self, timeout: float = 60) -> ServedInstance:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [AGORA, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"agora serve exited: {self.log.read_text()[-2000:]}")
            try:
                site = httpx.get(f"{self.base_url}/api/v3/site", timeout=2)
            except httpx.HTTPError:
                site = None
            if site is not None and site.status_code == 200:
                if self.set_up and not site.json()["site_view"]["local_site"]["site_setup"]:
                    self.create_operator()
                return self
            time.sleep(0.1)
        raise RuntimeError("agora serve did not become ready")

    def create_operator(self) -> None:
        subprocess.run(
            [AGORA, "admin", "create", "operator", "--password-stdin"],
            input=f"{PASSWORD}\n",
            env=self.env,
            cwd=self.workdir,
            check=True,
            capture_output=True,
            text=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown hooks, no flushes."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def api(self, token: str | None = None) -> Api:
        return Api(self.base_url, token)


@contextmanager
def served_on_one_database(
    databases, tmp: Path, free_port: Callable[[], int]
) -> Iterator[Callable[..., ServedInstance]]:
    """`start(**options)` serves another `agora serve` on one fresh database (a cluster's hosts, or one
    instance); all are stopped and the database dropped at the end."""
    url = databases.new()
    instances: list[ServedInstance] = []

    def start(**options) -> ServedInstance:
        instance = ServedInstance(url, free_port(), tmp, **options).start()
        instances.append(instance)
        return instance

    try:
        yield start
    finally:
        for instance in instances:
            instance.stop()
        databases.drop(url)
