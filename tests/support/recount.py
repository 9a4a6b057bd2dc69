"""`agora admin recount` as an operator runs it: a real process against a test's database."""

from __future__ import annotations

import os
import subprocess

from tests.support.process import AGORA


def recount(database_url: str, hostname: str, *args: str) -> subprocess.CompletedProcess:
    """Run `agora admin recount ARGS` on the database of a running test server (its hostname, as served)."""
    env = {**os.environ, "AGORA_DATABASE_URL": database_url, "AGORA_HOSTNAME": hostname}
    return subprocess.run([AGORA, "admin", "recount", *args], capture_output=True, text=True, env=env, timeout=300)


def recount_live(server, *args: str) -> subprocess.CompletedProcess:
    """The same for an in-process LiveServer."""
    return recount(server.settings.database_url, server.settings.hostname, *args)


def assert_counts_agree(server_or_url, hostname: str | None = None) -> None:
    """`agora admin recount --check` finds every stored count equal to its recount (exit 0)."""
    if hostname is None:
        result = recount_live(server_or_url, "--check")
    else:
        result = recount(server_or_url, hostname, "--check")
    assert result.returncode == 0, f"recount --check exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
