"""Post-mortem directives (loi Informatique et Libertés art. 85): stored, retrieved, released.

Approving a ``post_mortem`` request stores its directive in ``directives``,
sealed under the vault secret ``directives``, not under the person's data
key: a directive is about what happens after death, so erasing the person's
data (which shreds their key) must not destroy it. The request itself
completes at once. Trustees are recorded by blind indexes of their e-mails.

A trustee proves an address with the same code flow as a request
(``retrieve`` then ``verify_retrieval``), answered the same whether the
address is a trustee or not. The directive is sent to a verified trustee's
address only once staff with ``requests:decide`` record the death
(``release``): at release to those already verified, later to those who
verify after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, insert, select, update

from gardien.audit import Actor
from gardien.audit.events import DirectiveReleased, DirectiveRetrieval, DirectiveStored
from gardien.audit.guard import PublicId
from gardien.errors import RequestError, RequestNotFoundError, VerificationFailedError
from gardien.requests.mailing import queue_person_mail
from gardien.requests.messages import message
from gardien.requests.records import mark_completed, mark_in_progress
from gardien.requests.sealing import (
    DETAILS_FIELD,
    DIRECTIVE_FIELD,
    IDENTITIES_FIELD,
    Sealer,
    new_code,
    new_public_id,
    new_token,
    token_hash,
    token_matches,
)
from gardien.requests.tables import directive_retrievals, directive_trustees, directives
from gardien.store.types import utcnow
from gardien.vault import Vault
from gardien.vault.identities import normalise

if TYPE_CHECKING:
    from gardien.requests.decisions import Mailing
    from gardien.requests.intake import CodePolicy

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class RetrievalReceipt:
    id: str
    status_token: str

    def __repr__(self) -> str:
        return f"RetrievalReceipt(id={self.id!r}, status_token=[secure])"


def store_directive(
    conn: Connection,
    vault: Vault,
    row: Row[Any],
    *,
    actor: Actor,
    mailing: Mailing | None,
    now: dt.datetime,
) -> str:
    """Store the approved request's directive and complete the request; the directive id."""
    sealer = Sealer(vault)
    details = sealer.open(row.id, DETAILS_FIELD, row.details_sealed)
    directive_id = new_public_id()
    content = {"instructions": details["instructions"], "trustees": details["trustees"],
               "language": row.language}  # fmt: skip
    conn.execute(
        insert(directives).values(
            id=directive_id,
            request_id=row.id,
            sealed=sealer.seal(directive_id, DIRECTIVE_FIELD, content),
            created_at=now,
        )
    )
    indexes = {sealer.email_index(t["email"]) for t in details["trustees"]}
    conn.execute(
        insert(directive_trustees),
        [{"directive_id": directive_id, "email_index": index} for index in sorted(indexes)],
    )
    actor.record(
        conn,
        DirectiveStored(
            directive_id=PublicId(directive_id),
            request_id=PublicId(row.id),
            trustees=len(indexes),
        ),
        now=now,
    )
    controller = mailing.controller if mailing else ""
    mark_in_progress(conn, row.id, actor=actor)
    mark_completed(
        conn,
        row.id,
        {"directive_id": directive_id, "trustees": len(indexes)},
        actor=actor,
        message=message("directive_stored", row.language, id=row.id, controller=controller),
    )
    return directive_id


def retrieve(
    conn: Connection,
    vault: Vault,
    email: str,
    *,
    actor: Actor,
    codes: CodePolicy,
    now: dt.datetime | None = None,
) -> RetrievalReceipt:
    """A trustee asks: a code goes to ``email`` whether or not it is a trustee's."""
    now = now or utcnow()
    address = normalise("email", email).value
    sealer = Sealer(vault)
    retrieval_id = new_public_id()
    token = new_token()
    code = new_code()
    sealed = sealer.seal(retrieval_id, IDENTITIES_FIELD, {"given": {"email": address}})
    conn.execute(
        insert(directive_retrievals).values(
            id=retrieval_id,
            email_index=sealer.email_index(address),
            email_sealed=sealed,
            token_hash=token_hash(token),
            code_hash=sealer.code_hash(retrieval_id, code),
            code_expires_at=now + codes.lifetime,
            code_attempts=0,
            created_at=now,
        )
    )
    minutes = int(codes.lifetime.total_seconds() // 60)
    mail = message("code", "fr", code=code, id=retrieval_id, minutes=minutes,
                   controller=codes.controller)  # fmt: skip
    queue_person_mail(conn, retrieval_id, sealed, mail, sender=codes.sender)
    actor.record(
        conn, DirectiveRetrieval(retrieval_id=PublicId(retrieval_id), step="asked"), now=now
    )
    return RetrievalReceipt(retrieval_id, token)


def verify_retrieval(
    conn: Connection,
    vault: Vault,
    retrieval_id: str,
    token: str,
    code: str,
    *,
    actor: Actor,
    mailing: Mailing | None = None,
    now: dt.datetime | None = None,
) -> VerificationFailedError | None:
    """Check the code; the refusal to raise once the attempt is committed, or None.

    On success, every directive naming the address counts it as verified, and
    those already released are sent to it.
    """
    now = now or utcnow()
    row = conn.execute(
        select(directive_retrievals)
        .where(directive_retrievals.c.id == retrieval_id)
        .with_for_update()
    ).first()
    if row is None or not token_matches(token, row.token_hash):
        raise RequestNotFoundError("no retrieval has this id and token: check both")
    if row.verified_at is not None:
        return None
    sealer = Sealer(vault)
    # Expiry first: retention clears the hash of a code that expired unused.
    if row.code_expires_at is None or row.code_expires_at <= now:
        return VerificationFailedError("the code expired: ask again")
    if row.code_hash is None or row.code_attempts >= MAX_ATTEMPTS:
        return VerificationFailedError("this code can no longer be used: ask again")
    if not sealer.code_matches(retrieval_id, code, row.code_hash):
        attempts = row.code_attempts + 1
        conn.execute(
            update(directive_retrievals)
            .where(directive_retrievals.c.id == retrieval_id)
            .values(
                code_attempts=attempts,
                code_hash=None if attempts >= MAX_ATTEMPTS else row.code_hash,
            )
        )
        return VerificationFailedError(
            f"the code is not the one we sent: {MAX_ATTEMPTS - attempts} attempt(s) left"
        )
    conn.execute(
        update(directive_retrievals)
        .where(directive_retrievals.c.id == retrieval_id)
        .values(verified_at=now, code_hash=None)
    )
    conn.execute(
        update(directive_trustees)
        .where(
            directive_trustees.c.email_index == row.email_index,
            directive_trustees.c.verified_at.is_(None),
        )
        .values(verified_at=now)
    )
    sent = _send_released(conn, vault, row.email_index, row.email_sealed, retrieval_id,
                          mailing=mailing, now=now)  # fmt: skip
    actor.record(
        conn,
        DirectiveRetrieval(retrieval_id=PublicId(retrieval_id), step="verified", sent=sent),
        now=now,
    )
    return None


def release(
    conn: Connection,
    vault: Vault,
    directive_id: str,
    *,
    actor: Actor,
    mailing: Mailing | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Record the person's death: the directive goes to every verified trustee; how many."""
    now = now or utcnow()
    row = conn.execute(
        select(directives).where(directives.c.id == directive_id).with_for_update()
    ).first()
    if row is None:
        raise RequestNotFoundError("no directive has this id")
    if row.released_at is not None:
        raise RequestError("this directive was released already")
    conn.execute(
        update(directives)
        .where(directives.c.id == directive_id)
        .values(released_at=now, released_by=actor.name[:100])
    )
    sent = 0
    retrievals = directive_retrievals
    verified = conn.execute(
        select(retrievals.c.id, retrievals.c.email_index, retrievals.c.email_sealed)
        .join(directive_trustees, directive_trustees.c.email_index == retrievals.c.email_index)
        .where(
            directive_trustees.c.directive_id == directive_id,
            directive_trustees.c.sent_at.is_(None),
            directive_trustees.c.verified_at.is_not(None),
            retrievals.c.verified_at.is_not(None),
        )
        .order_by(retrievals.c.created_at)
    ).all()
    seen: set[bytes] = set()
    for found in verified:
        if bytes(found.email_index) in seen:
            continue
        seen.add(bytes(found.email_index))
        sent += _send_released(
            conn, vault, found.email_index, found.email_sealed, found.id, mailing=mailing, now=now
        )
    actor.record(conn, DirectiveReleased(directive_id=PublicId(directive_id), sent=sent), now=now)
    return sent


def _send_released(
    conn: Connection,
    vault: Vault,
    email_index: bytes,
    email_sealed: bytes | None,
    retrieval_id: str,
    *,
    mailing: Mailing | None,
    now: dt.datetime,
) -> int:
    """Send each released directive naming this address, once; how many."""
    rows = conn.execute(
        select(directives.c.id, directives.c.sealed)
        .join(directive_trustees, directive_trustees.c.directive_id == directives.c.id)
        .where(
            directive_trustees.c.email_index == email_index,
            directive_trustees.c.sent_at.is_(None),
            directive_trustees.c.verified_at.is_not(None),
            directives.c.released_at.is_not(None),
        )
    ).all()
    sealer = Sealer(vault)
    for directive in rows:
        content = sealer.open(directive.id, DIRECTIVE_FIELD, directive.sealed)
        mail = message("directive", content.get("language", "fr"),
                       instructions=content["instructions"],
                       controller=mailing.controller if mailing else "")  # fmt: skip
        queue_person_mail(conn, retrieval_id, email_sealed, mail,
                          sender=mailing.sender if mailing else None)  # fmt: skip
        conn.execute(
            update(directive_trustees)
            .where(
                directive_trustees.c.directive_id == directive.id,
                directive_trustees.c.email_index == email_index,
            )
            .values(sent_at=now)
        )
    return len(rows)
