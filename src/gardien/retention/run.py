"""A retention run as a durable job: every batch claimed, then acted on, each recorded once.

The ``retention.sweep`` job runs every sweep of the declaration in turn.
Its recorded steps (the jobs room) make it resumable after a crash, by the
same worker or another:

- ``start``: the moment the run is for (a replay uses the same one), and the
  last audit entry before the run (the run never removes the entries it writes);
- ``protect``: the rows of each person with an open access or portability
  request (their keys, per collection): kept until the request completes;
- per sweep, ``held:<sweep>`` when a declared legal hold suspends it, else
  ``claim:<sweep>:0`` (the window of keys of the first batch of due rows: its
  first and last key and how many) then, per batch, ``apply:<sweep>:<n>``
  (the action on the due rows of exactly that window, audited with the rule
  and the counts in the same transaction as its record: never a value, never
  a key; and, recorded with it, the next window, claimed after the action);
- on PostgreSQL, a sweep deleting whole rows of an ordinary table claims no
  window: per batch, ``count:<sweep>:<n>:<try>`` (the rows one statement deleted
  in a range of the table's pages, the range, the next one and the company
  transaction's id, recorded before that transaction commits) then
  ``apply:<sweep>:<n>`` as above (``row_ranges``, ``_sweep_counted``);
- ``next``: the next run queued, ``GARDIEN_RETENTION_EVERY_HOURS`` later.

A run killed after it acted on a batch and before it recorded it acts on
the same window again when it resumes: the rows already gone are counted
``gone``, nothing is done twice. Workers sharing a PostgreSQL store take the
job in turn (its lease), so no batch is swept twice at the same time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, select

from gardien.audit import Actor, RetentionBatchSwept, RetentionSweepHeld
from gardien.audit.checkpoints import CHECKPOINT_SECRET, head_seq, signing_key
from gardien.connectors import close_all, locate, open_datastores, open_readers, plan_for
from gardien.connectors.base import Connector, CountingWriter, DueWhere
from gardien.connectors.counted import TransactionFate
from gardien.connectors.erase import Strategies
from gardien.declaration.models import Declaration
from gardien.errors import AuditError, DatastoreUnavailableError
from gardien.jobs import JobContext, JobStatus, enqueue, jobs
from gardien.jobs.queue import JsonValue
from gardien.retention.engine import Window, apply, claim, counted_in_one_statement
from gardien.retention.events import (
    EVENTS_PER_BATCH,
    Located,
    apply_located,
    claim_events,
    locate_events,
    mark_swept,
    open_identities,
)
from gardien.retention.own import OwnSweep, own_sweeps
from gardien.retention.row_ranges import (
    BATCH_SECONDS,
    RowRange,
    first_range,
    next_range,
)
from gardien.retention.sweeps import Sweep, event_sweeps, suspending_holds, sweeps
from gardien.settings import Settings
from gardien.store import Store, utcnow
from gardien.vault import Vault

logger = logging.getLogger(__name__)

RETENTION_SWEEP = "retention.sweep"
#: The secret the keyed tokens of anonymised NOT NULL text derive from.
RETENTION_SECRET = "retention"

#: Called after each batch: (sweep, batch number, outcome).
OnBatch = Callable[[Sweep | OwnSweep, int, Mapping[str, int]], None]


@dataclass(frozen=True)
class RetentionSettings:
    batch_rows: int
    every: dt.timedelta
    environ: Mapping[str, str]


def retention_handler(
    store: Store,
    vault: Vault,
    declaration: Declaration,
    actor: Actor,
    settings: RetentionSettings,
    redact_text: Callable[[str], str],
    on_batch: OnBatch | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> Callable[[JobContext], None]:
    """The handler of ``retention.sweep`` jobs (the worker's, and ``gardien retention run``'s).
    ``clock`` gives the moment a new run is for (tests set it)."""

    def handle(context: JobContext) -> None:
        connectors = open_datastores(declaration, settings.environ)
        try:
            _Run(
                context, store, vault, declaration, actor, settings, connectors,
                Strategies(vault.derived_secret(RETENTION_SECRET), redact_text), on_batch, clock,
            ).execute()  # fmt: skip
        finally:
            close_all(connectors)

    return handle


def schedule_retention(store: Store, *, at: dt.datetime | None = None) -> int:
    """Queue a retention run due at ``at`` (now by default), unless one is queued or under
    way already (a worker that starts often does not sweep more often): its job id."""
    when = at or utcnow()
    with store.engine.begin() as conn:
        waiting = conn.execute(
            select(jobs.c.id)
            .where(
                jobs.c.kind == RETENTION_SWEEP,
                jobs.c.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
            )
            .order_by(jobs.c.run_after, jobs.c.id)
        ).first()
        if waiting is not None:
            return int(waiting.id)
        return enqueue(conn, RETENTION_SWEEP, {}, run_after=when, dedupe_key=_run_key(when))


def first_retention_run(settings: Settings) -> dt.datetime:
    """When a worker that finds no run queued plans the first one: a period from now."""
    return utcnow() + dt.timedelta(hours=settings.retention_every_hours)


def _run_key(when: dt.datetime) -> str:
    return f"{RETENTION_SWEEP}:{when:%Y%m%d%H}"


@dataclass
class _Run:
    context: JobContext
    store: Store
    vault: Vault
    declaration: Declaration
    actor: Actor
    settings: RetentionSettings
    connectors: dict[str, Connector]
    strategies: Strategies
    on_batch: OnBatch | None
    clock: Callable[[], dt.datetime]
    #: The last audit entry written before the run began: the run never removes its own.
    audit_head: int | None = None

    def execute(self) -> None:
        started = self.context.step(
            "start", lambda conn: {"now": self.clock().isoformat(), "audit_head": head_seq(conn)}
        )
        now = dt.datetime.fromisoformat(str(_field(started, "now")))
        head = _field(started, "audit_head")
        self.audit_head = head if isinstance(head, int) else None
        protected = self._protected()
        for sweep in sweeps(self.declaration):
            self._sweep(sweep, now, set(protected.get(_place(sweep), ())))
        for sweep in event_sweeps(self.declaration):
            self._sweep_events(sweep, now, set(protected.get(_place(sweep), ())))
        for own in own_sweeps(self.declaration):
            self._sweep_own(own, now)

        def plan_next(conn: Connection) -> JsonValue:
            next_run = now + self.settings.every
            enqueue(conn, RETENTION_SWEEP, {}, run_after=next_run, dedupe_key=_run_key(next_run))
            return {"next": next_run.isoformat()}

        self.context.step("next", plan_next)

    def _sweep_own(self, sweep: OwnSweep, now: dt.datetime) -> None:
        """gardien's own records: each batch removed, audited and recorded in one store
        transaction, so it is done exactly once."""
        number = 0
        ceiling = self.audit_head
        while True:

            def remove(conn: Connection, number: int = number) -> JsonValue:
                try:
                    removed = sweep.remove(
                        conn, now, self.settings.batch_rows, self._checkpoint_key, ceiling
                    )
                except AuditError as exc:
                    # Entries that show tampering stay as evidence; the other sweeps, and
                    # the next run, go on (`gardien audit verify` names the entry).
                    logger.error("retention: %s: %s", sweep.name, exc.message)
                    return {"claimed": 0, "refused": exc.message[:200]}
                if removed.claimed:
                    self.actor.record(
                        conn,
                        RetentionBatchSwept(
                            sweep=sweep.name, rule=sweep.rule_id, batch=number,
                            claimed=removed.claimed, deleted=removed.deleted,
                            changed=removed.changed,
                        ),
                    )  # fmt: skip
                return {
                    "claimed": removed.claimed,
                    "deleted": removed.deleted,
                    "changed": removed.changed,
                }

            counts = _counts(self.context.step(f"own:{sweep.key}:{number}", remove))
            if not counts.get("claimed"):
                return
            if not counts.get("deleted") and not counts.get("changed"):
                return  # nothing could be done to what was found: the next run tries again
            if self.on_batch is not None:
                self.on_batch(sweep, number, counts)
            number += 1

    def _checkpoint_key(self) -> Ed25519PrivateKey:
        return signing_key(self.vault.derived_secret(CHECKPOINT_SECRET))

    def _protected(self) -> dict[str, list[Any]]:
        from gardien.requests.records import open_requests_needing_data

        def find() -> JsonValue:
            with self.store.engine.connect() as conn:
                people = open_requests_needing_data(conn, self.vault)
            keys: dict[str, JsonValue] = {}
            if not people:
                return keys
            plan = plan_for(self.declaration)
            with open_readers(self.connectors) as readers:
                for identities in people:
                    location = locate(plan, readers, identities, lookup_only=True)
                    for (datastore, collection), found in location.keys.items():
                        listed = keys.setdefault(f"{datastore}.{collection}", [])
                        assert isinstance(listed, list)
                        listed.extend(k if isinstance(k, int | str) else str(k) for k in found)
            return keys

        result = self.context.external_step("protect", find)
        if not isinstance(result, dict):
            return {}
        return {place: list(keys) for place, keys in result.items() if isinstance(keys, list)}

    def _held(self, sweep: Sweep, now: dt.datetime) -> bool:
        """Whether declared legal holds suspend ``sweep`` (recorded and audited once)."""
        holds = suspending_holds(self.declaration, sweep, now.date())
        if holds:

            def held(conn: Connection) -> JsonValue:
                event = RetentionSweepHeld(sweep=sweep.name, rule=sweep.rule_id, holds=tuple(holds))
                self.actor.record(conn, event)
                return {"held_by": list(holds)}

            self.context.step(f"held:{sweep.step_name}", held)
        return bool(holds)

    def _sweep_events(self, sweep: Sweep, now: dt.datetime, protected: set[Any]) -> None:
        """A sweep that runs from recorded events: per batch, ``claim`` records the ids of
        the next events due (after the last batch's), ``locate`` the keys of their people's
        rows, ``apply`` acts on those rows and, with its record and audit entry, marks the
        events it finished."""
        if self._held(sweep, now):
            return
        after: str | None = None
        number = 0
        limit = max(1, min(EVENTS_PER_BATCH, self.settings.batch_rows))
        while True:

            def read(after: str | None = after) -> JsonValue:
                with self.store.engine.connect() as conn:
                    return {"events": list(claim_events(conn, sweep, now, after, limit))}

            claimed = self.context.external_step(f"claim:{sweep.step_name}:{number}", read)
            listed = _field(claimed, "events")
            ids = [i for i in listed if isinstance(i, str)] if isinstance(listed, list) else []
            if not ids:
                return

            def find(ids: list[str] = ids) -> JsonValue:
                with self.store.engine.connect() as conn:
                    people = open_identities(conn, self.vault, ids)
                connector = self.connectors[sweep.datastore]
                return locate_events(
                    self.declaration, connector, sweep, people, now, protected
                ).as_json()

            found = self.context.external_step(f"locate:{sweep.step_name}:{number}", find)
            located = Located.from_json(found if isinstance(found, dict) else {})

            def act(located: Located = located, events: int = len(ids)) -> JsonValue:
                outcome = apply_located(
                    self.declaration, self.connectors, sweep, located, events, self.strategies,
                    now,
                )  # fmt: skip
                return dict(outcome.as_json())

            def audit(
                conn: Connection, result: JsonValue, number: int = number,
                located: Located = located,
            ) -> None:  # fmt: skip
                mark_swept(conn, self.declaration, sweep, located.finished, now)
                self._audit_batch(conn, sweep, number, _counts(result))

            result = self.context.external_step(
                f"apply:{sweep.step_name}:{number}", act, on_record=audit
            )
            if self.on_batch is not None:
                self.on_batch(sweep, number, _counts(result))
            after = ids[-1]
            number += 1

    def _audit_batch(
        self, conn: Connection, sweep: Sweep, number: int, counts: Mapping[str, int]
    ) -> None:
        self.actor.record(
            conn,
            RetentionBatchSwept(
                sweep=sweep.name, rule=sweep.rule_id, batch=number,
                claimed=counts.get("claimed", 0), deleted=counts.get("deleted", 0),
                changed=counts.get("changed", 0), archived=counts.get("archived", 0),
                cascaded=counts.get("cascaded", 0), gone=counts.get("gone", 0),
                kept_for_requests=counts.get("kept_for_requests", 0),
                events=counts.get("events", 0), held=counts.get("held", 0),
            ),
        )  # fmt: skip

    def _sweep(self, sweep: Sweep, now: dt.datetime, protected: set[Any]) -> None:
        if self._held(sweep, now):
            return
        connector = self.connectors[sweep.datastore]
        if counted_in_one_statement(self.declaration, connector, sweep, protected):
            self._sweep_counted(sweep, now)
            return
        number = 0
        window = self._claim(sweep, now, None, number)
        while window is not None:
            result, claimed, following = self._apply(sweep, now, window, protected, number)
            if self.on_batch is not None:
                self.on_batch(sweep, number, result)
            number += 1
            # The next window was claimed and recorded with this batch (one store transaction
            # a batch); a run recorded before that was so claims it on its own.
            window = following if claimed else self._claim(sweep, now, window.through, number)

    def _sweep_counted(self, sweep: Sweep, now: dt.datetime) -> None:
        """Batches of one self-counting ``DELETE`` each (PostgreSQL), walking the table in
        storage order, a range of pages at a time (``row_ranges``): no window is claimed
        first; the count, and the company transaction's id, are recorded before that
        transaction commits (``count:<sweep>:<n>:<try>``), then the batch is recorded and
        audited (``apply:<sweep>:<n>``) as any other, with the next batch's range. A replay
        that finds a count recorded and no batch asks the database what became of its
        transaction: committed, the recorded count stands; rolled back, the batch is done
        again under a new try. A range with no due row is recorded, not audited."""
        place: RowRange | None = None
        number = 0
        while True:
            result = self._counted_batch(sweep, now, place, number)
            counts = _counted(result)
            if counts.get("claimed") and self.on_batch is not None:
                self.on_batch(sweep, number, counts)
            following = _field(result, "next")
            if not isinstance(following, dict):
                return
            place = RowRange.from_json(following)
            number += 1

    def _counted_batch(
        self, sweep: Sweep, now: dt.datetime, place: RowRange | None, number: int
    ) -> JsonValue:
        connector = self.connectors[sweep.datastore]
        least = self.settings.batch_rows

        def act() -> JsonValue:
            attempt, committed = self._counted_before(connector, sweep, sweep.due(now), number)
            if committed is not None:
                return committed
            started = time.perf_counter()
            with connector.transaction() as plain:
                writer = cast(CountingWriter, plain)
                writer.check_columns(sweep.collection, sweep.columns)
                txid = writer.transaction_id()
                size = writer.table_size(sweep.collection)
                here = place if place is not None else first_range(least, size)
                deleted, last = writer.delete_next_due(
                    sweep.collection, sweep.due(now), here.after, here.before_page, here.limit
                )
                following = next_range(
                    here, deleted, last, time.perf_counter() - started, least, size
                )
                result: dict[str, JsonValue] = {
                    "claimed": deleted,
                    "deleted": deleted,
                    "txid": txid,
                    "range": here.as_json(),
                    "through": last,
                    "next": following.as_json() if following is not None else None,
                }
                # Recorded before the company commits: a replay tells by this
                # transaction's fate whether these rows went.
                self.context.step(_count_step(sweep, number, attempt), lambda _conn: result)
            return result

        def audit(conn: Connection, result: JsonValue) -> None:
            if _counts(result).get("claimed"):
                self._audit_batch(conn, sweep, number, _counted(result))

        return self.context.external_step(f"apply:{sweep.step_name}:{number}", act, on_record=audit)

    def _counted_before(
        self, connector: Connector, sweep: Sweep, due: DueWhere, number: int
    ) -> tuple[int, JsonValue | None]:
        """The next try of batch ``number``, or the count of a try whose transaction
        committed (the worker died before it recorded the batch)."""
        for attempt in itertools.count():
            done, recorded = self.context.recorded(_count_step(sweep, number, attempt))
            if not done or not isinstance(recorded, dict):
                return attempt, None
            with connector.reading() as plain:
                reader = cast(CountingWriter, plain)
                fate = reader.transaction_fate(int(str(recorded.get("txid"))))
                if fate == TransactionFate.UNKNOWN:
                    # Too old for the database to remember: its rows tell. Any of them
                    # still due, it was rolled back.
                    through, read = recorded.get("through"), recorded.get("range")
                    left = bool(recorded.get("claimed")) and isinstance(read, dict)
                    if left and isinstance(read, dict):
                        place = RowRange.from_json(read)
                        left = reader.any_due_between(
                            sweep.collection, due, place.after, place.before_page,
                            through if isinstance(through, str) else None,
                        )  # fmt: skip
                    fate = TransactionFate.ABORTED if left else TransactionFate.COMMITTED
            if fate == TransactionFate.COMMITTED:
                return attempt, recorded
            if fate == TransactionFate.IN_PROGRESS:
                # The dead worker's connection is not closed yet: the job is retried.
                raise DatastoreUnavailableError(
                    f"datastore {sweep.datastore!r} still runs the transaction of an earlier "
                    f"try of batch {number} of {sweep.name}; the run will be retried"
                )
        raise AssertionError("unreachable")  # pragma: no cover

    def _claim(
        self, sweep: Sweep, now: dt.datetime, after: Any | None, number: int
    ) -> Window | None:
        connector = self.connectors[sweep.datastore]

        def read() -> JsonValue:
            window = claim(connector, sweep, now, after, self.settings.batch_rows)
            return window.as_json() if window is not None else {"count": 0}

        claimed = self.context.external_step(f"claim:{sweep.step_name}:{number}", read)
        if not isinstance(claimed, dict) or not claimed.get("count"):
            return None
        return Window.from_json(claimed)

    def _apply(
        self, sweep: Sweep, now: dt.datetime, window: Window, protected: set[Any], number: int
    ) -> tuple[dict[str, int], bool, Window | None]:
        """Act on ``window``, then claim the next window after it: both recorded in one
        step (``apply:<sweep>:<n>``, its ``next``), with the batch's audit entry. A replay
        after a crash acts on the same window again and claims the next one anew (nothing
        of it was recorded). The counts, whether the next window was claimed with them, and
        that window (None: nothing more is due)."""

        def act() -> JsonValue:
            started = time.perf_counter()
            outcome = apply(
                self.declaration, self.connectors, sweep, window, self.strategies, now, protected
            )
            limit = next_batch_rows(
                window.count, time.perf_counter() - started, self.settings.batch_rows
            )
            following = claim(self.connectors[sweep.datastore], sweep, now, window.through, limit)
            nxt: dict[str, JsonValue] = (
                following.as_json() if following is not None else {"count": 0}
            )
            return {**outcome.as_json(), "next": nxt}

        def audit(conn: Connection, result: JsonValue) -> None:
            self._audit_batch(conn, sweep, number, _counts(result))

        result = self.context.external_step(
            f"apply:{sweep.step_name}:{number}", act, on_record=audit
        )
        nxt = _field(result, "next")
        if not isinstance(nxt, dict):
            return _counts(result), False, None
        return _counts(result), True, Window.from_json(nxt) if nxt.get("count") else None


#: The most rows a window of keys grows to: the company's database holds each batch's
#: transaction (its locks) for about a second at most, and a batch's keys stay few in memory.
MAX_BATCH_ROWS = 100_000


def next_batch_rows(done: int, seconds: float, least: int) -> int:
    """How many rows the next batch claims, given that the last acted on ``done`` rows in
    ``seconds``: a batch size chosen by time rather than rows, from ``least`` (the setting)
    up to ``MAX_BATCH_ROWS``, so that a fast database is swept in few batches and a slow
    one in short ones."""
    size = max(done, least)
    if seconds < BATCH_SECONDS / 2:
        size *= 2
    elif seconds > BATCH_SECONDS * 2:
        size //= 2
    return max(least, min(size, max(MAX_BATCH_ROWS, least)))


#: What a self-counting batch records besides its counts: its transaction (its range and
#: the next one are not counts: they are not plain numbers).
_BOOKKEEPING = frozenset({"txid"})


def _counted(result: JsonValue) -> dict[str, int]:
    return {name: n for name, n in _counts(result).items() if name not in _BOOKKEEPING}


def _count_step(sweep: Sweep, number: int, attempt: int) -> str:
    return f"count:{sweep.step_name}:{number}:{attempt}"


def _counts(result: JsonValue) -> dict[str, int]:
    if not isinstance(result, dict):
        return {}
    return {name: int(value) for name, value in result.items() if isinstance(value, int)}


def _place(sweep: Sweep) -> str:
    return f"{sweep.datastore}.{sweep.collection}"


def _field(result: JsonValue, name: str) -> JsonValue:
    return result.get(name) if isinstance(result, dict) else None
