"""The jobs table's hot reads are indexed (models vs migrations: tests/store)."""

from __future__ import annotations

from sqlalchemy import inspect

import gardien.jobs  # noqa: F401  (declares the tables on metadata)
from gardien.store import Store


def test_hot_reads_are_indexed(store: Store) -> None:
    names = {index["name"] for index in inspect(store.engine).get_indexes("jobs")}
    assert {
        "ix_jobs_status_run_after",
        "ix_jobs_status_locked_until",
        "uq_jobs_dedupe_key_unfinished",
    } <= names
