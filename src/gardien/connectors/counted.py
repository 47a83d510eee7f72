"""Deletes that count themselves, on PostgreSQL: a retention batch in one statement.

A retention batch must be counted exactly, even when the worker dies between
the company's commit and gardien's record of the batch. Elsewhere that needs
two statements a batch: a claim that counts the window's rows, recorded
first, then the ``DELETE`` of that window, which scans the same rows again.
On PostgreSQL one statement does both (``delete_next_due``: the ``DELETE``
of the next due rows by their ``ctid``, its ``RETURNING`` counted in the same
statement), and the transaction's id (``txid_current()``) is recorded with
the count *before* the company commits: a replay asks PostgreSQL what became
of that transaction (``txid_status``) and knows whether the recorded rows
went. This module holds the only PostgreSQL-specific SQL of the connectors.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    any_,
    delete,
    func,
    literal_column,
    select,
    text,
)


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


def delete_next_due(
    conn: Connection,
    table: Table,
    column: Any,
    due_clauses: list[ColumnElement[bool]],
    limit: int,
) -> tuple[int, Any | None]:
    """Delete the first ``limit`` rows (in ``column`` order) that ``due_clauses`` select, in
    one statement; how many went and the last key among them (None: none did)."""
    ctid: ColumnElement[Any] = literal_column("ctid")
    chosen = select(ctid).select_from(table).where(*due_clauses).order_by(column).limit(limit)
    doomed = (
        delete(table)
        .where(ctid == any_(func.array(chosen.scalar_subquery())))
        .returning(column.label("key"))
        .cte("doomed")
    )
    count, last = conn.execute(select(func.count(), func.max(doomed.c.key))).one()
    return int(count), last
