"""The dry run: per sweep, how many rows are due now, the oldest, how many fall due soon.

Nothing is changed: one counting query per sweep. A sweep a declared legal
hold suspends still shows its counts, with the holds named (nothing of it
goes while they run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from gardien.connectors.base import Connector
from gardien.declaration.models import Declaration
from gardien.retention.sweeps import Sweep, suspending_holds, sweeps

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

    def as_json(self) -> dict[str, object]:
        return {
            "sweep": self.sweep.name,
            "datastore": self.sweep.datastore,
            "collection": self.sweep.collection,
            "action": self.sweep.action.value,
            "rule": self.sweep.rule_id,
            "anchor": self.sweep.anchor,
            "cutoff": self.cutoff.isoformat(),
            "due_now": self.due,
            "oldest": self.oldest.isoformat() if self.oldest is not None else None,
            "due_within_30_days": self.soon,
            "held_by": list(self.held_by),
        }


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
        with connectors[sweep.datastore].reading() as reader:
            counted = reader.count_due(sweep.collection, due, sweep.cutoff(now + horizon))
        planned.append(
            PlannedSweep(
                sweep,
                due.before,
                counted.due,
                counted.oldest,
                counted.soon,
                tuple(suspending_holds(declaration, sweep, now.date())),
            )
        )
    return planned
