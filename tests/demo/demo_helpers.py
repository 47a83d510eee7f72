"""Reading a built demo database back: its live schema, and a person's rows through the declaration.

``person_rows`` is a small stand-in for the request executor the requests
room builds: from a person's identities it follows the declaration's
``references`` downward (from a row to the rows that point at it), through
cycles, to a fixed point. The tests use it to check that the known person
is reachable everywhere the declaration says their data can be.
"""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, inspect, select, text

from gardien.declaration import Declaration, load
from gardien.declaration.models import Datastore
from gardien.demo import COMPANIES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: The size the tests build each company at: every branch of every generator runs.
PEOPLE = 300
SEED = 7

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of an empty schema of its own on the test server, dropped on exit."""
    assert POSTGRES_URL is not None
    base = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"demo_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@dataclass(frozen=True)
class LiveSchema:
    """What the database itself says: tables, columns, foreign keys."""

    columns: dict[str, dict[str, str]]  # table → column → type name
    foreign_keys: list[tuple[str, str, str, str]]  # (table, column, referred table, column)
    primary_keys: dict[str, list[str]]

    def children(self, table: str) -> set[str]:
        """Tables with a foreign key to ``table`` (one hop down)."""
        return {t for t, _, parent, _ in self.foreign_keys if parent == table}


def live_schema(engine: Engine) -> LiveSchema:
    inspector = inspect(engine)
    columns: dict[str, dict[str, str]] = {}
    foreign_keys: list[tuple[str, str, str, str]] = []
    primary_keys: dict[str, list[str]] = {}
    for table in inspector.get_table_names():
        columns[table] = {c["name"]: str(c["type"]) for c in inspector.get_columns(table)}
        primary_keys[table] = inspector.get_pk_constraint(table)["constrained_columns"]
        for fk in inspector.get_foreign_keys(table):
            for local, remote in zip(
                fk["constrained_columns"], fk["referred_columns"], strict=True
            ):
                foreign_keys.append((table, local, fk["referred_table"], remote))
    return LiveSchema(columns, sorted(foreign_keys), primary_keys)


def example(company: str) -> Declaration:
    return load(EXAMPLES / COMPANIES[company].example)


def datastore(company: str) -> Datastore:
    spec = COMPANIES[company]
    return example(company).datastores[spec.datastore]


def identity_tables(store: Datastore) -> set[str]:
    return {
        name
        for name, collection in store.collections.items()
        if any(field.identity for field in collection.fields.values())
    }


def reachable(store: Datastore, start: Iterable[str]) -> set[str]:
    """Collections reachable from ``start`` by following references downward."""
    children: dict[str, set[str]] = defaultdict(set)
    for name, collection in store.collections.items():
        for field in collection.fields.values():
            if field.references is not None:
                children[field.references.collection].add(name)
    seen = set(start)
    pending = list(seen)
    while pending:
        for child in children[pending.pop()] - seen:
            seen.add(child)
            pending.append(child)
    return seen


def person_rows(
    connection: Connection, metadata: MetaData, store: Datastore, identities: Mapping[str, str]
) -> dict[str, set[int]]:
    """Primary keys of the rows a person's identities lead to, per table."""
    found: dict[str, set[int]] = defaultdict(set)
    tables: dict[str, Table] = dict(metadata.tables)
    for name, collection in store.collections.items():
        for field_name, field in collection.fields.items():
            if field.identity in identities:
                value = identities[field.identity]
                column = tables[name].c[field_name]
                wanted: object = int(value) if column.type.python_type is int else value
                query = select(tables[name].c.id).where(column == wanted)
                found[name].update(connection.scalars(query))
    changed = True
    while changed:
        changed = False
        for name, collection in store.collections.items():
            for field_name, field in collection.fields.items():
                ref = field.references
                if ref is None or not found.get(ref.collection):
                    continue
                assert ref.field == "id", "the demo databases reference primary keys"
                query = select(tables[name].c.id).where(
                    tables[name].c[field_name].in_(sorted(found[ref.collection]))
                )
                new = set(connection.scalars(query)) - found[name]
                if new:
                    found[name] |= new
                    changed = True
    return dict(found)


def free_text_columns(metadata: MetaData) -> list[tuple[str, str]]:
    """(table, column) of every free-text column."""
    return [
        (table.name, column.name)
        for table in metadata.sorted_tables
        for column in table.columns
        if column.type.__class__.__name__ == "Text"
    ]
