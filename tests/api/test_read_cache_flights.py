"""Concurrent misses of one anonymous read build it once: the others await the first one's answer, unless a write
came between, or the answer cannot be shared."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from agora.api.read_cache import AnonymousReadCache


class _Route:
    """An ASGI app that counts its calls and answers only when released."""

    def __init__(self, status: int = 200) -> None:
        self.calls = 0
        self.status = status
        self.release = asyncio.Event()

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        number = self.calls
        await self.release.wait()
        await send({"type": "http.response.start", "status": self.status, "headers": [(b"x-call", b"%d" % number)]})
        await send({"type": "http.response.body", "body": b"answer %d" % number})


def _scope(database) -> dict:
    state = SimpleNamespace(agora=SimpleNamespace(db=database, settings=SimpleNamespace(rate_limits_enabled=False)))
    return {
        "type": "http",
        "method": "GET",
        "path": "/api/v3/post/list",
        "query_string": b"sort=Hot",
        "headers": [],
        "app": SimpleNamespace(state=state),
    }


async def _ask(cache: AnonymousReadCache, database) -> tuple[int, bytes]:
    sent: list[dict] = []

    async def send(message) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    await cache(_scope(database), receive, send)
    return sent[0]["status"], sent[1]["body"]


async def _many(cache, database, route, count: int) -> list[tuple[int, bytes]]:
    asks = [asyncio.create_task(_ask(cache, database)) for _ in range(count)]
    await asyncio.sleep(0.01)
    route.release.set()
    return await asyncio.gather(*asks)


def test_eight_concurrent_misses_build_the_answer_once():
    async def scenario():
        route = _Route()
        cache = AnonymousReadCache(route, ttl=60)
        answers = await _many(cache, SimpleNamespace(commits=0), route, 8)
        assert route.calls == 1
        assert answers == [(200, b"answer 1")] * 8
        assert await _ask(cache, SimpleNamespace(commits=0)) == (200, b"answer 1")

    asyncio.run(scenario())


def test_a_reader_after_a_write_does_not_await_an_answer_begun_before_it():
    async def scenario():
        route = _Route()
        cache = AnonymousReadCache(route, ttl=60)
        database = SimpleNamespace(commits=0)
        first = asyncio.create_task(_ask(cache, database))
        await asyncio.sleep(0.01)
        database.commits = 1
        second = asyncio.create_task(_ask(cache, database))
        await asyncio.sleep(0.01)
        route.release.set()
        assert await asyncio.gather(first, second) == [(200, b"answer 1"), (200, b"answer 2")]
        assert route.calls == 2

    asyncio.run(scenario())


def test_an_answer_that_cannot_be_kept_is_built_by_each_reader():
    async def scenario():
        route = _Route(status=404)
        cache = AnonymousReadCache(route, ttl=60)
        answers = await _many(cache, SimpleNamespace(commits=0), route, 4)
        assert route.calls == 4
        assert sorted(answers) == [(404, b"answer %d" % n) for n in range(1, 5)]
        assert cache.size == (0, 0)

    asyncio.run(scenario())


def test_a_failing_first_reader_leaves_the_others_to_build_their_own():
    class _Failing(_Route):
        async def __call__(self, scope, receive, send) -> None:
            if self.calls == 0:
                self.calls += 1
                await self.release.wait()
                raise RuntimeError("the database went away")
            await super().__call__(scope, receive, send)

    async def scenario():
        route = _Failing()
        cache = AnonymousReadCache(route, ttl=60)
        asks = [asyncio.create_task(_ask(cache, SimpleNamespace(commits=0))) for _ in range(3)]
        await asyncio.sleep(0.01)
        route.release.set()
        results = await asyncio.gather(*asks, return_exceptions=True)
        assert isinstance(results[0], RuntimeError)
        assert sorted(results[1:]) == [(200, b"answer 2"), (200, b"answer 3")]

    asyncio.run(scenario())
