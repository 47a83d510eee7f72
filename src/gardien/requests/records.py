"""The contract between the request workflow and its executor.

The executor (``execution.py``, the ``request.execute`` job) reads one
``ExecutionOrder`` for an approved request, moves it through ``in_progress``
(and ``blocked`` when a datastore cannot be reached) to ``completed``, and,
after an erasure, shreds the request's identities. Each function here writes
in the caller's transaction, with its timeline step and audit entry.

    >>> order = execution_order(conn, vault, request_id)
    >>> mark_in_progress(conn, request_id, actor=worker)
    >>> ...   # locate, export, erase…
    >>> mark_completed(conn, request_id, {"rows_erased": 12}, actor=worker,
    ...                message=PersonMessage(subject, body))
    >>> shred_identities(conn, request_id)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from gardien.audit import Actor
from gardien.audit.events import RequestShredded
from gardien.audit.guard import PublicId, personal_reason
from gardien.errors import RequestError, RequestNotFoundError
from gardien.jobs import JsonValue
from gardien.requests.identities import RequestIdentities
from gardien.requests.mailing import PersonMessage, queue_person_mail
from gardien.requests.sealing import DETAILS_FIELD, IDENTITIES_FIELD, Sealer
from gardien.requests.states import lock_request, subject_blind, transition
from gardien.requests.tables import PENDING_CLEARED, requests
from gardien.requests.vocabulary import RequestState, RequestType
from gardien.store.types import utcnow
from gardien.vault import Vault

__all__ = [
    "ExecutionOrder",
    "PersonMessage",
    "RequestState",
    "RequestType",
    "execution_order",
    "mark_blocked",
    "mark_completed",
    "mark_in_progress",
    "shred_identities",
]

MAX_OUTCOME_BYTES = 16_384


@dataclass(frozen=True)
class ExecutionOrder:
    """What the executor needs to carry out one request. Its repr shows no identity."""

    request_id: str
    type: RequestType
    subject_id: str | None
    #: Verified identities only (kind -> values): the e-mail proven by code; for an
    #: agent's request, the identities the agent verified.
    identities: Mapping[str, tuple[str, ...]]
    #: The validated details of the type (``changes`` for rectification, ``purposes``…).
    details: Mapping[str, Any]
    language: str
    declaration_version: str | None
    received_at: dt.datetime

    def __repr__(self) -> str:
        return (
            f"ExecutionOrder(request_id={self.request_id!r}, type={self.type.value!r}, "
            f"identities=[{', '.join(sorted(self.identities))}], details=[secure])"
        )


def execution_order(conn: Connection, vault: Vault, request_id: str) -> ExecutionOrder:
    """The order for ``request_id``; ``RequestError`` unless it is approved, in progress or
    blocked, or when its identities were shredded."""
    row = conn.execute(select(requests).where(requests.c.id == request_id)).first()
    if row is None:
        raise RequestNotFoundError("no request has this id")
    state = RequestState(row.state)
    if state not in (RequestState.APPROVED, RequestState.IN_PROGRESS, RequestState.BLOCKED):
        raise RequestError(
            f"request {request_id} is {state.value}: only an approved request is carried out"
        )
    if row.identities_sealed is None:
        raise RequestError(f"request {request_id}'s identities were shredded: nothing to carry out")
    sealer = Sealer(vault)
    identities = RequestIdentities.from_json(
        sealer.open(request_id, IDENTITIES_FIELD, row.identities_sealed)
    )
    details = (
        sealer.open(request_id, DETAILS_FIELD, row.details_sealed)
        if row.details_sealed is not None
        else {}
    )
    return ExecutionOrder(
        request_id=row.id,
        type=RequestType(row.type),
        subject_id=row.subject_id,
        identities=identities.verified_only(),
        details=details,
        language=row.language,
        declaration_version=row.declaration_version,
        received_at=row.received_at,
    )


def mark_in_progress(conn: Connection, request_id: str, *, actor: Actor) -> None:
    """approved or blocked → in_progress; nothing when it is in progress already."""
    row = lock_request(conn, request_id)
    if row.state == RequestState.IN_PROGRESS:
        return
    transition(
        conn,
        request_id,
        RequestState.IN_PROGRESS,
        actor=actor,
        row=row,
        values={"blocked_reason": None},
    )


def mark_blocked(conn: Connection, request_id: str, reason: str, *, actor: Actor) -> None:
    """in_progress → blocked, with a reason the DPO reads (non-personal: it is refused
    when it looks personal, as an audit detail would be)."""
    _check_not_personal("the reason a request is blocked", reason)
    transition(
        conn,
        request_id,
        RequestState.BLOCKED,
        actor=actor,
        note=reason,
        values={"blocked_reason": reason[:2000]},
    )


def mark_completed(
    conn: Connection,
    request_id: str,
    outcome: Mapping[str, JsonValue],
    *,
    actor: Actor,
    message: PersonMessage | None,
) -> None:
    """in_progress → completed: stores ``outcome`` (a non-personal summary), completed_at,
    and queues ``message`` to the request's e-mail (read from its sealed identities by
    the ``request.notify`` job: the caller never handles the address)."""
    encoded = json.dumps(dict(outcome), sort_keys=True, allow_nan=False)
    if len(encoded.encode("utf-8")) > MAX_OUTCOME_BYTES:
        raise RequestError(
            f"a request's outcome is a summary: keep it under {MAX_OUTCOME_BYTES} bytes"
        )
    for text in _strings(outcome):
        _check_not_personal("a request's outcome", text)
    now = utcnow()
    row = transition(
        conn,
        request_id,
        RequestState.COMPLETED,
        actor=actor,
        values={"outcome": encoded, "completed_at": now, "blocked_reason": None},
        now=now,
    )
    if message is not None:
        queue_person_mail(
            conn,
            request_id,
            row.identities_sealed,
            message,
            dedupe_key=f"request.notify:{request_id}:completed",
        )


def shred_identities(conn: Connection, request_id: str, *, actor: Actor | None = None) -> None:
    """Make the request's identities and details unreadable, keeping its non-personal record.

    For a completed erasure: the sealed columns, the e-mail's blind index and the
    staff's note are dropped; type, dates, states, outcome and timeline stay as proof.
    Audited when ``actor`` is given.
    """
    row = lock_request(conn, request_id)
    conn.execute(
        update(requests)
        .where(requests.c.id == request_id)
        .values(
            identities_sealed=None,
            details_sealed=None,
            verification_note_sealed=None,
            email_index=None,
            code_hash=None,
            **PENDING_CLEARED,
        )
    )
    if actor is not None:
        actor.record(
            conn,
            RequestShredded(
                subject_blind_id=subject_blind(actor, row.subject_id),
                request_id=PublicId(request_id),
            ),
        )


def _strings(value: object) -> list[str]:
    """Every text in a JSON value, keys included (numbers are counts: never personal)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [t for k, v in value.items() for t in [str(k), *_strings(v)]]
    if isinstance(value, list | tuple):
        return [t for item in value for t in _strings(item)]
    return []


def _check_not_personal(what: str, text: str) -> None:
    reason = personal_reason(text)
    if reason is not None:
        raise RequestError(f"{what} looks personal ({reason}): say what happened without it")


#: Requests whose answer is made of the person's data as it is: while one is open, a
#: retention sweep keeps that data (it would otherwise vanish from the answer).
_NEEDS_DATA = (RequestType.ACCESS, RequestType.PORTABILITY)
_OPEN = (
    RequestState.VERIFIED,
    RequestState.APPROVED,
    RequestState.IN_PROGRESS,
    RequestState.BLOCKED,
)


def open_requests_needing_data(conn: Connection, vault: Vault) -> list[dict[str, tuple[str, ...]]]:
    """The verified identities of each open access or portability request (verified, not
    yet completed): the people whose data retention must keep for now."""
    rows = conn.execute(
        select(requests.c.id, requests.c.identities_sealed).where(
            requests.c.type.in_([t.value for t in _NEEDS_DATA]),
            requests.c.state.in_([s.value for s in _OPEN]),
            requests.c.identities_sealed.is_not(None),
        )
    ).all()
    sealer = Sealer(vault)
    found = []
    for row in rows:
        identities = RequestIdentities.from_json(
            sealer.open(row.id, IDENTITIES_FIELD, row.identities_sealed)
        )
        verified = identities.verified_only()
        if verified:
            found.append(verified)
    return found
