"""What a double submission's caller is told, until their code proves the e-mail.

Revision ID: 0012_pending_requests
Revises: 0011_retention_events

A second request of the same type from the same e-mail gets a pending token
on the open request. Until the code proves the e-mail, that token must show
what a new request would: received when the caller sent it, due a month
later. These columns keep those two dates; before them, the pending token
showed the open request's own dates and state to whoever typed the address.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gardien.store.types import UtcDateTime

revision = "0012_pending_requests"
down_revision = "0011_retention_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Two nullable dates on ``requests``."""
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("pending_since", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("pending_due_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    """Drops what upgrade added."""
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("pending_due_at")
        batch.drop_column("pending_since")
