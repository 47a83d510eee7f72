"""A datastore held in memory: the connector tests use, with the behaviour of a SQL one.

Tables are lists of rows; ``transaction`` applies changes to a copy and
swaps it in only when the block ends without an error, so a failed erasure
leaves the tables as they were, as a database transaction would.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from gardien.connectors.base import LiveCollection, LiveColumn, LiveSchema, Row
from gardien.errors import SchemaMismatchError


class _MemoryWriter:
    def __init__(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.tables = tables

    def rows_where(
        self, collection: str, column: str, values: Sequence[Any], columns: Sequence[str]
    ) -> Iterator[Row]:
        wanted = set(values)
        for row in list(self._rows(collection)):
            if row.get(column) in wanted:
                yield {name: row.get(name) for name in columns}

    def _rows(self, collection: str) -> list[dict[str, Any]]:
        try:
            return self.tables[collection]
        except KeyError:
            raise SchemaMismatchError(f"the datastore has no table {collection!r}") from None

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

    @contextmanager
    def reading(self) -> Iterator[MemoryConnector]:
        yield self

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

    def close(self) -> None:
        return None
