"""The vault's table models and its migrations describe the same schema."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData, inspect

from gardien.store import Store
from gardien.store.schema import keystore_metadata, metadata
from gardien.vault import tables

MAIN = {"subjects", "subject_identities"}
KEYS = {"data_keys", "vault_keys"}


def _diff(engine: Engine, source: MetaData, names: set[str]) -> list[Any]:
    # Other rooms' tables are theirs to check: compare only this room's, on both sides.
    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        return type_ != "table" or name in names

    def include_object(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
        return type_ != "table" or name in names

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_name": include_name,
                "include_object": include_object,
                "compare_type": True,
            },
        )
        return list(compare_metadata(context, source))


@pytest.mark.parametrize(("side", "names"), [("main", MAIN), ("keystore", KEYS)])
def test_models_match_migrations(store: Store, side: str, names: set[str]) -> None:
    engine = store.engine if side == "main" else store.keystore
    source = metadata if side == "main" else keystore_metadata
    assert names <= set(source.tables)
    assert _diff(engine, source, names) == []


def test_constraints_and_indexes_are_named(store: Store) -> None:
    inspector = inspect(store.engine)
    unique = inspector.get_unique_constraints("subject_identities")
    assert [(u["name"], u["column_names"]) for u in unique] == [
        ("uq_subject_identities_kind_blind_index", ["kind", "blind_index"])
    ]
    indexes = inspector.get_indexes("subject_identities")
    # PostgreSQL also lists the unique constraint's own index, marked as such.
    assert {i["name"] for i in indexes if not i.get("duplicates_constraint")} == {
        "ix_subject_identities_subject_id"
    }
    foreign = inspector.get_foreign_keys("subject_identities")
    assert [f["name"] for f in foreign] == ["fk_subject_identities_subject_id_subjects"]
    assert tables.subject_identities.c.subject_id.foreign_keys


def test_vault_tables_live_in_their_own_database(store: Store) -> None:
    assert not KEYS & set(inspect(store.engine).get_table_names())
    assert not MAIN & set(inspect(store.keystore).get_table_names())
