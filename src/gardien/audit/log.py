"""Appending to the audit trail, and reading it back page by page.

``append`` runs inside the caller's transaction, so an entry is committed
with the change it records or not at all. Appends are serialized so the
chain never forks: on PostgreSQL by a transaction-level advisory lock taken
just before the head is read, on SQLite by the write lock every gardien
transaction takes at ``BEGIN IMMEDIATE``. The lock is held until the
caller's transaction ends, so append last, right before committing.

On PostgreSQL the lock and the head read travel together, as two statements of
one simple query: one round trip, and still two statements, each with its own
snapshot in READ COMMITTED, so the read sees what the lock's previous holder
committed (a single statement would read with a snapshot older than its lock).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import Connection, Row, insert, select

from gardien.audit.chain import GENESIS_HASH, AuditEntry, canonical_json
from gardien.audit.events import AuditEvent, event_record
from gardien.audit.guard import check_token
from gardien.audit.tables import audit_log
from gardien.errors import AuditError
from gardien.store.types import utcnow

# "gardien\x01" as a signed 64-bit key: the advisory lock of the audit head,
# distinct from any other application's locks on a shared server.
AUDIT_LOCK_KEY = 0x67617264_69656E01
MAX_PAGE = 1000
BATCH = 1000


# Built once: append runs on every API call, and building a statement per call
# costs more than executing it.
_HEAD = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
_INSERT = insert(audit_log)
# Parameter-free, so that psycopg sends it with the simple query protocol, the one
# that carries several statements. psycopg never turns it into a prepared statement
# (it drops queries of several results from its cache) unless prepare_threshold is
# 0, "prepare at once", which the store's engine does not set.
_LOCK_AND_HEAD = (
    f"SELECT pg_advisory_xact_lock({AUDIT_LOCK_KEY:d}); "
    f"SELECT seq, hash FROM {audit_log.name} ORDER BY seq DESC LIMIT 1"
)


def append(
    conn: Connection,
    event: AuditEvent,
    *,
    actor: str,
    role: str,
    declaration_version: str | None,
    now: dt.datetime | None = None,
) -> AuditEntry:
    """Append ``event`` to the trail in ``conn``'s transaction and return the entry."""
    record = event_record(event)
    check_token("actor", actor, 64)
    check_token("role", role, 32)
    if declaration_version is not None:
        check_token("declaration version", declaration_version, 64)
    head = _locked_head(conn) if conn.dialect.name == "postgresql" else _head(conn)
    # Time taken under the lock, so that times follow the sequence on one host.
    entry = AuditEntry(
        seq=head[0] + 1 if head else 1,
        at=now or utcnow(),
        actor=actor,
        role=role,
        action=record.action,
        subject_blind_id=record.subject_blind_id,
        purpose=record.purpose,
        declaration_version=declaration_version,
        details=record.details,
        prev_hash=head[1] if head else GENESIS_HASH,
    )
    entry = dataclasses.replace(entry, hash=entry.computed_hash())
    conn.execute(
        _INSERT,
        {
            "seq": entry.seq,
            "at": entry.at,
            "actor": entry.actor,
            "role": entry.role,
            "action": entry.action,
            "subject_blind_id": entry.subject_blind_id,
            "purpose": entry.purpose,
            "declaration_version": entry.declaration_version,
            "details": canonical_json(dict(entry.details)).decode("utf-8"),
            "prev_hash": entry.prev_hash,
            "hash": entry.hash,
        },
    )
    return entry


def _head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(_HEAD).first()
    return (row.seq, row.hash) if row is not None else None


def _locked_head(conn: Connection) -> tuple[int, str] | None:
    """Take the audit lock, then read the head, in one round trip (see the module docstring)."""
    result = conn.exec_driver_sql(_LOCK_AND_HEAD, execution_options={"no_parameters": True})
    try:
        # Both statements have run when the call returns; the cursor holds one
        # result per statement: the lock's, then the head's.
        cursor: Any = result.cursor
        if not cursor.nextset():
            raise AuditError("the audit head read returned no result")
        row = cursor.fetchone()
    finally:
        result.close()
    return (int(row[0]), str(row[1])) if row is not None else None


def entries(
    conn: Connection,
    *,
    limit: int,
    after_seq: int | None = None,
    subject_blind_id: str | None = None,
    action: str | None = None,
) -> list[AuditEntry]:
    """One page of entries in sequence order, after ``after_seq``; filters are exact."""
    if not 1 <= limit <= MAX_PAGE:
        raise AuditError(f"audit page limit {limit} is out of range: ask for 1 to {MAX_PAGE}")
    if after_seq is not None and after_seq < 0:
        raise AuditError("audit cursor after_seq must be 0 or more")
    query = select(audit_log).order_by(audit_log.c.seq).limit(limit)
    if after_seq is not None:
        query = query.where(audit_log.c.seq > after_seq)
    if subject_blind_id is not None:
        query = query.where(audit_log.c.subject_blind_id == subject_blind_id)
    if action is not None:
        query = query.where(audit_log.c.action == action)
    return [entry_from_row(row) for row in conn.execute(query)]


def export_jsonl(conn: Connection, out: IO[str], since_seq: int | None = None) -> int:
    """Write the entries after ``since_seq`` to ``out``, one JSON object a line.

    Streams in batches, so the size of the trail does not matter. Returns the
    number of entries written.
    """
    count = 0
    for entry in iter_entries(conn, after_seq=since_seq or 0):
        out.write(json.dumps(entry.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def iter_entries(
    conn: Connection, *, after_seq: int = 0, until_seq: int | None = None
) -> Iterator[AuditEntry]:
    """Every entry after ``after_seq`` (up to ``until_seq``), fetched a batch at a time."""
    while True:
        batch = fetch_batch(conn, after_seq=after_seq, until_seq=until_seq)
        yield from batch
        if len(batch) < BATCH:
            return
        after_seq = batch[-1].seq


def fetch_batch(
    conn: Connection, *, after_seq: int, until_seq: int | None = None, size: int = BATCH
) -> list[AuditEntry]:
    """Up to ``size`` entries after ``after_seq``, in sequence order."""
    query = select(audit_log).where(audit_log.c.seq > after_seq).order_by(audit_log.c.seq)
    if until_seq is not None:
        query = query.where(audit_log.c.seq <= until_seq)
    return [entry_from_row(row) for row in conn.execute(query.limit(size))]


def entry_from_row(row: Row[Any]) -> AuditEntry:
    try:
        details = json.loads(row.details)
    except ValueError:
        # A row edited by hand into invalid JSON still reads back, and fails its hash.
        details = {"unreadable": row.details}
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        role=row.role,
        action=row.action,
        subject_blind_id=row.subject_blind_id,
        purpose=row.purpose,
        declaration_version=row.declaration_version,
        details=details if isinstance(details, dict) else {"unreadable": row.details},
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
