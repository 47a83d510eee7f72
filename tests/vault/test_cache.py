"""The in-memory cache of data keys: bounded in size and in time."""

from __future__ import annotations

import pytest

from gardien.vault.keys import KeyCache


def test_least_recently_used_goes_first() -> None:
    cache = KeyCache(max_size=2, ttl_seconds=60)
    cache.put("a", b"1")
    cache.put("b", b"2")
    assert cache.get("a") == b"1"  # a is now the most recent
    cache.put("c", b"3")
    assert cache.get("b") is None and cache.get("a") == b"1" and cache.get("c") == b"3"
    assert len(cache) == 2


def test_entries_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("gardien.vault.keys.time.monotonic", lambda: now[0])
    cache = KeyCache(max_size=10, ttl_seconds=5)
    cache.put("a", b"1")
    now[0] += 4.9
    assert cache.get("a") == b"1"
    now[0] += 0.2
    assert cache.get("a") is None and len(cache) == 0


def test_evict_and_disabled_cache() -> None:
    cache = KeyCache(max_size=4, ttl_seconds=60)
    cache.put("a", b"1")
    cache.evict("a")
    cache.evict("never-there")
    assert cache.get("a") is None
    off = KeyCache(max_size=0, ttl_seconds=60)
    off.put("a", b"1")
    assert off.get("a") is None
    assert "b'1'" not in repr(cache)
    with pytest.raises(ValueError, match="negative"):
        KeyCache(max_size=-1, ttl_seconds=1)
