"""Every room's table models and the migrations describe the same schema, on both backends.

One comparison of the whole metadata: a table, column, index or constraint
declared in a room's ``tables.py`` but not migrated (or the reverse) fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData

import gardien.audit.tables
import gardien.auth.tables
import gardien.consent.tables
import gardien.jobs.tables
import gardien.requests.tables
import gardien.retention.tables
import gardien.signin.tables
import gardien.vault.tables  # noqa: F401  (each declares its tables on the metadata)
from gardien.store import Store
from gardien.store.schema import keystore_metadata, metadata

VERSION_TABLES = {"alembic_version", "keystore_version"}


def _diffs(engine: Engine, source: MetaData) -> list[Any]:
    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        return not (type_ == "table" and name in VERSION_TABLES)

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, source))


def test_every_room_declares_its_tables() -> None:
    assert {"declarations", "api_keys", "subjects", "subject_identities", "consent_events",
            "consent_state", "processing_limits", "audit_log", "jobs", "job_steps", "auth_failures", "requests", "request_events", "directives",
            "directive_trustees", "directive_retrievals"} <= set(metadata.tables)  # fmt: skip
    assert {"data_keys", "vault_keys"} <= set(keystore_metadata.tables)


@pytest.mark.parametrize("side", ["store", "keystore"])
def test_models_match_migrations(store: Store, side: str) -> None:
    engine, source = (
        (store.engine, metadata) if side == "store" else (store.keystore, keystore_metadata)
    )
    assert _diffs(engine, source) == []
