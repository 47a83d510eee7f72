"""The audit log's table, declared on the store's shared ``metadata``.

Created by migration ``0004_audit``. ``seq`` is assigned by ``append`` under
a lock (not by a database sequence, which leaves gaps on rollback), so the
numbers are gap-free and a gap means an entry was removed.

``audit_checkpoints`` (migration ``0010_audit_checkpoints``) holds a signed
record of the last entry each retention run removed from the start of the
trail: the chain is verified from it (``gardien.audit.checkpoints``).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Table, Text

from gardien.store.schema import metadata
from gardien.store.types import UtcDateTime

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject_blind_id", String(128), nullable=True),
    Column("purpose", String(64), nullable=True),
    Column("declaration_version", String(64), nullable=True),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # The API pages a subject's history and one action's entries by seq.
    Index("ix_audit_log_subject_seq", "subject_blind_id", "seq"),
    Index("ix_audit_log_action_seq", "action", "seq"),
)

audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    # The last entry removed by retention: the chain goes on from its hash.
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("removed_at", UtcDateTime(), nullable=False),
    # Ed25519, hex: the key that signed (raw public bytes) and the signature.
    Column("public_key", String(64), nullable=False),
    Column("signature", String(128), nullable=False),
)
