"""The store's metadata and the tables the store room owns itself.

Each room declares its tables on ``metadata`` in its own ``tables.py``; the
Alembic migrations under ``migrations/main`` create them. The store room owns
the record of declarations applied.
"""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table, Text

from gardien.store.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

keystore_metadata = MetaData()

declarations = Table(
    "declarations",
    metadata,
    Column("version", String(64), primary_key=True),
    Column("applied_at", UtcDateTime(), nullable=False),
    Column("source", Text, nullable=False),
    Column("content", Text, nullable=False),
)
