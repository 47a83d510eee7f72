"""What retention does, read from the declaration: one sweep per bound collection and phase.

A collection bound to a rule (``datastores.<ds>.collections.<c>.retention``)
gives one sweep, or two when the rule archives first:

- ``delete``: the rows whose time is up go, and rows pointing at them follow
  as their references declare;
- ``anonymise``: named fields (or every declared field but the key and the
  references) are cleared on those rows, which stay;
- ``archive``: the rows are copied to the archive table, then deleted from
  the collection; ``purge-archive``: archived rows whose archive phase is
  over are deleted from the archive.

``cutoff`` turns a rule into a moment: a row is due when its anchor is at or
before it. A retention period is a maximum, so the cutoff is never late:
every row whose anchor plus the period (by the calendar) is past is due. At
the end of a month, where the calendar folds several days into one (29, 30
and 31 January + 1 month are all 28 February), those rows go together, up to
three days early. A row-level legal hold is a minimum, so its end is never
early: it may last up to three days more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from gardien.connectors.base import DueWhere
from gardien.declaration.models import (
    Declaration,
    ErasureStrategy,
    RetentionAction,
    RetentionEvent,
    RetentionRule,
    RowHold,
)
from gardien.declaration.values import Duration


class SweepAction(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    ARCHIVE = "archive"
    PURGE_ARCHIVE = "purge-archive"


@dataclass(frozen=True)
class Sweep:
    """One thing a retention run does to one collection (or to its archive)."""

    #: Where the rows are: the bound collection, or its archive for ``purge-archive``.
    datastore: str
    collection: str
    key: str
    action: SweepAction
    rule_id: str
    rule: RetentionRule
    anchor: str
    #: The bound collection (the same as above but for ``purge-archive``).
    bound: tuple[str, str]
    #: The bound collection's declared columns (what an archive copies).
    columns: tuple[str, ...] = ()
    #: Fields cleared by ``anonymise``, and how (``redact`` for free text, else nulled).
    fields: tuple[tuple[str, ErasureStrategy], ...] = ()
    #: Where ``archive`` copies the rows: (datastore, table).
    archive: tuple[str, str] | None = None
    #: The collection's row-level legal hold (rows it keeps are not due).
    hold: RowHold | None = None
    #: For a binding that runs from an event gardien records (``event:``), that event:
    #: the sweep works per recorded event, not per date column (``events.py``).
    event: RetentionEvent | None = None
    #: The binding's ``until_anchor``: the column of the ``until`` event's date, for a rule
    #: that also has a duration (a row is due at whichever comes first).
    ended: str | None = None

    @property
    def name(self) -> str:
        """``datastore.collection:action``: what the plan and the audit call it."""
        return f"{self.datastore}.{self.collection}:{self.action.value}"

    @property
    def step_name(self) -> str:
        """A short, stable name for the job's recorded steps (they hold 100 characters)."""
        if len(self.name) <= 60:
            return self.name
        return self.name[:40] + "~" + hashlib.sha256(self.name.encode()).hexdigest()[:12]

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        """Rows anchored at or before this moment are due at ``now`` (never late)."""
        end = now
        if self.action is SweepAction.PURGE_ARCHIVE and self.rule.archive is not None:
            end = not_late(self.rule.archive.duration, end)
        return not_late(self.rule.duration, end) if self.rule.duration is not None else end

    def due(self, now: dt.datetime) -> DueWhere:
        """Which rows are due at ``now``: past the cutoff, not under the row-level hold,
        and for ``anonymise`` not cleared already."""
        held_by = held_until = None
        # Archiving keeps the rows (the purge of the archive then waits for the hold).
        if self.hold is not None and self.action is not SweepAction.ARCHIVE:
            held_by, held_until = self.hold.anchor, not_early(self.hold.duration, now)
        pending = tuple(
            name for name, how in self.fields if how is not ErasureStrategy.REDACT
        )  # a redacted text is still a text: the nulled fields tell a cleared row
        if self.ended is not None:
            # Whichever comes first: the `until` event recorded in ``ended`` ends the active
            # period at once; an archive then runs its own period from that date.
            ended_before = now
            if self.action is SweepAction.PURGE_ARCHIVE and self.rule.archive is not None:
                ended_before = not_late(self.rule.archive.duration, now)
            return DueWhere(
                self.anchor, self.cutoff(now), held_by, held_until, pending, self.ended,
                ended_before,
            )  # fmt: skip
        return DueWhere(self.anchor, self.cutoff(now), held_by, held_until, pending)


def not_late(duration: Duration, moment: dt.datetime) -> dt.datetime:
    """The latest anchor whose period is over at ``moment``: every anchor ``a`` with ``a``
    plus ``duration`` (by the calendar) at or before ``moment`` is at or before it."""
    day = duration.before(moment.date())
    while duration.after(day + dt.timedelta(days=1)) <= moment.date():
        day += dt.timedelta(days=1)
    if duration.after(day) < moment.date():
        return dt.datetime.combine(day, dt.time.max, moment.tzinfo)
    return dt.datetime.combine(day, moment.timetz())


def not_early(duration: Duration, moment: dt.datetime) -> dt.datetime:
    """An anchor at or before this moment has served its whole ``duration`` at
    ``moment``: what a minimum (a hold) is counted with."""
    return dt.datetime.combine(duration.before(moment.date()), moment.timetz())


def sweeps(declaration: Declaration) -> list[Sweep]:
    """Every sweep the declaration binds to a date column, archive purges first (their
    rows were moved there by an earlier run), then in declaration order."""
    return _sweeps(declaration, events=False)


def event_sweeps(declaration: Declaration) -> list[Sweep]:
    """Every sweep that runs from an event gardien records (``event:`` bindings), in
    declaration order; ``anchor`` names the event (``event:account_deletion``)."""
    return _sweeps(declaration, events=True)


def _sweeps(declaration: Declaration, *, events: bool) -> list[Sweep]:
    found: list[Sweep] = []
    purges: list[Sweep] = []
    for sid, store in declaration.datastores.items():
        for cname, collection in store.collections.items():
            binding = collection.retention
            if binding is None or binding.rule not in declaration.retention:
                continue
            if (binding.event is not None) is not events:
                continue
            rule = declaration.retention[binding.rule]
            if rule.indefinitely is not None:
                continue  # kept without limit (declared with its reason): nothing is ever due
            key = next((f for f, d in collection.fields.items() if d.primary_key), None)
            if key is None:
                continue  # `gardien validate` asks for one (rows are acted on by key)
            anchor = binding.anchor or f"event:{binding.event}"
            common = {
                "rule_id": binding.rule, "rule": rule, "anchor": anchor,
                "bound": (sid, cname), "key": key, "columns": tuple(collection.fields),
                "event": binding.event, "ended": binding.until_anchor,
            }  # fmt: skip
            if events and rule.archive is not None and not binding.fields:
                continue  # `gardien validate` refuses it: archived rows carry no date
            if binding.fields or (rule.then is RetentionAction.ANONYMISE and not rule.archive):
                targets = binding.fields or tuple(
                    f
                    for f, d in collection.fields.items()
                    if not d.primary_key and d.references is None and f != binding.anchor
                )
                fields = tuple(
                    (f, collection.fields[f].erasure) for f in targets if f in collection.fields
                )
                found.append(
                    Sweep(sid, cname, action=SweepAction.ANONYMISE, fields=fields,
                          hold=collection.legal_hold, **common)  # type: ignore[arg-type]
                )  # fmt: skip
            elif rule.archive is not None and binding.archive is not None:
                target = (binding.archive.datastore or sid, binding.archive.collection)
                found.append(
                    Sweep(sid, cname, action=SweepAction.ARCHIVE, archive=target,
                          hold=collection.legal_hold, **common)  # type: ignore[arg-type]
                )  # fmt: skip
                # The archive keeps rows under a hold as long as the hold runs: its own, when
                # the archive is a declared collection, else the one they came with.
                archived = declaration.datastores.get(target[0])
                declared = archived.collections.get(target[1]) if archived else None
                hold = declared.legal_hold if declared is not None else collection.legal_hold
                purges.append(
                    Sweep(target[0], target[1], action=SweepAction.PURGE_ARCHIVE, hold=hold,
                          **common)  # type: ignore[arg-type]
                )  # fmt: skip
            else:
                found.append(
                    Sweep(sid, cname, action=SweepAction.DELETE, hold=collection.legal_hold,
                          **common)  # type: ignore[arg-type]
                )  # fmt: skip
    return purges + found


def suspending_holds(declaration: Declaration, sweep: Sweep, today: dt.date) -> list[str]:
    """The declared legal holds (``legal_holds``) in force that cover the data of
    ``sweep``'s collection: while one runs, nothing of it is deleted or cleared."""
    sid, cname = sweep.bound
    categories = {
        category
        for field in declaration.datastores[sid].collections[cname].fields.values()
        for category in field.categories
    }
    held: list[str] = []
    for hid, hold in declaration.legal_holds.items():
        if hold.until is not None and hold.until < today:
            continue
        if any(
            category == covered or category.startswith(covered + ".")
            for category in categories
            for covered in hold.categories
        ):
            held.append(hid)
    return held
