"""Schemathesis over every operation of Agora's OpenAPI document, anonymously and as a logged-in member.

Checks: no server error (5xx) and every response matches its own declared schema.

    python -m tests.hostile.fuzz --examples 200                 # starts its own server on a throw-away SQLite file
    python -m tests.hostile.fuzz --url http://127.0.0.1:8536    # against a running instance (use a test one)

Routes that end the member's session (logout, password change, account deletion, leaving admin) are left out of
the logged-in run so the token stays valid throughout; the anonymous run covers them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SESSION_ENDERS = r"(logout|delete_account|change_password|leave_admin|password_change)"
PASSWORD = "correct horse battery"


def _st() -> str:
    found = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    if not found:
        raise SystemExit("schemathesis (st) is not installed: pip install -e '.[test]'")
    return found


def member_token(base_url: str, name: str = "fuzzer") -> str:
    body = {"username": name, "password": PASSWORD, "password_verify": PASSWORD}
    response = httpx.post(f"{base_url}/api/v3/user/register", json=body, timeout=30)
    if response.status_code != 200:
        response = httpx.post(
            f"{base_url}/api/v3/user/login", json={"username_or_email": name, "password": PASSWORD}, timeout=30
        )
    response.raise_for_status()
    return response.json()["jwt"]


def run(base_url: str, *, examples: int, token: str | None, seed: int | None = None) -> subprocess.CompletedProcess:
    command = [
        _st(),
        "run",
        f"{base_url}/api/v3/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        str(examples),
        "--phases",
        "coverage,fuzzing",
        "--suppress-health-check",
        "all",
        "--continue-on-failure",
        "--no-color",
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    if token:
        command += ["--header", f"Authorization: Bearer {token}", "--exclude-path-regex", SESSION_ENDERS]
    return subprocess.run(command, capture_output=True, text=True, timeout=3600)


def _serve(tmp: Path) -> tuple[subprocess.Popen, str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "AGORA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'fuzz.db'}",
        "AGORA_HOSTNAME": f"127.0.0.1:{port}",
        "AGORA_MEDIA_DIR": str(tmp / "media"),
        "AGORA_RATE_LIMITS_ENABLED": "0",
    }
    agora = shutil.which("agora", path=str(Path(sys.executable).parent)) or "agora"
    process = subprocess.Popen([agora, "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{base}/api/v3/site", timeout=1)
            return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=100, help="examples per operation and phase (default 100)")
    parser.add_argument("--url", help="base URL of a running test instance; default: start one")
    parser.add_argument("--seed", type=int, help="schemathesis seed, to reproduce a run")
    args = parser.parse_args()
    process = None
    with tempfile.TemporaryDirectory() as tmp:
        base = args.url
        if base is None:
            process, base = _serve(Path(tmp))
        try:
            failed = False
            for label, token in (("anonymous", None), ("member", member_token(base))):
                result = run(base, examples=args.examples, token=token, seed=args.seed)
                print(f"== {label}\n{result.stdout[-3000:]}")
                failed |= result.returncode != 0
            return 1 if failed else 0
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
