"""The store room: engines, schema migrations, and the record of declarations applied.

    >>> store = open_store(settings)
    >>> upgrade(store)                     # gardien db upgrade
    >>> version = apply_declaration(store, declaration, "privacy.yaml")

SQLite by default, PostgreSQL when ``GARDIEN_DATABASE_URL`` says so. Personal
data's keys live in a separate key store (``keystore``) so that erasing a
subject also makes old backups of the store unreadable.
"""

from __future__ import annotations

from gardien.errors import StoreError
from gardien.store.declarations import (
    DeclarationRecord,
    apply_declaration,
    current_declaration,
    stored_declaration,
)
from gardien.store.engine import is_postgresql, make_engine, relax_durability
from gardien.store.migrate import Store, open_store, require_current, upgrade
from gardien.store.types import UtcDateTime, utcnow

__all__ = [
    "DeclarationRecord",
    "Store",
    "StoreError",
    "UtcDateTime",
    "apply_declaration",
    "current_declaration",
    "is_postgresql",
    "make_engine",
    "open_store",
    "relax_durability",
    "require_current",
    "stored_declaration",
    "upgrade",
    "utcnow",
]
