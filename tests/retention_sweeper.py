"""Running the retention job in the test process, as a worker would, at a moment tests set."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import create_engine, text

import crm
from gardien.audit import Actor
from gardien.declaration import Declaration
from gardien.jobs import JobStatus, claim, run_job
from gardien.retention import RETENTION_SWEEP, RetentionSettings, retention_handler
from gardien.retention.run import schedule_retention
from gardien.store import Store
from gardien.vault import Vault

LEASE = dt.timedelta(seconds=60)
DONE = str(JobStatus.DONE)


class Sweeper:
    """Runs the retention job in this process, as a worker would, at a set moment."""

    def __init__(self, store: Store, vault: Vault, url: str) -> None:
        self.store, self.vault, self.url = store, vault, url
        self.actor = Actor("worker", "worker", None, blind=vault.blind_id)
        self.batches: list[tuple[str, int, dict[str, int]]] = []

    def run(
        self, declaration: Declaration, *, now: dt.datetime = crm.NOW, batch_rows: int = 1000
    ) -> str:
        settings = RetentionSettings(
            batch_rows=batch_rows, every=dt.timedelta(days=1),
            environ={crm.URL_VARIABLE: self.url},
        )  # fmt: skip
        handler = retention_handler(
            self.store, self.vault, declaration, self.actor, settings,
            lambda text: "[redacted]",
            on_batch=lambda sweep, n, counts: self.batches.append((sweep.name, n, counts)),
            clock=lambda: now,
        )  # fmt: skip
        schedule_retention(self.store, at=now)
        # The earliest retention job queued (this run, or the next one a run planned).
        job = claim(self.store, "test", [RETENTION_SWEEP], LEASE, now=now + dt.timedelta(days=400))
        assert job is not None
        outcome = run_job(self.store, job, handler, lease=LEASE)
        return str(outcome)

    def totals(self, sweep: str) -> dict[str, int]:
        summed: dict[str, int] = {}
        for name, _number, counts in self.batches:
            if name == sweep:
                for key, value in counts.items():
                    summed[key] = summed.get(key, 0) + value
        return summed


def tables(url: str) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Every row of every CRM table, by key."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: {row[0]: tuple(row) for row in conn.execute(text(f"SELECT * FROM {name}"))}
                for name in crm.metadata.tables
            }
    finally:
        engine.dispose()
