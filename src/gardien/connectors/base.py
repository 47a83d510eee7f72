"""What every connector to a company datastore offers, as a small protocol.

A request finds a person's rows by a column's values, streams them out,
and changes or removes them by key; ``datastores check`` compares the
declaration with the live schema. That is all a connector must do, whatever
stores the data: ``SqlConnector`` reaches SQL databases through SQLAlchemy
Core, ``MemoryConnector`` holds tables in memory for tests, and a processor's
HTTP API (a CRM, a payment provider) fits the same shape.

Values cross this seam as plain Python values (str, int, datetime…); rows as
read-only mappings from column name to value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from gardien.connectors.counted import TableSize

Row = Mapping[str, Any]


@dataclass(frozen=True)
class LiveColumn:
    name: str
    #: The column's type as the database names it (``VARCHAR(200)``, ``INTEGER``…).
    type: str
    #: Whether the type holds dates or times (a retention anchor must).
    temporal: bool = False
    #: Whether the column may hold NULL (a reference set aside to break a cycle must).
    nullable: bool = True


@dataclass(frozen=True)
class LiveCollection:
    """A table as the database has it: its columns, its indexes, its foreign keys."""

    name: str
    columns: Mapping[str, LiveColumn]
    #: Columns that lead at least one index (or the primary key): lookups by them are fast.
    indexed: frozenset[str] = frozenset()
    #: Foreign keys: (column, referenced table, referenced column).
    foreign_keys: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class LiveSchema:
    collections: Mapping[str, LiveCollection] = field(default_factory=dict)


#: How a text value that had to stay (a NOT NULL column) begins once anonymised.
ANONYMISED = "anonymised-"


@dataclass(frozen=True)
class DueWhere:
    """Which rows a retention rule has run out for.

    Rows whose ``anchor`` date is at or before ``before`` (NULL: the clock has
    not started), except those whose ``held_by`` date is after ``held_until``
    (a row-level legal hold still running), and, when ``pending`` names
    columns, only rows where one of them still holds a value other than an
    ``ANONYMISED`` token (an anonymised row is not due again).
    """

    anchor: str
    before: dt.datetime
    held_by: str | None = None
    held_until: dt.datetime | None = None
    pending: tuple[str, ...] = ()
    #: "Whichever comes first": rows whose ``ended`` date is at or before ``ended_before``
    #: are due too, whatever their ``anchor``.
    ended: str | None = None
    ended_before: dt.datetime | None = None


@dataclass(frozen=True)
class Hop:
    """One step down a reference: the rows of ``child`` whose ``field`` holds a value of
    the parent's ``referenced`` column."""

    child: str
    field: str
    referenced: str


@dataclass(frozen=True)
class Reach:
    """Rows found without reading them (an erasure deletes them by this description):
    those whose column holds one of its values in ``lookups``, or whose column holds a
    value that ``parent_column`` of a parent collection's reached rows holds
    (``through``: ``(column, parent collection, parent_column, the parent's reach)``).
    Activity events are the ones whose ``session_id`` is the ``id`` of a session whose
    ``child_id`` or ``device_id`` is one of the person's."""

    lookups: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    through: tuple[tuple[str, str, str, Reach], ...] = ()

    @property
    def values(self) -> int:
        """How many values the description binds, its parents' included."""
        return sum(len(v) for v in self.lookups.values()) + sum(
            parent.values for *_, parent in self.through
        )

    def split(self, size: int) -> list[Reach]:
        """The same rows as several reaches of at most ``size`` values each (the rows
        reached are the union of theirs): a description too large for one statement."""
        parts = [
            Reach({column: values[start : start + size]})
            for column, values in sorted(self.lookups.items())
            for start in range(0, len(values), size)
        ]
        for column, parent_collection, parent_column, parent in self.through:
            parts.extend(
                Reach(through=((column, parent_collection, parent_column, piece),))
                for piece in parent.split(size)
            )
        return parts


@dataclass(frozen=True)
class DueCount:
    """How many rows are due now, the oldest anchor among them, and how many more
    fall due by a later date."""

    due: int
    oldest: dt.datetime | dt.date | None
    soon: int


class Reader(Protocol):
    """Reads of one datastore: a connector, its ``reading()`` (one connection for many
    reads), or a transaction's writer (which sees the transaction's own changes)."""

    def rows_where(
        self, collection: str, column: str, values: Sequence[Any], columns: Sequence[str]
    ) -> Iterator[Row]:
        """The ``columns`` of the rows whose ``column`` is one of ``values``, streamed."""
        ...

    def rows_matching(
        self, collection: str, lookups: Mapping[str, Sequence[Any]], columns: Sequence[str]
    ) -> Iterator[Row]:
        """The ``columns`` of the rows whose column, one of ``lookups``' keys, holds one of
        its values, in one query; each row once, streamed."""
        ...


class RetentionReader(Reader, Protocol):
    """What a retention sweep reads: counts and keys of due rows, a batch at a time."""

    def count_due(self, collection: str, due: DueWhere, later: DueWhere) -> DueCount:
        """Rows ``due`` now, the oldest anchor, and rows due ``later`` (at a later moment:
        its cutoff, and its hold's end, later too) but not now."""
        ...

    def due_keys(
        self,
        collection: str,
        key: str,
        due: DueWhere,
        after: Any | None,
        limit: int,
        through: Any | None = None,
    ) -> list[Any]:
        """Up to ``limit`` keys of due rows, in key order, after ``after`` and up to
        ``through`` when given (a batch is the window of keys it claimed)."""
        ...

    def due_window(
        self, collection: str, key: str, due: DueWhere, after: Any | None, limit: int
    ) -> tuple[Any, int] | None:
        """The last key and the number of the next ``limit`` due rows after ``after`` (a
        batch's window, without reading its keys); None when none is due."""
        ...

    def count_below(
        self,
        collection: str,
        due: DueWhere,
        target: str,
        target_key: str,
        paths: Sequence[Sequence[Hop]],
    ) -> int:
        """How many rows of ``target`` the due rows of ``collection`` reach down ``paths``
        (each row once, however many paths reach it)."""
        ...


class Writer(RetentionReader, Protocol):
    """Reads and changes of one datastore, inside one of its transactions."""

    def check_columns(self, collection: str, columns: Sequence[str]) -> None:
        """Raise ``SchemaMismatchError`` naming a column of ``columns`` the collection lacks
        (as the connector knows its schema): rows deleted without being read are checked
        against the declaration too."""
        ...

    def nullable(self, collection: str, column: str) -> bool:
        """Whether the column may hold NULL (a reference set aside to break a cycle must)."""
        ...

    def insert_rows(self, collection: str, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert ``rows`` (an archive's copies); how many were inserted."""
        ...

    def delete_due(
        self, collection: str, key: str, due: DueWhere, after: Any | None, through: Any
    ) -> int:
        """Delete the due rows whose key is after ``after`` and up to ``through``, in one
        statement (no list of keys); how many were deleted."""
        ...

    def delete_rows(self, collection: str, key: str, keys: Sequence[Any]) -> int:
        """Delete the rows whose ``key`` column is in ``keys``; how many were deleted."""
        ...

    def delete_reached(self, collection: str, reach: Reach) -> int:
        """Delete the rows ``reach`` describes, in one statement, without reading them;
        how many were deleted."""
        ...

    def update_rows(
        self, collection: str, key: str, keys: Sequence[Any], values: Mapping[str, Any]
    ) -> int:
        """Set ``values`` on the rows whose ``key`` is in ``keys``; how many were changed."""
        ...

    def replace_values(
        self, collection: str, key: str, changes: Sequence[tuple[Any, Mapping[str, Any]]]
    ) -> int:
        """Set per-row values: each ``(key value, {column: value})``; how many rows changed."""
        ...


class CountingWriter(Writer, Protocol):
    """A writer whose database deletes and counts a batch in one statement, walking a
    table by row address, and tells a transaction's fate afterwards (a connector whose
    ``counts_own_deletes`` is true for the table)."""

    def transaction_id(self) -> int:
        """This transaction's id, as ``transaction_fate`` takes it."""
        ...

    def delete_next_due(
        self,
        collection: str,
        due: DueWhere,
        after: str,
        before_page: int | None,
        limit: int | None,
    ) -> tuple[int, str | None]:
        """Delete the due rows stored after the row address ``after`` and before page
        ``before_page`` (None: to the end), the first ``limit`` of them if given, in one
        statement: how many went, and with a limit the address of the last."""
        ...

    def transaction_fate(self, txid: int) -> str:
        """``committed``, ``aborted``, ``in progress`` or ``unknown``."""
        ...

    def any_due_between(
        self,
        collection: str,
        due: DueWhere,
        after: str,
        before_page: int | None,
        through: str | None,
    ) -> bool:
        """Whether a due row is still stored in a batch's range (up to ``through``)."""
        ...

    def table_size(self, collection: str) -> TableSize:
        """The collection's table's pages now, and its rows a page (estimated)."""
        ...


class Connector(Protocol):
    """One company datastore, as requests and retention reach it."""

    #: The ``kind`` a declaration gives (``sql``); the registry's key.
    kind: ClassVar[str]

    def rows_where(
        self, collection: str, column: str, values: Sequence[Any], columns: Sequence[str]
    ) -> Iterator[Row]:
        """The ``columns`` of the rows whose ``column`` is one of ``values``, streamed."""
        ...

    def rows_matching(
        self, collection: str, lookups: Mapping[str, Sequence[Any]], columns: Sequence[str]
    ) -> Iterator[Row]:
        """The ``columns`` of the rows whose column, one of ``lookups``' keys, holds one of
        its values, in one query; each row once, streamed."""
        ...

    def reading(self) -> AbstractContextManager[RetentionReader]:
        """Many reads in a row, on one connection: a person's rows take a dozen queries."""
        ...

    def transaction(self) -> AbstractContextManager[Writer]:
        """A transaction: every change made through the writer commits together, or none."""
        ...

    def describe(self) -> LiveSchema:
        """The live schema of every table (for ``gardien datastores check``)."""
        ...

    def warm(self) -> None:
        """Get ready for the first request now (a SQL connector connects and reads the
        declared tables): raises as a read would when the datastore cannot be reached."""
        ...

    def close(self) -> None: ...
