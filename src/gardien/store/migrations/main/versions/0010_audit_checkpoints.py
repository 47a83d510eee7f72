"""Signed checkpoints of the audit trail, for entries removed by retention.

Revision ID: 0010_audit_checkpoints
Revises: 0009_request_execution

When retention removes the oldest audit entries (``own_records.audit_entries``),
the last one removed is recorded here with an Ed25519 signature under a key
kept in the vault: the chain is verified from it, and removing or rewriting
more entries, or the checkpoint, shows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0010_audit_checkpoints"
down_revision = "0009_request_execution"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One row per retention run that removed entries."""
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("removed_at", UtcDateTime(), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_checkpoints"),
    )


def downgrade() -> None:
    """Drops what upgrade created."""
    op.drop_table("audit_checkpoints")
