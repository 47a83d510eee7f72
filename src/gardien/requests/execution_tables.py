"""The tables request execution writes: packages to download and Art. 19 deliveries.

Created by migration ``0009_request_execution``. The request itself, its
states and its timeline are in ``requests/tables.py``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from gardien.store.schema import metadata
from gardien.store.types import UtcDateTime

request_packages = Table(
    "request_packages",
    metadata,
    Column("id", String(32), nullable=False),
    Column("request_id", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    # SHA-256 of the download token: the token itself is only in the link sent.
    Column("token_hash", String(64), nullable=False),
    # The file's own key, sealed under the vault's ``packages`` secret.
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("file_name", String(80), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("downloaded_at", UtcDateTime(), nullable=True),
    Column("deleted_at", UtcDateTime(), nullable=True),
    PrimaryKeyConstraint("id", name="pk_request_packages"),
    UniqueConstraint("token_hash", name="uq_request_packages_token_hash"),
    Index("ix_request_packages_request_id", "request_id"),
    Index("ix_request_packages_expires_at", "expires_at"),
)

recipient_deliveries = Table(
    "recipient_deliveries",
    metadata,
    Column("id", Integer, autoincrement=True, nullable=False),
    Column("request_id", String(32), nullable=False),
    Column("recipient", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("status", Integer, nullable=True),
    Column("delivered", Boolean, nullable=False),
    Column("reason", String(200), nullable=False),
    PrimaryKeyConstraint("id", name="pk_recipient_deliveries"),
    Index("ix_recipient_deliveries_request_id", "request_id"),
)
