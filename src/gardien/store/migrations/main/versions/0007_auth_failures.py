"""Failed-authentication counters that servers on one store share (auth room).

Revision ID: 0007_auth_failures
Revises: 0006_consent_public_ids
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_auth_failures"
down_revision = "0006_consent_public_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Failures per source (a keyed hash) and per window; old windows are deleted as new
    failures are written."""
    op.create_table(
        "auth_failures",
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("window_start", sa.BigInteger, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("source", "window_start", name="pk_auth_failures"),
    )
    op.create_index("ix_auth_failures_window_start", "auth_failures", ["window_start"])


def downgrade() -> None:
    """Drops what upgrade created."""
    op.drop_index("ix_auth_failures_window_start", table_name="auth_failures")
    op.drop_table("auth_failures")
