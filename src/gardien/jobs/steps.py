"""Recorded steps: what lets a job resume after a crash without redoing work.

A handler splits its job into named steps. ``JobContext.step`` runs a step
only if it is not recorded yet, and records it in the same transaction as
the step's own writes to the store: both commit, or neither does, so a crash
never loses a step nor lets it run twice. ``external_step`` is for effects
outside the store (sending an e-mail, calling a processor's webhook): the
effect runs first, then is recorded, so a crash in between runs it again on
retry (at least once); give such effects an idempotency key when the other
side accepts one. A step's result (JSON) is stored and returned on replay.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from gardien.errors import JobError
from gardien.jobs.faults import crash_point
from gardien.jobs.queue import Job, JsonValue, renew_lease
from gardien.jobs.tables import job_steps
from gardien.store import Store, utcnow


@dataclass(frozen=True)
class JobContext:
    """What a handler gets: its job, and the means to run its steps once."""

    store: Store
    job: Job
    lease: dt.timedelta

    def step(self, name: str, run: Callable[[Connection], JsonValue]) -> JsonValue:
        """Run ``run(conn)`` unless step ``name`` is recorded, and record it in ``conn``'s
        transaction; return its result (the recorded one on replay).

        The transaction also renews the lease, and fails with LeaseLostError if
        another worker took the job meanwhile, rolling back the step's writes.
        """
        _check_name(name)
        with self.store.engine.begin() as conn:
            done, recorded = self._recorded(conn, name)
            if done:
                return recorded
            renew_lease(conn, self.job, self.lease)
            result = run(conn)
            self._record(conn, name, result)
        crash_point("after-record", name)
        return result

    def external_step(
        self,
        name: str,
        run: Callable[[], JsonValue],
        *,
        on_record: Callable[[Connection, JsonValue], None] | None = None,
    ) -> JsonValue:
        """Run ``run()`` unless step ``name`` is recorded, then record it.

        No transaction is held while ``run`` works (on SQLite one would block
        every writer); a crash after ``run`` and before the record repeats it.
        ``on_record(conn, result)`` writes in the record's own transaction (an
        audit entry for the step): it happens exactly once, with the record.
        """
        _check_name(name)
        with self.store.engine.begin() as conn:
            done, recorded = self._recorded(conn, name)
            if done:
                return recorded
            renew_lease(conn, self.job, self.lease)
        result = run()
        crash_point("before-record", name)
        with self.store.engine.begin() as conn:
            renew_lease(conn, self.job, self.lease)
            self._record(conn, name, result)
            if on_record is not None:
                on_record(conn, result)
        crash_point("after-record", name)
        return result

    def recorded(self, name: str) -> tuple[bool, JsonValue]:
        """Whether step ``name`` is recorded, and its result (None when it is not)."""
        with self.store.engine.connect() as conn:
            return self._recorded(conn, name)

    def done_steps(self) -> list[str]:
        """The names of the steps recorded for this job, in the order they were done."""
        with self.store.engine.connect() as conn:
            return list(
                conn.execute(
                    select(job_steps.c.name)
                    .where(job_steps.c.job_id == self.job.id)
                    .order_by(job_steps.c.done_at, job_steps.c.name)
                ).scalars()
            )

    def _recorded(self, conn: Connection, name: str) -> tuple[bool, JsonValue]:
        row = conn.execute(
            select(job_steps.c.result).where(
                job_steps.c.job_id == self.job.id, job_steps.c.name == name
            )
        ).first()
        return (False, None) if row is None else (True, json.loads(row.result))

    def _record(self, conn: Connection, name: str, result: JsonValue) -> None:
        try:
            encoded = json.dumps(result, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise JobError(f"step {name!r} of job {self.job.id} returned non-JSON: {exc}") from None
        conn.execute(
            insert(job_steps).values(
                job_id=self.job.id, name=name, done_at=utcnow(), result=encoded
            )
        )


def _check_name(name: str) -> None:
    if not name or len(name) > 100:
        raise JobError("a step name is 1 to 100 characters")


def recorded_steps(conn: Connection, kind: str, dedupe_key: str) -> dict[str, JsonValue]:
    """The recorded results of the latest ``kind`` job with ``dedupe_key``, by step name
    (empty when there is none, or once retention removed it with its finished job)."""
    from gardien.jobs.tables import jobs

    job_id = conn.execute(
        select(jobs.c.id)
        .where(jobs.c.kind == kind, jobs.c.dedupe_key == dedupe_key)
        .order_by(jobs.c.id.desc())
        .limit(1)
    ).scalar()
    if job_id is None:
        return {}
    rows = conn.execute(
        select(job_steps.c.name, job_steps.c.result)
        .where(job_steps.c.job_id == job_id)
        .order_by(job_steps.c.done_at, job_steps.c.name)
    )
    return {row.name: json.loads(row.result) for row in rows}
