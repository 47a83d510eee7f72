"""Rectifying a person's data (GDPR Art. 16): new values, in every declared field they go in.

A rectification names what changes either by declared field
(``shop.customers.full_name``) or by data category (``user.name``: every
declared field of that category, in every datastore). Each target is
checked against the declaration before anything is written; then, one
transaction per datastore, the person's rows (their keys from the locator)
get the new value. A primary key or a reference cannot be rectified this way
(it would detach rows): the error says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gardien.connectors.base import Connector
from gardien.connectors.locate import BATCH_SIZE, Location
from gardien.connectors.plan import plan_for
from gardien.declaration.models import Declaration
from gardien.errors import ConnectorError, shown

Target = tuple[str, str, str]  # (datastore, collection, field)


@dataclass(frozen=True)
class FieldRectified:
    datastore: str
    collection: str
    field: str
    rows: int


def rectification_targets(
    declaration: Declaration, changes: Mapping[str, Any]
) -> dict[Target, Any]:
    """The declared fields each change goes in; ``ConnectorError`` for one that goes nowhere."""
    targets: dict[Target, Any] = {}
    for name, value in changes.items():
        found = list(_targets_of(declaration, name))
        if not found:
            raise ConnectorError(
                f"{shown(name)} is neither a declared field (datastore.collection.field) nor a "
                "data category a declared field holds: name what to rectify as declared"
            )
        for target in found:
            field = declaration.datastores[target[0]].collections[target[1]].fields[target[2]]
            if field.primary_key or field.references is not None:
                raise ConnectorError(
                    f"{'.'.join(target)} is a key or a reference: rectifying it would detach "
                    "rows; rectify the values it points at instead"
                )
            targets[target] = value
    return targets


def _targets_of(declaration: Declaration, name: str) -> Iterable[Target]:
    parts = name.split(".")
    if len(parts) == 3 and parts[0] in declaration.datastores:
        datastore, collection, field = parts
        fields = declaration.datastores[datastore].collections.get(collection)
        if fields is not None and field in fields.fields:
            yield (datastore, collection, field)
        return
    for sid, store in declaration.datastores.items():
        for cname, declared_collection in store.collections.items():
            for fname, declared in declared_collection.fields.items():
                if any(c == name or c.startswith(name + ".") for c in declared.categories):
                    yield (sid, cname, fname)


def rectify(
    declaration: Declaration,
    connectors: Mapping[str, Connector],
    location: Location,
    changes: Mapping[str, Any],
    *,
    batch_size: int = BATCH_SIZE,
) -> list[FieldRectified]:
    """Set the new values on the person's rows (``location``), one transaction a datastore."""
    targets = rectification_targets(declaration, changes)
    plan = plan_for(declaration)
    done: list[FieldRectified] = []
    by_store: dict[str, list[tuple[Target, Any]]] = {}
    for target, value in targets.items():
        by_store.setdefault(target[0], []).append((target, value))
    for datastore, items in by_store.items():
        with connectors[datastore].transaction() as writer:
            for (_, collection, field), value in items:
                keys = location.keys.get((datastore, collection), [])
                key = plan.collections[(datastore, collection)].key
                if not keys or key is None:
                    continue
                rows = sum(
                    writer.update_rows(collection, key, batch, {field: value})
                    for batch in _batches(keys, batch_size)
                )
                done.append(FieldRectified(datastore, collection, field, rows))
    return done


def _batches(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
