"""Carrying out one batch of a sweep on a company datastore: claim due keys, then act.

``claim`` reads the keys of the next due rows, in key order, after the last
batch's, and keeps their window (first and last key, how many), so that a
run resumes where it stopped. ``apply`` acts on the due rows of exactly that
window, in one transaction of the datastore; a collection whose rows are
deleted whole and that nothing points at (logs, cookies) goes in one
``DELETE … WHERE <due> AND key > :after AND key <= :through``, other sweeps
read the window's keys and act on them a chunk of 1,000 at a time:

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

A row claimed but no longer due (the run was killed after it acted and
before it recorded the batch) is counted as ``gone``: nothing is done twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from gardien.connectors.base import (
    ANONYMISED,
    Connector,
    DueWhere,
    Reader,
    RetentionReader,
    Row,
    Writer,
)
from gardien.connectors.erase import Strategies, erase_located, refused
from gardien.connectors.locate import Location
from gardien.connectors.plan import Place
from gardien.declaration.models import Declaration, ErasureStrategy
from gardien.retention.sweeps import Sweep, SweepAction

#: Keys per statement of a key-list read or change: bounded, whatever the batch's size.
CHUNK = 1000


@dataclass(frozen=True)
class Window:
    """A claimed batch: the due rows with a key after ``after`` and up to ``through``
    (``count`` of them when claimed). A window, not a list of keys: replayed after a
    crash it names the same rows, less those already gone, and records stay small."""

    after: Any | None
    through: Any
    count: int

    def as_json(self) -> dict[str, Any]:
        return {"after": self.after, "through": self.through, "count": self.count}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Window:
        return cls(data.get("after"), data["through"], int(data["count"]))


@dataclass(frozen=True)
class BatchOutcome:
    claimed: int
    deleted: int = 0
    changed: int = 0
    archived: int = 0
    cascaded: int = 0
    gone: int = 0
    kept_for_requests: int = 0
    #: Sweeps that run from recorded events only: the events of the batch, and the rows
    #: found that their collection's legal hold keeps.
    events: int = 0
    held: int = 0

    def as_json(self) -> dict[str, int]:
        counts = {
            "claimed": self.claimed, "deleted": self.deleted, "changed": self.changed,
            "archived": self.archived, "cascaded": self.cascaded, "gone": self.gone,
            "kept_for_requests": self.kept_for_requests,
        }  # fmt: skip
        if self.events:
            counts |= {"events": self.events, "held": self.held}
        return counts


def claim(
    connector: Connector, sweep: Sweep, now: dt.datetime, after: Any | None, limit: int
) -> Window | None:
    """The window of the next ``limit`` due rows after ``after``; None when none is due."""
    with connector.reading() as reader:
        found = reader.due_window(sweep.collection, sweep.key, sweep.due(now), after, limit)
    if found is None:
        return None
    return Window(after, _plain(found[0]), found[1])


def _plain(key: Any) -> Any:
    return key if isinstance(key, int | str) else str(key)


def apply(
    declaration: Declaration,
    connectors: Mapping[str, Connector],
    sweep: Sweep,
    window: Window,
    strategies: Strategies,
    now: dt.datetime,
    protected: Collection[Any] = (),
) -> BatchOutcome:
    """Do ``sweep``'s action to the due rows of ``window`` (but ``protected`` keys)."""
    connector = connectors[sweep.datastore]
    due = sweep.due(now)
    try:
        if _deletable_whole(declaration, sweep) and not _any_within(protected, window):
            with connector.transaction() as writer:
                writer.check_columns(sweep.collection, sweep.columns)
                deleted = writer.delete_due(
                    sweep.collection, sweep.key, due, window.after, window.through
                )
            return BatchOutcome(window.count, deleted=deleted, gone=window.count - deleted)
        if sweep.action is SweepAction.ARCHIVE and sweep.archive is not None:
            if sweep.archive[0] != sweep.datastore:
                with connector.reading() as reader:
                    keys, kept = _keys(reader, sweep, due, window, protected)
                copied = _archive_elsewhere(connectors, sweep, keys)
                with connector.transaction() as writer:
                    outcome = _delete(declaration, writer, sweep, keys, strategies, now)
                return _finish(outcome, window, kept, archived=copied)
            with connector.transaction() as writer:
                keys, kept = _keys(writer, sweep, due, window, protected)
                copied = _copy(writer, writer, sweep, keys)
                outcome = _delete(declaration, writer, sweep, keys, strategies, now)
            return _finish(outcome, window, kept, archived=copied)
        with connector.transaction() as writer:
            keys, kept = _keys(writer, sweep, due, window, protected)
            if sweep.action is SweepAction.ANONYMISE:
                outcome = _anonymise(writer, sweep, keys, strategies)
            else:
                outcome = _delete(declaration, writer, sweep, keys, strategies, now)
        return _finish(outcome, window, kept)
    except IntegrityError as exc:
        raise refused(sweep.datastore, exc) from None


def counted_in_one_statement(
    declaration: Declaration, connector: Connector, sweep: Sweep, protected: Collection[Any]
) -> bool:
    """Whether ``sweep``'s batches can each be one self-counting ``DELETE`` (no window
    claimed first): rows deleted whole, none kept for an open request, from a table its
    datastore deletes from by row address, counting its own deletes and telling a
    transaction's fate afterwards (an ordinary table on PostgreSQL 14 or later)."""
    counts_own_deletes = getattr(connector, "counts_own_deletes", None)
    return (
        counts_own_deletes is not None
        and _deletable_whole(declaration, sweep)
        and not protected
        and bool(counts_own_deletes(sweep.collection))
    )


def _deletable_whole(declaration: Declaration, sweep: Sweep) -> bool:
    """Whether the window's rows can go in one ``DELETE``: they are deleted, nothing
    declared points at them (no child follows, no reference to detach), no hold."""
    if sweep.action not in (SweepAction.DELETE, SweepAction.PURGE_ARCHIVE) or sweep.hold:
        return False
    collections = declaration.datastores.get(sweep.datastore)
    if collections is None:
        return True
    return not any(
        field.references is not None and field.references.collection == sweep.collection
        for collection in collections.collections.values()
        for field in collection.fields.values()
    )


def _any_within(keys: Collection[Any], window: Window) -> bool:
    return any(
        (window.after is None or key > window.after) and key <= window.through
        for key in keys
        if type(key) is type(window.through)
    )


def _keys(
    reader: RetentionReader, sweep: Sweep, due: DueWhere, window: Window, protected: Collection[Any]
) -> tuple[list[Any], int]:
    """The due keys of ``window`` still there, but those open requests need (counted)."""
    found = reader.due_keys(
        sweep.collection, sweep.key, due, window.after, window.count, window.through
    )
    keys = [key for key in found if _plain(key) not in protected]
    return keys, len(found) - len(keys)


def _finish(outcome: BatchOutcome, window: Window, kept: int, *, archived: int = 0) -> BatchOutcome:
    handled = outcome.claimed
    return BatchOutcome(
        window.count, outcome.deleted, outcome.changed, archived or outcome.archived,
        outcome.cascaded, gone=window.count - handled - kept + outcome.gone,
        kept_for_requests=kept,
    )  # fmt: skip


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _rows(
    reader: Reader, collection: str, column: str, values: Sequence[Any], columns: Sequence[str]
) -> Iterator[Row]:
    """``rows_where`` a chunk of values at a time (one round trip each, bounded lists)."""
    for chunk in _chunks(list(values)):
        yield from reader.rows_where(collection, column, chunk, columns)


def _present(writer: Writer, sweep: Sweep, keys: Sequence[Any]) -> list[Any]:
    return [row[sweep.key] for row in _rows(writer, sweep.collection, sweep.key, keys, [sweep.key])]


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
    # Rows copied to the archive leave whatever their hold: the archive keeps them.
    archived = (sweep.collection,) if sweep.action is SweepAction.ARCHIVE else ()
    outcomes = erase_located(
        writer,
        declaration,
        sweep.datastore,
        location,
        strategies,
        now=now,
        delete_all=True,
        unheld=archived,
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
                        for row in _rows(writer, parent, parent_key, parent_keys, [ref.field])
                        if row[ref.field] is not None
                    ]
                )
                if not values:
                    continue
                if not ref.follow.down or child_key is None:
                    for chunk in _chunks(values):
                        writer.update_rows(child, fname, chunk, {fname: None})
                    continue
                found = [
                    row[child_key]
                    for row in _rows(writer, child, fname, values, [child_key])
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
    rows = list(_rows(source, sweep.collection, sweep.key, keys, columns))
    there = {row[sweep.key] for row in _rows(target, table, sweep.key, keys, [sweep.key])}
    return target.insert_rows(table, [row for row in rows if row[sweep.key] not in there])


def _archive_elsewhere(
    connectors: Mapping[str, Connector], sweep: Sweep, keys: Sequence[Any]
) -> int:
    assert sweep.archive is not None
    with connectors[sweep.archive[0]].transaction() as target:
        with connectors[sweep.datastore].reading() as source:
            columns = list(sweep.columns)
            rows = list(_rows(source, sweep.collection, sweep.key, keys, columns))
        there = {
            row[sweep.key] for row in _rows(target, sweep.archive[1], sweep.key, keys, [sweep.key])
        }
        return target.insert_rows(
            sweep.archive[1], [row for row in rows if row[sweep.key] not in there]
        )


def _anonymise(
    writer: Writer, sweep: Sweep, keys: Sequence[Any], strategies: Strategies
) -> BatchOutcome:
    names = [name for name, _ in sweep.fields]
    rows = list(_rows(writer, sweep.collection, sweep.key, keys, [sweep.key, *names]))
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
