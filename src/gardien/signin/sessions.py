"""Signing a person in to the privacy center with an e-mailed code, and their sessions.

``start`` takes the e-mail a person types, normalised as the vault does
(case and surrounding spaces do not matter), and e-mails a 6-digit code
through the worker's outbox, exactly alike whether the vault knows the
address or not: the page never tells who is a customer. The code is kept
as an HMAC under a vault secret, valid ``CodePolicy.lifetime`` (15 minutes
by default); ``MAX_ATTEMPTS`` wrong codes spend it. At most
``CODES_PER_ADDRESS`` codes go to one address an hour, whoever asks.

``check_code`` never raises on a wrong code: it returns a ``CodeCheck`` so
that the caller commits the attempt counted before answering. A right code
opens a session: 256 random bits returned once, for the person's cookie,
and stored as a SHA-256 only, with the e-mail sealed (AES-GCM under a vault
secret, bound to the session). A session ends ``IDLE`` after its last use,
``LONGEST`` after it was opened, or when the person signs out; its row, and
sign-ins older than a day, are deleted the next time anyone asks for a code
or uses a session (``purge``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from gardien.audit import Actor
from gardien.audit.guard import PublicId
from gardien.requests.identities import RequestIdentities
from gardien.requests.intake import CodePolicy
from gardien.requests.mailing import PersonMessage, queue_person_mail
from gardien.requests.sealing import IDENTITIES_FIELD, Sealer, new_code
from gardien.signin.events import SignedIn, SignedOut, SignInCodeSent, SignInFailed
from gardien.signin.tables import person_sessions, person_signins
from gardien.store.types import utcnow
from gardien.vault import Vault
from gardien.vault.crypto import keyed_digest, open_field, seal_field
from gardien.vault.identities import normalise

MAX_ATTEMPTS: Final = 5
CODES_PER_ADDRESS: Final = 5
ADDRESS_WINDOW: Final = dt.timedelta(hours=1)
IDLE: Final = dt.timedelta(minutes=30)
LONGEST: Final = dt.timedelta(hours=8)
#: How long a used or expired code's row is kept (for the per-address count), then purged.
SIGNIN_KEPT: Final = dt.timedelta(days=1)

_SECRET = "person_signin"
_EMAIL_FIELD = "person.email"

_MESSAGES = {
    "fr": (
        "Votre code de connexion : {code}",
        "Bonjour,\n\nVous (ou quelqu'un utilisant votre adresse) avez demandé à vous "
        "connecter à l'espace confidentialité de {controller} pour gérer vos "
        "consentements.\n\nVotre code : {code}\nIl est valable {minutes} minutes.\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : personne ne "
        "peut se connecter sans ce code.\n\n{controller}\n",
    ),
    "en": (
        "Your sign-in code: {code}",
        "Hello,\n\nYou (or someone using your address) asked to sign in to the privacy "
        "center of {controller} to manage your consents.\n\nYour code: {code}\nIt is valid "
        "for {minutes} minutes.\n\nIf you did not ask for it, ignore this e-mail: nobody can "
        "sign in without this code.\n\n{controller}\n",
    ),
}


@dataclass(frozen=True)
class Started:
    """What ``start`` did: the sign-in to put in the person's cookie, or None when the
    address has had ``CODES_PER_ADDRESS`` codes within the hour (nothing was sent)."""

    signin_id: str | None
    retry_after: dt.timedelta = dt.timedelta(0)


@dataclass(frozen=True)
class CodeCheck:
    """A code checked: the new session's id (for the cookie), or why not."""

    session_id: str | None = field(default=None, repr=False)
    #: ``wrong``, ``expired``, ``spent`` or ``unknown`` (no such sign-in) when refused.
    why: str | None = None
    attempts_left: int = 0


@dataclass(frozen=True)
class PersonSession:
    """A signed-in person: their normalised e-mail (never shown in a repr)."""

    id_hash: str
    email: str = field(repr=False)


def _key(vault: Vault) -> bytes:
    return vault.derived_secret(_SECRET)


def email_index(vault: Vault, email: str) -> bytes:
    return keyed_digest(_key(vault), "gardien.signin.email.v1", email)


def _code_hash(vault: Vault, signin_id: str, code: str) -> str:
    return keyed_digest(_key(vault), "gardien.signin.code.v1", f"{signin_id}:{code}").hex()


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def normalised_email(email: str) -> str:
    """The e-mail as the vault indexes it; ``IdentityError`` if it is not one."""
    return normalise("email", email).value


def start(
    conn: Connection,
    vault: Vault,
    email: str,
    *,
    lang: str,
    codes: CodePolicy,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Started:
    """E-mail a code to ``email`` (``IdentityError`` if it is not an address)."""
    now = now or utcnow()
    address = normalised_email(email)
    index = email_index(vault, address)
    purge(conn, now=now)
    recent = conn.execute(
        select(func.count(), func.min(person_signins.c.created_at)).where(
            person_signins.c.email_index == index,
            person_signins.c.created_at > now - ADDRESS_WINDOW,
        )
    ).one()
    if recent[0] >= CODES_PER_ADDRESS:
        return Started(None, retry_after=recent[1] + ADDRESS_WINDOW - now)
    signin_id = secrets.token_hex(16)
    code = new_code()
    conn.execute(
        insert(person_signins).values(
            id=signin_id,
            email_index=index,
            code_hash=_code_hash(vault, signin_id, code),
            email_sealed=seal_field(_key(vault), signin_id, _EMAIL_FIELD, address.encode()),
            code_expires_at=now + codes.lifetime,
            attempts=0,
            created_at=now,
        )
    )
    subject, body = _MESSAGES["fr" if lang == "fr" else "en"]
    minutes = int(codes.lifetime.total_seconds() // 60)
    values = {"code": code, "minutes": minutes, "controller": codes.controller}
    # The address travels sealed in the job, as a request's does, bound to this sign-in.
    sealed = Sealer(vault).seal(
        signin_id, IDENTITIES_FIELD, RequestIdentities({"email": address}).to_json()
    )
    message = PersonMessage(subject.format(**values), body.format(**values))
    queue_person_mail(conn, signin_id, sealed, message, sender=codes.sender)
    actor.record(conn, SignInCodeSent(signin_id=PublicId(signin_id)), now=now)
    return Started(signin_id)


def check_code(
    conn: Connection,
    vault: Vault,
    signin_id: str,
    code: str,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
) -> CodeCheck:
    """Check ``code``; a right one is used up and opens a session."""
    now = now or utcnow()
    row = conn.execute(
        select(person_signins).where(person_signins.c.id == signin_id).with_for_update()
    ).first()
    if row is None:
        return CodeCheck(why="unknown")
    why: str | None = None
    attempts = row.attempts
    if row.code_expires_at <= now:
        why = "expired"
    elif row.code_hash is None or attempts >= MAX_ATTEMPTS:
        why = "spent"
    elif not hmac.compare_digest(_code_hash(vault, signin_id, code), row.code_hash):
        attempts += 1
        why = "wrong" if attempts < MAX_ATTEMPTS else "spent"
        values: dict[str, object] = {"attempts": attempts}
        if attempts >= MAX_ATTEMPTS:
            values |= {"code_hash": None, "email_sealed": None}
        conn.execute(
            update(person_signins).where(person_signins.c.id == signin_id).values(**values)
        )
    if why is not None:
        actor.record(
            conn, SignInFailed(signin_id=PublicId(signin_id), why=why, attempts=attempts), now=now
        )
        return CodeCheck(why=why, attempts_left=max(MAX_ATTEMPTS - attempts, 0))
    conn.execute(
        update(person_signins).where(person_signins.c.id == signin_id).values(code_hash=None)
    )
    address = _signin_address(conn, vault, signin_id)
    session_id = secrets.token_urlsafe(32)
    id_hash = session_hash(session_id)
    conn.execute(
        insert(person_sessions).values(
            id_hash=id_hash,
            email_sealed=seal_field(_key(vault), id_hash, _EMAIL_FIELD, address.encode()),
            created_at=now,
            last_seen_at=now,
            ended_at=None,
        )
    )
    subject_id = vault.find(conn, "email", address)
    blind = actor.subject(subject_id) if subject_id else None
    actor.record(conn, SignedIn(signin_id=PublicId(signin_id), subject_blind_id=blind), now=now)
    return CodeCheck(session_id=session_id)


def _signin_address(conn: Connection, vault: Vault, signin_id: str) -> str:
    """The address the sign-in's code was sent to (sealed in its row), then dropped."""
    sealed = conn.execute(
        select(person_signins.c.email_sealed).where(person_signins.c.id == signin_id)
    ).scalar_one()
    conn.execute(
        update(person_signins).where(person_signins.c.id == signin_id).values(email_sealed=None)
    )
    return open_field(_key(vault), signin_id, _EMAIL_FIELD, bytes(sealed)).decode()


def session(
    conn: Connection, vault: Vault, session_id: str, *, now: dt.datetime | None = None
) -> PersonSession | None:
    """The open session ``session_id`` names, its idle clock reset; None if none."""
    now = now or utcnow()
    if not session_id or len(session_id) > 100:
        return None
    # Sessions past their time go at any use, so a sealed address outlives them little.
    purge(conn, now=now)
    id_hash = session_hash(session_id)
    row = conn.execute(
        select(person_sessions).where(
            person_sessions.c.id_hash == id_hash,
            person_sessions.c.ended_at.is_(None),
            person_sessions.c.last_seen_at > now - IDLE,
            person_sessions.c.created_at > now - LONGEST,
        )
    ).first()
    if row is None:
        return None
    conn.execute(
        update(person_sessions).where(person_sessions.c.id_hash == id_hash).values(last_seen_at=now)
    )
    email = open_field(_key(vault), id_hash, _EMAIL_FIELD, bytes(row.email_sealed)).decode()
    return PersonSession(id_hash, email)


def end(
    conn: Connection,
    vault: Vault,
    session_id: str,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
) -> bool:
    """End the session ``session_id`` names; whether one was open."""
    now = now or utcnow()
    current = session(conn, vault, session_id, now=now)
    if current is None:
        return False
    conn.execute(
        update(person_sessions)
        .where(person_sessions.c.id_hash == current.id_hash)
        .values(ended_at=now, email_sealed=b"")
    )
    subject_id = vault.find(conn, "email", current.email)
    actor.record(
        conn,
        SignedOut(subject_blind_id=actor.subject(subject_id) if subject_id else None),
        now=now,
    )
    return True


def purge(conn: Connection, *, now: dt.datetime | None = None) -> None:
    """Delete sign-ins older than ``SIGNIN_KEPT`` and sessions that can no longer be used."""
    now = now or utcnow()
    conn.execute(delete(person_signins).where(person_signins.c.created_at < now - SIGNIN_KEPT))
    conn.execute(
        delete(person_sessions).where(
            or_(
                person_sessions.c.ended_at.is_not(None),
                person_sessions.c.last_seen_at < now - IDLE,
                person_sessions.c.created_at < now - LONGEST,
            )
        )
    )


__all__ = [
    "CODES_PER_ADDRESS",
    "IDLE",
    "LONGEST",
    "MAX_ATTEMPTS",
    "CodeCheck",
    "PersonSession",
    "Started",
    "check_code",
    "end",
    "normalised_email",
    "purge",
    "session",
    "start",
]
