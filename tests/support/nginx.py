"""Debian's nginx balancing across app hosts on loopback, from a config written into a private prefix: no root
needed, nothing installed, nothing of the system's nginx touched. Each answer names the host that gave it in
`X-Upstream`."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.client import Api

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")

CONFIG = """
worker_processes 1;  # one round-robin state, so consecutive requests go to consecutive hosts
events {{ worker_connections 256; }}
http {{
    log_format upstream '$request $status $upstream_addr';
    access_log access.log upstream;
    client_body_temp_path temp/body;
    proxy_temp_path temp/proxy;
    fastcgi_temp_path temp/fastcgi;
    uwsgi_temp_path temp/uwsgi;
    scgi_temp_path temp/scgi;

    upstream agora {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 12m;
        location / {{
            proxy_pass http://agora;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@dataclass
class Balancer:
    port: int
    prefix: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hostname(self) -> str:
        return f"127.0.0.1:{self.port}"

    def api(self, token: str | None = None) -> Api:
        return Api(self.base_url, token)


def config(port: int, upstream_ports: list[int]) -> str:
    """Round robin across the hosts; a host that refuses a connection or times out is skipped for 30 s and the
    request tried on the next (`max_fails`, `proxy_next_upstream`)."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in upstream_ports)
    return CONFIG.format(port=port, servers=servers)


@contextmanager
def running_nginx(port: int, upstream_ports: list[int]) -> Iterator[Balancer]:
    """nginx in the foreground on `port` for as long as the block runs. Its prefix lives under the system temp
    dir, which nginx's workers (nobody, when started as root) can reach."""
    assert NGINX, "nginx is not installed"
    prefix = Path(tempfile.mkdtemp(prefix="agora-nginx-"))
    os.chmod(prefix, 0o755)
    (prefix / "temp").mkdir(mode=0o755)
    conf = prefix / "nginx.conf"
    conf.write_text(config(port, upstream_ports))
    directives = f"daemon off; pid {prefix}/nginx.pid; error_log {prefix}/error.log;"
    with open(prefix / "stderr.log", "ab") as log:
        proc = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf), "-g", directives],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_listening(proc, port, prefix)
        yield Balancer(port, prefix)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGQUIT)  # graceful: finish requests, then exit
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        shutil.rmtree(prefix, ignore_errors=True)


def _wait_listening(proc: subprocess.Popen, port: int, prefix: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            errors = "".join(p.read_text() for p in (prefix / "stderr.log", prefix / "error.log") if p.exists())
            raise RuntimeError(f"nginx exited: {errors[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start listening")
