"""Tables of the hash-chained audit log (audit room).

Revision ID: 0004_audit
Revises: 0003_consent
"""

from __future__ import annotations

revision = "0004_audit"
down_revision = "0003_consent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Created by the room's own migration code below once written."""


def downgrade() -> None:
    """Drops what upgrade created."""
