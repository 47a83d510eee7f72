"""Throttling of failed API-key authentications, per client address and per key prefix.

Only failures are counted and only failures are refused: the web layer
authenticates a key first, so a valid key is never refused because others
failed from the same address or with the same prefix. Each failure counts
against two sources, the client address (an IPv6 client by its /64, the
block one subscriber is given) and the key prefix the token names, if it
parses; once a source is over its budget its further failures get a
``Refusal`` (429) instead of 401.

The budget is ``limit`` failures per ``window`` seconds, counted in fixed
windows and weighed as a sliding one: the failures of the window before
count in proportion to the part of it still within the last ``window``
seconds. A source that stops failing is allowed again after at most two
windows; ``Refusal.retry_after`` says when exactly.

Memory is bounded whatever a client sends: counters and the refusals known
locally live in ``BoundedMap``s that forget the least recently failed source
past ``capacity``. Nothing is counted for an address already refused, so one
address creates at most ``limit`` counters a window and forgetting a refused
source takes thousands of addresses, each with its own budget.

Where counters live is a ``FailureCounters`` backend: ``MemoryCounters`` (one
process, the SQLite default) or ``gardien.auth.shared.StoreCounters`` (a
table every server on one PostgreSQL store shares). A source known to be
refused is answered from this process's memory, without asking the backend.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

#: Length of a counting window, in seconds: the budget is per minute.
WINDOW_SECONDS = 60
#: Sources a process keeps counters (and refusals) for before forgetting the oldest.
DEFAULT_CAPACITY = 10_000
#: Longest text kept for a client address that is not an IP address.
_MAX_ADDRESS_TEXT = 45

K = TypeVar("K")
V = TypeVar("V")


class SourceKind(StrEnum):
    ADDRESS = "address"
    KEY = "key"


@dataclass(frozen=True)
class Source:
    """What failures are counted against: a client address or a key prefix."""

    kind: SourceKind
    name: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.name}"


def address_source(address: str) -> Source:
    """The source of a client address: IPv6 addresses by their /64, others as they are."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return Source(SourceKind.ADDRESS, address[:_MAX_ADDRESS_TEXT])
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return Source(SourceKind.ADDRESS, str(parsed.ipv4_mapped))
        network = ipaddress.IPv6Network((int(parsed) >> 64 << 64, 64))
        return Source(SourceKind.ADDRESS, str(network))
    return Source(SourceKind.ADDRESS, str(parsed))


def key_source(prefix: str) -> Source:
    """The source of a key prefix (public: it names keys in the audit trail)."""
    return Source(SourceKind.KEY, prefix)


@dataclass(frozen=True)
class Refusal:
    """A failure beyond ``source``'s budget: answer 429, retry in ``retry_after`` seconds."""

    source: Source
    retry_after: float

    @property
    def seconds(self) -> int:
        """``retry_after`` as the whole seconds of a ``Retry-After`` header (at least 1)."""
        return max(1, math.ceil(self.retry_after))


class BoundedMap(Generic[K, V]):
    """A map of at most ``capacity`` entries that forgets the least recently written.

    Not thread-safe: its owner holds a lock.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("a bounded map holds at least one entry")
        self.capacity = capacity
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        return self._entries.get(key)

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def pop(self, key: K) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[K]:
        return iter(self._entries)


class FailureCounters(Protocol):
    """Where failures are counted: one process's memory, or a table servers share."""

    def add(self, sources: Sequence[str], start: int, previous: int) -> dict[str, tuple[int, int]]:
        """Count one failure for each of ``sources`` in the window beginning at ``start``.

        ``start`` and ``previous`` are the epoch seconds at which this window and
        the one before begin. Returns, for each source, its failures in the
        window before and in this one (this failure included).
        """
        ...


class MemoryCounters:
    """Failure counters in this process's memory, at most ``capacity`` sources."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        # Per source: the start of the last window it failed in, the failures of the
        # window before that one, and of that one.
        self._counts: BoundedMap[str, tuple[int, int, int]] = BoundedMap(capacity)
        self._lock = threading.Lock()

    def add(self, sources: Sequence[str], start: int, previous: int) -> dict[str, tuple[int, int]]:
        counted: dict[str, tuple[int, int]] = {}
        with self._lock:
            for source in sources:
                last, before, current = self._counts.get(source) or (start, 0, 0)
                if last < previous:
                    before, current = 0, 0
                elif last == previous:
                    before, current = current, 0
                # else this window (or a later one, if the clock stepped back): as counted
                self._counts.put(source, (max(last, start), before, current + 1))
                counted[source] = (before, current + 1)
        return counted

    def __len__(self) -> int:
        with self._lock:
            return len(self._counts)


class FailureThrottle:
    """Allows ``limit`` failed authentications per ``window`` seconds to each source."""

    def __init__(
        self,
        limit: int,
        counters: FailureCounters | None = None,
        *,
        window: int = WINDOW_SECONDS,
        capacity: int = DEFAULT_CAPACITY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window < 1:
            raise ValueError("a throttle allows at least one failure per window of 1 s or more")
        self.limit = limit
        self.window = window
        self.counters: FailureCounters = counters or MemoryCounters(capacity)
        self._clock = clock
        # When each source known to be over its budget may fail again.
        self._refused_until: BoundedMap[Source, float] = BoundedMap(capacity)
        self._lock = threading.Lock()

    def record_failure(self, address: Source, key: Source | None = None) -> Refusal | None:
        """Count a failed authentication from ``address`` (with ``key``'s prefix, if any).

        Returns the refusal to answer with when the failure is beyond the budget
        of either source, else ``None`` (answer 401). A source known to be over
        its budget is not counted again, and nothing is counted for an address
        over its budget.
        """
        now = self._clock()
        with self._lock:
            address_until = self._until(address, now)
            key_until = self._until(key, now) if key is not None else 0.0
        if address_until > now:
            return Refusal(address, address_until - now)
        counted = [address] if key is None or key_until > now else [address, key]
        start = int(now // self.window) * self.window
        counts = self.counters.add([str(s) for s in counted], start, start - self.window)
        elapsed = (now - start) / self.window
        refusals = []
        with self._lock:
            for source in counted:
                before, current = counts[str(source)]
                wait = self._wait(before, current, elapsed)
                if wait > 0:
                    self._refused_until.put(source, now + wait)
                if before * (1 - elapsed) + current > self.limit:
                    refusals.append(Refusal(source, wait))
        if key is not None and key_until > now:
            refusals.append(Refusal(key, key_until - now))
        return max(refusals, key=lambda refusal: refusal.retry_after, default=None)

    def refusal(self, source: Source) -> Refusal | None:
        """The refusal ``source`` is under now, if this process knows it is over its budget.

        For a check that must not even be tried past the budget (a console sign-in, whose
        answer would tell a guessed password), asked before it, without counting anything.
        """
        now = self._clock()
        with self._lock:
            until = self._until(source, now)
        return Refusal(source, until - now) if until > now else None

    def refused_sources(self) -> int:
        """How many sources this process remembers as over their budget."""
        with self._lock:
            return len(self._refused_until)

    def _until(self, source: Source, now: float) -> float:
        until = self._refused_until.get(source)
        if until is None:
            return 0.0
        if until <= now:
            self._refused_until.pop(source)
            return 0.0
        return until

    def _wait(self, before: int, current: int, elapsed: float) -> float:
        """Seconds until one more failure fits the budget, if no other comes first.

        The failures counted are ``before * (1 - elapsed) + current``, ``elapsed``
        being the fraction of this window gone; one more fits when that is at most
        ``limit - 1``. Within this window only the first term decreases; in the
        next one the count is ``current * (1 - fraction of it gone)``.
        """
        allowed = self.limit - 1
        if before * (1 - elapsed) + current <= allowed:
            return 0.0
        if current <= allowed:  # then before > 0: wait within this window
            return (1 - (allowed - current) / before - elapsed) * self.window
        return (1 - elapsed + 1 - allowed / current) * self.window
