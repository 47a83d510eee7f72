"""The consent ledger: append-only events, and the state derived from them.

Every choice is one inserted row of ``consent_events``; nothing here updates
or deletes an event. In the same transaction, ``consent_state`` is upserted
with a copy of the event, guarded by ``event_id < excluded.event_id`` so the
highest event id wins whatever order concurrent transactions commit in.

On PostgreSQL a writer first locks the subject's state row (``FOR UPDATE``)
before taking an event id: ids are then handed out in lock order, so the
expiry sweep, which locks the same row, can never append an ``expired``
event that outranks a consent given while it ran. SQLite needs no lock: the
store's ``BEGIN IMMEDIATE`` already serialises writers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from gardien.audit import Actor, ConsentRecorded
from gardien.consent.lifetime import choice_expires_at
from gardien.consent.policy import LANGUAGES, PurposePolicy, policy_for, wording_hash
from gardien.consent.proof import Proof, parse_channel
from gardien.consent.tables import consent_events, consent_state
from gardien.declaration import Declaration
from gardien.errors import ConsentError, NotConsentBasedError, UnknownEventError, shown
from gardien.store.types import utcnow

_SUBJECT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class EventKind(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


CHOICES = (EventKind.GIVEN, EventKind.REFUSED, EventKind.WITHDRAWN)


@dataclass(frozen=True)
class ConsentEvent:
    """One row of the ledger."""

    id: int
    subject_id: str
    purpose: str
    kind: EventKind
    declaration_version: str
    wording_hash: str
    purpose_hash: str
    language: str
    channel: str
    occurred_at: dt.datetime
    expires_at: dt.datetime | None
    collection_method: str
    user_agent_hash: str | None
    ip_prefix: str | None
    proof: Mapping[str, Any]
    refers_to: int | None
    #: The unguessable id the API names the event by (its receipt's URL).
    public_id: str
    #: The caller's proof values, sealed under the person's data key (None if none).
    proof_sealed: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ConsentState:
    """The latest event of one subject for one purpose, as stored."""

    subject_id: str
    purpose: str
    event_id: int
    status: EventKind
    declaration_version: str
    wording_hash: str
    purpose_hash: str
    occurred_at: dt.datetime
    expires_at: dt.datetime | None

    def status_at(self, now: dt.datetime) -> EventKind:
        """The status at ``now``: a choice past its lifetime reads as ``expired``."""
        if self.expires_at is not None and self.expires_at < now:
            return EventKind.EXPIRED
        return self.status


def check_subject_id(subject_id: str) -> None:
    if not _SUBJECT_ID.match(subject_id):
        raise ConsentError(
            "a subject id is the opaque id the vault gave (8 to 64 letters, digits, - or _), "
            "never an e-mail address or a name"
        )


def check_now(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ConsentError("`now` has no timezone: pass datetime.now(UTC)")
    return now


@dataclass(frozen=True)
class CheckedChoice:
    """A choice checked against the declaration, ready to be appended."""

    purpose: PurposePolicy
    kind: EventKind
    wording: str
    language: str
    channel: str


def check_choice(
    declaration: Declaration,
    purpose: str,
    kind: EventKind | str,
    *,
    channel: str,
    lang: str = "fr",
    wording: str | None = None,
) -> CheckedChoice:
    """Everything ``record_consent`` refuses, refused before anything is written.

    A caller that registers the person first (the API) calls this before, so
    that a refused choice leaves no subject, and no data key, behind.
    """
    choice = _parse_choice(kind)
    policy = policy_for(declaration)
    target = policy.purpose(purpose)
    if not target.consent_based:
        raise NotConsentBasedError(
            f"purpose {purpose!r} is based on {target.legal_basis.value}, not consent: "
            "record an objection or restriction instead, or change its legal basis"
        )
    if lang not in LANGUAGES:
        raise ConsentError(f"language {shown(lang)} is not offered: use 'fr' or 'en'")
    if wording is not None and not wording.strip():
        raise ConsentError("the wording shown is empty: pass the exact text, or leave it out")
    spec = declaration.purposes[purpose].consent
    if wording is not None:
        shown_text = wording
    elif spec is not None:
        shown_text = spec.wording[lang]
    else:
        raise ConsentError(
            f"purpose {purpose!r} is based on consent but declares no wording: add "
            "`consent.wording` (fr and en) to it in privacy.yaml"
        )
    return CheckedChoice(target, choice, shown_text, lang, parse_channel(channel).value)


def record_consent(
    conn: Connection,
    declaration: Declaration,
    subject_id: str,
    purpose: str,
    kind: EventKind | str,
    *,
    channel: str,
    proof: Proof,
    lang: str = "fr",
    wording: str | None = None,
    now: dt.datetime | None = None,
    actor: Actor,
) -> ConsentEvent:
    """Append a choice (given, refused or withdrawn) and update the subject's state.

    ``wording`` is the text shown, when it is not the declaration's own (a paper
    form); by default the declaration's wording in ``lang`` is what is hashed.
    A refusal carries the same proof as a consent. Runs in the caller's
    transaction, with its ``consent.record`` audit entry.
    """
    check_subject_id(subject_id)
    moment = check_now(now)
    choice = check_choice(declaration, purpose, kind, channel=channel, lang=lang, wording=wording)
    expires_at = (
        choice_expires_at(choice.purpose, moment, choice.channel)
        if choice.kind in (EventKind.GIVEN, EventKind.REFUSED)
        else None
    )
    event = append_event(
        conn,
        subject_id=subject_id,
        purpose=choice.purpose,
        kind=choice.kind,
        declaration_version=policy_for(declaration).version,
        wording_hash=wording_hash(choice.wording),
        language=choice.language,
        channel=choice.channel,
        occurred_at=moment,
        expires_at=expires_at,
        proof=proof,
    )
    actor.record(conn, consent_recorded(actor, event))
    return event


def consent_recorded(actor: Actor, event: ConsentEvent) -> ConsentRecorded:
    """The audit event of a choice appended to the ledger."""
    return ConsentRecorded(
        subject_blind_id=actor.subject(event.subject_id),
        purpose=event.purpose,
        granted=event.kind is EventKind.GIVEN,
        source=event.channel,
        status=event.kind.value,
        event_id=event.id,
    )


def _parse_choice(kind: EventKind | str) -> EventKind:
    try:
        choice = EventKind(kind)
    except ValueError:
        choice = None
    if choice not in CHOICES:
        raise ConsentError(
            f"{shown(str(kind))} is not a choice a person makes: record 'given', 'refused' or "
            "'withdrawn' ('expired' is appended by expire_due)"
        )
    assert choice is not None
    return choice


def append_event(
    conn: Connection,
    *,
    subject_id: str,
    purpose: PurposePolicy | str,
    kind: EventKind,
    declaration_version: str,
    wording_hash: str,
    language: str,
    channel: str,
    occurred_at: dt.datetime,
    expires_at: dt.datetime | None,
    proof: Proof,
    purpose_hash: str | None = None,
    refers_to: int | None = None,
) -> ConsentEvent:
    """Insert one event and upsert the state, without further checks (room-internal)."""
    purpose_id = purpose if isinstance(purpose, str) else purpose.id
    fingerprint = purpose_hash or (purpose.purpose_hash if not isinstance(purpose, str) else "")
    extra = proof.extra_json()
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_STATE, {"subject_id": subject_id, "purpose": purpose_id})
    values: dict[str, Any] = {
        "subject_id": subject_id,
        "purpose": purpose_id,
        "kind": kind.value,
        "declaration_version": declaration_version,
        "wording_hash": wording_hash,
        "purpose_hash": fingerprint,
        "language": language,
        "channel": channel,
        "occurred_at": occurred_at,
        "expires_at": expires_at,
        "collection_method": proof.collection_method.value,
        "user_agent_hash": proof.user_agent_hash,
        "ip_prefix": proof.ip_prefix,
        "proof": extra,
        "proof_sealed": proof.sealed_extra,
        "refers_to": refers_to,
        "public_id": secrets.token_hex(16),
    }
    key = conn.execute(insert(consent_events), values).inserted_primary_key
    assert key is not None and isinstance(key[0], int)
    event_id: int = key[0]
    _upsert_state(conn, event_id, values)
    return _event({**values, "id": event_id})


def _build_upsert(dialect: str) -> Any:
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(consent_state)
    return statement.on_conflict_do_update(
        index_elements=[consent_state.c.subject_id, consent_state.c.purpose],
        set_={name: statement.excluded[name] for name in _STATE_UPDATED},
        # The latest event wins by id, whichever transaction commits last.
        where=consent_state.c.event_id < statement.excluded.event_id,
    )


_STATE_UPDATED = (
    "event_id",
    "status",
    "declaration_version",
    "wording_hash",
    "purpose_hash",
    "occurred_at",
    "expires_at",
)
# Statements built once: constructing them per call costs more than the query itself.
_UPSERTS = {dialect: _build_upsert(dialect) for dialect in ("postgresql", "sqlite")}
_LOCK_STATE = (
    select(consent_state.c.event_id)
    .where(
        consent_state.c.subject_id == bindparam("subject_id"),
        consent_state.c.purpose == bindparam("purpose"),
    )
    .with_for_update()
)
_READ_STATE = select(consent_state).where(
    consent_state.c.subject_id == bindparam("subject_id"),
    consent_state.c.purpose == bindparam("purpose"),
)


def _upsert_state(conn: Connection, event_id: int, event: Mapping[str, Any]) -> None:
    row = {
        "subject_id": event["subject_id"],
        "purpose": event["purpose"],
        "event_id": event_id,
        "status": event["kind"],
        **{name: event[name] for name in _STATE_UPDATED if name not in ("event_id", "status")},
    }
    conn.execute(_UPSERTS[conn.dialect.name], row)


def _event(row: Mapping[Any, Any]) -> ConsentEvent:
    proof = row["proof"]
    return ConsentEvent(
        id=row["id"],
        subject_id=row["subject_id"],
        purpose=row["purpose"],
        kind=EventKind(row["kind"]),
        declaration_version=row["declaration_version"],
        wording_hash=row["wording_hash"],
        purpose_hash=row["purpose_hash"],
        language=row["language"],
        channel=row["channel"],
        occurred_at=row["occurred_at"],
        expires_at=row["expires_at"],
        collection_method=row["collection_method"],
        user_agent_hash=row["user_agent_hash"],
        ip_prefix=row["ip_prefix"],
        proof=MappingProxyType(json.loads(proof) if isinstance(proof, str) else dict(proof)),
        refers_to=row["refers_to"],
        public_id=row["public_id"],
        proof_sealed=bytes(row["proof_sealed"]) if row["proof_sealed"] is not None else None,
    )


def state_from_row(row: Row[Any]) -> ConsentState:
    return ConsentState(
        subject_id=row.subject_id,
        purpose=row.purpose,
        event_id=row.event_id,
        status=EventKind(row.status),
        declaration_version=row.declaration_version,
        wording_hash=row.wording_hash,
        purpose_hash=row.purpose_hash,
        occurred_at=row.occurred_at,
        expires_at=row.expires_at,
    )


def current_state(conn: Connection, subject_id: str, purpose: str) -> ConsentState | None:
    """The stored state of one subject for one purpose: one primary-key read."""
    row = conn.execute(_READ_STATE, {"subject_id": subject_id, "purpose": purpose}).first()
    return state_from_row(row) if row is not None else None


def states(conn: Connection, subject_id: str) -> list[ConsentState]:
    """Every purpose's stored state for one subject (the privacy center's list)."""
    rows = conn.execute(
        select(consent_state)
        .where(consent_state.c.subject_id == subject_id)
        .order_by(consent_state.c.purpose)
    )
    return [state_from_row(row) for row in rows]


def history(conn: Connection, subject_id: str, purpose: str | None = None) -> list[ConsentEvent]:
    """The subject's events, oldest first, for one purpose or all."""
    query = select(consent_events).where(consent_events.c.subject_id == subject_id)
    if purpose is not None:
        query = query.where(consent_events.c.purpose == purpose)
    rows = conn.execute(query.order_by(consent_events.c.id)).mappings()
    return [_event(row) for row in rows]


def get_event(conn: Connection, event_id: int) -> ConsentEvent:
    row = conn.execute(select(consent_events).where(consent_events.c.id == event_id)).mappings()
    found = row.first()
    if found is None:
        raise UnknownEventError(
            f"no consent event has id {event_id}: take the id a recording returned"
        )
    return _event(found)


def event_by_public_id(conn: Connection, public_id: str) -> ConsentEvent:
    """The event the API names ``public_id``; ``UnknownEventError`` if none."""
    found = (
        conn.execute(select(consent_events).where(consent_events.c.public_id == public_id))
        .mappings()
        .first()
    )
    if found is None:
        raise UnknownEventError(
            "no consent event has this receipt id: take the one a recording returned"
        )
    return _event(found)
