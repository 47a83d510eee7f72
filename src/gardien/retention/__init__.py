"""The retention room: each retention rule bound to data, enforced by itself.

A collection of a datastore bound to a rule (``retention: {rule, anchor}``)
gives one sweep (two when the rule archives first). ``plan_retention`` is
the dry run (due now, oldest, due within 30 days); ``retention.sweep`` is the
durable job that carries the sweeps out, a batch at a time, resumable after
a crash, each batch audited with counts and never a value. The worker runs
it every ``GARDIEN_RETENTION_EVERY_HOURS``; ``gardien retention run`` runs it
now with a progress bar. The same run removes gardien's own records past the
rules of ``own_records:`` (``own.py``; ``plan_own`` is their dry run).
A binding may run from an event the company's systems tell gardien about
instead of a date column (``record_event``; ``events.py``; ``plan_events``
is their dry run).

    >>> for planned in plan_retention(declaration, connectors, now=utcnow()):
    ...     print(planned.sweep.name, planned.due, planned.oldest, planned.soon)
"""

from __future__ import annotations

from gardien.retention.engine import BatchOutcome, Window, apply, claim
from gardien.retention.events import RecordedEvent, record_event
from gardien.retention.own import OwnSweep, own_sweeps
from gardien.retention.plan import (
    HORIZON,
    PlannedOwn,
    PlannedSweep,
    plan_events,
    plan_own,
    plan_retention,
)
from gardien.retention.run import (
    RETENTION_SWEEP,
    RetentionSettings,
    first_retention_run,
    retention_handler,
    schedule_retention,
)
from gardien.retention.sweeps import Sweep, SweepAction, event_sweeps, suspending_holds, sweeps

__all__ = [
    "HORIZON",
    "RETENTION_SWEEP",
    "BatchOutcome",
    "OwnSweep",
    "PlannedOwn",
    "PlannedSweep",
    "RecordedEvent",
    "RetentionSettings",
    "Sweep",
    "SweepAction",
    "Window",
    "apply",
    "claim",
    "event_sweeps",
    "first_retention_run",
    "own_sweeps",
    "plan_events",
    "plan_own",
    "plan_retention",
    "record_event",
    "retention_handler",
    "schedule_retention",
    "suspending_holds",
    "sweeps",
]
