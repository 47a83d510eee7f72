"""Staff's side of a request: the queue, the detail, approve, reject, extend.

Each function takes the staff member's ``Actor`` and records its own audit
entry (and timeline step) in the caller's transaction. Approving queues the
one ``request.execute`` job the executor runs (``dedupe_key`` per request:
approving twice cannot run a request twice); approving a post-mortem request
stores the directive instead (``directives.store_directive``). Rejecting and
extending tell the person by e-mail, in their language, with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from gardien.audit import Actor
from gardien.audit.events import RequestExtended, RequestRead, RequestsListed
from gardien.audit.guard import PublicId
from gardien.declaration import Declaration
from gardien.errors import RequestError, RequestNotFoundError
from gardien.jobs import enqueue
from gardien.requests.answers import Status, status_of
from gardien.requests.deadlines import QueueEntry, extended_due, queue
from gardien.requests.directives import store_directive
from gardien.requests.identities import RequestIdentities
from gardien.requests.mailing import queue_person_mail
from gardien.requests.messages import day, message
from gardien.requests.sealing import DETAILS_FIELD, IDENTITIES_FIELD, NOTE_FIELD, Sealer
from gardien.requests.states import lock_request, record_event, subject_blind, transition
from gardien.requests.tables import PENDING_CLEARED, request_events, requests
from gardien.requests.vocabulary import OPEN_STATES, RequestState, RequestType
from gardien.store.types import utcnow
from gardien.vault import Vault

REQUEST_EXECUTE = "request.execute"
MAX_REASON = 2000

#: Attempts of a request's execution: a datastore away keeps the request blocked and
#: retried with backoff (capped at an hour) for about two days, then the DPO acts.
EXECUTION_ATTEMPTS = 60


@dataclass(frozen=True)
class TimelineStep:
    at: dt.datetime
    state: str
    actor: str
    note: str | None


@dataclass(frozen=True)
class RequestDetail:
    """A request as staff see it; identities and details only when asked for (and audited)."""

    status: Status
    channel: str
    language: str
    subject_id: str | None
    verification_method: str | None
    decided_at: dt.datetime | None
    decided_by: str | None
    extension_reason: str | None
    blocked_reason: str | None
    outcome: dict[str, Any] | None
    declaration_version: str | None
    timeline: tuple[TimelineStep, ...]
    identities: dict[str, str] | None = None
    verified: tuple[str, ...] | None = None
    details: dict[str, Any] | None = None
    verification_note: str | None = None

    def __repr__(self) -> str:
        return f"RequestDetail(id={self.status.id!r}, state={self.status.state.value!r})"


@dataclass(frozen=True)
class Mailing:
    """Who signs the e-mails staff decisions send."""

    sender: str | None = None
    controller: str = ""
    #: The lead supervisory authority as a refusal names it: short name and website
    #: (``gardien.declaration.jurisdiction.authority_reference``).
    authority: str = "CNIL, www.cnil.fr"


def list_requests(
    conn: Connection,
    *,
    actor: Actor,
    state: RequestState | None = None,
    overdue: bool = False,
    due_within: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> list[QueueEntry]:
    """The queue by due date (open requests unless ``state`` says otherwise); audited."""
    now = now or utcnow()
    states = frozenset({state}) if state is not None else OPEN_STATES
    due_before = now if overdue else (now + due_within if due_within is not None else None)
    entries = queue(conn, states=states, due_before=due_before)
    actor.record(
        conn,
        RequestsListed(count=len(entries), state_filter=state.value if state else None),
    )
    return entries


def request_detail(
    conn: Connection,
    vault: Vault,
    request_id: str,
    *,
    actor: Actor,
    with_identities: bool = False,
) -> RequestDetail:
    """One request with its timeline; identities, details and note when ``with_identities``."""
    row = conn.execute(select(requests).where(requests.c.id == request_id)).first()
    if row is None:
        raise RequestNotFoundError("no request has this id")
    steps = tuple(
        TimelineStep(step.at, step.state, step.actor, step.note)
        for step in conn.execute(
            select(request_events)
            .where(request_events.c.request_id == request_id)
            .order_by(request_events.c.id)
        )
    )
    actor.record(
        conn,
        RequestRead(
            subject_blind_id=subject_blind(actor, row.subject_id),
            request_id=PublicId(request_id),
            identities=with_identities,
        ),
    )
    extra: dict[str, Any] = {}
    if with_identities:
        sealer = Sealer(vault)
        if row.identities_sealed is not None:
            identities = RequestIdentities.from_json(
                sealer.open(request_id, IDENTITIES_FIELD, row.identities_sealed)
            )
            extra["identities"] = dict(identities.given)
            extra["verified"] = identities.verified
        if row.details_sealed is not None:
            extra["details"] = sealer.open(request_id, DETAILS_FIELD, row.details_sealed)
        if row.verification_note_sealed is not None:
            extra["verification_note"] = sealer.open(
                request_id, NOTE_FIELD, row.verification_note_sealed
            )
    return RequestDetail(
        status=status_of(row),
        channel=row.channel,
        language=row.language,
        subject_id=row.subject_id,
        verification_method=row.verification_method,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        extension_reason=row.extension_reason,
        blocked_reason=row.blocked_reason,
        outcome=json.loads(row.outcome) if row.outcome else None,
        declaration_version=row.declaration_version,
        timeline=steps,
        **extra,
    )


def approve(
    conn: Connection,
    vault: Vault,
    request_id: str,
    *,
    actor: Actor,
    mailing: Mailing | None = None,
    now: dt.datetime | None = None,
) -> Status:
    """verified → approved, then the executor's job (or, for a post-mortem directive, its
    storage: there is nothing to execute until the person's death is recorded)."""
    now = now or utcnow()
    row = lock_request(conn, request_id)
    decided = {"decided_at": now, "decided_by": actor.name[:100]}
    transition(conn, request_id, RequestState.APPROVED, actor=actor, row=row, values=decided,
               now=now)  # fmt: skip
    if row.type == RequestType.POST_MORTEM:
        # Nothing to carry out in the datastores: storing the directive completes it.
        store_directive(conn, vault, row, actor=actor, mailing=mailing, now=now)
    else:
        enqueue(
            conn,
            REQUEST_EXECUTE,
            {"request_id": request_id},
            dedupe_key=f"request:{request_id}",
            max_attempts=EXECUTION_ATTEMPTS,
            now=now,
        )
    return _status(conn, request_id)


def reject(
    conn: Connection,
    request_id: str,
    reason: str,
    *,
    actor: Actor,
    mailing: Mailing | None = None,
    now: dt.datetime | None = None,
) -> Status:
    """→ rejected with ``reason`` (shown to the person and e-mailed to them)."""
    reason = _reason(reason, "rejection")
    now = now or utcnow()
    values = {
        "rejection_reason": reason,
        "decided_at": now,
        "decided_by": actor.name[:100],
        "code_hash": None,
        **PENDING_CLEARED,
    }
    row = transition(conn, request_id, RequestState.REJECTED, actor=actor, values=values, now=now)
    mailing = mailing or Mailing()
    mail = message("rejected", row.language, id=request_id, reason=reason,
                   controller=mailing.controller, authority=mailing.authority)  # fmt: skip
    queue_person_mail(conn, request_id, row.identities_sealed, mail, sender=mailing.sender)
    return _status(conn, request_id)


def extend(
    conn: Connection,
    declaration: Declaration,
    request_id: str,
    reason: str,
    *,
    actor: Actor,
    until: dt.date | None = None,
    mailing: Mailing | None = None,
    now: dt.datetime | None = None,
) -> Status:
    """Extend the deadline once, by at most ``rights.extension``, to ``until`` (a day, at the
    due date's time of day; default: as far as allowed); the person is told why."""
    reason = _reason(reason, "extension")
    now = now or utcnow()
    row = lock_request(conn, request_id)
    if RequestState(row.state) not in OPEN_STATES:
        raise RequestError(f"this request is {row.state}: there is no deadline left to extend")
    wanted = dt.datetime.combine(until, row.due_at.timetz()) if until is not None else None
    new_due = extended_due(row.due_at, row.extended_until, declaration.rights.extension, wanted)
    conn.execute(
        update(requests)
        .where(requests.c.id == request_id)
        .values(extended_until=new_due, extension_reason=reason)
    )
    record_event(conn, request_id, RequestState(row.state), actor=actor,
                 note=f"deadline extended to {day(new_due)}", now=now)  # fmt: skip
    actor.record(
        conn,
        RequestExtended(
            subject_blind_id=subject_blind(actor, row.subject_id),
            request_id=PublicId(request_id),
            until=day(new_due),
        ),
        now=now,
    )
    mailing = mailing or Mailing()
    mail = message("extended", row.language, id=request_id, reason=reason, until=day(new_due),
                   controller=mailing.controller)  # fmt: skip
    queue_person_mail(conn, request_id, row.identities_sealed, mail, sender=mailing.sender)
    return _status(conn, request_id)


def _reason(reason: str, what: str) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise RequestError(f"give the reason for the {what}: the person is told it")
    if len(text) > MAX_REASON:
        raise RequestError(f"the reason is longer than {MAX_REASON} characters")
    return text


def _status(conn: Connection, request_id: str) -> Status:
    return status_of(conn.execute(select(requests).where(requests.c.id == request_id)).one())
