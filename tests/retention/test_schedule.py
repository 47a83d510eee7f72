"""When runs are planned: one at a time, the next a period after the last."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from gardien.declaration import Declaration
from gardien.jobs import JobStatus, jobs
from gardien.retention import RETENTION_SWEEP, first_retention_run, schedule_retention
from gardien.settings import Settings
from gardien.store import Store, utcnow
from retention_sweeper import DONE, Sweeper


def _runs(store: Store) -> list[tuple[str, dt.datetime]]:
    with store.engine.connect() as conn:
        return [
            (str(row.status), row.run_after)
            for row in conn.execute(
                select(jobs.c.status, jobs.c.run_after)
                .where(jobs.c.kind == RETENTION_SWEEP)
                .order_by(jobs.c.id)
            )
        ]


def test_a_worker_that_starts_again_does_not_queue_a_second_run(store: Store) -> None:
    settings = Settings.from_env({}, retention_every_hours=6)
    first = schedule_retention(store, at=first_retention_run(settings))
    again = schedule_retention(store, at=first_retention_run(settings))
    assert first == again
    [(status, run_after)] = _runs(store)
    assert status == JobStatus.QUEUED
    assert dt.timedelta(hours=5.9) < run_after - utcnow() <= dt.timedelta(hours=6)


def test_a_finished_run_queues_the_next_one_a_period_after_its_moment(
    declared: Declaration, sweeper: Sweeper, store: Store
) -> None:
    import crm

    assert sweeper.run(declared) == DONE
    runs = _runs(store)
    assert [status for status, _ in runs] == [JobStatus.DONE, JobStatus.QUEUED]
    assert runs[1][1] == crm.NOW + dt.timedelta(days=1)  # the Sweeper's period
