"""The expiry sweep: append ``expired`` events for choices past their lifetime.

Reads never wait for the sweep: a state whose ``expires_at`` has passed
already reads as expired (``ConsentState.status_at``). The sweep makes the
ledger say so too, so the history a DPO exports shows when each consent
lapsed. The worker runs ``expire_due`` periodically, in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import Connection, select

from gardien.audit import Actor, ConsentsExpired
from gardien.consent.ledger import EventKind, append_event, check_now
from gardien.consent.proof import Channel, CollectionMethod, Proof
from gardien.consent.tables import consent_events, consent_state

BATCH_SIZE: Final = 500
_LIVE = (EventKind.GIVEN.value, EventKind.REFUSED.value)


def expire_due(conn: Connection, now: dt.datetime | None = None, *, actor: Actor) -> int:
    """Append an ``expired`` event for every live choice whose lifetime ended; return how many.

    One ``consent.expire`` audit entry records the count when there was any
    (the ledger itself says which choice lapsed when); a sweep that found
    nothing changed nothing and records nothing.

    On PostgreSQL the due states are locked ``FOR UPDATE SKIP LOCKED``: a row
    being written by a new choice right now is skipped (the new choice
    replaces it anyway), and two workers never expire the same choice twice.
    """
    moment = check_now(now)
    total = 0
    while True:
        query = (
            select(consent_state, consent_events.c.language)
            .join(consent_events, consent_events.c.id == consent_state.c.event_id)
            .where(consent_state.c.expires_at < moment, consent_state.c.status.in_(_LIVE))
            .order_by(consent_state.c.expires_at)
            .limit(BATCH_SIZE)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(of=consent_state, skip_locked=True)
        rows = conn.execute(query).all()
        for row in rows:
            append_event(
                conn,
                subject_id=row.subject_id,
                purpose=row.purpose,
                kind=EventKind.EXPIRED,
                declaration_version=row.declaration_version,
                wording_hash=row.wording_hash,
                purpose_hash=row.purpose_hash,
                language=row.language,
                channel=Channel.SYSTEM.value,
                # The event says when the choice lapsed, not when the sweep ran.
                occurred_at=row.expires_at,
                expires_at=None,
                proof=Proof(
                    CollectionMethod.LIFETIME_ENDED, extra={"swept_at": moment.isoformat()}
                ),
                refers_to=row.event_id,
            )
        total += len(rows)
        if len(rows) < BATCH_SIZE:
            if total:
                actor.record(conn, ConsentsExpired(count=total))
            return total
