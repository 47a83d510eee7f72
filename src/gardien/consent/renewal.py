"""Renewal: consents given to a wording or a purpose the declaration no longer has.

When the company rewrites the wording of a consent, or changes what a
consent-based purpose does (its data use, categories, recipients), a consent
given before proves agreement to something else: the check already refuses
it (``consent.outdated_wording`` / ``consent.purpose_changed``), and the
people concerned should be asked again. Both languages' current wordings
count as current.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Protocol

from sqlalchemy import Connection, and_, or_, select

from gardien.consent.ledger import EventKind, check_now
from gardien.consent.policy import policy_for
from gardien.consent.tables import consent_state
from gardien.declaration import Declaration

RENEWAL_JOB: Final = "consent.renewal"


class Enqueue(Protocol):
    """``gardien.jobs.enqueue``: queue a durable job in the caller's transaction."""

    def __call__(self, conn: Connection, kind: str, payload: dict[str, Any], /) -> object: ...


def consents_needing_renewal(
    conn: Connection, declaration: Declaration, now: dt.datetime | None = None
) -> list[tuple[str, str]]:
    """``(subject_id, purpose)`` of live consents given to an old wording or purpose.

    Only given, unexpired consents count: a refusal or a withdrawal is not
    renewed (asking again would pressure the person), and an expired consent
    is asked again anyway. Purposes no longer declared, or no longer based on
    consent, are not reported: nothing is asked for them any more.
    """
    moment = check_now(now)
    policy = policy_for(declaration)
    stale = [
        and_(
            consent_state.c.purpose == purpose.id,
            or_(
                consent_state.c.wording_hash.not_in(sorted(purpose.current_hashes)),
                consent_state.c.purpose_hash != purpose.purpose_hash,
            ),
        )
        for purpose in policy.purposes.values()
        if purpose.consent_based
    ]
    if not stale:
        return []
    rows = conn.execute(
        select(consent_state.c.subject_id, consent_state.c.purpose)
        .where(
            consent_state.c.status == EventKind.GIVEN.value,
            or_(consent_state.c.expires_at.is_(None), consent_state.c.expires_at >= moment),
            or_(*stale),
        )
        .order_by(consent_state.c.subject_id, consent_state.c.purpose)
    )
    return [(row.subject_id, row.purpose) for row in rows]


def queue_renewals(
    conn: Connection,
    declaration: Declaration,
    enqueue: Enqueue,
    now: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    """Queue one ``consent.renewal`` job per consent needing renewal; return them.

    ``enqueue`` is ``gardien.jobs.enqueue`` (passed in, so this room does not
    depend on the jobs room); each payload is ``{"subject_id", "purpose"}``.
    Run it once when a new declaration version is applied, in that same
    transaction: running it twice queues the notifications twice.
    """
    pairs = consents_needing_renewal(conn, declaration, now)
    for subject_id, purpose in pairs:
        enqueue(conn, RENEWAL_JOB, {"subject_id": subject_id, "purpose": purpose})
    return pairs
