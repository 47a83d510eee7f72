"""Tables of the subject registry (vault room).

Revision ID: 0002_vault
Revises: 0001_core

Subjects (a tombstone row survives erasure) and their identities, looked up by
blind index; every personal value is ciphertext. Kept in step with
``gardien.vault.tables`` by ``tests/vault/test_schema.py``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0002_vault"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subjects",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("erased_at", UtcDateTime(), nullable=True),
        sa.Column("attributes", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_subjects"),
    )
    op.create_table(
        "subject_identities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("blind_index", sa.LargeBinary(32), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subject_identities"),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name="fk_subject_identities_subject_id_subjects"
        ),
        sa.UniqueConstraint("kind", "blind_index", name="uq_subject_identities_kind_blind_index"),
    )
    op.create_index("ix_subject_identities_subject_id", "subject_identities", ["subject_id"])


def downgrade() -> None:
    op.drop_index("ix_subject_identities_subject_id", table_name="subject_identities")
    op.drop_table("subject_identities")
    op.drop_table("subjects")
