"""Alembic environment of gardien's main database; run through `gardien db upgrade`."""

from __future__ import annotations

from alembic import context

from gardien.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table="alembic_version",
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
