"""When runs are planned: one at a time, the next a period after the last."""

from __future__ import annotations

import base64
import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from gardien.cli import app
from gardien.declaration import Declaration
from gardien.jobs import JobStatus, claim, jobs
from gardien.retention import RETENTION_SWEEP, first_retention_run, schedule_retention
from gardien.retention.run import BATCH_SECONDS, MAX_BATCH_ROWS, next_batch_rows
from gardien.settings import Settings
from gardien.store import Store, utcnow
from retention_sweeper import DONE, Sweeper, tables


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


def test_retention_run_refuses_while_a_worker_holds_the_run_and_changes_nothing(
    declared: Declaration,
    crm_url: str,
    store: Store,
    store_urls: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GARDIEN_CONFIG", str(tmp_path / "crm.yaml"))
    monkeypatch.setenv("GARDIEN_DATABASE_URL", store_urls.database_url)
    monkeypatch.setenv("GARDIEN_KEYSTORE_URL", store_urls.keystore_url)
    monkeypatch.setenv("GARDIEN_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    schedule_retention(store)
    assert claim(store, "worker-1", [RETENTION_SWEEP], dt.timedelta(minutes=10)) is not None
    before = tables(crm_url)
    result = CliRunner().invoke(app, ["retention", "run"])
    assert result.exit_code == 1
    assert "under way in a worker" in result.output
    assert tables(crm_url) == before


@given(
    done=st.integers(min_value=0, max_value=1_000_000),
    seconds=st.floats(min_value=0, max_value=60, allow_nan=False),
    least=st.integers(min_value=1, max_value=200_000),
)
def test_a_batch_is_sized_by_time_between_the_setting_and_the_cap(
    done: int, seconds: float, least: int
) -> None:
    size = next_batch_rows(done, seconds, least)
    assert least <= size <= max(MAX_BATCH_ROWS, least)
    base = max(done, least)
    if seconds < BATCH_SECONDS / 2:
        assert size == min(base * 2, max(MAX_BATCH_ROWS, least))  # a fast batch: twice
    elif seconds > BATCH_SECONDS * 2:
        assert size == max(least, min(base // 2, max(MAX_BATCH_ROWS, least)))  # a slow one
    else:
        assert size == max(least, min(base, max(MAX_BATCH_ROWS, least)))
