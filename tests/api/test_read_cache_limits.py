"""The anonymous read cache's memory stays bounded: expired entries go first, then the oldest, by count and bytes."""

import time

from agora.api.read_cache import AnonymousReadCache, _Entry


def _entry(size: int, expires_in: float = 60.0) -> _Entry:
    return _Entry(time.monotonic() + expires_in, 0, [], b"x" * size, None)


def test_expired_entries_are_dropped_when_a_new_one_is_kept():
    cache = AnonymousReadCache(None, ttl=1, max_entries=100, max_bytes=10_000)
    cache._keep(b"old", _entry(100, expires_in=-1))
    cache._keep(b"new", _entry(200))
    assert cache.size == (1, 200)


def test_the_byte_budget_drops_the_oldest_entries():
    cache = AnonymousReadCache(None, ttl=1, max_entries=100, max_bytes=1_000)
    for n in range(5):
        cache._keep(f"k{n}".encode(), _entry(300))
    assert cache.size == (3, 900)
    assert list(cache._entries) == [b"k2", b"k3", b"k4"]


def test_the_entry_count_is_capped_and_an_oversized_body_is_not_kept():
    cache = AnonymousReadCache(None, ttl=1, max_entries=2, max_bytes=1_000)
    for n in range(3):
        cache._keep(f"k{n}".encode(), _entry(10))
    assert list(cache._entries) == [b"k1", b"k2"]
    cache._keep(b"huge", _entry(2_000))
    assert cache.size == (2, 20)


def test_keeping_a_key_again_replaces_it_and_its_bytes():
    cache = AnonymousReadCache(None, ttl=1, max_entries=10, max_bytes=1_000)
    cache._keep(b"k", _entry(400))
    cache._keep(b"k", _entry(500))
    assert cache.size == (1, 500)
