"""The jobs tables as migrated match their declaration on ``metadata``."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import gardien.jobs  # noqa: F401  (declares the tables on metadata)
from gardien.store import Store
from gardien.store.schema import metadata

MINE = {"jobs", "job_steps"}


def _table_of(diff: Any) -> str | None:
    if isinstance(diff, list):  # modify_* diffs come as lists of tuples
        return str(diff[0][2])
    kind, obj = diff[0], diff[1]
    if kind.endswith("_table"):
        return str(obj.name)
    if kind.endswith("_column"):
        return str(diff[2])
    if kind.endswith("_fk"):
        return str(obj.parent.name)
    return str(obj.table.name)


def test_migrated_tables_match_metadata(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, metadata) if _table_of(d) in MINE]
    assert diffs == []


def test_hot_reads_are_indexed(store: Store) -> None:
    names = {index["name"] for index in inspect(store.engine).get_indexes("jobs")}
    assert {
        "ix_jobs_status_run_after",
        "ix_jobs_status_locked_until",
        "uq_jobs_dedupe_key_unfinished",
    } <= names
