"""The sign-in room's tables: e-mailed codes, and the sessions they open.

``person_signins`` holds one row per code asked for on the privacy center:
the e-mail as a blind index (to count codes per address) and sealed (until
the code is used or spent), the code as an HMAC, its expiry and the wrong
attempts counted. ``person_sessions`` holds one row per session a right code
opened: the session id's SHA-256 (the id itself lives only in the person's
cookie), the e-mail sealed under a vault secret bound to that row, when it
was opened, last used and ended.

The migration ``0013_person_sessions`` creates the same tables; a test compares them.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table

from gardien.store.schema import metadata
from gardien.store.types import UtcDateTime

SIGNIN_ID_LENGTH = 32

person_signins = Table(
    "person_signins",
    metadata,
    # Random, 128 bits, kept in the person's cookie: it cannot be guessed.
    Column("id", String(SIGNIN_ID_LENGTH), primary_key=True),
    Column("email_index", LargeBinary(32), nullable=False),
    # HMAC of the code; NULL once used or spent.
    Column("code_hash", String(64), nullable=True),
    # The address, sealed under a vault secret bound to the row; NULL once used or spent.
    Column("email_sealed", LargeBinary, nullable=True),
    Column("code_expires_at", UtcDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    # Codes asked for one address lately: the per-address limit's question.
    Index("ix_person_signins_email_index", "email_index", "created_at"),
)

person_sessions = Table(
    "person_sessions",
    metadata,
    # SHA-256 (hex) of the session id: the id itself is never stored.
    Column("id_hash", String(64), primary_key=True),
    Column("email_sealed", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime(), nullable=True),
    Index("ix_person_sessions_last_seen_at", "last_seen_at"),
)
