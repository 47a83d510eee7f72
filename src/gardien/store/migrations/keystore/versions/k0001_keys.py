"""Key store tables: each subject's wrapped data key, and the vault's own keys.

Revision ID: k0001_keys
Revises:
"""

from __future__ import annotations

revision = "k0001_keys"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Created by the vault room."""


def downgrade() -> None:
    """Drops what upgrade created."""
