"""Where generated rows go: batched inserts into SQLite, COPY into PostgreSQL.

A generator hands each row to a ``Rows`` as a tuple in the table's column
order, and takes its primary key from ``next_id``: ids are sequential per
table, so they are the same for the same seed. Rows wait in one small buffer
per table and go to the database a batch at a time, so memory stays bounded
whatever the number of people: PostgreSQL receives each batch through one
``COPY … FROM STDIN`` (several COPY statements per table, all in the build's
one transaction), SQLite through one ``executemany``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table

Row = tuple[Any, ...]


class Rows:
    """Buffers rows per table and writes them a batch at a time; counts what it wrote."""

    batch = 5_000

    def __init__(self, connection: Connection, on_batch: Callable[[int], None] | None = None):
        self.connection = connection
        self.counts: dict[str, int] = {}
        self._ids: dict[str, int] = {}
        self._buffers: dict[str, list[Row]] = {}
        self._tables: dict[str, Table] = {}
        self._on_batch = on_batch

    def next_id(self, table: Table) -> int:
        """The primary key of ``table``'s next row: 1, 2, 3…"""
        value = self._ids.get(table.name, 0) + 1
        self._ids[table.name] = value
        return value

    def add(self, table: Table, row: Row) -> None:
        buffer = self._buffers.get(table.name)
        if buffer is None:
            buffer = self._buffers[table.name] = []
            self._tables[table.name] = table
        buffer.append(row)
        if len(buffer) >= self.batch:
            self._write(table.name)

    def flush(self) -> None:
        """Write every buffered row."""
        for name in list(self._buffers):
            self._write(name)

    def _write(self, name: str) -> None:
        rows = self._buffers[name]
        if not rows:
            return
        self.write(self._tables[name], rows)
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        if self._on_batch is not None:
            self._on_batch(len(rows))
        self._buffers[name] = []

    def write(self, table: Table, rows: list[Row]) -> None:
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        marks = ", ".join("?" for _ in table.columns)
        self.connection.exec_driver_sql(
            f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', rows
        )


class CopyRows(Rows):
    """PostgreSQL: each batch is one COPY, through psycopg, in the connection's transaction."""

    batch = 20_000

    def __init__(self, connection: Connection, on_batch: Callable[[int], None] | None = None):
        super().__init__(connection, on_batch)
        driver = connection.connection.driver_connection
        assert driver is not None
        self._cursor = driver.cursor()

    def write(self, table: Table, rows: list[Row]) -> None:
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        with self._cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
