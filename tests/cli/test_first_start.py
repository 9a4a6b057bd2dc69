"""The first hour of an operator: the hostname follows `serve --port`, the output says what to do next, and the
usual configuration mistakes are named precisely."""

import os
import subprocess
import time

import httpx
import pytest

from tests.cli.test_cli import AGORA
from tests.conftest import ENGINE, free_port


def run(*args, env=None, stdin=None, cwd=None) -> subprocess.CompletedProcess:
    """`agora` with exactly `env` (no AGORA_* of the test run's own leaks in)."""
    return subprocess.run(
        [AGORA, *args], input=stdin, capture_output=True, text=True, env=env or plain_env(), cwd=cwd, timeout=120
    )


def serve_until_answered(port: int, cwd, env) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen(
        [AGORA, "serve", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(150):
        try:
            return proc, httpx.get(f"http://127.0.0.1:{port}/api/v3/site", timeout=1).json()
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("server did not answer")


def stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    _out, err = proc.communicate(timeout=20)
    return err


def plain_env() -> dict:
    env = {**os.environ, "AGORA_ARGON2_MEMORY_KIB": "64", "AGORA_ARGON2_TIME_COST": "1"}
    for name in ("AGORA_DATABASE_URL", "AGORA_HOSTNAME"):
        env.pop(name, None)
    return env


def test_serve_on_another_port_names_itself_by_that_port_and_keeps_it(tmp_path):
    env = plain_env()
    port = free_port()
    proc, site = serve_until_answered(port, tmp_path, env)
    try:
        assert site["site_view"]["site"]["actor_id"] == f"http://localhost:{port}/"
    finally:
        err = stop(proc)
    assert f"http://localhost:{port}/" in err and "agora admin create" in err and "created a new database" in err
    assert "alembic" not in err and "SAWarning" not in err and "Traceback" not in err
    made = run("admin", "create", "boss", "--password-stdin", env=env, cwd=tmp_path, stdin="a long password\n")
    assert made.returncode == 0 and f"localhost:{port}" in made.stdout  # the database's hostname, not the default
    moved = run("serve", "--port", str(free_port()), env=env, cwd=tmp_path)
    assert moved.returncode == 2
    assert f"belongs to localhost:{port}" in moved.stderr and f"--port {port}" in moved.stderr
    proc, _site = serve_until_answered(port, tmp_path, env)
    assert "agora admin create" not in stop(proc)  # it has an admin now: no hint


def test_serve_help_explains_the_hostname():
    text = " ".join(run("serve", "--help").stdout.split())
    assert "AGORA_HOSTNAME" in text and "--port" in text and "localhost:PORT" in text


def test_migrate_checks_the_hostname_without_fixing_one(tmp_path):
    env = plain_env()
    assert run("migrate", env=env, cwd=tmp_path).returncode == 0
    port = free_port()
    proc, site = serve_until_answered(port, tmp_path, env)  # a migrated database has no hostname yet
    stop(proc)
    assert site["site_view"]["site"]["actor_id"] == f"http://localhost:{port}/"
    refused = run("migrate", env={**env, "AGORA_HOSTNAME": "forum.example"}, cwd=tmp_path)
    assert refused.returncode == 2 and f"AGORA_HOSTNAME=localhost:{port}" in refused.stderr
    assert run("migrate", env=env, cwd=tmp_path).returncode == 0


def test_a_mistyped_sqlite_directory_is_refused_and_a_new_file_is_named(tmp_path):
    env = {**plain_env(), "AGORA_DATABASE_URL": f"sqlite:///{tmp_path}/no-such-dir/agora.db"}
    refused = run("migrate", env=env)
    assert refused.returncode == 1 and f"{tmp_path}/no-such-dir does not exist" in refused.stderr
    assert not (tmp_path / "no-such-dir").exists()
    created = run("migrate", env={**env, "AGORA_DATABASE_URL": f"sqlite:///{tmp_path}/forum.db"})
    assert created.returncode == 0 and f"created a new database: {tmp_path}/forum.db" in created.stderr


def test_a_short_admin_password_states_the_rule(tmp_path):
    env = {**plain_env(), "AGORA_DATABASE_URL": f"sqlite:///{tmp_path}/forum.db"}
    short = run("admin", "create", "boss", "--password-stdin", env=env, stdin="short\n")
    assert short.returncode == 1 and "10 to 60 characters" in short.stderr


def test_an_unknown_database_scheme_is_named(tmp_path):
    refused = run("migrate", env={**plain_env(), "AGORA_DATABASE_URL": "mysql://me@localhost/forum"})
    assert refused.returncode == 2 and "unknown database 'mysql'" in refused.stderr


@pytest.mark.skipif(ENGINE != "postgres", reason="needs the PostgreSQL server")
@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_urls_as_people_paste_them_are_accepted(scheme, databases):
    url = databases.new().replace("postgresql+asyncpg", scheme)
    result = run("migrate", env={**plain_env(), "AGORA_DATABASE_URL": url})
    assert result.returncode == 0 and "up to date" in result.stdout, result.stderr


def test_admin_commands_list_promote_demote_and_reset_a_password(tmp_path):
    env = {**plain_env(), "AGORA_DATABASE_URL": f"sqlite:///{tmp_path}/forum.db"}
    assert run("admin", "create", "boss", "--password-stdin", env=env, stdin="a long password\n").returncode == 0
    port = free_port()
    proc, _site = serve_until_answered(port, tmp_path, {**env, "AGORA_HOSTNAME": "localhost:8536"})
    try:
        api = f"http://127.0.0.1:{port}/api/v3"
        body = {"username": "helper", "password": "helper password", "password_verify": "helper password"}
        assert httpx.post(f"{api}/user/register", json=body).status_code == 200
        assert run("admin", "promote", "helper", env=env).returncode == 0
        assert run("admin", "list", env=env).stdout.split() == ["boss", "helper"]
        assert run("admin", "demote", "boss", env=env).returncode == 0
        last = run("admin", "demote", "helper", env=env)
        assert last.returncode == 1 and "cannot_leave_admin" in last.stderr
        nobody = run("admin", "promote", "nobody", env=env)
        assert nobody.returncode == 1 and "no local account is called nobody" in nobody.stderr
        short = run("admin", "reset-password", "boss", "--password-stdin", env=env, stdin="short\n")
        assert short.returncode == 1 and "10 to 60 characters" in short.stderr
        reset = run("admin", "reset-password", "boss", "--password-stdin", env=env, stdin="a new long password\n")
        assert reset.returncode == 0
        login = {"username_or_email": "boss", "password": "a new long password"}
        assert httpx.post(f"{api}/user/login", json=login).status_code == 200
        old = httpx.post(f"{api}/user/login", json={**login, "password": "a long password"})
        assert old.status_code == 401
    finally:
        stop(proc)
