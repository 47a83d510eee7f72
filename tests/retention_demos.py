"""What the retention tests of the five demo companies share: the plan at a moment, a run of
the sweep in this process, and small SQL readers for the independent counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, select, text

from gardien.audit import Actor
from gardien.connectors import close_all, open_datastores
from gardien.declaration import Declaration
from gardien.demo import DemoResult
from gardien.demo.builder import URL_VARIABLE
from gardien.jobs import JobStatus, claim, run_job
from gardien.retention import (
    RETENTION_SWEEP,
    PlannedSweep,
    RetentionSettings,
    Sweep,
    plan_retention,
    retention_handler,
    schedule_retention,
)
from gardien.store import Store
from gardien.vault import Vault

LEASE = dt.timedelta(seconds=60)


def environ(demo: DemoResult) -> dict[str, str]:
    return {URL_VARIABLE: demo.database_url}


def plan_at(
    declaration: Declaration, demo: DemoResult, now: dt.datetime
) -> dict[str, PlannedSweep]:
    """The dry run at ``now``, by sweep name."""
    connectors = open_datastores(declaration, environ(demo))
    try:
        return {p.sweep.name: p for p in plan_retention(declaration, connectors, now)}
    finally:
        close_all(connectors)


def run_at(
    store: Store,
    vault: Vault,
    declaration: Declaration,
    demo: DemoResult,
    now: dt.datetime,
    *,
    batch_rows: int = 5,
) -> dict[str, dict[str, int]]:
    """A retention run at ``now``, in this process, as a worker would (a few rows a batch,
    so that due rows take several); each sweep's batch counts summed."""
    totals: dict[str, dict[str, int]] = {}

    def count(sweep: Sweep, _number: int, counts: Mapping[str, int]) -> None:
        summed = totals.setdefault(sweep.name, {})
        for key, value in counts.items():
            summed[key] = summed.get(key, 0) + value

    settings = RetentionSettings(
        batch_rows=batch_rows, every=dt.timedelta(days=1), environ=environ(demo)
    )
    handler = retention_handler(
        store, vault, declaration, Actor("worker", "worker", None, blind=vault.blind_id),
        settings, lambda _text: "[redacted]", on_batch=count, clock=lambda: now,
    )  # fmt: skip
    schedule_retention(store, at=now)
    # This run, or the next one an earlier run queued (due by ``now``).
    job = claim(store, "test", [RETENTION_SWEEP], LEASE, now=now)
    assert job is not None
    assert str(run_job(store, job, handler, lease=LEASE)) == str(JobStatus.DONE)
    return totals


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def ids(engine: Engine, sql: str, **params: Any) -> set[int]:
    with engine.connect() as connection:
        return set(connection.execute(text(sql), params).scalars())


def rows_by_id(engine: Engine, demo: DemoResult) -> dict[str, dict[int, tuple[Any, ...]]]:
    """Every row of every demo table, by id, read through the tables' types (so that a
    moment is a datetime, however the database wrote it)."""
    with engine.connect() as connection:
        return {
            name: {row[0]: tuple(row) for row in connection.execute(select(table))}
            for name, table in demo.company.metadata.tables.items()
        }


def sql_in(values: set[int]) -> str:
    """``values`` as the inside of an SQL ``IN (…)``: NULL when there are none."""
    return ", ".join(str(v) for v in sorted(values)) or "NULL"
