"""The audit table's hot reads are indexed (models vs migrations: tests/store)."""

from __future__ import annotations

from sqlalchemy import inspect

import gardien.audit  # noqa: F401  (declares the tables on metadata)
from gardien.store import Store


def test_hot_reads_are_indexed(store: Store) -> None:
    names = {index["name"] for index in inspect(store.engine).get_indexes("audit_log")}
    assert {"ix_audit_log_subject_seq", "ix_audit_log_action_seq"} <= names
