"""Finding a person's rows in every datastore, by following the plan from their identities.

Breadth first: the identity values are looked up in every column declared
to hold that kind of identity; each row found is the person's, and the
values it holds in the fields an edge leaves from are looked up in turn in
the edge's target column. A column is queried once per value (so a cycle
ends), with one indexed ``IN`` query per batch of values. Rows are streamed
to ``on_row`` as they are read and never kept: what the locator remembers is
each row's key and the values already asked for, so its memory grows with
how many rows a person has, not with what they hold.

Two shortcuts serve an erasure, which needs to know where the rows are, not
what they hold: ``lookup_only`` reads only the columns that lead further
(key, edge fields, identities); ``defer`` names collections whose rows are
not read at all: the lookups that would have found them are kept
(``Location.deferred``) for the erasure to run as set-based deletes. A
column that is its collection's key is not asked again for a row already
found (it can only find that row).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from gardien.connectors.base import Connector, Reader, Row
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
    #: Collections located without reading them (``defer``): per column, the values
    #: whose rows are the person's.
    deferred: dict[Place, dict[str, set[Any]]] = field(default_factory=dict)

    def count(self, place: Place | None = None) -> int:
        if place is not None:
            return len(self.keys.get(place, ()))
        return sum(len(keys) for keys in self.keys.values())

    @property
    def places(self) -> list[Place]:
        return [place for place, keys in self.keys.items() if keys] + [
            place for place in self.deferred if place not in self.keys
        ]


@contextmanager
def open_readers(
    connectors: Mapping[str, Connector], datastores: Collection[str] | None = None
) -> Iterator[dict[str, Reader]]:
    """One reading connection per datastore (or per one of ``datastores``), for a locate."""
    with ExitStack() as stack:
        yield {
            name: stack.enter_context(connector.reading())
            for name, connector in connectors.items()
            if datastores is None or name in datastores
        }


def locate(
    plan: TraversalPlan,
    connectors: Mapping[str, Reader],
    identities: Mapping[str, Sequence[str]],
    *,
    on_row: OnRow | None = None,
    batch_size: int = BATCH_SIZE,
    datastores: Collection[str] | None = None,
    lookup_only: bool = False,
    defer: Collection[Place] = (),
) -> Location:
    """Every row of the person ``identities`` names (kind → values), in every datastore
    (or in ``datastores`` only: a request works one datastore at a time).

    ``connectors`` read the rows: connectors, their ``reading()`` (see ``open_readers``),
    or a transaction's writers."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    location = Location()
    asked: dict[_Column, set[Any]] = {}
    seen_rows: dict[Place, set[Any]] = {}
    pending: dict[_Column, set[Any]] = {}
    # An identity the declaration names on a row found (a user id found from an e-mail)
    # is the person's too: it seeds every column of that kind, in every datastore.
    carried: dict[Place, list[tuple[str, tuple[_Column, ...]]]] = {}
    for kind, seeds in plan.seeds.items():
        targets = tuple(
            (s.datastore, s.collection, s.field)
            for s in plan.seeds[kind]
            if datastores is None or s.datastore in datastores
        )
        for seed in seeds:
            carried.setdefault((seed.datastore, seed.collection), []).append((seed.field, targets))
    for kind, values in identities.items():
        for seed in plan.seeds.get(kind, ()):
            if datastores is not None and seed.datastore not in datastores:
                continue
            column = (seed.datastore, seed.collection, seed.field)
            pending.setdefault(column, set()).update(v for v in values if v)
    while pending:
        column, wanted = pending.popitem()
        datastore, collection, field_name = column
        target = plan.collections[(datastore, collection)]
        place = target.place
        seen = seen_rows.setdefault(place, set())
        fresh = wanted - asked.setdefault(column, set())
        if field_name == target.key:
            fresh -= seen  # a row found already is all its own key can find
        if not fresh:
            continue
        asked[column] |= fresh
        if place in defer:
            location.deferred.setdefault(place, {}).setdefault(field_name, set()).update(fresh)
            continue
        reader = connectors[datastore]
        columns = target.lookup_columns if lookup_only else target.columns
        keys = location.keys.setdefault(place, [])
        key = target.key
        leads = [(e.source_field, (e.datastore, e.target, e.target_field)) for e in target.edges]
        leads += [
            (source, next_column)
            for source, next_columns in carried.get(place, ())
            for next_column in next_columns
        ]
        for batch in _batches(sorted(fresh, key=repr), batch_size):
            location.queries += 1
            for row in reader.rows_where(collection, field_name, batch, columns):
                identity = row[key] if key is not None else tuple(row.values())
                if identity in seen:
                    continue
                seen.add(identity)
                keys.append(identity)
                if on_row is not None:
                    on_row(target, row)
                for source, next_column in leads:
                    value = row.get(source)
                    if value is None or value == "":
                        continue
                    if value not in asked.get(next_column, ()):
                        pending.setdefault(next_column, set()).add(value)
    return location


def _batches(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
