"""Tables of the subject registry (vault room).

Revision ID: 0002_vault
Revises: 0001_core
"""

from __future__ import annotations

revision = "0002_vault"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Created by the room's own migration code below once written."""


def downgrade() -> None:
    """Drops what upgrade created."""
