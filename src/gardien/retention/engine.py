"""Carrying out one batch of a sweep on a company datastore: claim due keys, then act.

``claim`` reads the keys of the next due rows, in key order, after the last
batch's (so that a run resumes where it stopped). ``apply`` acts on exactly
those keys, in one transaction of the datastore:

- ``delete``: the rows, and the rows pointing at them by a reference followed
  down (children first, through the erasure engine: a row under its legal
  hold stays, and so does the parent it points at, emptied instead); a
  reference that is not followed down (a team's owner) is set to NULL;
- ``archive``: the rows are copied into the archive table (those not there
  already), then deleted as above; an archive in another datastore is
  written, and committed, first;
- ``anonymise``: the fields are cleared, free text declared ``redact`` through
  the redaction room, the rest set to NULL (a NOT NULL text gets a token);
- ``purge-archive``: the archived rows are deleted.

A key claimed but no longer there (the run was killed after it acted and
before it recorded the batch) is counted as ``gone``: nothing is done twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from gardien.connectors.base import ANONYMISED, Connector, Writer
from gardien.connectors.erase import Strategies, erase_located, refused
from gardien.connectors.locate import Location
from gardien.connectors.plan import Place
from gardien.declaration.models import Declaration, ErasureStrategy
from gardien.retention.sweeps import Sweep, SweepAction


@dataclass(frozen=True)
class BatchOutcome:
    claimed: int
    deleted: int = 0
    changed: int = 0
    archived: int = 0
    cascaded: int = 0
    gone: int = 0

    def as_json(self) -> dict[str, int]:
        return {
            "claimed": self.claimed, "deleted": self.deleted, "changed": self.changed,
            "archived": self.archived, "cascaded": self.cascaded, "gone": self.gone,
        }  # fmt: skip


def claim(
    connector: Connector, sweep: Sweep, now: dt.datetime, after: Any | None, limit: int
) -> list[Any]:
    """The keys of the next ``limit`` due rows after ``after``, as JSON can hold them."""
    with connector.reading() as reader:
        keys = reader.due_keys(sweep.collection, sweep.key, sweep.due(now), after, limit)
    return [key if isinstance(key, int | str) else str(key) for key in keys]


def apply(
    declaration: Declaration,
    connectors: Mapping[str, Connector],
    sweep: Sweep,
    keys: Sequence[Any],
    strategies: Strategies,
    now: dt.datetime,
) -> BatchOutcome:
    """Do ``sweep``'s action to the rows ``keys`` names (those still there)."""
    connector = connectors[sweep.datastore]
    try:
        if sweep.action is SweepAction.ARCHIVE:
            assert sweep.archive is not None
            if sweep.archive[0] != sweep.datastore:
                copied = _archive_elsewhere(connectors, sweep, keys)
                with connector.transaction() as writer:
                    outcome = _delete(declaration, writer, sweep, keys, strategies, now)
                return _with(outcome, archived=copied)
            with connector.transaction() as writer:
                copied = _copy(writer, writer, sweep, keys)
                return _with(
                    _delete(declaration, writer, sweep, keys, strategies, now), archived=copied
                )
        with connector.transaction() as writer:
            if sweep.action is SweepAction.ANONYMISE:
                return _anonymise(writer, sweep, keys, strategies)
            if sweep.action is SweepAction.PURGE_ARCHIVE:
                present = _present(writer, sweep, keys)
                deleted = writer.delete_rows(sweep.collection, sweep.key, present)
                return BatchOutcome(len(keys), deleted=deleted, gone=len(keys) - len(present))
            return _delete(declaration, writer, sweep, keys, strategies, now)
    except IntegrityError as exc:
        raise refused(sweep.datastore, exc) from None


def _with(outcome: BatchOutcome, *, archived: int) -> BatchOutcome:
    return BatchOutcome(
        outcome.claimed, outcome.deleted, outcome.changed, archived, outcome.cascaded,
        outcome.gone,
    )  # fmt: skip


def _present(writer: Writer, sweep: Sweep, keys: Sequence[Any]) -> list[Any]:
    return [
        row[sweep.key] for row in writer.rows_where(sweep.collection, sweep.key, keys, [sweep.key])
    ]


def _delete(
    declaration: Declaration,
    writer: Writer,
    sweep: Sweep,
    keys: Sequence[Any],
    strategies: Strategies,
    now: dt.datetime,
) -> BatchOutcome:
    present = _present(writer, sweep, keys)
    if not present:
        return BatchOutcome(len(keys), gone=len(keys))
    location = _with_children(declaration, writer, sweep, present)
    outcomes = erase_located(
        writer, declaration, sweep.datastore, location, strategies, now=now, delete_all=True
    )
    own = [o for o in outcomes if o.collection == sweep.collection]
    others = [o for o in outcomes if o.collection != sweep.collection]
    return BatchOutcome(
        len(keys),
        deleted=sum(o.deleted for o in own),
        changed=sum(o.changed for o in outcomes),
        cascaded=sum(o.deleted for o in others),
        gone=len(keys) - len(present),
    )


def _with_children(
    declaration: Declaration, writer: Writer, sweep: Sweep, keys: Sequence[Any]
) -> Location:
    """The rows to delete: ``keys``, and every row pointing at one of them by a reference
    followed down, and so on (each row once). References not followed down are set to
    NULL on the rows that hold them (those rows stay, no longer pointing at the rows
    that go)."""
    store = declaration.datastores[sweep.datastore]
    location = Location()
    location.keys[(sweep.datastore, sweep.collection)] = list(keys)
    seen: dict[str, set[Any]] = {sweep.collection: set(keys)}
    pending: list[tuple[str, list[Any]]] = [(sweep.collection, list(keys))]
    while pending:
        parent, parent_keys = pending.pop()
        parent_key = _key_of(declaration, sweep.datastore, parent)
        if parent_key is None:
            continue  # only rows found by their key are here
        for child, collection in store.collections.items():
            child_key = _key_of(declaration, sweep.datastore, child)
            for fname, field in collection.fields.items():
                ref = field.references
                if ref is None or ref.collection != parent:
                    continue
                values = (
                    parent_keys
                    if ref.field == parent_key
                    else [
                        row[ref.field]
                        for row in writer.rows_where(parent, parent_key, parent_keys, [ref.field])
                        if row[ref.field] is not None
                    ]
                )
                if not values:
                    continue
                if not ref.follow.down or child_key is None:
                    writer.update_rows(child, fname, values, {fname: None})
                    continue
                found = [
                    row[child_key]
                    for row in writer.rows_where(child, fname, values, [child_key])
                    if row[child_key] not in seen.setdefault(child, set())
                ]
                if found:
                    seen[child].update(found)
                    place: Place = (sweep.datastore, child)
                    location.keys.setdefault(place, []).extend(found)
                    pending.append((child, found))
    return location


def _key_of(declaration: Declaration, datastore: str, collection: str) -> str | None:
    fields = declaration.datastores[datastore].collections[collection].fields
    return next((name for name, field in fields.items() if field.primary_key), None)


def _copy(source: Writer, target: Writer, sweep: Sweep, keys: Sequence[Any]) -> int:
    """Copy the rows ``keys`` names into the archive, but those already there."""
    assert sweep.archive is not None
    table = sweep.archive[1]
    columns = list(sweep.columns)
    rows = list(source.rows_where(sweep.collection, sweep.key, keys, columns))
    there = {row[sweep.key] for row in target.rows_where(table, sweep.key, keys, [sweep.key])}
    return target.insert_rows(table, [row for row in rows if row[sweep.key] not in there])


def _archive_elsewhere(
    connectors: Mapping[str, Connector], sweep: Sweep, keys: Sequence[Any]
) -> int:
    assert sweep.archive is not None
    with connectors[sweep.archive[0]].transaction() as target:
        with connectors[sweep.datastore].reading() as source:
            columns = list(sweep.columns)
            rows = list(source.rows_where(sweep.collection, sweep.key, keys, columns))
        there = {
            row[sweep.key]
            for row in target.rows_where(sweep.archive[1], sweep.key, keys, [sweep.key])
        }
        return target.insert_rows(
            sweep.archive[1], [row for row in rows if row[sweep.key] not in there]
        )


def _anonymise(
    writer: Writer, sweep: Sweep, keys: Sequence[Any], strategies: Strategies
) -> BatchOutcome:
    names = [name for name, _ in sweep.fields]
    rows = list(writer.rows_where(sweep.collection, sweep.key, keys, [sweep.key, *names]))
    changes: list[tuple[Any, dict[str, Any]]] = []
    for row in rows:
        values: dict[str, Any] = {}
        for name, how in sweep.fields:
            value = row.get(name)
            if value is None:
                continue
            if how is ErasureStrategy.REDACT and isinstance(value, str):
                values[name] = strategies.redact_text(value)
            elif writer.nullable(sweep.collection, name):
                values[name] = None
            elif isinstance(value, str) and not value.startswith(ANONYMISED):
                token = strategies.token(sweep.datastore, sweep.collection, name, row[sweep.key])
                values[name] = f"{ANONYMISED}{token}"
        if values:
            changes.append((row[sweep.key], values))
    changed = writer.replace_values(sweep.collection, sweep.key, changes) if changes else 0
    return BatchOutcome(len(keys), changed=changed, gone=len(keys) - len(rows))
