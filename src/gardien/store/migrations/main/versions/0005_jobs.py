"""Tables of the durable jobs (jobs room).

Revision ID: 0005_jobs
Revises: 0004_audit
"""

from __future__ import annotations

revision = "0005_jobs"
down_revision = "0004_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Created by the room's own migration code below once written."""


def downgrade() -> None:
    """Drops what upgrade created."""
