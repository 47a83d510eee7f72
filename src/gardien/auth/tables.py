"""The auth room's tables: API keys, and the failed-authentication counters servers share.

Declared on the store's metadata like every room's tables; the migrations
``0001_core`` (keys) and ``0007_auth_failures`` (counters) create them, and a
test keeps both in step.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary, String, Table

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

#: Failed authentications per source (a client address or a key prefix, by a keyed
#: hash: no address is stored) and per window of ``throttle.WINDOW_SECONDS``,
#: written only when a key fails; used on PostgreSQL (``gardien.auth.shared``).
auth_failures = Table(
    "auth_failures",
    metadata,
    Column("source", String(64), primary_key=True),
    # Epoch seconds at which the window begins.
    Column("window_start", BigInteger, primary_key=True),
    Column("failures", Integer, nullable=False),
    Index("ix_auth_failures_window_start", "window_start"),
)
