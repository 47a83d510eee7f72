"""Recorded steps: a crash mid-way resumes without repeating or losing a step."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, func, select

from gardien.jobs import (
    JobContext,
    LeaseLostError,
    claim,
    enqueue,
    get_job,
    jobs,
    run_job,
)
from gardien.store import Store, utcnow

LEASE = dt.timedelta(seconds=30)


def test_crash_after_step_one_resumes_at_step_two(store: Store) -> None:
    with store.engine.begin() as conn:
        job_id = enqueue(conn, "dsr.erase", {"request_id": 7})
    calls = {"locate": 0, "erase": 0}
    crash = [True]

    def handler(context: JobContext) -> None:
        def locate(_conn: Connection) -> list[str]:
            calls["locate"] += 1
            return ["crm", "billing"]

        found = context.step("locate", locate)
        if crash[0]:
            crash[0] = False
            raise RuntimeError("worker killed")

        def erase(_conn: Connection) -> int:
            calls["erase"] += 1
            return len(found) if isinstance(found, list) else 0

        context.step("erase", erase)

    now = utcnow()
    first = claim(store, "w1", ["dsr.erase"], LEASE, now=now)
    assert first is not None
    assert run_job(store, first, handler, lease=LEASE) == "queued"
    second = claim(store, "w2", ["dsr.erase"], LEASE, now=now + dt.timedelta(minutes=1))
    assert second is not None and second.id == job_id and second.attempts == 2
    assert run_job(store, second, handler, lease=LEASE) == "done"
    assert calls == {"locate": 1, "erase": 1}
    assert JobContext(store, second, LEASE).done_steps() == ["locate", "erase"]


def test_a_step_that_fails_leaves_neither_its_writes_nor_its_record(store: Store) -> None:
    with store.engine.begin() as conn:
        enqueue(conn, "demo.run", {})
    job = claim(store, "w1", ["demo.run"], LEASE)
    assert job is not None
    context = JobContext(store, job, LEASE)

    def half_done(conn: Connection) -> None:
        enqueue(conn, "mail.send", {"to": "x"})  # the step's effect, in the store
        raise RuntimeError("crash inside the step")

    with pytest.raises(RuntimeError):
        context.step("notify", half_done)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(jobs)).scalar_one() == 1
    assert context.done_steps() == []

    def whole(conn: Connection) -> int:
        return enqueue(conn, "mail.send", {"to": "x"})

    queued = context.step("notify", whole)
    assert context.step("notify", whole) == queued  # replayed from the record
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(jobs)).scalar_one() == 2


def test_external_step_runs_once_and_returns_its_recorded_result(store: Store) -> None:
    with store.engine.begin() as conn:
        enqueue(conn, "demo.run", {})
    job = claim(store, "w1", ["demo.run"], LEASE)
    assert job is not None
    context = JobContext(store, job, LEASE)
    sent: list[int] = []

    def send() -> dict[str, str]:
        sent.append(1)
        return {"status": "accepted"}

    assert context.external_step("send", send) == {"status": "accepted"}
    assert context.external_step("send", send) == {"status": "accepted"}
    assert sent == [1]


def test_a_step_after_the_lease_was_lost_writes_nothing(store: Store) -> None:
    with store.engine.begin() as conn:
        job_id = enqueue(conn, "demo.run", {})
    now = utcnow()
    stale = claim(store, "w1", ["demo.run"], dt.timedelta(seconds=1), now=now)
    assert stale is not None
    taken = claim(store, "w2", ["demo.run"], LEASE, now=now + dt.timedelta(seconds=5))
    assert taken is not None
    ran: list[int] = []

    def effect(_conn: Connection) -> None:
        ran.append(1)

    with pytest.raises(LeaseLostError):
        JobContext(store, stale, LEASE).step("work", effect)
    assert ran == []
    assert run_job(store, stale, lambda c: None, lease=LEASE) == "lost"
    with store.engine.connect() as conn:
        job = get_job(conn, job_id)
    assert job is not None and job.status == "running" and job.locked_by == "w2"
