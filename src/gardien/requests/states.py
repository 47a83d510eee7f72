"""Where a request stands, and the only ways it may move.

    received → awaiting_verification → verified → approved → in_progress ⇄ blocked → completed
    rejected   from received, awaiting_verification or verified (a reason is recorded)
    withdrawn  from any state before completion (the person, or staff)
    expired    from awaiting_verification (not verified in time)

``TRANSITIONS`` is the whole table; ``transition`` is the one function that
changes a request's state. It locks the row, refuses a move the table does
not hold (``IllegalTransitionError``, 409; ``RequestGoneError``, 410, when
the request expired or was withdrawn), and writes the step twice in the
caller's transaction: a ``request_events`` row (the timeline the DPO reads)
and an audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from gardien.audit import Actor
from gardien.audit.events import RequestTransitioned
from gardien.audit.guard import PublicId
from gardien.errors import IllegalTransitionError, RequestGoneError, RequestNotFoundError
from gardien.requests.tables import request_events, requests
from gardien.requests.vocabulary import RequestState
from gardien.store.types import utcnow

S = RequestState

TRANSITIONS: Mapping[RequestState, frozenset[RequestState]] = {
    S.RECEIVED: frozenset({S.AWAITING_VERIFICATION, S.VERIFIED, S.REJECTED, S.WITHDRAWN}),
    S.AWAITING_VERIFICATION: frozenset({S.VERIFIED, S.REJECTED, S.WITHDRAWN, S.EXPIRED}),
    S.VERIFIED: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.IN_PROGRESS, S.WITHDRAWN}),
    S.IN_PROGRESS: frozenset({S.BLOCKED, S.COMPLETED, S.WITHDRAWN}),
    S.BLOCKED: frozenset({S.IN_PROGRESS, S.WITHDRAWN}),
    S.COMPLETED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.EXPIRED: frozenset(),
}

#: What the person is told comes next, per state (the status answer).
NEXT_STEP: Mapping[RequestState, str] = {
    S.RECEIVED: "Your request is being registered.",
    S.AWAITING_VERIFICATION: "Enter the 6-digit code we sent to your e-mail address "
    "(ask for a new one if it expired).",
    S.VERIFIED: "Your identity is verified; the request waits for a decision by our staff.",
    S.APPROVED: "Your request was approved and will be carried out shortly.",
    S.IN_PROGRESS: "Your request is being carried out.",
    S.BLOCKED: "Your request is delayed; our staff are working on it and will tell you if "
    "anything is needed from you.",
    S.COMPLETED: "Your request was completed; we wrote to you with the outcome.",
    S.REJECTED: "Your request was refused; the reason is given. You may complain to the "
    "supervisory authority named in our privacy notice or seek a judicial remedy (GDPR "
    "Art. 12(4)).",
    S.WITHDRAWN: "Your request was withdrawn; nothing more will be done.",
    S.EXPIRED: "Your request expired because it was not verified in time; make a new request.",
}


def allowed(current: RequestState, target: RequestState) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: RequestState, target: RequestState) -> None:
    """Nothing if ``current → target`` is in the table, else the error to answer."""
    if allowed(current, target):
        return
    if current in (S.EXPIRED, S.WITHDRAWN):
        raise RequestGoneError(
            f"the request is {current.value}: nothing more can be done with it; make a new request"
        )
    raise IllegalTransitionError(
        f"a request that is {current.value} cannot become {target.value}"
        + (
            f" (from {current.value} it can become: "
            + ", ".join(sorted(s.value for s in TRANSITIONS[current]))
            + ")"
            if TRANSITIONS[current]
            else " (it is closed)"
        )
    )


def lock_request(conn: Connection, request_id: str) -> Row[Any]:
    """The request's row, locked for this transaction; ``RequestNotFoundError`` if none."""
    row = conn.execute(
        select(requests).where(requests.c.id == request_id).with_for_update()
    ).first()
    if row is None:
        raise RequestNotFoundError("no request has this id: check the id you were given")
    return row


def transition(
    conn: Connection,
    request_id: str,
    target: RequestState,
    *,
    actor: Actor,
    note: str | None = None,
    values: Mapping[str, Any] | None = None,
    row: Row[Any] | None = None,
    now: dt.datetime | None = None,
) -> Row[Any]:
    """Move the request to ``target``, setting ``values`` on its row; the row before.

    ``note`` goes to the timeline and must name no one (a rejection's reason is
    stored on the request, where shredding can reach it, not here).
    """
    row = row if row is not None else lock_request(conn, request_id)
    current = RequestState(row.state)
    check_transition(current, target)
    now = now or utcnow()
    conn.execute(
        update(requests)
        .where(requests.c.id == request_id)
        .values(state=target.value, **dict(values or {}))
    )
    record_event(conn, request_id, target, actor=actor, note=note, now=now)
    actor.record(
        conn,
        RequestTransitioned(
            subject_blind_id=subject_blind(actor, row.subject_id),
            request_id=PublicId(request_id),
            from_state=current.value,
            to_state=target.value,
        ),
        now=now,
    )
    return row


def record_event(
    conn: Connection,
    request_id: str,
    state: RequestState,
    *,
    actor: Actor,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """One step of the timeline (intake and transitions)."""
    conn.execute(
        insert(request_events).values(
            request_id=request_id,
            at=now or utcnow(),
            state=state.value,
            actor=actor.name[:100],
            note=note[:200] if note else None,
        )
    )


def subject_blind(actor: Actor, subject_id: str | None) -> str | None:
    """The blind id the trail names the request's subject by, when both are known."""
    if subject_id is None or actor.blind is None:
        return None
    return actor.subject(subject_id)
