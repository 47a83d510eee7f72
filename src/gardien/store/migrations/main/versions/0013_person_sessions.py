"""The privacy center's sign-in by e-mailed code, and the sessions it opens.

Revision ID: 0013_person_sessions
Revises: 0012_pending_requests

A person signs in to the privacy center with a 6-digit code e-mailed to
them: ``person_signins`` keeps the code's HMAC, expiry and wrong attempts
(the e-mail as a blind index only); ``person_sessions`` the SHA-256 of each
session id, the e-mail sealed, and when the session was used and ended.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0013_person_sessions"
down_revision = "0012_pending_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One row per code asked for, one per session opened."""
    op.create_table(
        "person_signins",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("email_index", sa.LargeBinary(32), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=True),
        sa.Column("email_sealed", sa.LargeBinary, nullable=True),
        sa.Column("code_expires_at", UtcDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person_signins"),
    )
    op.create_index(
        "ix_person_signins_email_index", "person_signins", ["email_index", "created_at"]
    )
    op.create_table(
        "person_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("email_sealed", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_seen_at", UtcDateTime(), nullable=False),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id_hash", name="pk_person_sessions"),
    )
    op.create_index("ix_person_sessions_last_seen_at", "person_sessions", ["last_seen_at"])


def downgrade() -> None:
    """Drops what upgrade created."""
    op.drop_index("ix_person_sessions_last_seen_at", table_name="person_sessions")
    op.drop_table("person_sessions")
    op.drop_index("ix_person_signins_email_index", table_name="person_signins")
    op.drop_table("person_signins")
