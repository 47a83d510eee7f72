"""One-click unsubscribe (RFC 8058) for direct marketing, without login.

A token names one subject and one purpose and is signed with HMAC-SHA256
under a secret the vault holds; it is base64url without padding:

    version (1 byte) | len(subject_id) (1 byte) | subject_id | purpose | HMAC (32 bytes)

Verification is constant-time, and the encoding must be canonical: base64
has spare bits in its last character, and a token differing only there
must not verify. ``unsubscribe_link`` signs one for a marketing purpose (and
refuses any other purpose); the web layer serves ``POST /unsubscribe/{token}``
with the body ``List-Unsubscribe=One-Click`` and calls ``unsubscribe``. Both
record their own audit entries.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from sqlalchemy import Connection

from gardien.audit import Actor, UnsubscribeLinkIssued
from gardien.consent.ledger import (
    EventKind,
    append_event,
    check_now,
    check_subject_id,
    consent_recorded,
    current_state,
    get_event,
)
from gardien.consent.limits import ProcessingLimit, record_objection
from gardien.consent.policy import policy_for
from gardien.consent.proof import Channel, CollectionMethod, Proof
from gardien.declaration import Declaration
from gardien.errors import ConsentError, NotDirectMarketingError, UnsubscribeTokenError, shown

TOKEN_VERSION: Final = 1
MIN_SECRET_BYTES: Final = 32
_MAC_BYTES: Final = 32
_DOMAIN: Final = b"gardien/unsubscribe\x00"
_REJECTED: Final = (
    "this unsubscribe link is not valid (altered or incomplete): use the link from the "
    "latest e-mail, or unsubscribe from the privacy center"
)


@dataclass(frozen=True)
class UnsubscribeLink:
    """A signed one-click link and the two RFC 8058 headers that carry it."""

    url: str
    headers: dict[str, str]


@dataclass(frozen=True)
class UnsubscribeClaim:
    """What a verified token says."""

    subject_id: str
    purpose: str
    version: int


def _check_secret(secret: bytes) -> None:
    if len(secret) < MIN_SECRET_BYTES:
        raise ConsentError(
            f"the unsubscribe secret has {len(secret)} bytes: give at least "
            f"{MIN_SECRET_BYTES} random bytes (the vault's unsubscribe key)"
        )


def _mac(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, _DOMAIN + body, hashlib.sha256).digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unsubscribe_token(subject_id: str, purpose: str, secret: bytes) -> str:
    """A signed token for the subject's one-click unsubscribe from ``purpose``."""
    _check_secret(secret)
    check_subject_id(subject_id)
    subject = subject_id.encode("ascii")
    purpose_bytes = purpose.encode("utf-8")
    if not purpose_bytes:
        raise ConsentError("an unsubscribe token needs a purpose: name the marketing purpose")
    body = bytes([TOKEN_VERSION, len(subject)]) + subject + purpose_bytes
    return _encode(body + _mac(secret, body))


def read_unsubscribe_token(token: str, secret: bytes) -> UnsubscribeClaim:
    """Verify ``token`` and say what it names; any alteration raises ``UnsubscribeTokenError``."""
    _check_secret(secret)
    if not token.isascii():
        raise UnsubscribeTokenError(_REJECTED)
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise UnsubscribeTokenError(_REJECTED) from None
    if _encode(raw) != token or len(raw) < 2 + _MAC_BYTES + 1:
        raise UnsubscribeTokenError(_REJECTED)
    body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(secret, body)):
        raise UnsubscribeTokenError(_REJECTED)
    # Signed by us: the framing below can only fail for a token of another version.
    version, length = body[0], body[1]
    if version != TOKEN_VERSION or len(body) <= 2 + length:
        raise UnsubscribeTokenError(
            f"this unsubscribe link uses format version {version}, which this gardien does "
            "not read: upgrade gardien, or unsubscribe from the privacy center"
        )
    return UnsubscribeClaim(
        subject_id=body[2 : 2 + length].decode("ascii"),
        purpose=body[2 + length :].decode("utf-8"),
        version=version,
    )


def unsubscribe_headers(base_url: str, token: str) -> dict[str, str]:
    """The two headers RFC 8058 asks a marketing e-mail to carry (sign them with DKIM)."""
    parts = urlsplit(base_url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ConsentError(
            f"the unsubscribe base URL {base_url!r} is not HTTPS: RFC 8058 requires an "
            "https:// URL that mail providers can POST to"
        )
    url = f"{base_url.rstrip('/')}/unsubscribe/{token}"
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_link(
    conn: Connection,
    declaration: Declaration,
    subject_id: str,
    purpose: str,
    secret: bytes,
    base_url: str,
    *,
    actor: Actor,
) -> UnsubscribeLink:
    """The one-click link for ``subject_id`` to leave a direct-marketing ``purpose``.

    Refused for a purpose that is not declared direct marketing: an
    objection to any other processing is not one click away in an e-mail.
    Audited as ``consent.unsubscribe_link``.
    """
    target = policy_for(declaration).purpose(purpose)
    if not target.direct_marketing:
        raise NotDirectMarketingError(
            f"purpose {shown(purpose)} is not direct marketing: unsubscribe links are for "
            "marketing messages (set direct_marketing: true in the declaration if it is)"
        )
    headers = unsubscribe_headers(base_url, unsubscribe_token(subject_id, purpose, secret))
    actor.record(
        conn, UnsubscribeLinkIssued(subject_blind_id=actor.subject(subject_id), purpose=purpose)
    )
    return UnsubscribeLink(url=headers["List-Unsubscribe"].strip("<>"), headers=headers)


def unsubscribe(
    conn: Connection,
    declaration: Declaration,
    token: str,
    secret: bytes,
    *,
    channel: str = Channel.EMAIL.value,
    now: dt.datetime | None = None,
    actor: Actor,
) -> ProcessingLimit:
    """Verify ``token`` and record the objection it carries (Art. 21(2)-(3)).

    If the purpose is consent-based and the person's consent stands, a
    ``withdrawn`` event is appended too, so the privacy center does not show
    a consent the person has taken back. The opt-out is recorded even for a
    purpose the declaration no longer has: an opt-out is never lost.
    """
    claim = read_unsubscribe_token(token, secret)
    return object_to_marketing(
        conn, declaration, claim.subject_id, claim.purpose,
        channel=channel, method=CollectionMethod.ONE_CLICK_UNSUBSCRIBE, now=now, actor=actor,
    )  # fmt: skip


def object_to_marketing(
    conn: Connection,
    declaration: Declaration,
    subject_id: str,
    purpose: str,
    *,
    channel: str,
    method: CollectionMethod,
    now: dt.datetime | None = None,
    actor: Actor,
) -> ProcessingLimit:
    """Record the person's objection to direct marketing for ``purpose`` (Art. 21(2)-(3)).

    If the purpose is consent-based and the person's consent stands, a
    ``withdrawn`` event is appended too, so the privacy center does not show
    a consent the person has taken back. The opt-out is recorded even for a
    purpose the declaration no longer has: an opt-out is never lost. The
    unsubscribe link and the privacy center's one button both come here.
    """
    moment = check_now(now)
    policy = policy_for(declaration)
    limit = record_objection(
        conn, subject_id, purpose, channel, policy.version, now=moment, actor=actor
    )
    target = policy.purposes.get(purpose)
    state = current_state(conn, subject_id, purpose)
    withdraws = (
        target is not None
        and target.consent_based
        and state is not None
        and state.status_at(moment) is EventKind.GIVEN
    )
    if withdraws and state is not None:
        withdrawal = append_event(
            conn,
            subject_id=subject_id,
            purpose=purpose,
            kind=EventKind.WITHDRAWN,
            declaration_version=policy.version,
            # The withdrawal is of the consent on record: it carries that consent's hashes.
            wording_hash=state.wording_hash,
            purpose_hash=state.purpose_hash,
            language=get_event(conn, state.event_id).language,
            channel=Channel(channel).value,
            occurred_at=moment,
            expires_at=None,
            proof=Proof(method, extra={"limit_id": limit.id}),
        )
        actor.record(conn, consent_recorded(actor, withdrawal))
    return limit
