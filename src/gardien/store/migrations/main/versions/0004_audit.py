"""Tables of the hash-chained audit log (audit room).

Revision ID: 0004_audit
Revises: 0003_consent
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0004_audit"
down_revision = "0003_consent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The audit log; ``seq`` is assigned by the application, gap-free."""
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject_blind_id", sa.String(128), nullable=True),
        sa.Column("purpose", sa.String(64), nullable=True),
        sa.Column("declaration_version", sa.String(64), nullable=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_subject_seq", "audit_log", ["subject_blind_id", "seq"])
    op.create_index("ix_audit_log_action_seq", "audit_log", ["action", "seq"])


def downgrade() -> None:
    """Drops what upgrade created."""
    op.drop_index("ix_audit_log_action_seq", table_name="audit_log")
    op.drop_index("ix_audit_log_subject_seq", table_name="audit_log")
    op.drop_table("audit_log")
