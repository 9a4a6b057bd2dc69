"""Many small signed POSTs to many loopback hosts: httpx against aiohttp, in alternating rounds, reporting the client's
CPU time per request (robust on a busy machine) and wall time.

    python bench/delivery_clients.py --hosts 500 --per-host 4 --rounds 3

The peers are a minimal keep-alive HTTP/1.1 responder in a child process (one listening socket per host), so the
client's process does only the client's work. Each POST is signed as a delivery is (RSA-SHA256 over
(request-target) host date digest), and signing time is reported on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import time

import aiohttp
import httpx

from agora.federation import signatures

BODY = json.dumps({"type": "Announce", "object": {"type": "Create", "object": {"name": "x" * 400}}}).encode()
REPLY = b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n"


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            writer.write(REPLY)
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


def _farm(sockets: list[socket.socket]) -> None:
    async def serve() -> None:
        for sock in sockets:
            await asyncio.start_server(_answer, sock=sock)
        await asyncio.Event().wait()

    asyncio.run(serve())


async def _run(kind: str, urls: list[str], per_host: int, key: tuple[str, str]) -> tuple[float, float, float]:
    """(wall seconds, client CPU seconds, of which signing)."""
    signing = 0.0

    def headers(url: str) -> dict[str, str]:
        nonlocal signing
        started = time.process_time()
        signed = signatures.sign_headers("POST", url, BODY, "https://bench.example/u/a#main-key", key[0])
        signing += time.process_time() - started
        return {"Content-Type": "application/activity+json", **signed}

    if kind == "httpx":
        client = httpx.AsyncClient(limits=httpx.Limits(max_connections=len(urls), max_keepalive_connections=len(urls)))

        async def host(url: str) -> None:
            for _ in range(per_host):
                response = await client.post(url, content=BODY, headers=headers(url))
                assert response.status_code == 202

        close = client.aclose
    else:
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=len(urls), limit_per_host=1))

        async def host(url: str) -> None:
            for _ in range(per_host):
                async with session.post(url, data=BODY, headers=headers(url)) as response:
                    await response.read()
                    assert response.status == 202

        close = session.close
    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(host(url) for url in urls))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    await close()
    return wall, cpu, signing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sockets = []
    for _ in range(args.hosts):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        sockets.append(sock)
    urls = [f"http://127.0.0.1:{s.getsockname()[1]}/inbox" for s in sockets]
    farm = multiprocessing.Process(target=_farm, args=(sockets,), daemon=True)
    farm.start()
    key = signatures.generate_key_pair()
    requests = args.hosts * args.per_host
    results: dict[str, list[dict]] = {"httpx": [], "aiohttp": []}
    try:
        for _ in range(args.rounds):
            for kind in results:
                wall, cpu, signing = asyncio.run(_run(kind, urls, args.per_host, key))
                results[kind].append(
                    {
                        "per_second": round(requests / wall),
                        "cpu_ms_per_request": round(cpu * 1000 / requests, 3),
                        "signing_ms_per_request": round(signing * 1000 / requests, 3),
                    }
                )
    finally:
        farm.kill()
    print(json.dumps({"requests": requests, "load": os.getloadavg(), **results}))


if __name__ == "__main__":
    main()
