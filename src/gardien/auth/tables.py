"""The auth room's tables: API keys, the failed-authentication counters servers share, and
the console's staff accounts and sessions.

Declared on the store's metadata like every room's tables; the migrations
``0001_core`` (keys), ``0007_auth_failures`` (counters) and ``0014_staff_accounts``
(staff accounts and sessions) create them, and a test keeps them in step.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

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

#: Staff accounts of the console (``gardien users``): an e-mail to sign in with, an argon2
#: hash of the password, a role of the matrix, and the count of recent failed sign-ins that
#: locks the account (``gardien.auth.users``). ``id`` is random and public: the audit trail
#: names a staff member ``user:<id>``, never by their e-mail. Migration ``0014_staff_accounts``.
staff_users = Table(
    "staff_users",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("password_changed_at", UtcDateTime(), nullable=False),
    Column("disabled_at", UtcDateTime(), nullable=True),
    #: Failed sign-ins since ``failures_since`` (reset by a success or once the window ends).
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("failures_since", UtcDateTime(), nullable=True),
    Column("locked_until", UtcDateTime(), nullable=True),
)

#: Console sessions, server-side: only a SHA-256 of the cookie's random value is stored.
#: A session ends when idle too long, past its absolute lifetime, at logout, or when its
#: user is disabled or given a new password (``gardien.auth.sessions``).
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", LargeBinary(32), primary_key=True),
    Column(
        "user_id",
        String(16),
        ForeignKey("staff_users.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime(), nullable=True),
    Index("ix_staff_sessions_user_id", "user_id"),
)
