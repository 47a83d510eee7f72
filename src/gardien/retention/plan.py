"""The dry run: per sweep, how many rows are due now, the oldest, how many fall due soon.

Nothing is changed: one counting query per sweep, and for a sweep that
deletes, one per collection below it: how many rows the due rows reach down
the references followed down (they go with them, unless held). A sweep a
declared legal hold suspends still shows its counts, with the holds named
(nothing of it goes while they run). ``plan_events`` plans the sweeps that
run from events recorded in gardien's store: how many events (people) are
due, the oldest, how many fall due soon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection

from gardien.connectors.base import Connector, Hop
from gardien.declaration.models import Declaration
from gardien.retention.events import count_due
from gardien.retention.own import OwnSweep, own_sweeps
from gardien.retention.sweeps import Sweep, SweepAction, event_sweeps, suspending_holds, sweeps

#: "Falls due soon": within this many days.
HORIZON = dt.timedelta(days=30)


@dataclass(frozen=True)
class PlannedSweep:
    sweep: Sweep
    #: Rows anchored at or before this moment are due now.
    cutoff: dt.datetime
    due: int
    oldest: dt.datetime | dt.date | None
    #: Rows not due now that fall due within the horizon.
    soon: int
    #: The declared legal holds suspending the sweep.
    held_by: tuple[str, ...] = ()
    #: Rows below the due rows, per collection: deleted with them, unless held.
    below: Mapping[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        where = {
            "sweep": self.sweep.name,
            "datastore": self.sweep.datastore,
            "collection": self.sweep.collection,
            "action": self.sweep.action.value,
            "rule": self.sweep.rule_id,
            "anchor": self.sweep.anchor,
        }
        if self.sweep.event is not None:
            # Due counts are of recorded events (people), whose rows a run then finds.
            where["event"] = self.sweep.event.value
        return where | _counts_json(self)


def plan_retention(
    declaration: Declaration,
    connectors: Mapping[str, Connector],
    now: dt.datetime,
    horizon: dt.timedelta = HORIZON,
) -> list[PlannedSweep]:
    """What a run at ``now`` would do, sweep by sweep; changes nothing."""
    planned = []
    for sweep in sweeps(declaration):
        due = sweep.due(now)
        below: dict[str, int] = {}
        with connectors[sweep.datastore].reading() as reader:
            counted = reader.count_due(sweep.collection, due, sweep.due(now + horizon))
            if counted.due and sweep.action in (SweepAction.DELETE, SweepAction.ARCHIVE):
                for target, (key, paths) in _below(declaration, sweep).items():
                    reached = reader.count_below(sweep.collection, due, target, key, paths)
                    if reached:
                        below[target] = reached
        planned.append(
            PlannedSweep(
                sweep,
                due.before,
                counted.due,
                counted.oldest,
                counted.soon,
                tuple(suspending_holds(declaration, sweep, now.date())),
                below,
            )
        )
    return planned


def plan_events(
    conn: Connection, declaration: Declaration, now: dt.datetime, horizon: dt.timedelta = HORIZON
) -> list[PlannedSweep]:
    """What a run at ``now`` would do from the events recorded in gardien's store (``conn``),
    sweep by sweep: the counts are of events (people), whose rows the run finds by their
    identities; changes nothing."""
    planned = []
    for sweep in event_sweeps(declaration):
        counted = count_due(conn, sweep, now, horizon)
        held = tuple(suspending_holds(declaration, sweep, now.date()))
        planned.append(
            PlannedSweep(sweep, sweep.cutoff(now), counted.due, counted.oldest, counted.soon, held)
        )
    return planned


@dataclass(frozen=True)
class PlannedOwn:
    """The dry run of one sweep of gardien's own records (``own_records:``)."""

    sweep: OwnSweep
    cutoff: dt.datetime
    due: int
    oldest: dt.datetime | dt.date | None
    soon: int
    held_by: tuple[str, ...] = ()
    below: Mapping[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        where = {
            "sweep": self.sweep.name,
            "datastore": "gardien",
            "collection": self.sweep.table,
            "action": "clear" if self.sweep.period is None else "delete",
            "rule": self.sweep.rule_id,
            "anchor": self.sweep.anchor,
        }
        return where | _counts_json(self)


def _counts_json(planned: PlannedSweep | PlannedOwn) -> dict[str, object]:
    return {
        "cutoff": planned.cutoff.isoformat(),
        "due_now": planned.due,
        "oldest": planned.oldest.isoformat() if planned.oldest is not None else None,
        "due_within_30_days": planned.soon,
        "held_by": list(planned.held_by),
        "rows_below": dict(planned.below),
    }


def plan_own(
    conn: Connection, declaration: Declaration, now: dt.datetime, horizon: dt.timedelta = HORIZON
) -> list[PlannedOwn]:
    """What a run at ``now`` would remove of gardien's own records; changes nothing."""
    planned = []
    for sweep in own_sweeps(declaration):
        counted = sweep.count(conn, now, horizon)
        planned.append(
            PlannedOwn(sweep, sweep.cutoff(now), counted.due, counted.oldest, counted.soon)
        )
    return planned


#: Paths followed to one collection below a sweep, at most: a plan stays a few queries.
MAX_PATHS = 16


def _below(declaration: Declaration, sweep: Sweep) -> dict[str, tuple[str, list[list[Hop]]]]:
    """The collections below ``sweep``'s, each with its key and the paths down to it."""
    collections = declaration.datastores[sweep.datastore].collections
    found: dict[str, tuple[str, list[list[Hop]]]] = {}

    def walk(parent: str, path: list[Hop], visited: frozenset[str]) -> None:
        for child, collection in collections.items():
            key = next((f for f, d in collection.fields.items() if d.primary_key), None)
            if child in visited or key is None:
                continue
            for name, declared in collection.fields.items():
                ref = declared.references
                if ref is None or ref.collection != parent or not ref.follow.down:
                    continue
                down = [*path, Hop(child, name, ref.field)]
                paths = found.setdefault(child, (key, []))[1]
                if len(paths) < MAX_PATHS:
                    paths.append(down)
                    walk(child, down, visited | {child})

    walk(sweep.collection, [], frozenset({sweep.collection}))
    return found
