"""Failure counters in the store: shared by servers, no address stored, old rows deleted."""

from __future__ import annotations

import os

from sqlalchemy import insert, select

from gardien.auth import FailureThrottle, SourceKind, StoreCounters, address_source, key_source
from gardien.auth.shared import CLEANUP_BATCH
from gardien.auth.tables import auth_failures
from gardien.store import Store

SECRET = os.urandom(32)
NOW = 60 * 30_000_000.0


def counters(store: Store) -> StoreCounters:
    return StoreCounters(store.engine, lambda: SECRET)


def test_counts_by_window_and_the_window_before(store: Store) -> None:
    shared = counters(store)
    assert shared.add(["a", "b"], 120, 60) == {"a": (0, 1), "b": (0, 1)}
    assert shared.add(["a"], 120, 60) == {"a": (0, 2)}
    assert shared.add(["a", "b"], 180, 120) == {"a": (2, 1), "b": (1, 1)}
    assert shared.add(["b"], 300, 240) == {"b": (0, 1)}


def test_two_servers_share_one_budget(store: Store) -> None:
    """Two throttles on one store, as two processes would be: 3 + 3 failures > 5."""
    clock = lambda: NOW  # noqa: E731
    first = FailureThrottle(limit=5, counters=counters(store), clock=clock)
    second = FailureThrottle(limit=5, counters=counters(store), clock=clock)
    address = address_source("203.0.113.5")
    results = [
        throttle.record_failure(address, key_source("AbCdEfGh"))
        for throttle in (first, second, first, second, first, second)
    ]
    assert results[:5] == [None] * 5
    refusal = results[5]
    assert refusal is not None and refusal.source.kind is SourceKind.ADDRESS
    # The first server learns it from the table on its next failure.
    assert first.record_failure(address) is not None


def test_no_address_is_stored(store: Store) -> None:
    shared = counters(store)
    shared.add([str(address_source("203.0.113.77")), str(key_source("AbCdEfGh"))], 120, 60)
    with store.engine.connect() as conn:
        names = conn.execute(select(auth_failures.c.source)).scalars().all()
    assert len(names) == 2
    assert all("203.0.113" not in name and "AbCdEfGh" not in name for name in names)
    other = StoreCounters(store.engine, lambda: os.urandom(32))
    assert other.add([str(key_source("AbCdEfGh"))], 120, 60) == {"key:AbCdEfGh": (0, 1)}, (
        "another secret names another row"
    )


def test_old_windows_are_deleted_by_writes_a_batch_at_a_time(store: Store) -> None:
    old = 3 * CLEANUP_BATCH - 10
    with store.engine.begin() as conn:
        conn.execute(
            insert(auth_failures),
            [
                {"source": f"old{n}", "window_start": 60 * (n % 5), "failures": 7}
                for n in range(old)
            ],
        )
    shared = counters(store)
    shared.add(["x"], 6000, 5940)
    assert shared.rows() == old + 1 - CLEANUP_BATCH
    shared.add(["x"], 6000, 5940)
    shared.add(["y"], 6000, 5940)
    assert shared.rows() == 2
    # The window before the current one is kept: it still counts.
    shared.add(["z"], 6060, 6000)
    assert shared.rows() == 3
