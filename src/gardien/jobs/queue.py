"""Queueing, claiming and finishing jobs.

A job is ``queued`` until a worker claims it; it is then ``running`` under a
lease (``locked_by``, ``locked_until``). It ends ``done``, or goes back to
``queued`` with an exponential backoff after a failure, until
``max_attempts`` is spent and it ends ``failed``. A worker that dies leaves
its lease to expire; another worker then reclaims the job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, and_, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from gardien.errors import JobError, LeaseLostError
from gardien.jobs.tables import UNFINISHED, JobStatus, jobs
from gardien.store import Store, utcnow

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]

DEFAULT_MAX_ATTEMPTS = 5
BACKOFF_BASE = dt.timedelta(seconds=10)
BACKOFF_CAP = dt.timedelta(hours=1)
_KIND = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")


@dataclass(frozen=True)
class Job:
    """A job as claimed by a worker."""

    id: int
    kind: str
    payload: Mapping[str, Any]
    status: JobStatus
    attempts: int
    max_attempts: int
    run_after: dt.datetime
    locked_by: str | None
    locked_until: dt.datetime | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    last_error: str | None
    dedupe_key: str | None


def enqueue(
    conn: Connection,
    kind: str,
    payload: Mapping[str, Any],
    *,
    run_after: dt.datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: dt.datetime | None = None,
) -> int:
    """Queue a job in ``conn``'s transaction and return its id.

    With ``dedupe_key``, a job already queued or running under the same key is
    kept and its id returned: the same notice is not queued twice.
    """
    if not _KIND.fullmatch(kind) or len(kind) > 64:
        raise JobError(f"job kind {kind!r} is not a name: use lower-case words joined by dots")
    if max_attempts < 1:
        raise JobError("max_attempts must be 1 or more")
    try:
        encoded = json.dumps(dict(payload), sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise JobError(f"payload of a {kind} job is not JSON: {exc}") from None
    now = now or utcnow()
    values = {
        "kind": kind,
        "payload": encoded,
        "status": JobStatus.QUEUED,
        "attempts": 0,
        "max_attempts": max_attempts,
        "run_after": run_after or now,
        "created_at": now,
        "dedupe_key": dedupe_key,
    }
    if dedupe_key is None:
        return int(conn.execute(jobs.insert().values(values).returning(jobs.c.id)).scalar_one())
    # ON CONFLICT against the partial unique index: a concurrent twin makes this
    # a no-op instead of an error that would abort the caller's transaction.
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = (
        dialect_insert(jobs)
        .values(values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"], index_where=text(UNFINISHED))
        .returning(jobs.c.id)
    )
    inserted = conn.execute(statement).scalar()
    if inserted is not None:
        return int(inserted)
    existing = conn.execute(
        select(jobs.c.id).where(jobs.c.dedupe_key == dedupe_key, _unfinished())
    ).scalar()
    if existing is None:  # the twin finished between the insert and this read
        raise JobError(f"job with dedupe key {dedupe_key!r} changed while queueing: retry")
    return int(existing)


def _unfinished() -> Any:
    return jobs.c.status.in_((JobStatus.QUEUED, JobStatus.RUNNING))


def claim(
    store: Store,
    worker_id: str,
    kinds: Sequence[str],
    lease: dt.timedelta,
    *,
    now: dt.datetime | None = None,
) -> Job | None:
    """Take the next due job of one of ``kinds`` and lease it to ``worker_id``.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED``, so workers never wait on
    each other's rows. SQLite: the transaction's ``BEGIN IMMEDIATE`` write
    lock makes the select-then-update atomic. A running job whose lease ended
    is due again; if it has spent its attempts, it is marked failed instead.
    """
    if not kinds:
        return None
    now = now or utcnow()
    due = and_(
        jobs.c.kind.in_(list(kinds)),
        or_(
            and_(jobs.c.status == JobStatus.QUEUED, jobs.c.run_after <= now),
            and_(jobs.c.status == JobStatus.RUNNING, jobs.c.locked_until < now),
        ),
    )
    with store.engine.begin() as conn:
        while True:
            row = conn.execute(
                select(jobs)
                .where(due)
                .order_by(jobs.c.run_after, jobs.c.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            if row.status == JobStatus.RUNNING and row.attempts >= row.max_attempts:
                conn.execute(
                    update(jobs)
                    .where(jobs.c.id == row.id)
                    .values(
                        status=JobStatus.FAILED,
                        finished_at=now,
                        locked_by=None,
                        locked_until=None,
                        last_error=f"lease expired on the last of {row.attempts} attempts",
                    )
                )
                continue
            conn.execute(
                update(jobs)
                .where(jobs.c.id == row.id)
                .values(
                    status=JobStatus.RUNNING,
                    attempts=row.attempts + 1,
                    locked_by=worker_id,
                    locked_until=now + lease,
                )
            )
            return dataclasses.replace(
                _job(row),
                status=JobStatus.RUNNING,
                attempts=row.attempts + 1,
                locked_by=worker_id,
                locked_until=now + lease,
            )


def complete(conn: Connection, job: Job, *, now: dt.datetime | None = None) -> None:
    """Mark ``job`` done; LeaseLostError if this worker no longer holds it."""
    _finish(conn, job, {"status": JobStatus.DONE, "finished_at": now or utcnow()})


def fail(
    conn: Connection,
    job: Job,
    error: str,
    *,
    permanent: bool = False,
    now: dt.datetime | None = None,
) -> JobStatus:
    """Record a failed attempt; return the job's new status (``queued`` or ``failed``).

    ``error`` is kept as ``last_error``: give a description without personal
    data (see ``describe_error``).
    """
    now = now or utcnow()
    if permanent or job.attempts >= job.max_attempts:
        _finish(
            conn, job, {"status": JobStatus.FAILED, "finished_at": now, "last_error": error[:500]}
        )
        return JobStatus.FAILED
    _finish(
        conn,
        job,
        {
            "status": JobStatus.QUEUED,
            "run_after": now + backoff(job.attempts),
            "last_error": error[:500],
        },
    )
    return JobStatus.QUEUED


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt: 10 s, 20 s, 40 s… doubling, at most an hour."""
    doublings = min(max(attempts - 1, 0), 16)
    return min(BACKOFF_BASE * (1 << doublings), BACKOFF_CAP)


def renew_lease(
    conn: Connection, job: Job, lease: dt.timedelta, *, now: dt.datetime | None = None
) -> None:
    """Extend the lease of a job this worker holds; LeaseLostError if it does not."""
    now = now or utcnow()
    _guarded_update(conn, job, {"locked_until": now + lease})


def get_job(conn: Connection, job_id: int) -> Job | None:
    row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
    return _job(row) if row else None


def _finish(conn: Connection, job: Job, values: dict[str, Any]) -> None:
    _guarded_update(conn, job, {"locked_by": None, "locked_until": None, **values})


def _guarded_update(conn: Connection, job: Job, values: dict[str, Any]) -> None:
    # Fencing: only the worker holding the lease may change the job, so a worker
    # that stalled past its lease cannot undo the work of the one that took over.
    result = conn.execute(
        update(jobs)
        .where(
            jobs.c.id == job.id,
            jobs.c.status == JobStatus.RUNNING,
            jobs.c.locked_by == job.locked_by,
            jobs.c.attempts == job.attempts,
        )
        .values(values)
    )
    if result.rowcount != 1:
        raise LeaseLostError(
            f"job {job.id} is no longer held by {job.locked_by}: its lease expired and "
            "another worker may have taken it; lengthen the lease for long jobs"
        )


def _job(row: Row[Any]) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        payload=json.loads(row.payload),
        status=JobStatus(row.status),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        run_after=row.run_after,
        locked_by=row.locked_by,
        locked_until=row.locked_until,
        created_at=row.created_at,
        finished_at=row.finished_at,
        last_error=row.last_error,
        dedupe_key=row.dedupe_key,
    )
