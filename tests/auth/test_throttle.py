"""The failed-key throttle: budgets per address and per key prefix, honest Retry-After, bounded memory."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gardien.auth import (
    FailureThrottle,
    MemoryCounters,
    Source,
    SourceKind,
    address_source,
    key_source,
)
from gardien.auth.throttle import BoundedMap

ALICE = address_source("192.0.2.10")
BOB = address_source("192.0.2.11")


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_blocks_after_limit_then_recovers() -> None:
    clock = Clock()
    throttle = FailureThrottle(limit=3, clock=clock)
    assert [throttle.record_failure(ALICE) for _ in range(3)] == [None, None, None]
    refusal = throttle.record_failure(ALICE)
    assert refusal is not None and refusal.source == ALICE
    assert 0 < refusal.retry_after <= 2 * 60
    assert throttle.record_failure(BOB) is None, "another address has its own budget"
    clock.now += refusal.retry_after
    assert throttle.record_failure(ALICE) is None


def test_a_prefix_guessed_from_many_addresses_is_throttled() -> None:
    throttle = FailureThrottle(limit=3, clock=Clock())
    prefix = key_source("AbCdEfGh")
    results = [throttle.record_failure(address_source(f"198.51.100.{n}"), prefix) for n in range(5)]
    assert results[:3] == [None, None, None]
    assert [r.source.kind if r else None for r in results[3:]] == [SourceKind.KEY] * 2
    assert throttle.record_failure(address_source("198.51.100.99"), key_source("other123")) is None


def test_an_address_over_its_budget_creates_no_counters() -> None:
    counters = MemoryCounters()
    throttle = FailureThrottle(limit=2, counters=counters, clock=Clock())
    for n in range(2):
        throttle.record_failure(ALICE, key_source(f"prefix{n:02}"))
    assert throttle.record_failure(ALICE, key_source("prefix99")) is not None
    held = len(counters)
    for n in range(1000):
        assert throttle.record_failure(ALICE, key_source(f"p{n:07}")) is not None
    assert len(counters) == held


def test_ipv6_clients_count_by_their_64() -> None:
    one = address_source("2001:db8:1:2::1")
    assert one == address_source("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert one == Source(SourceKind.ADDRESS, "2001:db8:1:2::/64")
    assert one != address_source("2001:db8:1:3::1")
    assert address_source("::ffff:192.0.2.1") == address_source("192.0.2.1")
    assert len(address_source("x" * 500).name) <= 45


def test_failures_of_the_window_before_weigh_in_proportion() -> None:
    clock = Clock(60 * 1000)  # the start of a window
    throttle = FailureThrottle(limit=4, clock=clock)
    for _ in range(4):
        assert throttle.record_failure(ALICE) is None
    clock.now += 60 + 30  # half-way through the next window: 4 × ½ = 2 still count
    assert [throttle.record_failure(ALICE) is None for _ in range(3)] == [True, True, False]


@settings(max_examples=200, deadline=None)
@given(
    limit=st.integers(min_value=1, max_value=6),
    steps=st.lists(
        st.tuples(st.floats(min_value=0, max_value=90), st.booleans()), min_size=1, max_size=60
    ),
)
def test_budget_and_retry_after_hold(limit: int, steps: list[tuple[float, bool]]) -> None:
    """At most ``limit`` failures answered 401 per window; a client that waits the
    Retry-After it was given is answered 401; no wait is longer than two windows."""
    clock = Clock(7_000_000.0)
    throttle = FailureThrottle(limit=limit, clock=clock)
    allowed_per_window: dict[int, int] = {}
    last_refusal: float | None = None
    for gap, honour in steps:
        if honour and last_refusal is not None:
            gap = max(gap, last_refusal)
        clock.now += gap
        waited_enough = last_refusal is not None and gap >= last_refusal
        refusal = throttle.record_failure(ALICE)
        if refusal is None:
            window = int(clock.now // 60)
            allowed_per_window[window] = allowed_per_window.get(window, 0) + 1
            assert allowed_per_window[window] <= limit
            last_refusal = None
        else:
            assert not waited_enough, "a client that waited its Retry-After was refused again"
            assert 0 < refusal.retry_after <= 120
            assert refusal.seconds >= refusal.retry_after
            last_refusal = refusal.retry_after


def test_memory_is_bounded_whatever_the_sources() -> None:
    capacity = 500
    counters = MemoryCounters(capacity)
    throttle = FailureThrottle(limit=3, counters=counters, capacity=capacity, clock=Clock())
    for n in range(20_000):
        address = address_source(f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
        for attempt in range(5):  # over the budget: remembered as refused too
            throttle.record_failure(address, key_source(f"k{n:06}{attempt}"))
        assert len(counters) <= capacity
        assert throttle.refused_sources() <= capacity


def test_memory_stays_flat_once_full() -> None:
    capacity = 1000
    throttle = FailureThrottle(
        limit=2, counters=MemoryCounters(capacity), capacity=capacity, clock=Clock()
    )

    def attack(first: int) -> None:
        for n in range(first, first + capacity):
            address = address_source(f"2001:db8:{n >> 16:x}:{n & 0xFFFF:x}::1")
            for attempt in range(3):  # over the budget: remembered as refused too
                throttle.record_failure(address, key_source(f"{n:07}{attempt}"))

    tracemalloc.start()
    try:
        attack(0)  # fill every bound (and let the maps' tables settle)
        attack(capacity)
        full = tracemalloc.get_traced_memory()[0]
        for round_ in range(2, 8):
            attack(round_ * capacity)
        grown = tracemalloc.get_traced_memory()[0] - full
    finally:
        tracemalloc.stop()
    assert grown < full // 20, f"memory grew by {grown} bytes (full: {full}) with 6,000 addresses"


def test_bounded_map_forgets_the_least_recently_written() -> None:
    entries: BoundedMap[str, int] = BoundedMap(2)
    entries.put("a", 1)
    entries.put("b", 2)
    entries.put("a", 3)
    entries.put("c", 4)
    assert list(entries) == ["a", "c"]
    with pytest.raises(ValueError, match="at least one"):
        BoundedMap(0)
