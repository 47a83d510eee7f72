"""The queue: enqueue, claim, complete, fail with backoff, leases and dedupe keys."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from gardien.jobs import (
    BACKOFF_CAP,
    JobError,
    LeaseLostError,
    backoff,
    claim,
    complete,
    enqueue,
    fail,
    get_job,
    jobs,
)
from gardien.store import Store, utcnow

LEASE = dt.timedelta(seconds=30)


def queue(
    store: Store, kind: str = "demo.run", payload: dict | None = None, **kwargs: object
) -> int:  # type: ignore[type-arg]
    with store.engine.begin() as conn:
        return enqueue(conn, kind, payload or {"n": 1}, **kwargs)  # type: ignore[arg-type]


def status(store: Store, job_id: int) -> str:
    with store.engine.connect() as conn:
        job = get_job(conn, job_id)
    assert job is not None
    return job.status


def test_enqueue_claim_complete(store: Store) -> None:
    job_id = queue(store, payload={"subject_id": "s_1", "purpose": "newsletter"})
    job = claim(store, "w1", ["demo.run"], LEASE)
    assert job is not None
    assert (job.id, job.status, job.attempts, job.locked_by) == (job_id, "running", 1, "w1")
    assert job.payload == {"subject_id": "s_1", "purpose": "newsletter"}
    assert claim(store, "w2", ["demo.run"], LEASE) is None
    with store.engine.begin() as conn:
        complete(conn, job)
        done = get_job(conn, job_id)
    assert done is not None and done.status == "done" and done.finished_at is not None
    assert done.locked_by is None


def test_claim_takes_only_due_jobs_of_known_kinds(store: Store) -> None:
    later = queue(store, run_after=utcnow() + dt.timedelta(hours=1))
    other = queue(store, kind="other.kind")
    assert claim(store, "w1", ["demo.run"], LEASE) is None
    assert claim(store, "w1", [], LEASE) is None
    soon = claim(store, "w1", ["demo.run"], LEASE, now=utcnow() + dt.timedelta(hours=2))
    assert soon is not None and soon.id == later
    picked = claim(store, "w1", ["other.kind"], LEASE)
    assert picked is not None and picked.id == other


def test_claim_order_is_oldest_due_first(store: Store) -> None:
    now = utcnow()
    second = queue(store, run_after=now - dt.timedelta(seconds=1))
    first = queue(store, run_after=now - dt.timedelta(seconds=5))
    claimed = [claim(store, "w", ["demo.run"], LEASE) for _ in range(2)]
    assert [j.id for j in claimed if j] == [first, second]


def test_failure_retries_with_exponential_backoff_then_fails(store: Store) -> None:
    job_id = queue(store, max_attempts=3)
    now = utcnow()
    delays = []
    for attempt in (1, 2, 3):
        job = claim(store, "w1", ["demo.run"], LEASE, now=now)
        assert job is not None and job.attempts == attempt
        with store.engine.begin() as conn:
            new_status = fail(conn, job, "Timeout: processor did not answer", now=now)
            row = get_job(conn, job_id)
        assert row is not None
        if attempt < 3:
            assert new_status == "queued" == row.status
            delays.append(row.run_after - now)
            assert claim(store, "w1", ["demo.run"], LEASE, now=now) is None  # not due yet
            now = row.run_after
        else:
            assert new_status == "failed" == row.status
            assert row.finished_at is not None
    assert delays == [dt.timedelta(seconds=10), dt.timedelta(seconds=20)]
    assert row.last_error == "Timeout: processor did not answer"


def test_permanent_failure_is_not_retried(store: Store) -> None:
    job_id = queue(store)
    job = claim(store, "w1", ["demo.run"], LEASE)
    assert job is not None
    with store.engine.begin() as conn:
        assert fail(conn, job, "bad payload", permanent=True) == "failed"
    assert status(store, job_id) == "failed"


def test_backoff_doubles_up_to_a_cap() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert backoff(50) == BACKOFF_CAP


def test_expired_lease_is_reclaimed_and_the_old_holder_fenced_off(store: Store) -> None:
    job_id = queue(store)
    now = utcnow()
    stale = claim(store, "w1", ["demo.run"], dt.timedelta(seconds=1), now=now)
    assert stale is not None
    assert claim(store, "w2", ["demo.run"], LEASE, now=now) is None  # lease still held
    fresh = claim(store, "w2", ["demo.run"], LEASE, now=now + dt.timedelta(seconds=2))
    assert fresh is not None and (fresh.id, fresh.attempts, fresh.locked_by) == (job_id, 2, "w2")
    with pytest.raises(LeaseLostError, match="no longer held by w1"), store.engine.begin() as conn:
        complete(conn, stale)
    with store.engine.begin() as conn:
        complete(conn, fresh)
    assert status(store, job_id) == "done"


def test_lease_expired_on_last_attempt_fails_the_job(store: Store) -> None:
    job_id = queue(store, max_attempts=1)
    now = utcnow()
    assert claim(store, "w1", ["demo.run"], dt.timedelta(seconds=1), now=now) is not None
    assert claim(store, "w2", ["demo.run"], LEASE, now=now + dt.timedelta(seconds=5)) is None
    with store.engine.connect() as conn:
        job = get_job(conn, job_id)
    assert job is not None and job.status == "failed"
    assert job.last_error == "lease expired on the last of 1 attempts"


def test_dedupe_key_keeps_one_unfinished_job(store: Store) -> None:
    first = queue(store, kind="mail.send", dedupe_key="renewal:s_1:newsletter")
    assert queue(store, kind="mail.send", dedupe_key="renewal:s_1:newsletter") == first
    other = queue(store, kind="mail.send", dedupe_key="renewal:s_2:newsletter")
    assert other != first
    job = claim(store, "w1", ["mail.send"], LEASE)
    assert job is not None and job.id == first
    # Running is still unfinished.
    assert queue(store, kind="mail.send", dedupe_key="renewal:s_1:newsletter") == first
    with store.engine.begin() as conn:
        complete(conn, job)
    again = queue(store, kind="mail.send", dedupe_key="renewal:s_1:newsletter")
    assert again not in (first, other)


def test_enqueue_is_part_of_the_callers_transaction(store: Store) -> None:
    def enqueue_then_fail() -> None:
        with store.engine.begin() as conn:
            enqueue(conn, "demo.run", {}, dedupe_key="k")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        enqueue_then_fail()
    with store.engine.connect() as conn:
        assert conn.execute(select(jobs.c.id)).first() is None


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("Bad Kind", {}, "is not a name"),
        ("demo.run", {"when": dt.datetime.now(dt.UTC)}, "is not JSON"),
        ("demo.run", {"x": float("nan")}, "is not JSON"),
    ],
)
def test_bad_jobs_are_refused(store: Store, kind: str, payload: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(JobError, match=message), store.engine.begin() as conn:
        enqueue(conn, kind, payload)


def test_status_is_constrained(store: Store) -> None:
    job_id = queue(store)
    with (
        pytest.raises(IntegrityError, match=r"ck_jobs_status|CHECK constraint"),
        store.engine.begin() as conn,
    ):
        conn.execute(text(f"UPDATE jobs SET status = 'lost' WHERE id = {job_id}"))
