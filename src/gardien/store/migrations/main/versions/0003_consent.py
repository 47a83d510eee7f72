"""Tables of the consent ledger and processing limits (consent room).

Revision ID: 0003_consent
Revises: 0002_vault
"""

from __future__ import annotations

revision = "0003_consent"
down_revision = "0002_vault"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Created by the room's own migration code below once written."""


def downgrade() -> None:
    """Drops what upgrade created."""
