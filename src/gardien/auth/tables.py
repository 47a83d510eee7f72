"""The auth room's table: API keys, by public prefix, with a hash of their secret.

Declared on the store's metadata like every room's tables; the migration
``0001_core`` creates it, and a test keeps both in step.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, LargeBinary, String, Table

from gardien.store.schema import metadata
from gardien.store.types import UtcDateTime

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("secret_hash", LargeBinary(32), nullable=False),
    Column("role", String(16), nullable=False),
    Column("label", String(200), nullable=False, default=""),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
)
