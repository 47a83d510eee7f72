"""Key store tables: each subject's wrapped data key, and the vault's own keys.

Revision ID: k0001_keys
Revises:

Every key is stored wrapped by the master key, with the id of the master key
that wraps it so that rotation can resume. Kept in step with
``gardien.vault.tables`` by ``tests/vault/test_schema.py``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "k0001_keys"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_keys",
        sa.Column("subject_id", sa.String(32), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("master_key_id", sa.String(8), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", name="pk_data_keys"),
    )
    op.create_index("ix_data_keys_master_key_id", "data_keys", ["master_key_id"])
    op.create_table(
        "vault_keys",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("master_key_id", sa.String(8), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_vault_keys"),
    )


def downgrade() -> None:
    op.drop_table("vault_keys")
    op.drop_index("ix_data_keys_master_key_id", table_name="data_keys")
    op.drop_table("data_keys")
