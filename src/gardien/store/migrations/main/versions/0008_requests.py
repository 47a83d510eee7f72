"""Tables of data-subject requests, their timeline, and post-mortem directives (requests room).

Revision ID: 0008_requests
Revises: 0007_auth_failures

Mirrors ``gardien.requests.tables``; the lists of the check constraints are
written out (a migration must not change when the room's code does), and
constraint names too, because Alembic operations do not apply the metadata's
naming convention.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0008_requests"
down_revision = "0007_auth_failures"
branch_labels = None
depends_on = None

TYPES = (
    "type IN ('access', 'portability', 'rectification', 'erasure', 'restriction', "
    "'objection', 'withdrawal', 'post_mortem')"
)
STATES = (
    "state IN ('received', 'awaiting_verification', 'verified', 'approved', 'in_progress', "
    "'blocked', 'completed', 'rejected', 'withdrawn', 'expired')"
)
CHANNELS = "channel IN ('public', 'agent')"
LANGUAGES = "language IN ('fr', 'en')"


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=True),
        sa.Column("identities_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("email_index", sa.LargeBinary(32), nullable=True),
        sa.Column("details_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("verification_method", sa.String(24), nullable=True),
        sa.Column("verification_note_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("status_token_hashes", sa.Text(), nullable=False),
        sa.Column("pending_token_hash", sa.String(64), nullable=True),
        sa.Column("code_hash", sa.String(64), nullable=True),
        sa.Column("code_expires_at", UtcDateTime(), nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False),
        sa.Column("code_sends", sa.Integer(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("extended_until", UtcDateTime(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("verified_at", UtcDateTime(), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("blocked_reason", sa.Text(), nullable=True),
        sa.Column("completed_at", UtcDateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("declaration_version", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_requests"),
        sa.CheckConstraint(TYPES, name="ck_requests_type"),
        sa.CheckConstraint(STATES, name="ck_requests_state"),
        sa.CheckConstraint(CHANNELS, name="ck_requests_channel"),
        sa.CheckConstraint(LANGUAGES, name="ck_requests_language"),
    )
    op.create_index("ix_requests_state_due_at", "requests", ["state", "due_at"])
    op.create_index("ix_requests_email_index_type", "requests", ["email_index", "type"])
    op.create_table(
        "request_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.String(32), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("note", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_request_events"),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_request_events_request_id_requests"
        ),
    )
    op.create_index("ix_request_events_request_id", "request_events", ["request_id", "id"])
    op.create_table(
        "directives",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("request_id", sa.String(32), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("released_at", UtcDateTime(), nullable=True),
        sa.Column("released_by", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_directives"),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_directives_request_id_requests"
        ),
        sa.UniqueConstraint("request_id", name="uq_directives_request_id"),
    )
    op.create_table(
        "directive_trustees",
        sa.Column("directive_id", sa.String(32), nullable=False),
        sa.Column("email_index", sa.LargeBinary(32), nullable=False),
        sa.Column("verified_at", UtcDateTime(), nullable=True),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("directive_id", "email_index", name="pk_directive_trustees"),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name="fk_directive_trustees_directive_id_directives",
        ),
    )
    op.create_index("ix_directive_trustees_email_index", "directive_trustees", ["email_index"])
    op.create_table(
        "directive_retrievals",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("email_index", sa.LargeBinary(32), nullable=False),
        sa.Column("email_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=True),
        sa.Column("code_expires_at", UtcDateTime(), nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("verified_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_directive_retrievals"),
    )


def downgrade() -> None:
    """Drops what upgrade created, children first."""
    op.drop_table("directive_retrievals")
    op.drop_index("ix_directive_trustees_email_index", table_name="directive_trustees")
    op.drop_table("directive_trustees")
    op.drop_table("directives")
    op.drop_index("ix_request_events_request_id", table_name="request_events")
    op.drop_table("request_events")
    op.drop_index("ix_requests_email_index_type", table_name="requests")
    op.drop_index("ix_requests_state_due_at", table_name="requests")
    op.drop_table("requests")
