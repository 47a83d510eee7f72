"""The worker: claims due jobs and runs each with the handler registered for its kind.

Handlers are registered in one explicit dict keyed by job kind: the
built-ins (``default_handlers``) and any a caller adds, the same way.
A handler that returns completes its job; one that raises fails the attempt
(retried with backoff), or the job at once for ``PermanentJobError``.
``main_loop`` is what ``gardien worker`` runs: SIGTERM or SIGINT lets the
job under way finish, then stops.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Literal

from sqlalchemy import inspect

from gardien.errors import JobError, LeaseLostError, PermanentJobError
from gardien.jobs.mail import MAIL_SEND, Mailer, Message, mailer_from_settings
from gardien.jobs.queue import Job, claim, complete, fail
from gardien.jobs.steps import JobContext
from gardien.jobs.tables import JobStatus
from gardien.settings import Settings
from gardien.store import Store, open_store

Handler = Callable[[JobContext], None]
DEFAULT_LEASE = dt.timedelta(minutes=5)
DEFAULT_SENDER = "gardien@localhost"

logger = logging.getLogger("gardien.jobs")

_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\+?\d(?:[ .\-]?\d){6,}")


def run_worker(
    store: Store,
    handlers: Mapping[str, Handler],
    *,
    worker_id: str,
    poll_seconds: float,
    stop: threading.Event,
    max_jobs: int | None = None,
    lease: dt.timedelta = DEFAULT_LEASE,
    exit_when_idle: bool = False,
) -> int:
    """Run jobs until ``stop`` is set (or ``max_jobs`` ran, or the queue is empty
    with ``exit_when_idle``); return how many jobs ran."""
    if not handlers:
        raise JobError("the worker has no handlers: register at least one job kind")
    kinds = sorted(handlers)
    ran = 0
    while not stop.is_set() and (max_jobs is None or ran < max_jobs):
        job = claim(store, worker_id, kinds, lease)
        if job is None:
            if exit_when_idle:
                break
            stop.wait(poll_seconds)
            continue
        run_job(store, job, handlers[job.kind], lease=lease)
        ran += 1
    return ran


#: What ``run_job`` reports: the job's new status, or ``lost`` when another
#: worker took it over (its lease ended) and its status is that worker's to set.
RunOutcome = JobStatus | Literal["lost"]


def run_job(store: Store, job: Job, handler: Handler, *, lease: dt.timedelta) -> RunOutcome:
    """Run one claimed job and record its outcome; return the job's new status, or ``lost``."""
    context = JobContext(store=store, job=job, lease=lease)
    try:
        handler(context)
    except LeaseLostError:
        logger.warning("job %s (%s): lease lost, left to its new holder", job.id, job.kind)
        return "lost"
    except Exception as exc:  # any handler failure is one failed attempt, never a crash
        error = describe_error(exc)
        try:
            with store.engine.begin() as conn:
                status = fail(conn, job, error, permanent=isinstance(exc, PermanentJobError))
        except LeaseLostError:
            return "lost"
        logger.warning(
            "job %s (%s) attempt %s: %s -> %s", job.id, job.kind, job.attempts, error, status
        )
        return status
    try:
        with store.engine.begin() as conn:
            complete(conn, job)
    except LeaseLostError:
        logger.warning("job %s (%s): finished after its lease ended", job.id, job.kind)
        return "lost"
    return JobStatus.DONE


def describe_error(exc: BaseException) -> str:
    """The error for ``last_error``: its type and message, addresses and numbers masked."""
    text = str(exc)
    text = _EMAIL.sub("[email]", text)
    text = _DIGITS.sub("[number]", text)
    return f"{type(exc).__name__}: {text}"[:500] if text else type(exc).__name__


def mail_send_handler(mailer: Mailer, *, sender: str = DEFAULT_SENDER) -> Handler:
    """The ``mail.send`` handler: one external step, so a resent job is not re-mailed
    once its sending is recorded. The Message-ID is derived from the job so that
    a receiver can drop the duplicate of a send repeated after a crash."""

    def handle(context: JobContext) -> None:
        domain = sender.rpartition("@")[2] or "localhost"
        message = Message.from_payload(
            context.job.payload, sender=sender, message_id=f"<job-{context.job.id}@{domain}>"
        )

        def send() -> None:
            mailer.send(message)

        context.external_step("send", send)

    return handle


def default_handlers(settings: Settings) -> dict[str, Handler]:
    """The built-in handlers; add yours to the returned dict before running the worker."""
    mailer = mailer_from_settings(settings.smtp_url, settings.resolved_outbox)
    return {MAIL_SEND: mail_send_handler(mailer)}


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def main_loop(
    settings: Settings,
    *,
    handlers: Mapping[str, Handler] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """What ``gardien worker`` runs: until SIGTERM/SIGINT, then the job under way
    finishes and 0 is returned. Must be called from the main thread."""
    store = open_store(settings)
    try:
        if not inspect(store.engine).has_table("jobs"):
            raise JobError("the store has no jobs table: run `gardien db upgrade` first")
        stop = stop or threading.Event()

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            logger.info("signal %s: stopping after the job under way", signum)
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            run_worker(
                store,
                handlers if handlers is not None else default_handlers(settings),
                worker_id=default_worker_id(),
                poll_seconds=settings.worker_poll_seconds,
                stop=stop,
                lease=dt.timedelta(seconds=settings.worker_lease_seconds),
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0
    finally:
        store.dispose()
