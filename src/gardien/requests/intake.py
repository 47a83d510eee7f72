"""Receiving a request: checked whole, stored sealed, answered the same for anyone.

Order (nothing is written before every check passes):

1. the identities: only kinds the declaration's datastores name, and
   ``email``; a public request must give an e-mail (the code goes there);
2. the details of the type (``details.check_details``);
3. a double submission (same e-mail blind index, same type, still open) gets
   the open request's answer with a new token, valid once a new code proves
   the e-mail: the first token is never handed to whoever typed the address;
4. a new request: sealed identities and details, due date (Art. 12(3)), a
   code e-mailed, or, when an agent recorded another verification method,
   straight to ``verified``.

The vault is never asked here: whether the person is known changes neither
the answer nor the work done (``bench/request_intake_timing.py`` measures it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from gardien.audit import Actor
from gardien.audit.events import RequestCodeSent, RequestReceived
from gardien.audit.guard import PublicId
from gardien.declaration import Declaration
from gardien.errors import IdentityError, RequestError
from gardien.requests.answers import Receipt
from gardien.requests.deadlines import due_date
from gardien.requests.details import check_details
from gardien.requests.identities import RequestIdentities
from gardien.requests.mailing import queue_person_mail
from gardien.requests.messages import message
from gardien.requests.sealing import (
    DETAILS_FIELD,
    IDENTITIES_FIELD,
    NOTE_FIELD,
    Sealer,
    new_code,
    new_public_id,
    new_token,
    token_hash,
)
from gardien.requests.states import record_event, transition
from gardien.requests.tables import requests
from gardien.requests.vocabulary import (
    OPEN_STATES,
    Language,
    RequestChannel,
    RequestState,
    RequestType,
    VerificationMethod,
)
from gardien.store.types import utcnow
from gardien.vault import Vault

#: Codes sent for one request at most: the first and three resends.
MAX_SENDS = 4
MAX_NOTE = 2000


@dataclass(frozen=True)
class AgentVerification:
    """How staff verified the person; ``note`` is sealed (it may name a document)."""

    method: VerificationMethod
    note: str | None = None

    def __repr__(self) -> str:
        return f"AgentVerification(method={self.method.value!r}, note=[secure])"


@dataclass(frozen=True)
class Submission:
    """A request as asked. Its repr names no identity and no detail."""

    type: RequestType
    identities: Mapping[str, str]
    language: Language = Language.FR
    details: Mapping[str, Any] = field(default_factory=dict)
    verification: AgentVerification | None = None

    def __repr__(self) -> str:
        return (
            f"Submission(type={self.type.value!r}, "
            f"identities=[{', '.join(sorted(self.identities))}], details=[secure])"
        )


@dataclass(frozen=True)
class CodePolicy:
    """How codes are sent: their lifetime, the sender, the name signing the e-mail."""

    lifetime: dt.timedelta = dt.timedelta(minutes=15)
    sender: str | None = None
    controller: str = ""


def identity_kinds(declaration: Declaration) -> frozenset[str]:
    """The identity kinds a request may give: ``email`` and those the datastores declare."""
    declared = {
        declared_field.identity
        for store in declaration.datastores.values()
        for collection in store.collections.values()
        for declared_field in collection.fields.values()
        if declared_field.identity is not None
    }
    return frozenset({"email", *declared})


def submit(
    conn: Connection,
    vault: Vault,
    declaration: Declaration,
    submission: Submission,
    *,
    channel: RequestChannel,
    actor: Actor,
    codes: CodePolicy,
    now: dt.datetime | None = None,
) -> Receipt:
    """Receive ``submission``; the answer to give (``RequestError``/``IdentityError`` if bad)."""
    now = now or utcnow()
    identities = _identities(declaration, submission, channel)
    details = check_details(declaration, submission.type, submission.details)
    verification = submission.verification
    if channel is RequestChannel.PUBLIC and verification is not None:
        raise RequestError(
            "verification is recorded by staff only: a request made without an API key is "
            "verified by the code e-mailed to its address; remove `verification`"
        )
    if verification is not None and verification.note and len(verification.note) > MAX_NOTE:
        raise RequestError(f"verification.note is longer than {MAX_NOTE} characters")
    by_code = verification is None or verification.method is VerificationMethod.EMAIL_CODE
    if by_code and identities.email is None:
        raise RequestError(
            "give identities.email: the verification code is sent there (or, as staff, record "
            "another verification method)"
        )
    sealer = Sealer(vault)
    index = sealer.email_index(identities.email) if identities.email else None
    if index is not None:
        open_row = _open_twin(conn, index, submission.type)
        if open_row is not None:
            due = due_date(now, declaration.rights.response_deadline)
            return _twin_answer(
                conn, sealer, open_row, channel, due=due, actor=actor, codes=codes, now=now
            )
    return _new_request(
        conn,
        sealer,
        declaration,
        submission,
        identities=identities,
        details=details,
        index=index,
        channel=channel,
        by_code=by_code,
        actor=actor,
        codes=codes,
        now=now,
    )


def _identities(
    declaration: Declaration, submission: Submission, channel: RequestChannel
) -> RequestIdentities:
    if not submission.identities:
        raise IdentityError("give at least one identity: identities.email")
    allowed = identity_kinds(declaration)
    for kind in submission.identities:
        if kind not in allowed:
            raise IdentityError(
                f"identity kind {kind!r} is not one this company's data is found by: use "
                + ", ".join(sorted(allowed))
                if isinstance(kind, str) and kind.isidentifier() and len(kind) <= 40
                else "an identity kind is not one this company's data is found by: use "
                + ", ".join(sorted(allowed))
            )
    identities = RequestIdentities.normalised(submission.identities)
    if channel is RequestChannel.PUBLIC and identities.email is None:
        raise IdentityError("give identities.email: the verification code is sent there")
    return identities


def _open_twin(conn: Connection, index: bytes, request_type: RequestType) -> Row[Any] | None:
    return conn.execute(
        select(requests)
        .where(
            requests.c.email_index == index,
            requests.c.type == request_type.value,
            requests.c.state.in_(sorted(s.value for s in OPEN_STATES)),
        )
        .order_by(requests.c.received_at)
        .limit(1)
        .with_for_update()
    ).first()


def _new_request(
    conn: Connection,
    sealer: Sealer,
    declaration: Declaration,
    submission: Submission,
    *,
    identities: RequestIdentities,
    details: dict[str, Any],
    index: bytes | None,
    channel: RequestChannel,
    by_code: bool,
    actor: Actor,
    codes: CodePolicy,
    now: dt.datetime,
) -> Receipt:
    request_id = new_public_id()
    token = new_token()
    verification = submission.verification
    if not by_code:
        identities = identities.verifying(*identities.given)
    code = new_code() if by_code else None
    identities_sealed = sealer.seal(request_id, IDENTITIES_FIELD, identities.to_json())
    due = due_date(now, declaration.rights.response_deadline)
    conn.execute(
        insert(requests).values(
            id=request_id,
            type=submission.type.value,
            state=RequestState.RECEIVED.value,
            channel=channel.value,
            language=submission.language.value,
            subject_id=None,
            identities_sealed=identities_sealed,
            email_index=index,
            details_sealed=sealer.seal(request_id, DETAILS_FIELD, details),
            verification_method=(verification.method.value if verification else None),
            verification_note_sealed=(
                sealer.seal(request_id, NOTE_FIELD, verification.note)
                if verification is not None and verification.note
                else None
            ),
            status_token_hashes=json.dumps([token_hash(token)]),
            pending_token_hash=None,
            code_hash=sealer.code_hash(request_id, code) if code else None,
            code_expires_at=now + codes.lifetime if code else None,
            code_attempts=0,
            code_sends=1 if code else 0,
            received_at=now,
            due_at=due,
            declaration_version=actor.declaration_version,
        )
    )
    record_event(conn, request_id, RequestState.RECEIVED, actor=actor, now=now)
    if by_code:
        target, values = RequestState.AWAITING_VERIFICATION, {}
    else:
        target, values = RequestState.VERIFIED, {"verified_at": now}
    note = None if verification is None else f"verified by staff: {verification.method.value}"
    actor.record(
        conn,
        RequestReceived(
            request_id=PublicId(request_id),
            request_type=submission.type.value,
            channel=channel.value,
            state=target.value,
        ),
        now=now,
    )
    transition(conn, request_id, target, actor=actor, note=note, values=values, now=now)
    if code is not None:
        send_code(conn, request_id, identities_sealed, code, submission.language.value, 1,
                   actor=actor, codes=codes)  # fmt: skip
    return Receipt(request_id, token, target, due)


def _twin_answer(
    conn: Connection,
    sealer: Sealer,
    row: Row[Any],
    channel: RequestChannel,
    *,
    due: dt.datetime,
    actor: Actor,
    codes: CodePolicy,
    now: dt.datetime,
) -> Receipt:
    """The open request's answer, with a token of the caller's own.

    A public caller is told what a new request would say (received now, due
    ``due``, a code to type): their token shows those dates, never the open
    request's, until the code proves the e-mail is theirs.
    """
    token = new_token()
    values: dict[str, Any]
    code: str | None = None
    if channel is RequestChannel.AGENT:
        # Staff may read the request anyway: their token opens it at once.
        hashes = [*json.loads(row.status_token_hashes), token_hash(token)][-10:]
        values = {"status_token_hashes": json.dumps(hashes)}
    else:
        values = {
            "pending_token_hash": token_hash(token),
            "pending_since": now,
            "pending_due_at": due,
        }
        if row.code_sends < MAX_SENDS:
            code = new_code()
            values |= {
                "code_hash": sealer.code_hash(row.id, code),
                "code_expires_at": now + codes.lifetime,
                "code_attempts": 0,
                "code_sends": row.code_sends + 1,
            }
    conn.execute(update(requests).where(requests.c.id == row.id).values(**values))
    actor.record(
        conn,
        RequestReceived(
            request_id=PublicId(row.id),
            request_type=row.type,
            channel=channel.value,
            state=row.state,
            duplicate=True,
        ),
        now=now,
    )
    if code is not None:
        send_code(conn, row.id, row.identities_sealed, code, row.language, row.code_sends + 1,
                   actor=actor, codes=codes)  # fmt: skip
    if channel is RequestChannel.AGENT:
        return Receipt(row.id, token, RequestState(row.state), row.extended_until or row.due_at)
    return Receipt(row.id, token, RequestState.AWAITING_VERIFICATION, due)


def send_code(
    conn: Connection,
    request_id: str,
    identities_sealed: bytes | None,
    code: str,
    language: str,
    sends: int,
    *,
    actor: Actor,
    codes: CodePolicy,
) -> None:
    minutes = int(codes.lifetime.total_seconds() // 60)
    mail = message("code", language, code=code, id=request_id, minutes=minutes,
                   controller=codes.controller)  # fmt: skip
    queue_person_mail(conn, request_id, identities_sealed, mail, sender=codes.sender)
    actor.record(conn, RequestCodeSent(request_id=PublicId(request_id), sends=sends))
