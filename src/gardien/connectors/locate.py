"""Finding a person's rows in every datastore, by following the plan from their identities.

Breadth first: the identity values are looked up in every column declared
to hold that kind of identity; each row found is the person's, and the
values it holds in the fields an edge leaves from are looked up in turn in
the edge's target column. A column is queried once per value (so a cycle
ends), with one indexed ``IN`` query per batch of values. Rows are streamed
to ``on_row`` as they are read and never kept: what the locator remembers is
each row's key and the values already asked for, so its memory grows with
how many rows a person has, not with what they hold.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gardien.connectors.base import Connector, Row
from gardien.connectors.plan import CollectionPlan, Place, TraversalPlan

#: Values per query: large enough to be few queries, small enough for any database's
#: limit on bound parameters.
BATCH_SIZE = 500

OnRow = Callable[[CollectionPlan, Row], None]
_Column = tuple[str, str, str]  # (datastore, collection, field)


@dataclass
class Location:
    """Where a person's rows are: their keys per collection, in the order found."""

    keys: dict[Place, list[Any]] = field(default_factory=dict)
    #: Queries run, per collection (for the audit entry and the benchmark).
    queries: int = 0

    def count(self, place: Place | None = None) -> int:
        if place is not None:
            return len(self.keys.get(place, ()))
        return sum(len(keys) for keys in self.keys.values())

    @property
    def places(self) -> list[Place]:
        return [place for place, keys in self.keys.items() if keys]


def locate(
    plan: TraversalPlan,
    connectors: Mapping[str, Connector],
    identities: Mapping[str, Sequence[str]],
    *,
    on_row: OnRow | None = None,
    batch_size: int = BATCH_SIZE,
    datastores: Collection[str] | None = None,
) -> Location:
    """Every row of the person ``identities`` names (kind → values), in every datastore
    (or in ``datastores`` only: a request works one datastore at a time)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    location = Location()
    asked: dict[_Column, set[Any]] = {}
    seen_rows: dict[Place, set[Any]] = {}
    pending: dict[_Column, set[Any]] = {}
    # An identity the declaration names on a row found (a user id found from an e-mail)
    # is the person's too: it seeds every column of that kind, in every datastore.
    carried: dict[Place, list[tuple[str, str]]] = {}
    for kind, seeds in plan.seeds.items():
        for seed in seeds:
            carried.setdefault((seed.datastore, seed.collection), []).append((seed.field, kind))
    for kind, values in identities.items():
        for seed in plan.seeds.get(kind, ()):
            if datastores is not None and seed.datastore not in datastores:
                continue
            column = (seed.datastore, seed.collection, seed.field)
            pending.setdefault(column, set()).update(v for v in values if v)
    while pending:
        column, wanted = pending.popitem()
        datastore, collection, field_name = column
        fresh = wanted - asked.setdefault(column, set())
        if not fresh:
            continue
        asked[column] |= fresh
        target = plan.collections[(datastore, collection)]
        connector = connectors[datastore]
        for batch in _batches(sorted(fresh, key=repr), batch_size):
            location.queries += 1
            for row in connector.rows_where(collection, field_name, batch, target.columns):
                identity = _row_identity(target, row)
                seen = seen_rows.setdefault(target.place, set())
                if identity in seen:
                    continue
                seen.add(identity)
                location.keys.setdefault(target.place, []).append(
                    row[target.key] if target.key is not None else identity
                )
                if on_row is not None:
                    on_row(target, row)
                for field_name_found, kind in carried.get(target.place, ()):
                    value = row.get(field_name_found)
                    if value is None or value == "":
                        continue
                    for seed in plan.seeds[kind]:
                        if datastores is not None and seed.datastore not in datastores:
                            continue
                        next_column = (seed.datastore, seed.collection, seed.field)
                        if value not in asked.get(next_column, ()):
                            pending.setdefault(next_column, set()).add(value)
                for edge in target.edges:
                    value = row.get(edge.source_field)
                    if value is not None:
                        next_column = (edge.datastore, edge.target, edge.target_field)
                        if value not in asked.get(next_column, ()):
                            pending.setdefault(next_column, set()).add(value)
    return location


def _row_identity(plan: CollectionPlan, row: Row) -> Any:
    if plan.key is not None:
        return row[plan.key]
    return tuple(row.get(name) for name in plan.columns)


def _batches(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
