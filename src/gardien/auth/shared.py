"""Failure counters shared by every server on one store: the ``auth_failures`` table.

Used on PostgreSQL, where several ``gardien serve`` processes share a store:
without it an attacker would get the budget once per process. Written only
when a key fails, one short transaction per failure (``FailureThrottle``
answers sources it already knows to be over their budget from memory), never
on a valid key: the consent check's path does not come here.

Sources are stored as keyed hashes (HMAC-SHA256 under a secret of the vault,
given as ``secret``), so the table holds no client address. Each write also
deletes up to ``CLEANUP_BATCH`` rows of windows no longer counted: a write
adds at most two rows and removes up to a hundred old ones, so the table
shrinks back as failures go on, whatever their number. The rows of the last
two windows before the last failure stay until the next failure.

Concurrent writers do not deadlock: a transaction upserts its (at most two)
rows in one order, and takes old rows to delete with ``SKIP LOCKED``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence

from sqlalchemy import Engine, delete, func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from gardien.auth.tables import auth_failures
from gardien.store import relax_durability

#: Old rows deleted by each write at most.
CLEANUP_BATCH = 100
_DOMAIN = b"gardien.auth.failure-source.v1\x00"


class StoreCounters:
    """Failure counters in the store's ``auth_failures`` table (``FailureCounters``)."""

    def __init__(self, engine: Engine, secret: Callable[[], bytes]) -> None:
        self.engine = engine
        self._secret = secret
        self._key: bytes | None = None

    def add(self, sources: Sequence[str], start: int, previous: int) -> dict[str, tuple[int, int]]:
        by_name = {self._name(source): source for source in sources}
        names = sorted(by_name)  # one lock order for every writer
        table = auth_failures
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        upsert = (
            insert(table)
            .values([{"source": name, "window_start": start, "failures": 1} for name in names])
            .on_conflict_do_update(
                index_elements=[table.c.source, table.c.window_start],
                set_={"failures": table.c.failures + 1},
            )
            .returning(table.c.source, table.c.failures)
        )
        old = (
            select(table.c.source, table.c.window_start)
            .where(table.c.window_start < previous)
            .limit(CLEANUP_BATCH)
            .with_for_update(skip_locked=True)
        )
        with self.engine.begin() as conn:
            # Losing the last counts in a crash is harmless: no need to wait for the disk.
            relax_durability(conn)
            current = {row.source: int(row.failures) for row in conn.execute(upsert)}
            before = {
                row.source: int(row.failures)
                for row in conn.execute(
                    select(table.c.source, table.c.failures).where(
                        table.c.source.in_(names), table.c.window_start == previous
                    )
                )
            }
            conn.execute(delete(table).where(tuple_(table.c.source, table.c.window_start).in_(old)))
        return {by_name[name]: (before.get(name, 0), current[name]) for name in names}

    def rows(self) -> int:
        """How many counters the table holds (for tests and operators)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(auth_failures)).scalar_one())

    def _name(self, source: str) -> str:
        if self._key is None:
            self._key = self._secret()
        return hmac.new(self._key, _DOMAIN + source.encode(), hashlib.sha256).hexdigest()[:32]
