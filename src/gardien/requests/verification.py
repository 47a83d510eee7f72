"""The person's side of a request, opened by their status token: verify, resend, status, withdraw.

A code is 6 digits, stored only as an HMAC (``sealing.Sealer.code_hash``),
compared in constant time, valid ``CodePolicy.lifetime`` (15 minutes by
default). Five wrong attempts spend it; ``resend`` sends a new one, three
times at most. A refusal says what to do next, never whether anyone exists:
an unknown id and a wrong token are the same 404.

A wrong code must be counted even though the caller answers with an error,
so ``verify`` returns a ``Verification`` whose ``check()`` raises after the
caller has committed the count::

    with engine.begin() as conn:
        outcome = verify(conn, vault, request_id, token, code, actor=actor)
    outcome.check()

Once the e-mail is proven the vault is asked, for the first time, whether it
knows the person (``Vault.find``): the request then names its subject.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select, update

from gardien.audit import Actor
from gardien.audit.events import RequestRead, RequestVerificationFailed
from gardien.audit.guard import PublicId
from gardien.errors import (
    RequestGoneError,
    RequestNotFoundError,
    VerificationFailedError,
)
from gardien.requests.answers import Status, pending_status_of, status_of
from gardien.requests.identities import RequestIdentities
from gardien.requests.intake import MAX_SENDS, CodePolicy, send_code
from gardien.requests.sealing import IDENTITIES_FIELD, Sealer, new_code, token_matches
from gardien.requests.states import lock_request, subject_blind, transition
from gardien.requests.tables import PENDING_CLEARED, requests
from gardien.requests.vocabulary import RequestState
from gardien.store.types import utcnow
from gardien.vault import Vault

MAX_ATTEMPTS = 5
#: How long a request may wait for its code before the daily sweep expires it.
UNVERIFIED_FOR = dt.timedelta(days=7)
_NOT_FOUND = "no request has this id and status token: check both, as you were given them"


@dataclass(frozen=True)
class Verification:
    """What ``verify`` did: the status to answer, or the refusal to raise once committed."""

    status: Status
    refusal: VerificationFailedError | None = None

    def check(self) -> Status:
        if self.refusal is not None:
            raise self.refusal
        return self.status


def open_with_token(conn: Connection, request_id: str, token: str) -> tuple[Row[Any], bool]:
    """The request, locked, and whether ``token`` is a pending one (from a double submission).

    ``RequestNotFoundError`` alike for an unknown id and a token that does not open it.
    """
    try:
        row = lock_request(conn, request_id)
    except RequestNotFoundError:
        raise RequestNotFoundError(_NOT_FOUND) from None
    if any(token_matches(token, stored) for stored in json.loads(row.status_token_hashes)):
        return row, False
    if token_matches(token, row.pending_token_hash):
        return row, True
    raise RequestNotFoundError(_NOT_FOUND)


def verify(
    conn: Connection,
    vault: Vault,
    request_id: str,
    token: str,
    code: str,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Verification:
    """Check ``code``; on success the request is verified and names its vault subject."""
    now = now or utcnow()
    row, pending = open_with_token(conn, request_id, token)
    state = RequestState(row.state)
    if state in (RequestState.EXPIRED, RequestState.WITHDRAWN):
        raise RequestGoneError(
            f"this request is {state.value}: make a new request if you still need to"
        )
    if state is not RequestState.AWAITING_VERIFICATION and not pending:
        return Verification(status_of(row))  # verified already: nothing to prove
    sealer = Sealer(vault)
    refusal = _refusal(sealer, row, code, now)
    if refusal is not None:
        why, attempts, error = refusal
        values: dict[str, Any] = {"code_attempts": attempts}
        if attempts >= MAX_ATTEMPTS:
            values["code_hash"] = None  # spent: only a new code can verify now
        conn.execute(update(requests).where(requests.c.id == request_id).values(**values))
        actor.record(
            conn,
            RequestVerificationFailed(request_id=PublicId(request_id), why=why, attempts=attempts),
            now=now,
        )
        return Verification(pending_status_of(row) if pending else status_of(row), error)
    identities = RequestIdentities.from_json(
        sealer.open(request_id, IDENTITIES_FIELD, row.identities_sealed)
    ).verifying("email")
    values = {
        "code_hash": None,
        "code_expires_at": None,
        "identities_sealed": sealer.seal(request_id, IDENTITIES_FIELD, identities.to_json()),
    }
    if pending:
        hashes = [*json.loads(row.status_token_hashes), row.pending_token_hash][-10:]
        values |= {"status_token_hashes": json.dumps(hashes), **PENDING_CLEARED}
    if state is RequestState.AWAITING_VERIFICATION:
        email = identities.email
        subject_id = vault.find(conn, "email", email) if email else None
        values |= {"verified_at": now}
        # The subject first, so that the transition's audit entry names them.
        conn.execute(
            update(requests).where(requests.c.id == request_id).values(subject_id=subject_id)
        )
        transition(
            conn,
            request_id,
            RequestState.VERIFIED,
            actor=actor,
            note="verified by email_code",
            values=values,
            now=now,
        )
    else:
        conn.execute(update(requests).where(requests.c.id == request_id).values(**values))
    return Verification(_reread(conn, request_id))


def _refusal(
    sealer: Sealer, row: Row[Any], code: str, now: dt.datetime
) -> tuple[str, int, VerificationFailedError] | None:
    resend = f"ask for a new code with POST /api/v1/requests/{row.id}/resend"
    # Expiry first: retention clears the hash of a code that expired unused.
    if row.code_expires_at is not None and row.code_expires_at <= now:
        return (
            "expired",
            row.code_attempts,
            VerificationFailedError(f"the code expired: {resend}", why="expired"),
        )
    if row.code_hash is None or row.code_attempts >= MAX_ATTEMPTS:
        return (
            "spent",
            row.code_attempts,
            VerificationFailedError(f"this code can no longer be used: {resend}", why="spent"),
        )
    if row.code_expires_at is None:
        return (
            "expired",
            row.code_attempts,
            VerificationFailedError(f"the code expired: {resend}", why="expired"),
        )
    # Checked whatever its shape, so a malformed code costs the same time and an attempt.
    if sealer.code_matches(row.id, code, row.code_hash):
        return None
    attempts = row.code_attempts + 1
    left = MAX_ATTEMPTS - attempts
    detail = (
        f"the code is not the one we sent: {left} attempt(s) left; check the latest e-mail"
        if left
        else f"the code is not the one we sent, and no attempts are left: {resend}"
    )
    why = "wrong" if left else "spent"
    return "wrong", attempts, VerificationFailedError(detail, why=why, attempts_left=left)


def resend(
    conn: Connection,
    vault: Vault,
    request_id: str,
    token: str,
    *,
    actor: Actor,
    codes: CodePolicy,
    now: dt.datetime | None = None,
) -> Status:
    """A new code to the request's e-mail (the old one stops working); three resends at most."""
    now = now or utcnow()
    row, pending = open_with_token(conn, request_id, token)
    state = RequestState(row.state)
    if state in (RequestState.EXPIRED, RequestState.WITHDRAWN):
        raise RequestGoneError(f"this request is {state.value}: make a new request")
    if state is not RequestState.AWAITING_VERIFICATION and not pending:
        raise VerificationFailedError(
            f"this request is {state.value}: it needs no code; ask for its status instead"
        )
    if row.code_sends >= MAX_SENDS:
        raise VerificationFailedError(
            "no more codes can be sent for this request: wait for it to expire (7 days after "
            "it was made) and make a new one, or write to the contact in the privacy notice"
        )
    code = new_code()
    sends = row.code_sends + 1
    conn.execute(
        update(requests)
        .where(requests.c.id == request_id)
        .values(
            code_hash=Sealer(vault).code_hash(request_id, code),
            code_expires_at=now + codes.lifetime,
            code_attempts=0,
            code_sends=sends,
        )
    )
    send_code(conn, request_id, row.identities_sealed, code, row.language, sends,
               actor=actor, codes=codes)  # fmt: skip
    return pending_status_of(row) if pending else status_of(row)


def status(conn: Connection, request_id: str, token: str, *, actor: Actor) -> Status:
    """What the status token opens; audited as a read of the request."""
    row, pending = open_with_token(conn, request_id, token)
    actor.record(
        conn,
        RequestRead(
            subject_blind_id=subject_blind(actor, row.subject_id), request_id=PublicId(request_id)
        ),
    )
    return pending_status_of(row) if pending else status_of(row)


def withdraw(
    conn: Connection,
    request_id: str,
    *,
    actor: Actor,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> Status:
    """Withdraw the request: by the person (``token``), or by staff (no token)."""
    if token is not None:
        row, pending = open_with_token(conn, request_id, token)
        if pending:
            # Only a proven token may end a request someone else may have made.
            raise RequestNotFoundError(_NOT_FOUND)
    else:
        row = lock_request(conn, request_id)
    note = "withdrawn by the person" if token is not None else "withdrawn by staff"
    transition(conn, request_id, RequestState.WITHDRAWN, actor=actor, row=row, note=note, now=now)
    return _reread(conn, request_id)


def expire_unverified(conn: Connection, *, actor: Actor, now: dt.datetime | None = None) -> int:
    """Expire requests left unverified for ``UNVERIFIED_FOR``; how many were."""
    now = now or utcnow()
    stale = conn.execute(
        select(requests.c.id)
        .where(
            requests.c.state == RequestState.AWAITING_VERIFICATION.value,
            requests.c.received_at <= now - UNVERIFIED_FOR,
        )
        .order_by(requests.c.received_at)
        .limit(1000)
    ).scalars()
    count = 0
    for request_id in list(stale):
        transition(
            conn,
            request_id,
            RequestState.EXPIRED,
            actor=actor,
            note="not verified within 7 days",
            values={"code_hash": None, **PENDING_CLEARED},
            now=now,
        )
        count += 1
    return count


def _reread(conn: Connection, request_id: str) -> Status:
    row = conn.execute(select(requests).where(requests.c.id == request_id)).one()
    return status_of(row)


__all__ = [
    "MAX_ATTEMPTS",
    "UNVERIFIED_FOR",
    "Verification",
    "expire_unverified",
    "open_with_token",
    "resend",
    "status",
    "verify",
    "withdraw",
]
