"""Reading the trail back, audited: a page for the API, an export for the DPO.

Reading the audit trail is itself an access the supervisory authority may ask
about, so each read appends its own entry (``audit.read``, ``audit.export``),
in the same transaction as the read.
"""

from __future__ import annotations

from typing import IO

from sqlalchemy import Connection

from gardien.audit.actor import Actor
from gardien.audit.chain import AuditEntry
from gardien.audit.events import AuditExported, AuditRead
from gardien.audit.log import entries, export_jsonl


def read_page(
    conn: Connection,
    *,
    actor: Actor,
    limit: int,
    after_seq: int | None = None,
    action: str | None = None,
) -> list[AuditEntry]:
    """One page of entries after ``after_seq`` (see ``entries``), recorded as ``audit.read``."""
    page = entries(conn, limit=limit, after_seq=after_seq, action=action)
    actor.record(conn, AuditRead(filter_action=action))
    return page


def export(conn: Connection, out: IO[str], *, actor: Actor, since_seq: int | None = None) -> int:
    """Write the entries after ``since_seq`` as JSON lines; recorded as ``audit.export``.

    The export's own entry comes after the last one written, so the next
    export (``since_seq`` = its seq) starts with it.
    """
    count = export_jsonl(conn, out, since_seq=since_seq)
    actor.record(conn, AuditExported(since_seq=since_seq, entries=count))
    return count
