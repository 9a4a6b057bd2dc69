"""The `agora` command as an operator uses it: a real process, real exit codes."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

AGORA = str(Path(sys.executable).with_name("agora"))


def run(*args, env=None, stdin=None, cwd=None):
    return subprocess.run(
        [AGORA, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def sqlite_env(tmp_path):
    return {
        "AGORA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
        "AGORA_ARGON2_MEMORY_KIB": "64",
        "AGORA_ARGON2_TIME_COST": "1",
    }


def test_help_lists_commands_and_settings():
    result = run("--help")
    assert result.returncode == 0
    for word in ("serve", "migrate", "admin", "import", "AGORA_DATABASE_URL", "AGORA_HOSTNAME", "AGORA_MEDIA_DIR"):
        assert word in result.stdout
    for sub in (
        ["serve", "--help"],
        ["migrate", "--help"],
        ["admin", "create", "--help"],
        ["import", "lemmy", "--help"],
    ):
        assert run(*sub).returncode == 0


def test_migrate_twice_is_a_noop(sqlite_env):
    first = run("migrate", env=sqlite_env)
    assert first.returncode == 0 and "applied" in first.stdout
    second = run("migrate", env=sqlite_env)
    assert second.returncode == 0 and "up to date" in second.stdout


def test_admin_create_reads_password_from_stdin(sqlite_env):
    result = run("admin", "create", "root_admin", "--password-stdin", env=sqlite_env, stdin="a long password\n")
    assert result.returncode == 0, result.stderr
    again = run("admin", "create", "root_admin", "--password-stdin", env=sqlite_env, stdin="a long password\n")
    assert again.returncode == 1 and "user_already_exists" in again.stderr
    short = run("admin", "create", "other_admin", "--password-stdin", env=sqlite_env, stdin="short\n")
    assert short.returncode == 1 and "invalid_password" in short.stderr


def test_admin_create_without_stdin_flag_is_a_usage_error(sqlite_env):
    assert run("admin", "create", "someone", env=sqlite_env).returncode == 2


def test_bad_configuration_exits_2(sqlite_env):
    result = run("migrate", env={**sqlite_env, "AGORA_HOSTNAME": "https://with-scheme.example/"})
    assert result.returncode == 2 and "AGORA_HOSTNAME" in result.stderr


def test_production_refuses_debug_federation(sqlite_env):
    env = {
        **sqlite_env,
        "AGORA_ENVIRONMENT": "production",
        "AGORA_FEDERATION_DEBUG": "1",
        "AGORA_HOSTNAME": "x.example",
    }
    assert run("migrate", env=env).returncode == 2


def test_serve_on_default_sqlite_file_answers(tmp_path):
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "AGORA_ARGON2_MEMORY_KIB": "64"}
    env.pop("AGORA_DATABASE_URL", None)
    proc = subprocess.Popen([AGORA, "serve", "--port", str(port)], cwd=tmp_path, env=env)
    try:
        for _ in range(100):
            try:
                site = httpx.get(f"http://127.0.0.1:{port}/api/v3/site", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not answer")
        assert site["version"].startswith("0.19")
        assert (tmp_path / "agora.db").exists()
        nodeinfo = httpx.get(f"http://127.0.0.1:{port}/nodeinfo/2.0.json").json()
        assert nodeinfo["software"]["name"] == "agora" and nodeinfo["software"]["version"].startswith("0.19.")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_database_keeps_its_hostname(sqlite_env):
    first = {**sqlite_env, "AGORA_HOSTNAME": "forum.example"}
    assert run("admin", "create", "boss", "--password-stdin", env=first, stdin="a long password\n").returncode == 0
    moved = {**sqlite_env, "AGORA_HOSTNAME": "other.example"}
    result = run("admin", "create", "boss2", "--password-stdin", env=moved, stdin="a long password\n")
    assert result.returncode == 2 and "AGORA_HOSTNAME=forum.example" in result.stderr
    served = run("serve", "--port", "1", env=moved)
    assert served.returncode == 2 and "belongs to forum.example" in served.stderr


def test_bench_seed_into_a_log_prints_progress_lines(sqlite_env):
    result = run(
        "bench", "seed", "--posts", "30", "--comments", "200", "--communities", "3", "--persons", "20", env=sqlite_env
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("counting: ") and line.endswith("s left") for line in lines), result.stderr
    assert any(" rows, " in line for line in lines), result.stderr  # the writing phase, as a line of its own
    assert "posts=30" in result.stdout and "comments=200" in result.stdout
    again = run("bench", "seed", "--posts", "30", env=sqlite_env)
    assert again.returncode == 1 and "already has" in again.stderr


SEARCH_TRIGGERS = {f"{table}_fts_{event}" for table in ("post", "comment") for event in ("insert", "delete", "update")}


def _triggers(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def test_search_stays_in_step_whatever_order_the_migrations_ran_in(sqlite_env, tmp_path):
    """Alembic applies Agora's independent migration branches in an order that follows the process's hash seed: in
    every order, SQLite keeps the triggers that feed the post and comment search indexes."""
    for seed in range(8):
        db = tmp_path / f"seed{seed}.db"
        env = {**sqlite_env, "AGORA_DATABASE_URL": f"sqlite+aiosqlite:///{db}", "PYTHONHASHSEED": str(seed)}
        result = run("migrate", env=env)
        assert result.returncode == 0, result.stderr
        assert _triggers(db) >= SEARCH_TRIGGERS, f"hash seed {seed}"
