"""Erasing a person's rows, field by field, as the declaration says (GDPR Art. 17).

For each datastore, in one of its transactions (all of its changes commit
together, or none):

0. the person's rows are located inside the transaction, reading only the
   columns that lead further; a collection whose rows all go and lead nowhere
   (see ``_deletable_unread``) is not read: its rows are deleted by the
   lookups that would have found them;
1. the references named as closing a cycle (``erasure_order``) are set to
   NULL on the person's rows, so that the rest can be ordered;
2. collections are handled children first; rows are read again by key, a
   batch at a time, and each row is either deleted (its collection, or one of
   its fields, says ``delete_row``) or has each declared field changed by its
   strategy: ``nullify``, ``anonymise`` (a token of its own, so unique columns
   stay unique), ``redact`` (free text through the redaction room), ``hash``
   (a keyed HMAC), ``keep``;
3. a row under its collection's legal hold (``anchor`` + ``duration`` still in
   the future) is never deleted: its ``keep`` fields stay, every other field
   follows its strategy; once the hold is over, the row is deleted (the hold
   was the reason to keep it);
4. a row that a kept child row still points at is not deleted either (its
   foreign key would break): its fields follow their strategies instead.

The primary key is never changed. Only declared fields are touched. A change
the database refuses (a NOT NULL column told to ``nullify``, a foreign key
the declaration does not name) rolls the whole datastore back and raises
``SchemaMismatchError`` saying which column and what to declare instead.
The report says, per collection, how many rows were deleted or changed, and
what was kept, why and until when: what the person is told.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Collection as Many
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from gardien.connectors.base import Connector, Reach, Row, Writer
from gardien.connectors.locate import BATCH_SIZE, Location, locate
from gardien.connectors.plan import (
    CollectionPlan,
    ErasureOrder,
    Place,
    TraversalPlan,
    erasure_order,
    plan_for,
)
from gardien.declaration.models import Collection, Declaration, ErasureStrategy
from gardien.declaration.values import Text
from gardien.errors import SchemaMismatchError

RedactText = Callable[[str], str]


@dataclass(frozen=True)
class Held:
    """Rows kept under a legal hold: which fields, why, until when."""

    fields: tuple[str, ...]
    reason: Text
    until: dt.date
    rows: int


@dataclass(frozen=True)
class CollectionErasure:
    datastore: str
    collection: str
    found: int
    deleted: int
    changed: int
    #: The strategy applied to each declared field of the rows changed.
    strategies: Mapping[str, str] = field(default_factory=dict)
    held: Held | None = None


@dataclass(frozen=True)
class ErasureReport:
    collections: tuple[CollectionErasure, ...]

    @property
    def deleted(self) -> int:
        return sum(c.deleted for c in self.collections)

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.collections)

    @property
    def held(self) -> list[CollectionErasure]:
        return [c for c in self.collections if c.held is not None]


@dataclass(frozen=True)
class Strategies:
    """How erased values are computed: the HMAC key of ``hash`` and ``anonymise``, and
    the redaction of free text (the redaction room, with the declaration's kept terms)."""

    secret: bytes
    redact_text: RedactText

    def token(self, datastore: str, collection: str, column: str, key: Any) -> str:
        digest = hmac.new(
            self.secret, f"{datastore}\x00{collection}\x00{column}\x00{key!r}".encode(), "sha256"
        )
        return digest.hexdigest()[:16]

    def hashed(self, value: Any) -> str:
        return hmac.new(self.secret, repr(value).encode(), hashlib.sha256).hexdigest()


def erase_person(
    declaration: Declaration,
    connectors: Mapping[str, Connector],
    identities: Mapping[str, Sequence[str]],
    strategies: Strategies,
    *,
    now: dt.datetime,
    location: Location | None = None,
    batch_size: int = BATCH_SIZE,
    datastores: AbstractSet[str] | None = None,
) -> ErasureReport:
    """Erase the rows of the person ``identities`` names, in every datastore (or in
    ``datastores`` only). Without a ``location``, the rows are found inside each
    datastore's transaction, reading only what leads further."""
    outcomes: list[CollectionErasure] = []
    for name in declaration.datastores:
        if datastores is not None and name not in datastores:
            continue
        if location is not None and not any(place[0] == name for place in location.places):
            continue
        outcomes.extend(
            _erase_datastore(
                declaration,
                name,
                connectors[name],
                identities,
                location,
                strategies,
                now,
                batch_size,
            )
        )
    return ErasureReport(tuple(outcomes))


def _erase_datastore(
    declaration: Declaration,
    name: str,
    connector: Connector,
    identities: Mapping[str, Sequence[str]],
    location: Location | None,
    strategies: Strategies,
    now: dt.datetime,
    batch_size: int,
) -> list[CollectionErasure]:
    plan = plan_for(declaration)
    try:
        with connector.transaction() as writer:
            order = erasure_order(declaration, name, writer.nullable)
            where = location or locate(
                plan, {name: writer}, identities, batch_size=batch_size, datastores={name},
                lookup_only=True, defer=_deletable_unread(declaration, name, order),
            )  # fmt: skip
            return erase_located(
                writer, declaration, name, where, strategies, now=now, batch_size=batch_size
            )
    except IntegrityError as exc:
        raise refused(name, exc) from None


def refused(name: str, exc: IntegrityError) -> SchemaMismatchError:
    """The database refused a change: what to declare instead (never a value)."""
    return SchemaMismatchError(
        f"datastore {name!r}: the database refused the erasure ({_constraint(exc)}); "
        "nothing was changed. A column told to nullify may be NOT NULL (declare "
        "anonymise or delete_row), or a foreign key the declaration does not name still "
        "points at a row to delete (declare it under references, and `gardien datastores "
        "check`)"
    )


def erase_located(
    writer: Writer,
    declaration: Declaration,
    name: str,
    where: Location,
    strategies: Strategies,
    *,
    now: dt.datetime,
    batch_size: int = BATCH_SIZE,
    delete_all: bool = False,
    unheld: Many[str] = (),
) -> list[CollectionErasure]:
    """Erase the rows ``where`` names in datastore ``name``, inside ``writer``'s
    transaction, children first. ``delete_all`` (a retention rule ran out): every row is
    deleted, whatever its fields' erasure strategies, unless a legal hold or a kept
    child row keeps it (then its fields follow their strategies). The legal hold of the
    collections ``unheld`` names is not applied (their rows were archived first)."""
    store = declaration.datastores[name]
    plan = plan_for(declaration)
    order = erasure_order(declaration, name, writer.nullable)
    outcomes: list[CollectionErasure] = []
    for cname, fname in order.cycle_references:
        keys = where.keys.get((name, cname), [])
        key = plan.collections[(name, cname)].key
        if keys and key is not None:
            for batch in _batches(keys, batch_size):
                writer.update_rows(cname, key, batch, {fname: None})
    # Parent keys still pointed at by kept child rows: those parents are changed,
    # never deleted.
    pinned: dict[str, set[Any]] = {}
    for cname in order.collections:
        if (name, cname) in where.unread:
            reach = _reach(plan, where, (name, cname), frozenset())
            if reach.values:
                columns = plan.collections[(name, cname)].columns
                outcomes.append(_delete_unread(writer, name, cname, columns, reach, batch_size))
            continue
        keys = where.keys.get((name, cname), [])
        if not keys:
            continue
        collection = store.collections[cname]
        if cname in unheld:
            collection = collection.model_copy(update={"legal_hold": None})
        outcome = _erase_collection(
            writer, plan.collections[(name, cname)], collection,
            keys, pinned.get(cname, set()), strategies, now, batch_size, pinned, delete_all,
        )  # fmt: skip
        outcomes.append(outcome)
    return outcomes


def _deletable_unread(declaration: Declaration, name: str, order: ErasureOrder) -> set[Place]:
    """Collections whose rows of the person can all be deleted without reading them: every
    row goes (no legal hold), no identity is found on them, no cycle runs through them,
    every edge leaving them leads to another such collection, and every collection that
    references them is one too, reached by that reference (so no kept child row can pin
    one of their rows). A person's thousands of activity events are then one ``DELETE …
    WHERE session_id IN (SELECT id FROM sessions WHERE child_id IN (…) OR device_id IN
    (…))``, and their sessions one more: neither is read first."""
    store = declaration.datastores[name]
    plan = plan_for(declaration)
    in_cycle = {cname for cname, _ in order.cycle_references}
    candidates: set[str] = set()
    for cname, collection in store.collections.items():
        place = (name, cname)
        if (
            plan.collections[place].key is None
            or cname in in_cycle
            or place in plan.reaches.get(place, ())
            or collection.legal_hold is not None
            or any(declared.identity is not None for declared in collection.fields.values())
            or not _deletes_rows(collection, _strategies_of(collection))
        ):
            continue
        candidates.add(cname)
    # Who references whom, and whether the reference is followed down to them.
    referencing: dict[str, list[tuple[str, bool]]] = {}
    for cname, collection in store.collections.items():
        for declared in collection.fields.values():
            ref = declared.references
            if ref is not None:
                referencing.setdefault(ref.collection, []).append((cname, ref.follow.down))
    changed = True
    while changed:
        changed = False
        for cname in sorted(candidates):
            leaves = plan.collections[(name, cname)].edges
            if any(edge.target not in candidates for edge in leaves) or any(
                child not in candidates or not down for child, down in referencing.get(cname, ())
            ):
                candidates.discard(cname)
                changed = True
    return {(name, cname) for cname in candidates}


def _reach(plan: TraversalPlan, where: Location, place: Place, visiting: frozenset[Place]) -> Reach:
    """The rows of ``place`` the locator found without reading: by its own lookups, and
    through the unread collections whose edges lead to it."""
    lookups = {
        column: sorted(values, key=repr)
        for column, values in sorted(where.deferred.get(place, {}).items())
    }
    through = []
    for parent in sorted(where.unread - visiting - {place}):
        for edge in plan.collections[parent].edges:
            if (edge.datastore, edge.target) != place:
                continue
            reached = _reach(plan, where, parent, visiting | {place})
            if reached.values:
                through.append((edge.target_field, parent[1], edge.source_field, reached))
    return Reach(lookups, tuple(through))


def _delete_unread(
    writer: Writer, datastore: str, collection: str, declared: Sequence[str],
    reach: Reach, batch_size: int,
) -> CollectionErasure:  # fmt: skip
    # Not read, so not checked by a read: a declared column the table lacks is still
    # a declaration to correct before anything is erased.
    writer.check_columns(collection, declared)
    parts = [reach] if reach.values <= batch_size else reach.split(batch_size)
    deleted = sum(writer.delete_reached(collection, part) for part in parts)
    applied = {"*": ErasureStrategy.DELETE_ROW.value} if deleted else {}
    return CollectionErasure(datastore, collection, deleted, deleted, 0, applied, None)


def _strategies_of(collection: Collection) -> dict[str, ErasureStrategy]:
    """Each declared field's strategy (the collection's, where the field says nullify)."""
    return {
        name: (collection.erasure or f.erasure)
        if f.erasure is ErasureStrategy.NULLIFY
        else f.erasure
        for name, f in collection.fields.items()
        if not f.primary_key
    }


def _deletes_rows(collection: Collection, strategy: Mapping[str, ErasureStrategy]) -> bool:
    return collection.erasure is ErasureStrategy.DELETE_ROW or any(
        s is ErasureStrategy.DELETE_ROW for s in strategy.values()
    )


def _erase_collection(
    writer: Writer,
    plan: CollectionPlan,
    collection: Collection,
    keys: Sequence[Any],
    pinned_here: set[Any],
    strategies: Strategies,
    now: dt.datetime,
    batch_size: int,
    pinned: dict[str, set[Any]],
    delete_all: bool = False,
) -> CollectionErasure:
    if plan.key is None:
        raise SchemaMismatchError(
            f"{plan.datastore}.{plan.name} holds the person's rows but declares no primary "
            "key: mark one field primary_key: true, so that its rows can be erased one by one"
        )
    hold = collection.legal_hold
    strategy = _strategies_of(collection)
    deletes_rows = delete_all or _deletes_rows(collection, strategy)
    kept_fields = tuple(n for n, s in strategy.items() if s is ErasureStrategy.KEEP)
    deleted = changed = held_rows = 0
    held_until: dt.date | None = None
    applied: dict[str, str] = {}
    if deletes_rows and hold is None and not pinned_here:
        # Every row of the person here goes, whatever it holds: delete by key, without
        # reading the rows back (the locator already found their keys).
        writer.check_columns(plan.name, plan.columns)  # the declaration still holds
        for batch in _batches(list(keys), batch_size):
            deleted += writer.delete_rows(plan.name, plan.key, batch)
        if deleted:
            applied["*"] = ErasureStrategy.DELETE_ROW.value
        return CollectionErasure(
            plan.datastore, plan.name, len(keys), deleted, 0, dict(applied), None
        )
    # Fields kept for a hold (or on a row that was to go) that cannot be NULL: a row that
    # stays once its hold is over, only because a held child still points at it, cannot
    # have them emptied; they are anonymised (text) or left as they are.
    not_null = frozenset(
        name
        for name, how in strategy.items()
        if how in (ErasureStrategy.KEEP, ErasureStrategy.DELETE_ROW)
        and not writer.nullable(plan.name, name)
    )
    for batch in _batches(list(keys), batch_size):
        to_delete: list[Any] = []
        changes: list[tuple[Any, dict[str, Any]]] = []
        for row in writer.rows_where(plan.name, plan.key, batch, plan.columns):
            key = row[plan.key]
            until = _hold_until(row, hold, now)
            if until is not None:
                held_rows += 1
                held_until = max(held_until or until, until)
            # A row kept only for its legal hold goes once the hold is over.
            expired_hold = hold is not None and until is None
            if (deletes_rows or expired_hold) and until is None and key not in pinned_here:
                to_delete.append(key)
                continue
            values = _changed_values(
                plan, row, strategy, until is not None, strategies, applied, not_null
            )
            if values:
                changes.append((key, values))
            _pin_parents(plan, collection, row, values, pinned)
        if to_delete:
            deleted += writer.delete_rows(plan.name, plan.key, to_delete)
        if changes:
            changed += writer.replace_values(plan.name, plan.key, changes)
    held = None
    if hold is not None and held_rows and held_until is not None:
        held = Held(kept_fields, hold.reason, held_until, held_rows)
    if deleted:
        applied.setdefault("*", ErasureStrategy.DELETE_ROW.value)
    return CollectionErasure(
        plan.datastore, plan.name, len(keys), deleted, changed, dict(sorted(applied.items())), held
    )


def _hold_until(row: Row, hold: Any, now: dt.datetime) -> dt.date | None:
    """The date until which ``row`` is under its collection's legal hold, or None."""
    if hold is None:
        return None
    anchor = row.get(hold.anchor)
    if anchor is None:
        return None
    start = anchor.date() if isinstance(anchor, dt.datetime) else anchor
    if not isinstance(start, dt.date):
        return None
    until: dt.date = hold.duration.after(start)
    return until if until > now.date() else None


def _changed_values(
    plan: CollectionPlan,
    row: Row,
    strategy: Mapping[str, ErasureStrategy],
    held: bool,
    strategies: Strategies,
    applied: dict[str, str],
    not_null: Many[str] = frozenset(),
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column, how in strategy.items():
        value = row.get(column)
        if how is ErasureStrategy.KEEP and held:
            applied[column] = how.value
            continue
        if column in not_null and not isinstance(value, str):
            applied[column] = ErasureStrategy.KEEP.value  # nothing it could become
            continue
        if column in not_null:
            how = ErasureStrategy.ANONYMISE
        if how in (ErasureStrategy.KEEP, ErasureStrategy.DELETE_ROW, ErasureStrategy.NULLIFY):
            new: Any = None
            how = ErasureStrategy.NULLIFY
        elif how is ErasureStrategy.ANONYMISE:
            token = strategies.token(plan.datastore, plan.name, column, row[plan.key or column])
            new = f"anonymised-{token}" if isinstance(value, str) else None
        elif how is ErasureStrategy.REDACT:
            new = strategies.redact_text(value) if isinstance(value, str) else None
        else:  # HASH
            new = strategies.hashed(value) if value is not None else None
        applied[column] = how.value
        if new != value:
            values[column] = new
    return values


def _pin_parents(
    plan: CollectionPlan,
    collection: Collection,
    row: Row,
    values: Mapping[str, Any],
    pinned: dict[str, set[Any]],
) -> None:
    """A row that stays keeps pointing at its parents: they must stay too."""
    for column, declared in collection.fields.items():
        ref = declared.references
        if ref is None or ref.collection == plan.name:
            continue
        target = values.get(column, row.get(column))
        if target is not None:
            pinned.setdefault(ref.collection, set()).add(target)


def _constraint(exc: IntegrityError) -> str:
    # The driver's own wording, first line, without the statement or its parameters.
    text = str(exc.orig).splitlines()[0] if exc.orig is not None else "a constraint"
    return text[:200]


def _batches(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
