"""Consent events get an unguessable public id and sealed proof values.

Revision ID: 0006_consent_public_ids
Revises: 0005_jobs

Receipts were fetched by the event's sequential id, so any key allowed to
read receipts could walk them all; the API now names an event by a random
``public_id``. Proof values a caller sends are sealed under the person's data
key in ``proof_sealed``, so that erasure shreds them. Existing events get a
random public id each.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006_consent_public_ids"
down_revision = "0005_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consent_events") as batch:
        batch.add_column(sa.Column("public_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("proof_sealed", sa.LargeBinary, nullable=True))
    events = sa.table("consent_events", sa.column("id"), sa.column("public_id"))
    connection = op.get_bind()
    ids = connection.execute(sa.select(events.c.id).where(events.c.public_id.is_(None))).scalars()
    for event_id in list(ids):
        connection.execute(
            events.update().where(events.c.id == event_id).values(public_id=secrets.token_hex(16))
        )
    with op.batch_alter_table("consent_events") as batch:
        batch.alter_column("public_id", existing_type=sa.String(32), nullable=False)
        batch.create_unique_constraint("uq_consent_events_public_id", ["public_id"])


def downgrade() -> None:
    with op.batch_alter_table("consent_events") as batch:
        batch.drop_constraint("uq_consent_events_public_id", type_="unique")
        batch.drop_column("proof_sealed")
        batch.drop_column("public_id")
