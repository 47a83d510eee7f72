"""The tables of durable jobs, declared on the store's shared ``metadata``.

Created by migration ``0005_jobs``. ``payload`` and step results are JSON
text, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.sql.elements import conv

from gardien.store.schema import metadata
from gardien.store.types import UtcDateTime


class JobStatus(StrEnum):
    """Where a job stands: queued, running under a lease, or finished (done, failed)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


STATUSES = tuple(status.value for status in JobStatus)
UNFINISHED = f"status IN ('{JobStatus.QUEUED.value}', '{JobStatus.RUNNING.value}')"

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("run_after", UtcDateTime(), nullable=False),
    Column("locked_by", String(100), nullable=True),
    Column("locked_until", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime(), nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("dedupe_key", String(200), nullable=True),
    CheckConstraint(
        "status IN ('queued', 'running', 'done', 'failed')", name=conv("ck_jobs_status")
    ),
    # Claiming looks for queued jobs due now, and running jobs whose lease ended.
    Index("ix_jobs_status_run_after", "status", "run_after"),
    Index("ix_jobs_status_locked_until", "status", "locked_until"),
    # One unfinished job per dedupe key: the same notice is never queued twice.
    Index(
        "uq_jobs_dedupe_key_unfinished",
        "dedupe_key",
        unique=True,
        sqlite_where=text(UNFINISHED),
        postgresql_where=text(UNFINISHED),
    ),
)

job_steps = Table(
    "job_steps",
    metadata,
    Column(
        "job_id",
        Integer,
        ForeignKey("jobs.id", ondelete="CASCADE", name=conv("fk_job_steps_job_id_jobs")),
        nullable=False,
    ),
    Column("name", String(100), nullable=False),
    Column("done_at", UtcDateTime(), nullable=False),
    Column("result", Text, nullable=False),
    PrimaryKeyConstraint("job_id", "name", name="pk_job_steps"),
)
