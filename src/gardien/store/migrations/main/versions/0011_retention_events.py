"""Events the company's systems tell gardien about, that retention rules run from.

Revision ID: 0011_retention_events
Revises: 0010_audit_checkpoints

A binding ``retention: {rule, event: account_deletion}`` runs from an event
recorded for a person (``POST /api/v1/retention-events``): the event, when
it happened, the person's identities sealed, and the sweeps done for it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0011_retention_events"
down_revision = "0010_audit_checkpoints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One row per event recorded, one per sweep done for it."""
    op.create_table(
        "retention_events",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("identities_sealed", sa.LargeBinary, nullable=True),
        sa.Column("kinds", sa.String(200), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.Column("declaration_version", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_retention_events"),
    )
    op.create_index(
        "ix_retention_events_event_done_at",
        "retention_events",
        ["event", "done_at", "occurred_at"],
    )
    op.create_table(
        "retention_event_sweeps",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("sweep", sa.String(100), nullable=False),
        sa.Column("swept_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["retention_events.id"],
            name="fk_retention_event_sweeps_event_id_retention_events",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "sweep", name="pk_retention_event_sweeps"),
    )


def downgrade() -> None:
    """Drops what upgrade created."""
    op.drop_table("retention_event_sweeps")
    op.drop_index("ix_retention_events_event_done_at", table_name="retention_events")
    op.drop_table("retention_events")
