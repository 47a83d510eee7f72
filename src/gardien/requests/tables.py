"""The requests room's tables: requests, their timeline, post-mortem directives.

``requests`` holds one row per data-subject request. Nothing personal is in
clear: the identities, the details and the staff's verification note are
sealed (AES-GCM under a vault secret, bound to the request id), the e-mail is
a blind index (for double submissions), the status token and the code are
hashes. ``request_events`` is the timeline a DPO reads: each state a request
entered, when and by whom, with a note that names no one. ``directives``
holds post-mortem directives (loi Informatique et Libertés art. 85), sealed,
and ``directive_trustees`` the blind indexes of the trustees' e-mails;
``directive_retrievals`` the code flow by which a trustee proves an address.

The migration ``0008_requests`` creates the same tables; a test compares them.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from gardien.requests.vocabulary import Language, RequestChannel, RequestState, RequestType
from gardien.store.schema import metadata
from gardien.store.types import UtcDateTime

PUBLIC_ID_LENGTH = 32


def _one_of(column: str, values: list[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


requests = Table(
    "requests",
    metadata,
    # Random, 128 bits: a request can be neither guessed nor enumerated.
    Column("id", String(PUBLIC_ID_LENGTH), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("state", String(24), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("language", String(2), nullable=False),
    # The vault subject, found after verification (never at intake).
    Column("subject_id", String(32), nullable=True),
    # JSON {kind: [values]} sealed under the request key; NULL once shredded.
    Column("identities_sealed", LargeBinary, nullable=True),
    # Blind index of the e-mail, for double submissions; NULL once shredded.
    Column("email_index", LargeBinary(32), nullable=True),
    Column("details_sealed", LargeBinary, nullable=True),
    Column("verification_method", String(24), nullable=True),
    Column("verification_note_sealed", LargeBinary, nullable=True),
    # JSON list of SHA-256 hex digests of the status tokens that open this request.
    Column("status_token_hashes", Text, nullable=False),
    # A token handed out by a double submission: valid once a code proves the e-mail.
    Column("pending_token_hash", String(64), nullable=True),
    # What the pending token shows until it is proven: the dates a new request would have.
    Column("pending_since", UtcDateTime(), nullable=True),
    Column("pending_due_at", UtcDateTime(), nullable=True),
    Column("code_hash", String(64), nullable=True),
    Column("code_expires_at", UtcDateTime(), nullable=True),
    Column("code_attempts", Integer, nullable=False),
    Column("code_sends", Integer, nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("extended_until", UtcDateTime(), nullable=True),
    Column("extension_reason", Text, nullable=True),
    Column("verified_at", UtcDateTime(), nullable=True),
    Column("decided_at", UtcDateTime(), nullable=True),
    Column("decided_by", String(100), nullable=True),
    Column("rejection_reason", Text, nullable=True),
    Column("blocked_reason", Text, nullable=True),
    Column("completed_at", UtcDateTime(), nullable=True),
    # JSON: the executor's non-personal summary (counts, collections, package id).
    Column("outcome", Text, nullable=True),
    Column("declaration_version", String(64), nullable=True),
    CheckConstraint(_one_of("type", [t.value for t in RequestType]), name="type"),
    CheckConstraint(_one_of("state", [s.value for s in RequestState]), name="state"),
    CheckConstraint(_one_of("channel", [c.value for c in RequestChannel]), name="channel"),
    CheckConstraint(_one_of("language", [lang.value for lang in Language]), name="language"),
    # The DPO's queue: open requests by due date.
    Index("ix_requests_state_due_at", "state", "due_at"),
    Index("ix_requests_email_index_type", "email_index", "type"),
)

request_events = Table(
    "request_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "request_id",
        String(PUBLIC_ID_LENGTH),
        ForeignKey("requests.id", name="fk_request_events_request_id_requests"),
        nullable=False,
    ),
    Column("at", UtcDateTime(), nullable=False),
    Column("state", String(24), nullable=False),
    Column("actor", String(100), nullable=False),
    # Never a personal value: a rejection's reason is on the request, not here.
    Column("note", String(200), nullable=True),
    Index("ix_request_events_request_id", "request_id", "id"),
)

directives = Table(
    "directives",
    metadata,
    Column("id", String(PUBLIC_ID_LENGTH), primary_key=True),
    Column(
        "request_id",
        String(PUBLIC_ID_LENGTH),
        ForeignKey("requests.id", name="fk_directives_request_id_requests"),
        nullable=False,
        unique=True,
    ),
    # JSON {instructions, trustees: [{name, email}]} sealed under the directives key:
    # not the person's data key, so the person's erasure does not destroy it.
    Column("sealed", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("released_at", UtcDateTime(), nullable=True),
    Column("released_by", String(100), nullable=True),
)

directive_trustees = Table(
    "directive_trustees",
    metadata,
    Column(
        "directive_id",
        String(PUBLIC_ID_LENGTH),
        ForeignKey("directives.id", name="fk_directive_trustees_directive_id_directives"),
        nullable=False,
    ),
    Column("email_index", LargeBinary(32), nullable=False),
    Column("verified_at", UtcDateTime(), nullable=True),
    Column("sent_at", UtcDateTime(), nullable=True),
    PrimaryKeyConstraint("directive_id", "email_index", name="pk_directive_trustees"),
    Index("ix_directive_trustees_email_index", "email_index"),
)

directive_retrievals = Table(
    "directive_retrievals",
    metadata,
    Column("id", String(PUBLIC_ID_LENGTH), primary_key=True),
    Column("email_index", LargeBinary(32), nullable=False),
    # The address the code went to, sealed: the directive is sent there once released.
    Column("email_sealed", LargeBinary, nullable=True),
    Column("token_hash", String(64), nullable=False),
    Column("code_hash", String(64), nullable=True),
    Column("code_expires_at", UtcDateTime(), nullable=True),
    Column("code_attempts", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("verified_at", UtcDateTime(), nullable=True),
)

#: The values that end a pending token (proven, spent or no longer needed).
PENDING_CLEARED: dict[str, None] = {
    "pending_token_hash": None,
    "pending_since": None,
    "pending_due_at": None,
}
