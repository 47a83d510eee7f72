"""Deletes that count themselves, on PostgreSQL: a retention batch in one statement.

A retention batch must be counted exactly, even when the worker dies between
the company's commit and gardien's record of the batch. Elsewhere that needs
two statements a batch: a claim that counts the window's rows, recorded
first, then the ``DELETE`` of that window, which scans the same rows again.
On PostgreSQL one statement does both (``delete_next_due``), and the
transaction's id (``txid_current()``) is recorded with the count *before* the
company commits: a replay asks PostgreSQL what became of that transaction
(``txid_status``) and knows whether the recorded rows went.

A batch walks the table in the order its rows are stored, not in key order:
the next due rows after a row address (``ctid``) and before a page, read by a
TID range scan (PostgreSQL 14 and later), so that a whole sweep reads each
page of the table about once, as one bulk ``DELETE`` would; walking the
primary key instead fetches the rows in key order, scattered over the pages.
The outer ``DELETE`` repeats the batch's conditions, so a row address is never
trusted alone. This module holds the only PostgreSQL-specific SQL of the
connectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    any_,
    cast,
    delete,
    func,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.types import UserDefinedType


class TransactionFate(StrEnum):
    """What PostgreSQL says of a transaction it was given the id of."""

    COMMITTED = "committed"
    ABORTED = "aborted"
    IN_PROGRESS = "in progress"
    #: Too old for PostgreSQL to remember (past its commit-log horizon).
    UNKNOWN = "unknown"


def transaction_id(conn: Connection) -> int:
    """The id of ``conn``'s transaction (one is assigned if none was yet)."""
    return int(conn.execute(text("SELECT txid_current()")).scalar_one())


def transaction_fate(conn: Connection, txid: int) -> TransactionFate:
    found = conn.execute(text("SELECT txid_status(:txid)"), {"txid": txid}).scalar_one_or_none()
    return TransactionFate(found) if found is not None else TransactionFate.UNKNOWN


class _Tid(UserDefinedType[str]):
    """PostgreSQL's row address type, to compare ``ctid`` with a bound value."""

    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "tid"


TID = _Tid()


def row_range(after: str, before_page: int | None) -> list[ColumnElement[bool]]:
    """Rows stored after the address ``after`` and before page ``before_page`` (None:
    to the end of the table, rows added meanwhile included)."""
    ctid: ColumnElement[Any] = literal_column("ctid")
    clauses = [ctid > cast(literal(after), TID)]
    if before_page is not None:
        clauses.append(ctid < cast(literal(f"({before_page},0)"), TID))
    return clauses


def delete_next_due(
    conn: Connection,
    table: Table,
    due_clauses: list[ColumnElement[bool]],
    after: str,
    before_page: int | None,
    limit: int | None,
) -> tuple[int, str | None]:
    """Delete the due rows stored after the address ``after`` and before page
    ``before_page``, in one statement: how many went, and the address of the last of them.
    With a ``limit``, only the first ``limit`` of them in storage order (``RETURNING``
    their addresses); without, all of them, counted by the statement itself and no
    address returned (None): one pass over the range's pages, as a bulk ``DELETE``."""
    where = [*row_range(after, before_page), *due_clauses]
    if limit is None:
        return int(conn.execute(delete(table).where(*where)).rowcount), None
    ctid: ColumnElement[Any] = literal_column("ctid")
    chosen = select(ctid).select_from(table).where(*where).order_by(ctid).limit(limit)
    doomed = (
        delete(table)
        .where(ctid == any_(func.array(chosen.scalar_subquery())), *where)
        .returning(ctid.label("address"))
        .cte("doomed")
    )
    count, last = conn.execute(select(func.count(), func.max(doomed.c.address))).one()
    return int(count), str(last) if last is not None else None


def any_due_between(
    conn: Connection,
    table: Table,
    due_clauses: list[ColumnElement[bool]],
    after: str,
    before_page: int | None,
    through: str | None,
) -> bool:
    """Whether a due row is still stored after ``after``, before page ``before_page`` and,
    if given, up to the address ``through``: a batch of that range whose fate PostgreSQL
    forgot was rolled back if one is."""
    ctid: ColumnElement[Any] = literal_column("ctid")
    where = [*row_range(after, before_page), *due_clauses]
    if through is not None:
        where.append(ctid <= cast(literal(through), TID))
    return conn.execute(select(ctid).select_from(table).where(*where).limit(1)).first() is not None


@dataclass(frozen=True)
class TableSize:
    """How many pages a table has now, and how many rows a page holds (estimated)."""

    pages: int
    rows_per_page: float


def table_size(conn: Connection, table: Table) -> TableSize:
    """``table``'s pages now, and its rows a page as PostgreSQL's statistics estimate
    them (the most a page can hold when the table was never analysed)."""
    pages, tuples, counted_pages, block = conn.execute(
        text(
            "SELECT pg_relation_size(oid) / current_setting('block_size')::int, reltuples,"
            " relpages, current_setting('block_size')::int"
            " FROM pg_class WHERE oid = CAST(:name AS regclass)"
        ),
        {"name": _qualified(table)},
    ).one()
    if counted_pages > 0 and tuples > 0:
        per_page = float(tuples) / counted_pages
    else:
        # A page's header is 24 bytes; a row takes at least a 24-byte header and a
        # 4-byte line pointer.
        per_page = (int(block) - 24) / 28
    return TableSize(int(pages), max(per_page, 1.0))


def deletes_by_row_address(conn: Connection, table: Table) -> bool:
    """Whether ``table`` can be swept by row address: an ordinary table (a partitioned
    one repeats addresses across its partitions, a view has none) on PostgreSQL 14 or
    later (TID range scans)."""
    if conn.dialect.server_version_info is None or conn.dialect.server_version_info < (14,):
        return False
    kind = conn.execute(
        text("SELECT relkind FROM pg_class WHERE oid = CAST(:name AS regclass)"),
        {"name": _qualified(table)},
    ).scalar_one_or_none()
    return kind == "r"


def _qualified(table: Table) -> str:
    name = '"' + table.name.replace('"', '""') + '"'
    if table.schema:
        return '"' + table.schema.replace('"', '""') + '".' + name
    return name
