"""Searching the trail for the console: by action, by actor, by day; audited like any read.

Newest entries first, one page at a time (``before_seq`` is the cursor of
the next page). Filters are exact, except the actor, which may be given
whole (``user:k2v9…``) or as its kind (``user:``, ``key:``, ``cli:``,
``worker``, ``subject``). ``verify_chain`` runs the same verification as
``gardien audit verify`` and records that someone asked (``audit.verify``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, select

from gardien.audit.actor import Actor
from gardien.audit.chain import AuditEntry
from gardien.audit.events import AuditChainVerified, AuditRead
from gardien.audit.log import entry_from_row
from gardien.audit.tables import audit_log
from gardien.audit.verify import VerifyResult, verify
from gardien.errors import AuditError
from gardien.store import Store

PAGE = 100


@dataclass(frozen=True)
class AuditQuery:
    """What to look for; every part optional."""

    action: str | None = None
    actor: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    before_seq: int | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise AuditError("the first day is after the last: swap them")


def search(
    conn: Connection, query: AuditQuery, *, actor: Actor, limit: int = PAGE
) -> list[AuditEntry]:
    """The entries matching ``query``, newest first; recorded as ``audit.read``."""
    statement = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
    if query.action:
        statement = statement.where(audit_log.c.action == query.action)
    if query.actor:
        if query.actor.endswith(":"):
            statement = statement.where(audit_log.c.actor.startswith(query.actor, autoescape=True))
        else:
            statement = statement.where(audit_log.c.actor == query.actor)
    if query.since:
        start = dt.datetime.combine(query.since, dt.time(), dt.UTC)
        statement = statement.where(audit_log.c.at >= start)
    if query.until:
        end = dt.datetime.combine(query.until + dt.timedelta(days=1), dt.time(), dt.UTC)
        statement = statement.where(audit_log.c.at < end)
    if query.before_seq is not None:
        statement = statement.where(audit_log.c.seq < query.before_seq)
    found = [entry_from_row(row) for row in conn.execute(statement)]
    actor.record(conn, AuditRead(filter_action=query.action))
    return found


def verify_chain(
    store: Store, *, actor: Actor, checkpoint_key: Ed25519PublicKey | None = None
) -> VerifyResult:
    """Verify the whole chain (as ``gardien audit verify`` does: batches read apart, so the
    walk holds no write lock), then record that it was asked and what it found
    (``audit.verify``) in a transaction of its own, after the entries it checked."""
    result = verify(store, None, checkpoint_key)
    with store.engine.begin() as conn:
        actor.record(conn, AuditChainVerified(ok=result.ok, entries=result.entries_checked))
    return result
