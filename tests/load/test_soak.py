"""A short soak in CI: the same loop as `python -m tests.load.soak`, bounded to a few seconds."""

import asyncio

from tests.conftest import free_port
from tests.load.soak import memory_growth, soak
from tests.support.process import ServedInstance


def test_short_soak_has_no_errors_and_flat_memory(databases, tmp_path, record_property):
    url = databases.new()
    server = ServedInstance(url, free_port(), tmp_path).start()
    try:
        tally = asyncio.run(soak(server.base_url, server.proc.pid, members=60, duration=20, seed=7))
    finally:
        server.kill()
        databases.drop(url)
    record_property(
        "soak",
        {"requests": tally.requests, "errors": len(tally.errors), "rss_growth": round(memory_growth(tally.rss_kib), 3)},
    )
    # Not a speed target (the machine may be busy): enough operations that errors and growth would show.
    assert tally.requests > 200
    assert tally.errors == []
    assert memory_growth(tally.rss_kib) < 0.25
