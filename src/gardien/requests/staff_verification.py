"""Staff verifying a person's identity on a request already made (the console's "verify").

A request made through the privacy center waits for the code e-mailed to
its address. Some people cannot type it (the mailbox is gone, they wrote by
post, came in person); staff then check their identity another way and
record how (``VerificationMethod``, not ``email_code``) with a note, which is
sealed like the note of an agent's own intake (it may name a document). As
for an agent's intake, every identity the request gives is then verified:
staff vouch for them. The move goes through ``states.transition`` (timeline
and ``request.transition`` audit entry), from ``received`` or
``awaiting_verification`` only; the code still pending stops working.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select, update

from gardien.audit import Actor
from gardien.errors import RequestError
from gardien.requests.answers import Status, status_of
from gardien.requests.identities import RequestIdentities
from gardien.requests.intake import MAX_NOTE
from gardien.requests.sealing import IDENTITIES_FIELD, NOTE_FIELD, Sealer
from gardien.requests.states import lock_request, transition
from gardien.requests.tables import requests
from gardien.requests.vocabulary import RequestState, VerificationMethod
from gardien.store.types import utcnow
from gardien.vault import Vault

#: The methods staff may record: the e-mailed code is the person's own to type.
STAFF_METHODS = tuple(m for m in VerificationMethod if m is not VerificationMethod.EMAIL_CODE)


def verify_by_staff(
    conn: Connection,
    vault: Vault,
    request_id: str,
    method: VerificationMethod,
    note: str,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Status:
    """received / awaiting_verification → verified, by staff, with how and a note (required:
    what was checked, kept sealed); ``RequestError`` before anything is written otherwise."""
    now = now or utcnow()
    if method not in STAFF_METHODS:
        raise RequestError(
            "the e-mailed code is the person's to type: record how you verified them "
            "(id_document, account_login, in_person or postal_mail)"
        )
    text = note.strip() if isinstance(note, str) else ""
    if not text:
        raise RequestError("say what you checked to verify the person: the note is required")
    if len(text) > MAX_NOTE:
        raise RequestError(f"the note is longer than {MAX_NOTE} characters")
    row = lock_request(conn, request_id)
    sealer = Sealer(vault)
    identities = RequestIdentities.from_json(
        sealer.open(request_id, IDENTITIES_FIELD, row.identities_sealed)
    )
    identities = identities.verifying(*identities.given)
    values = {
        "verified_at": now,
        "verification_method": method.value,
        "verification_note_sealed": sealer.seal(request_id, NOTE_FIELD, text),
        "identities_sealed": sealer.seal(request_id, IDENTITIES_FIELD, identities.to_json()),
        "code_hash": None,
        "code_expires_at": None,
        "pending_token_hash": None,
    }
    if RequestState(row.state) in (RequestState.RECEIVED, RequestState.AWAITING_VERIFICATION):
        # The subject first, so that the transition's audit entry names them (the
        # transition reads the row again); another state is refused by the transition.
        email = identities.email
        subject_id = vault.find(conn, "email", email) if email else None
        conn.execute(
            update(requests).where(requests.c.id == request_id).values(subject_id=subject_id)
        )
    transition(
        conn,
        request_id,
        RequestState.VERIFIED,
        actor=actor,
        note=f"verified by staff: {method.value}",
        values=values,
        now=now,
    )
    return status_of(conn.execute(select(requests).where(requests.c.id == request_id)).one())
