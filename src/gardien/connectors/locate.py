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
    #: The collections ``defer`` named: their rows are the ones the lookups in
    #: ``deferred`` find, and those of the collections they lead to.
    unread: frozenset[Place] = frozenset()

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
    location = Location(unread=frozenset(defer))
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
    # Columns with a value pending that a row of another collection led to (or a seed):
    # a collection whose pending lookups only echo its own rows (the phone found on the
    # account, asked of the accounts again) waits, so that its lookups join others.
    driven: set[_Column] = set(pending)
    while pending:
        place = _next_place(pending, driven, plan)
        datastore, collection = place
        target = plan.collections[place]
        seen = seen_rows.setdefault(place, set())
        lookups: dict[str, set[Any]] = {}
        for column in [c for c in pending if (c[0], c[1]) == place]:
            wanted = pending.pop(column)
            driven.discard(column)
            fresh = wanted - asked.setdefault(column, set())
            if column[2] == target.key:
                fresh -= seen  # a row found already is all its own key can find
            if fresh:
                asked[column] |= fresh
                lookups[column[2]] = fresh
        if not lookups:
            continue
        if place in defer:
            for field_name, fresh in lookups.items():
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
        for chunk in _chunks(lookups, batch_size):
            location.queries += 1
            for row in reader.rows_matching(collection, chunk, columns):
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
                        if (next_column[0], next_column[1]) != place:
                            driven.add(next_column)
    return location


def _next_place(
    pending: Mapping[_Column, set[Any]], driven: Collection[_Column], plan: TraversalPlan
) -> Place:
    """The collection to look up next, so that lookups of one collection join in one query.

    Among the collections that another collection's rows led to (or the identities), one
    that no other of them leads to, if any (what leads to it could add values first), the
    nearest to the identities; only then one whose lookups echo its own rows (the phone
    found on an account, asked of the accounts again). Whatever the order, every pending
    value is asked once: the order only decides how many go in one query."""
    places = {(c[0], c[1]) for c in pending}
    led = {(c[0], c[1]) for c in driven if c in pending}
    if led:
        waiting = {p for p in led if any(p in plan.reaches.get(q, ()) for q in led if q != p)}
        places = (led - waiting) or led
    return min(places, key=lambda place: (plan.depth.get(place, len(plan.depth)), place))


def _chunks(lookups: Mapping[str, set[Any]], size: int) -> Iterable[dict[str, list[Any]]]:
    """The lookups of one collection, ``size`` values a query at most (in a stable order)."""
    chunk: dict[str, list[Any]] = {}
    room = size
    for column in sorted(lookups):
        values = sorted(lookups[column], key=repr)
        while values:
            taken, values = values[:room], values[room:]
            chunk[column] = taken
            room -= len(taken)
            if room == 0:
                yield chunk
                chunk, room = {}, size
    if chunk:
        yield chunk
