"""The consent room's tables: the append-only ledger, the derived state, the limits.

``consent_events`` is the ledger: rows are only ever inserted. ``consent_state``
holds, per subject and purpose, a copy of the latest event so that the check
on every request is one primary-key read. ``processing_limits`` holds Art. 18
restrictions and Art. 21 objections; lifting one stamps ``lifted_at`` so the
history stays.

The migrations ``0003_consent`` and ``0006_consent_public_ids`` create the same
tables; a test compares them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from gardien.store.schema import metadata
from gardien.store.types import UtcDateTime

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY;
# PostgreSQL gets 64 bits because a busy cookie banner writes many events.
EventId = BigInteger().with_variant(Integer(), "sqlite")

EVENT_KINDS = ("given", "refused", "withdrawn", "expired")
LIMIT_KINDS = ("objection", "restriction")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


consent_events = Table(
    "consent_events",
    metadata,
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("subject_id", String(64), nullable=False),
    Column("purpose", String(100), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("declaration_version", String(64), nullable=False),
    # SHA-256 of the exact wording shown, and of what the purpose did then.
    Column("wording_hash", String(64), nullable=False),
    Column("purpose_hash", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=True),
    Column("collection_method", String(200), nullable=False),
    Column("user_agent_hash", String(64), nullable=True),
    Column("ip_prefix", String(64), nullable=True),
    Column("proof", Text, nullable=False),
    # An `expired` event names the choice it ends.
    Column("refers_to", EventId, nullable=True),
    # The id the API names the event by: random, so ids cannot be enumerated (0006).
    Column("public_id", String(32), nullable=False, unique=True),
    # The caller's proof values, sealed under the person's data key (0006).
    Column("proof_sealed", LargeBinary, nullable=True),
    CheckConstraint(_one_of("kind", EVENT_KINDS), name="kind"),
    Index("ix_consent_events_subject_purpose", "subject_id", "purpose", "id"),
)

consent_state = Table(
    "consent_state",
    metadata,
    Column("subject_id", String(64), primary_key=True),
    Column("purpose", String(100), primary_key=True),
    Column("event_id", EventId, ForeignKey("consent_events.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("declaration_version", String(64), nullable=False),
    Column("wording_hash", String(64), nullable=False),
    Column("purpose_hash", String(64), nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    # NULL once withdrawn or expired, so the expiry index holds live choices only.
    Column("expires_at", UtcDateTime(), nullable=True),
    CheckConstraint(_one_of("status", EVENT_KINDS), name="status"),
    Index("ix_consent_state_expires_at", "expires_at"),
)

processing_limits = Table(
    "processing_limits",
    metadata,
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("subject_id", String(64), nullable=False),
    # NULL: the limit covers every purpose.
    Column("purpose", String(100), nullable=True),
    Column("kind", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("declaration_version", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("lifted_at", UtcDateTime(), nullable=True),
    CheckConstraint(_one_of("kind", LIMIT_KINDS), name="kind"),
    Index("ix_processing_limits_subject_lifted", "subject_id", "lifted_at"),
)
