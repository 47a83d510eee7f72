"""Tables of the consent ledger and processing limits (consent room).

Revision ID: 0003_consent
Revises: 0002_vault

Mirrors ``gardien.consent.tables``; constraint names are written out because
Alembic operations do not apply the metadata's naming convention.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0003_consent"
down_revision = "0002_vault"
branch_labels = None
depends_on = None

EVENT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
EVENT_KINDS = "kind IN ('given', 'refused', 'withdrawn', 'expired')"


def upgrade() -> None:
    op.create_table(
        "consent_events",
        sa.Column("id", EVENT_ID, autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("declaration_version", sa.String(64), nullable=False),
        sa.Column("wording_hash", sa.String(64), nullable=False),
        sa.Column("purpose_hash", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.Column("collection_method", sa.String(200), nullable=False),
        sa.Column("user_agent_hash", sa.String(64), nullable=True),
        sa.Column("ip_prefix", sa.String(64), nullable=True),
        sa.Column("proof", sa.Text(), nullable=False),
        sa.Column("refers_to", EVENT_ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_consent_events"),
        sa.CheckConstraint(EVENT_KINDS, name="ck_consent_events_kind"),
    )
    op.create_index(
        "ix_consent_events_subject_purpose", "consent_events", ["subject_id", "purpose", "id"]
    )
    op.create_table(
        "consent_state",
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(100), nullable=False),
        sa.Column("event_id", EVENT_ID, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("declaration_version", sa.String(64), nullable=False),
        sa.Column("wording_hash", sa.String(64), nullable=False),
        sa.Column("purpose_hash", sa.String(64), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("subject_id", "purpose", name="pk_consent_state"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["consent_events.id"], name="fk_consent_state_event_id_consent_events"
        ),
        sa.CheckConstraint(
            EVENT_KINDS.replace("kind", "status", 1), name="ck_consent_state_status"
        ),
    )
    op.create_index("ix_consent_state_expires_at", "consent_state", ["expires_at"])
    op.create_table(
        "processing_limits",
        sa.Column("id", EVENT_ID, autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(100), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("declaration_version", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("lifted_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_processing_limits"),
        sa.CheckConstraint(
            "kind IN ('objection', 'restriction')", name="ck_processing_limits_kind"
        ),
    )
    op.create_index(
        "ix_processing_limits_subject_lifted", "processing_limits", ["subject_id", "lifted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_processing_limits_subject_lifted", table_name="processing_limits")
    op.drop_table("processing_limits")
    op.drop_index("ix_consent_state_expires_at", table_name="consent_state")
    op.drop_table("consent_state")
    op.drop_index("ix_consent_events_subject_purpose", table_name="consent_events")
    op.drop_table("consent_events")
