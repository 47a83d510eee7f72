"""The jobs room: durable background jobs and the worker that runs them.

Owns the ``jobs`` and ``job_steps`` tables, the queue (enqueue, claim with a
lease, complete, fail with backoff), recorded steps that make a job resume
after a crash without redoing work, the worker loop, and e-mail (SMTP or a
local outbox file).

    >>> with store.engine.begin() as conn:
    ...     enqueue(conn, "mail.send", {"to": "a@example.org", "subject": "Hi", "body": "…"},
    ...             dedupe_key="welcome:s_4f2a")
    >>> run_worker(store, default_handlers(settings), worker_id="w1", poll_seconds=1.0,
    ...            stop=threading.Event(), max_jobs=1)
"""

from __future__ import annotations

from gardien.errors import JobError, LeaseLostError, PermanentJobError
from gardien.jobs.mail import (
    MAIL_SEND,
    Mailer,
    Message,
    OutboxMailer,
    SmtpMailer,
    mailer_from_settings,
)
from gardien.jobs.queue import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    DEFAULT_MAX_ATTEMPTS,
    Job,
    JsonValue,
    backoff,
    claim,
    complete,
    enqueue,
    fail,
    get_job,
    renew_lease,
)
from gardien.jobs.steps import JobContext
from gardien.jobs.tables import JobStatus, job_steps, jobs
from gardien.jobs.worker import (
    DEFAULT_LEASE,
    Handler,
    RunOutcome,
    default_handlers,
    default_worker_id,
    describe_error,
    mail_send_handler,
    main_loop,
    run_job,
    run_worker,
)

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "DEFAULT_LEASE",
    "DEFAULT_MAX_ATTEMPTS",
    "MAIL_SEND",
    "Handler",
    "Job",
    "JobContext",
    "JobError",
    "JobStatus",
    "JsonValue",
    "LeaseLostError",
    "Mailer",
    "Message",
    "OutboxMailer",
    "PermanentJobError",
    "RunOutcome",
    "SmtpMailer",
    "backoff",
    "claim",
    "complete",
    "default_handlers",
    "default_worker_id",
    "describe_error",
    "enqueue",
    "fail",
    "get_job",
    "job_steps",
    "jobs",
    "mail_send_handler",
    "mailer_from_settings",
    "main_loop",
    "renew_lease",
    "run_job",
    "run_worker",
]
