"""Rate limiting of failed authentications, per client address.

In memory and per process: with several `gardien serve` processes an
attacker gets the limit once per process, which still bounds guessing to a
few dozen tries a minute against 190-bit secrets.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class FailureThrottle:
    """Allows ``limit`` failures per ``window`` seconds for each client."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> float:
        """Seconds before ``client`` may try again; 0 when it may try now."""
        with self._lock:
            failures = self._prune(client)
            if len(failures) < self.limit:
                return 0.0
            return max(0.0, failures[0] + self.window - self._clock())

    def record_failure(self, client: str) -> None:
        with self._lock:
            self._prune(client).append(self._clock())

    def _prune(self, client: str) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        horizon = self._clock() - self.window
        while failures and failures[0] <= horizon:
            failures.popleft()
        if not failures:
            # Keep the map from growing with every address ever seen.
            del self._failures[client]
            failures = self._failures.setdefault(client, deque())
        return failures
