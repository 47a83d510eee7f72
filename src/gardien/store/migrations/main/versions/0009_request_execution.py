"""What executing a data-subject request leaves behind: packages and Art. 19 deliveries.

Revision ID: 0009_request_execution
Revises: 0008_requests

``request_packages`` names each access or portability package: the file
(encrypted under its own key, kept wrapped here), the hash of the one-time
download token, its size and digest, when it expires and when it was taken.
``recipient_deliveries`` logs every attempt to notify a recipient of a
rectification, erasure or restriction (GDPR Art. 19), delivered or not.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0009_request_execution"
down_revision = "0008_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_packages",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("request_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("file_name", sa.String(80), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("downloaded_at", UtcDateTime(), nullable=True),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_request_packages"),
        sa.UniqueConstraint("token_hash", name="uq_request_packages_token_hash"),
    )
    op.create_index("ix_request_packages_request_id", "request_packages", ["request_id"])
    op.create_index("ix_request_packages_expires_at", "request_packages", ["expires_at"])
    op.create_table(
        "recipient_deliveries",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("request_id", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.Integer, nullable=True),
        sa.Column("delivered", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_recipient_deliveries"),
    )
    op.create_index("ix_recipient_deliveries_request_id", "recipient_deliveries", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_recipient_deliveries_request_id", table_name="recipient_deliveries")
    op.drop_table("recipient_deliveries")
    op.drop_index("ix_request_packages_expires_at", table_name="request_packages")
    op.drop_index("ix_request_packages_request_id", table_name="request_packages")
    op.drop_table("request_packages")
