"""The vault's tables: subjects and their identities (main store), keys (key store).

The main store holds only ciphertext and blind indexes; the keys that open
the ciphertext live in the key store, a separate database, so that deleting a
subject's key there makes every copy of the main store unreadable for that
subject. The migrations ``0002_vault`` and ``k0001_keys`` create these tables;
a test keeps both in step.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from gardien.store.schema import keystore_metadata, metadata
from gardien.store.types import UtcDateTime

SUBJECT_ID_LENGTH = 32

subjects = Table(
    "subjects",
    metadata,
    Column("id", String(SUBJECT_ID_LENGTH), primary_key=True),
    Column("created_at", UtcDateTime(), nullable=False),
    # Set once the subject is erased; the row then stays as a tombstone.
    Column("erased_at", UtcDateTime(), nullable=True),
    # JSON object of the subject's attributes, sealed under its data key; NULL once erased.
    Column("attributes", LargeBinary, nullable=True),
)

subject_identities = Table(
    "subject_identities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "subject_id",
        String(SUBJECT_ID_LENGTH),
        ForeignKey("subjects.id", name="fk_subject_identities_subject_id_subjects"),
        nullable=False,
    ),
    Column("kind", String(40), nullable=False),
    Column("blind_index", LargeBinary(32), nullable=False),
    # The normalised value, sealed under the subject's data key: needed to find
    # the person in the company's own databases.
    Column("value", LargeBinary, nullable=False),
    # One identity, one subject: two registrations of the same e-mail racing
    # each other end on this constraint, and the loser joins the winner's subject.
    UniqueConstraint("kind", "blind_index", name="uq_subject_identities_kind_blind_index"),
    Index("ix_subject_identities_subject_id", "subject_id"),
)

data_keys = Table(
    "data_keys",
    keystore_metadata,
    Column("subject_id", String(SUBJECT_ID_LENGTH), nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    # Which master key wraps this row: rotation skips rows already under the new one.
    Column("master_key_id", String(8), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("subject_id", name="pk_data_keys"),
    Index("ix_data_keys_master_key_id", "master_key_id"),
)

vault_keys = Table(
    "vault_keys",
    keystore_metadata,
    Column("name", String(64), nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("master_key_id", String(8), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("name", name="pk_vault_keys"),
)
