"""gardien's own records under the rules of ``own_records:``: what is due, and removing it.

gardien keeps records of its own in its store, and they follow rules too
(``OwnRecords`` in the declaration, with defaults):

- ``verification_codes``: the hash of a code that expired unused is cleared
  (a used one is cleared when it is used); the request keeps the time it
  expired, so the person is still told "the code expired";
- ``consent_proofs``: a consent event goes once the consent it records has been
  over for the declared period: replaced by a later choice, or itself a
  withdrawal, refusal or expiry that was the last word. The choice in force,
  a consent still given, is never removed;
- ``closed_requests``: a request completed, rejected, withdrawn or expired goes
  with its timeline, packages' rows and Art. 19 deliveries once it has been
  closed for the period; never a post-mortem directive's, nor one whose package
  file the hourly purge has not deleted yet;
- ``finished_jobs``: a job done or failed goes once it has been finished for
  the period (a sent e-mail's job holds the address it went to);
- ``recorded_events``: an event recorded for a person (an account deletion) goes
  once every sweep that runs from it has been done for the period (its sealed
  identities were dropped when the last sweep was done);
- ``audit_entries``: the oldest entries go once older than the period, after a
  signed checkpoint of the last one removed (``gardien.audit.checkpoints``).

Each sweep works in batches of at most ``limit`` rows, each in one store
transaction with its audit entry and the job's record of it (``run.py``):
a batch is done exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    delete,
    exists,
    func,
    not_,
    select,
    update,
)

from gardien.audit.checkpoints import count_before, removable_through, remove_through
from gardien.connectors.base import DueCount
from gardien.consent.tables import consent_events, consent_state
from gardien.declaration.models import Declaration
from gardien.declaration.values import Duration
from gardien.jobs import JobStatus, jobs
from gardien.requests.execution_tables import recipient_deliveries, request_packages
from gardien.requests.tables import directive_retrievals, request_events, requests
from gardien.requests.vocabulary import RequestState, RequestType
from gardien.retention.sweeps import not_late
from gardien.retention.tables import retention_event_sweeps, retention_events

#: Consent events after which the consent is over, when nothing follows them.
_ENDING_KINDS = ("withdrawn", "refused", "expired")
_CLOSED = tuple(
    state.value
    for state in (
        RequestState.COMPLETED,
        RequestState.REJECTED,
        RequestState.WITHDRAWN,
        RequestState.EXPIRED,
    )
)
_FINISHED = (JobStatus.DONE.value, JobStatus.FAILED.value)


@dataclass(frozen=True)
class Removed:
    """What one batch did: rows it looked at, deleted, and changed in place."""

    claimed: int
    deleted: int = 0
    changed: int = 0


@dataclass(frozen=True)
class Batch:
    """What a batch's removal is given: the cutoff, its size, the run's moment, and the
    audit checkpoint key (made when first needed)."""

    due: dt.datetime
    limit: int
    now: dt.datetime
    checkpoint_key: Callable[[], Ed25519PrivateKey]
    #: The last audit entry written before the sweep began: the run's own entries (one
    #: per batch) are never removed by the same run, whatever the clock says.
    audit_ceiling: int | None = None


@dataclass(frozen=True)
class OwnSweep:
    """One kind of gardien's own records, and the rule it follows."""

    #: The key under ``own_records:`` (or the fixed rule's name).
    key: str
    #: The table the plan names.
    table: str
    #: What the period runs from, as the plan says it.
    anchor: str
    period: Duration | None
    _count: Callable[[Connection, dt.datetime, dt.datetime], DueCount]
    _remove: Callable[[Connection, Batch], Removed]

    @property
    def name(self) -> str:
        """The sweep's name in the plan, the progress bar and the audit trail."""
        return f"gardien.{self.key}"

    @property
    def rule_id(self) -> str:
        return f"own_records.{self.key}" if self.period is not None else "after use or expiry"

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        """Records whose period started at or before this moment are due at ``now``."""
        return not_late(self.period, now) if self.period is not None else now

    def count(self, conn: Connection, now: dt.datetime, horizon: dt.timedelta) -> DueCount:
        return self._count(conn, self.cutoff(now), self.cutoff(now + horizon))

    def remove(
        self,
        conn: Connection,
        now: dt.datetime,
        limit: int,
        checkpoint_key: Callable[[], Ed25519PrivateKey],
        audit_ceiling: int | None = None,
    ) -> Removed:
        """Remove (or clear) at most ``limit`` records due at ``now``, in ``conn``'s
        transaction."""
        batch = Batch(self.cutoff(now), limit, now, checkpoint_key, audit_ceiling)
        return self._remove(conn, batch)


def own_sweeps(declaration: Declaration) -> list[OwnSweep]:
    """gardien's own sweeps, in the order a run does them."""
    rules = declaration.own_records
    return [
        OwnSweep(
            "verification_codes", "requests", "the code's expiry", None, _codes_due, _clear_codes
        ),
        OwnSweep(
            "consent_proofs",
            "consent_events",
            "the end of the consent",
            rules.consent_proofs,
            _proofs_due,
            _remove_proofs,
        ),
        OwnSweep(
            "closed_requests",
            "requests",
            "the request's closing",
            rules.closed_requests,
            _requests_due,
            _remove_requests,
        ),
        OwnSweep(
            "finished_jobs", "jobs", "the job's end", rules.finished_jobs, _jobs_due, _remove_jobs
        ),
        OwnSweep(
            "recorded_events",
            "retention_events",
            "the event's last sweep",
            rules.recorded_events,
            _events_due,
            _remove_events,
        ),
        OwnSweep(
            "audit_entries",
            "audit_log",
            "the entry's time",
            rules.audit_entries,
            _entries_due,
            _remove_entries,
        ),
    ]


def _counted(conn: Connection, moment: ColumnElement[Any], due: dt.datetime,
             soon: dt.datetime, query: Select[Any]) -> DueCount:  # fmt: skip
    """Rows of ``query`` whose ``moment`` is at or before ``due``, the oldest such moment,
    and those after ``due`` but at or before ``soon``."""
    rows = query.add_columns(moment.label("moment")).subquery()
    counted = conn.execute(
        select(
            func.count().filter(rows.c.moment <= due),
            func.min(rows.c.moment),
            func.count().filter(and_(rows.c.moment > due, rows.c.moment <= soon)),
        )
    ).one()
    return DueCount(int(counted[0]), counted[1] if counted[0] else None, int(counted[2]))


# Verification codes ----------------------------------------------------------------------


def _codes_due(conn: Connection, due: dt.datetime, soon: dt.datetime) -> DueCount:
    total = 0
    oldest: dt.datetime | None = None
    later = 0
    for table in (requests, directive_retrievals):
        counted = _counted(
            conn,
            table.c.code_expires_at,
            due,
            soon,
            select().select_from(table).where(table.c.code_hash.is_not(None)),
        )
        total, later = total + counted.due, later + counted.soon
        if counted.oldest is not None and isinstance(counted.oldest, dt.datetime):
            oldest = counted.oldest if oldest is None else min(oldest, counted.oldest)
    return DueCount(total, oldest, later)


def _clear_codes(conn: Connection, batch: Batch) -> Removed:
    changed = 0
    for table in (requests, directive_retrievals):
        ids = select(table.c.id).where(
            table.c.code_hash.is_not(None), table.c.code_expires_at <= batch.due
        )
        chosen = [row.id for row in conn.execute(ids.limit(batch.limit - changed))]
        if chosen:
            conn.execute(update(table).where(table.c.id.in_(chosen)).values(code_hash=None))
        changed += len(chosen)
        if changed >= batch.limit:
            break
    return Removed(changed, changed=changed)


# Consent proofs --------------------------------------------------------------------------


def _consent_end() -> ColumnElement[Any]:
    """When the consent an event records ended: the next choice's time, or for a
    withdrawal, refusal or expiry that is the last word, its own; NULL while in force."""
    following = consent_events.alias("following")
    next_at = (
        select(func.min(following.c.occurred_at))
        .where(
            following.c.subject_id == consent_events.c.subject_id,
            following.c.purpose == consent_events.c.purpose,
            following.c.id > consent_events.c.id,
        )
        .scalar_subquery()
    )
    return func.coalesce(
        next_at,
        case((consent_events.c.kind.in_(_ENDING_KINDS), consent_events.c.occurred_at)),
    )


def _proofs_due(conn: Connection, due: dt.datetime, soon: dt.datetime) -> DueCount:
    return _counted(conn, _consent_end(), due, soon, select().select_from(consent_events))


def _remove_proofs(conn: Connection, batch: Batch) -> Removed:
    ended = _consent_end()
    chosen = [
        row.id
        for row in conn.execute(
            select(consent_events.c.id)
            .where(ended <= batch.due)
            .order_by(consent_events.c.id)
            .limit(batch.limit)
        )
    ]
    if not chosen:
        return Removed(0)
    # The state row of a subject whose last word went with it: no choice is on record.
    conn.execute(delete(consent_state).where(consent_state.c.event_id.in_(chosen)))
    deleted = conn.execute(delete(consent_events).where(consent_events.c.id.in_(chosen))).rowcount
    return Removed(len(chosen), deleted=int(deleted))


# Closed requests -------------------------------------------------------------------------


def _closed_at() -> ColumnElement[Any]:
    return (
        select(func.max(request_events.c.at))
        .where(request_events.c.request_id == requests.c.id)
        .scalar_subquery()
    )


def _closed_requests() -> Select[Any]:
    package_file_left = exists().where(
        request_packages.c.request_id == requests.c.id, request_packages.c.deleted_at.is_(None)
    )
    return (
        select()
        .select_from(requests)
        .where(
            requests.c.state.in_(_CLOSED),
            requests.c.type != RequestType.POST_MORTEM.value,
            not_(package_file_left),
        )
    )


def _requests_due(conn: Connection, due: dt.datetime, soon: dt.datetime) -> DueCount:
    return _counted(conn, _closed_at(), due, soon, _closed_requests())


def _remove_requests(conn: Connection, batch: Batch) -> Removed:
    query = _closed_requests().add_columns(requests.c.id).where(_closed_at() <= batch.due)
    chosen = [row.id for row in conn.execute(query.order_by(requests.c.id).limit(batch.limit))]
    if not chosen:
        return Removed(0)
    for table in (request_events, request_packages, recipient_deliveries):
        conn.execute(delete(table).where(table.c.request_id.in_(chosen)))
    deleted = conn.execute(delete(requests).where(requests.c.id.in_(chosen))).rowcount
    return Removed(len(chosen), deleted=int(deleted))


# Finished jobs ---------------------------------------------------------------------------


def _finished_jobs() -> Select[Any]:
    return select().select_from(jobs).where(jobs.c.status.in_(_FINISHED))


def _jobs_due(conn: Connection, due: dt.datetime, soon: dt.datetime) -> DueCount:
    return _counted(conn, jobs.c.finished_at, due, soon, _finished_jobs())


def _remove_jobs(conn: Connection, batch: Batch) -> Removed:
    query = _finished_jobs().add_columns(jobs.c.id).where(jobs.c.finished_at <= batch.due)
    chosen = [row.id for row in conn.execute(query.order_by(jobs.c.id).limit(batch.limit))]
    if not chosen:
        return Removed(0)
    # Their steps go with them (ON DELETE CASCADE).
    deleted = conn.execute(delete(jobs).where(jobs.c.id.in_(chosen))).rowcount
    return Removed(len(chosen), deleted=int(deleted))


# Recorded events -------------------------------------------------------------------------


def _events_due(conn: Connection, due: dt.datetime, soon: dt.datetime) -> DueCount:
    done = select().select_from(retention_events).where(retention_events.c.done_at.is_not(None))
    return _counted(conn, retention_events.c.done_at, due, soon, done)


def _remove_events(conn: Connection, batch: Batch) -> Removed:
    chosen = list(
        conn.execute(
            select(retention_events.c.id)
            .where(retention_events.c.done_at <= batch.due)
            .order_by(retention_events.c.id)
            .limit(batch.limit)
        ).scalars()
    )
    if not chosen:
        return Removed(0)
    conn.execute(
        delete(retention_event_sweeps).where(retention_event_sweeps.c.event_id.in_(chosen))
    )
    deleted = conn.execute(delete(retention_events).where(retention_events.c.id.in_(chosen)))
    return Removed(len(chosen), deleted=int(deleted.rowcount))


# Audit entries ---------------------------------------------------------------------------


def _entries_due(conn: Connection, due: dt.datetime, soon: dt.datetime) -> DueCount:
    # The period runs from the entry's time, strictly before the cutoff as for the others'
    # "at or before": the one-microsecond difference is below the clock's meaning here.
    count, oldest = count_before(conn, due + dt.timedelta(microseconds=1))
    later, _ = count_before(conn, soon + dt.timedelta(microseconds=1))
    return DueCount(count, oldest if count else None, later - count)


def _remove_entries(conn: Connection, batch: Batch) -> Removed:
    through = removable_through(
        conn, batch.due + dt.timedelta(microseconds=1), batch.limit, batch.audit_ceiling
    )
    if through is None:
        return Removed(0)
    removed = remove_through(conn, through, batch.checkpoint_key(), now=batch.now)
    return Removed(removed, deleted=removed)
