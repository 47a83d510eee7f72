"""A datastore held in memory: the connector tests use, with the behaviour of a SQL one.

Tables are lists of rows; ``transaction`` applies changes to a copy and
swaps it in only when the block ends without an error, so a failed erasure
leaves the tables as they were, as a database transaction would.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from gardien.connectors.base import (
    ANONYMISED,
    DueCount,
    DueWhere,
    Hop,
    LiveCollection,
    LiveColumn,
    LiveSchema,
    Reach,
    Row,
)
from gardien.errors import SchemaMismatchError


class _MemoryWriter:
    def __init__(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.tables = tables

    def rows_where(
        self, collection: str, column: str, values: Sequence[Any], columns: Sequence[str]
    ) -> Iterator[Row]:
        return self.rows_matching(collection, {column: values}, columns)

    def rows_matching(
        self, collection: str, lookups: Mapping[str, Sequence[Any]], columns: Sequence[str]
    ) -> Iterator[Row]:
        wanted = {column: set(values) for column, values in lookups.items()}
        for row in list(self._rows(collection)):
            if any(row.get(column) in values for column, values in wanted.items()):
                yield {name: row.get(name) for name in columns}

    def _rows(self, collection: str) -> list[dict[str, Any]]:
        try:
            return self.tables[collection]
        except KeyError:
            raise SchemaMismatchError(f"the datastore has no table {collection!r}") from None

    def count_due(self, collection: str, due: DueWhere, later: DueWhere) -> DueCount:
        now = [r for r in self._rows(collection) if _is_due(r, due)]
        by_soon = [r for r in self._rows(collection) if _is_due(r, later)]
        oldest = min((r[due.anchor] for r in now if r[due.anchor] is not None), default=None)
        return DueCount(len(now), oldest, len(by_soon) - len(now))

    def due_keys(
        self,
        collection: str,
        key: str,
        due: DueWhere,
        after: Any | None,
        limit: int,
        through: Any | None = None,
    ) -> list[Any]:
        keys = sorted(
            r[key]
            for r in self._rows(collection)
            if _is_due(r, due)
            and (after is None or r[key] > after)
            and (through is None or r[key] <= through)
        )
        return keys[:limit]

    def due_window(
        self, collection: str, key: str, due: DueWhere, after: Any | None, limit: int
    ) -> tuple[Any, int] | None:
        keys = self.due_keys(collection, key, due, after, limit)
        return (keys[-1], len(keys)) if keys else None

    def count_below(
        self,
        collection: str,
        due: DueWhere,
        target: str,
        target_key: str,
        paths: Sequence[Sequence[Hop]],
    ) -> int:
        reached: set[Any] = set()
        for path in paths:
            rows = [r for r in self._rows(collection) if _is_due(r, due)]
            for hop in path:
                values = {r.get(hop.referenced) for r in rows} - {None}
                rows = [r for r in self._rows(hop.child) if r.get(hop.field) in values]
            reached.update(r.get(target_key) for r in rows)
        return len(reached)

    def delete_due(
        self, collection: str, key: str, due: DueWhere, after: Any | None, through: Any
    ) -> int:
        doomed = set(
            self.due_keys(collection, key, due, after, len(self._rows(collection)), through)
        )
        return self.delete_rows(collection, key, list(doomed))

    def insert_rows(self, collection: str, rows: Sequence[Mapping[str, Any]]) -> int:
        self.tables.setdefault(collection, []).extend(dict(row) for row in rows)
        return len(rows)

    def check_columns(self, collection: str, columns: Sequence[str]) -> None:
        rows = self._rows(collection)
        for name in columns:
            if rows and name not in rows[0]:
                raise SchemaMismatchError(f"table {collection!r} has no column {name!r}")

    def nullable(self, collection: str, column: str) -> bool:
        return True

    def delete_rows(self, collection: str, key: str, keys: Sequence[Any]) -> int:
        wanted = set(keys)
        rows = self._rows(collection)
        kept = [row for row in rows if row.get(key) not in wanted]
        self.tables[collection] = kept
        return len(rows) - len(kept)

    def delete_reached(self, collection: str, reach: Reach) -> int:
        rows = self._rows(collection)
        kept = [row for row in rows if not self._reached(row, reach)]
        self.tables[collection] = kept
        return len(rows) - len(kept)

    def _reached(self, row: Mapping[str, Any], reach: Reach) -> bool:
        if any(row.get(column) in set(values) for column, values in reach.lookups.items()):
            return True
        for column, parent, parent_column, parent_reach in reach.through:
            held = {
                r.get(parent_column) for r in self._rows(parent) if self._reached(r, parent_reach)
            }
            if row.get(column) in held - {None}:
                return True
        return False

    def update_rows(
        self, collection: str, key: str, keys: Sequence[Any], values: Mapping[str, Any]
    ) -> int:
        wanted = set(keys)
        changed = 0
        for row in self._rows(collection):
            if row.get(key) in wanted:
                row.update(values)
                changed += 1
        return changed

    def replace_values(
        self, collection: str, key: str, changes: Sequence[tuple[Any, Mapping[str, Any]]]
    ) -> int:
        by_key = dict(changes)
        changed = 0
        for row in self._rows(collection):
            if row.get(key) in by_key:
                row.update(by_key[row.get(key)])
                changed += 1
        return changed


def _comparable(value: Any, moment: dt.datetime) -> Any:
    if isinstance(value, dt.datetime):
        return moment if value.tzinfo else moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.astimezone(dt.UTC).date()


def _is_due(row: Mapping[str, Any], due: DueWhere) -> bool:
    anchor = row.get(due.anchor)
    ended = row.get(due.ended) if due.ended is not None else None
    ended_due = (
        ended is not None
        and due.ended_before is not None
        and ended <= _comparable(ended, due.ended_before)
    )
    if not ended_due and (anchor is None or anchor > _comparable(anchor, due.before)):
        return False
    if due.held_by is not None and due.held_until is not None:
        held = row.get(due.held_by)
        if held is not None and held > _comparable(held, due.held_until):
            return False
    return not due.pending or any(
        row.get(name) is not None and not str(row.get(name)).startswith(ANONYMISED)
        for name in due.pending
    )


class MemoryConnector:
    """Tables as lists of dicts; columns are the keys of the first row (or as declared)."""

    kind: ClassVar[str] = "memory"

    def __init__(
        self,
        tables: Mapping[str, Sequence[Mapping[str, Any]]],
        *,
        indexed: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {
            name: [dict(row) for row in rows] for name, rows in tables.items()
        }
        self._indexed = {name: frozenset(cols) for name, cols in (indexed or {}).items()}

    def rows_where(
        self, collection: str, column: str, values: Sequence[Any], columns: Sequence[str]
    ) -> Iterator[Row]:
        return _MemoryWriter(self.tables).rows_where(collection, column, values, columns)

    def rows_matching(
        self, collection: str, lookups: Mapping[str, Sequence[Any]], columns: Sequence[str]
    ) -> Iterator[Row]:
        return _MemoryWriter(self.tables).rows_matching(collection, lookups, columns)

    @contextmanager
    def reading(self) -> Iterator[_MemoryWriter]:
        yield _MemoryWriter(self.tables)

    @contextmanager
    def transaction(self) -> Iterator[_MemoryWriter]:
        working = copy.deepcopy(self.tables)
        yield _MemoryWriter(working)
        self.tables = working

    def describe(self) -> LiveSchema:
        collections = {}
        for name, rows in self.tables.items():
            names = list(rows[0]) if rows else []
            columns = {n: LiveColumn(n, "ANY") for n in names}
            collections[name] = LiveCollection(
                name, columns, indexed=self._indexed.get(name, frozenset())
            )
        return LiveSchema(collections)

    def warm(self) -> None:
        return None

    def close(self) -> None:
        return None
