"""Each example's ``datastores`` describes its demo database exactly, and the known person
is reachable through it everywhere their data can be.

Exactly: every declared table and column exists; every column that holds
personal data (marked in the company's tables, or named like personal data)
is declared; every foreign key is a declared reference to the same field;
every identity field's kind is one gardien knows or a plain name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from demo_helpers import (
    datastore,
    example,
    free_text_columns,
    identity_tables,
    live_schema,
    person_rows,
    reachable,
)
from sqlalchemy import Engine, create_engine, inspect, or_, select

import gardien.demo
from gardien.commands.demo_command import CompanyName
from gardien.declaration import validate
from gardien.declaration.models import ErasureStrategy
from gardien.demo import COMPANIES, URL_VARIABLE, DemoResult, declaration_text

# Column names a schema check would take for personal data (the requests room's
# `gardien datastores check` warns about such columns left undeclared).
LOOKS_PERSONAL = re.compile(
    r"email|phone|name|address|birth|_ip$|^ip_|iban|url|password|cookie|uuid|^login$|card"
)


@pytest.fixture
def engine(built: dict[str, DemoResult], request: pytest.FixtureRequest) -> Iterator[Engine]:
    made = create_engine(built[request.node.callspec.params["company"]].database_url)
    yield made
    made.dispose()


def test_the_command_offers_every_company() -> None:
    assert [c.value for c in CompanyName] == list(COMPANIES)


def test_the_public_api() -> None:
    assert sorted(gardien.demo.__all__) == [
        "COMPANIES",
        "Company",
        "DEFAULT_COMPANY",
        "DEFAULT_PEOPLE",
        "DEFAULT_SEED",
        "DemoResult",
        "FillReport",
        "KnownPerson",
        "REFERENCE",
        "URL_VARIABLE",
        "build",
        "company_named",
        "content_digest",
        "declaration_text",
        "discard",
        "fill",
    ]


@pytest.mark.parametrize("company", list(COMPANIES))
def test_every_declared_table_and_column_exists(engine: Engine, company: str) -> None:
    schema = live_schema(engine)
    store = datastore(company)
    for name, collection in store.collections.items():
        assert name in schema.columns, f"{name} is declared, not in the database"
        missing = set(collection.fields) - set(schema.columns[name])
        assert not missing, f"{name}: {sorted(missing)} declared, not in the database"
        keys = [f for f, field in collection.fields.items() if field.primary_key]
        assert keys == schema.primary_keys[name]
        if collection.legal_hold is not None:
            assert collection.legal_hold.anchor in schema.columns[name]


@pytest.mark.parametrize("company", list(COMPANIES))
def test_every_column_that_holds_personal_data_is_declared(
    built: dict[str, DemoResult], engine: Engine, company: str
) -> None:
    schema = live_schema(engine)
    store = datastore(company)
    metadata = built[company].company.metadata
    for table, columns in schema.columns.items():
        marked = {c.name for c in metadata.tables[table].columns if c.info.get("personal")}
        named = {c for c in columns if LOOKS_PERSONAL.search(c)}
        foreign = {c for t, c, _, _ in schema.foreign_keys if t == table}
        wanted = marked | named | foreign
        if not wanted:
            continue
        assert table in store.collections, f"{table} holds personal data, not declared"
        undeclared = wanted - set(store.collections[table].fields)
        assert not undeclared, f"{table}: {sorted(undeclared)} not declared"


@pytest.mark.parametrize("company", list(COMPANIES))
def test_every_foreign_key_is_a_declared_reference(engine: Engine, company: str) -> None:
    schema = live_schema(engine)
    store = datastore(company)
    declared = {
        (name, field_name, field.references.collection, field.references.field)
        for name, collection in store.collections.items()
        for field_name, field in collection.fields.items()
        if field.references is not None
    }
    assert declared == set(schema.foreign_keys)


@pytest.mark.parametrize("company", list(COMPANIES))
def test_identities_and_references_are_indexed(engine: Engine, company: str) -> None:
    """A request looks people up by identity and follows references: each needs an index."""
    indexed = {
        (table, index["column_names"][0])
        for table in live_schema(engine).columns
        for index in inspect(engine).get_indexes(table)
    }
    for name, collection in datastore(company).collections.items():
        for field_name, field in collection.fields.items():
            if (field.identity or field.references) and not field.primary_key:
                assert (name, field_name) in indexed, f"{name}.{field_name}"


@pytest.mark.parametrize("company", list(COMPANIES))
def test_erasure_keeps_only_under_a_legal_hold_and_nullifies_only_nullable_columns(
    built: dict[str, DemoResult], company: str
) -> None:
    metadata = built[company].company.metadata
    store = datastore(company)
    for name in reachable(store, identity_tables(store)):  # what an erasure can touch
        collection = store.collections[name]
        for field_name, field in collection.fields.items():
            strategy = collection.erasure or field.erasure
            column = metadata.tables[name].c[field_name]
            if strategy is ErasureStrategy.KEEP:
                assert collection.legal_hold is not None
            if strategy is ErasureStrategy.NULLIFY and not field.primary_key:
                assert column.nullable, f"{name}.{field_name} cannot be nullified"


@pytest.mark.parametrize("company", list(COMPANIES))
def test_free_text_that_names_others_is_redacted_in_exports(
    built: dict[str, DemoResult], company: str
) -> None:
    store = datastore(company)
    for table, column in free_text_columns(built[company].company.metadata):
        field = store.collections[table].fields[column]
        assert field.third_parties.value == "redact", f"{table}.{column}"


@pytest.mark.parametrize("company", list(COMPANIES))
def test_the_written_declaration_validates_and_points_at_the_database(
    built: dict[str, DemoResult], company: str
) -> None:
    result = built[company]
    report = validate(result.declaration)
    assert report.errors == (), [str(p) for p in report.errors]
    assert report.declaration is not None
    url = report.declaration.datastores[result.company.datastore].url
    if result.environment:  # a URL with a password stays in the environment
        assert result.environment == {URL_VARIABLE: result.database_url}
        assert getattr(url, "env", None) == URL_VARIABLE
    else:
        assert url == result.database_url
    # The rest is the example, line for line.
    source = example(company).model_dump(exclude={"datastores"})
    assert report.declaration.model_dump(exclude={"datastores"}) == source


def test_a_url_with_a_password_is_never_written_into_the_declaration() -> None:
    url = "postgresql+psycopg://demo:s3cret@db.example:5432/company"
    text, environment = declaration_text(COMPANIES["komin"], url)
    assert "s3cret" not in text
    assert "url: {$env: DEMO_DATABASE_URL}" in text
    assert environment == {URL_VARIABLE: url}


# The known person ----------------------------------------------------------------


@pytest.mark.parametrize("company", list(COMPANIES))
def test_the_known_person_has_rows_in_every_table_their_identities_reach(
    built: dict[str, DemoResult], engine: Engine, company: str
) -> None:
    result = built[company]
    store = datastore(company)
    with engine.connect() as connection:
        found = person_rows(connection, result.company.metadata, store, result.identities)
    seeds = {name for name, rows in found.items() if rows} & identity_tables(store)
    expected = reachable(store, seeds)
    empty = sorted(name for name in expected if not found.get(name))
    assert not empty, f"the known person has no rows in {empty}"
    # the three-hop chain and the cycle included, with several rows in child tables
    assert sum(len(rows) for rows in found.values()) >= 2 * len(expected)


@pytest.mark.parametrize("company", list(COMPANIES))
def test_other_people_name_the_known_person_in_their_free_text(
    built: dict[str, DemoResult], engine: Engine, company: str
) -> None:
    result = built[company]
    metadata = result.company.metadata
    name = result.known_person.full_name
    with engine.connect() as connection:
        own = person_rows(connection, metadata, datastore(company), result.identities)
        mentions = 0
        for table, column in free_text_columns(metadata):
            rows = metadata.tables[table]
            query = select(rows.c.id).where(rows.c[column].contains(name))
            mentions += len(set(connection.scalars(query)) - own.get(table, set()))
    assert mentions >= 2


@pytest.mark.parametrize("company", list(COMPANIES))
def test_the_known_persons_identities_are_in_the_database(
    built: dict[str, DemoResult], engine: Engine, company: str
) -> None:
    result = built[company]
    metadata = result.company.metadata
    store = datastore(company)
    with engine.connect() as connection:
        for kind, value in result.identities.items():
            hits = 0
            for name, collection in store.collections.items():
                columns = [
                    metadata.tables[name].c[f]
                    for f, field in collection.fields.items()
                    if field.identity == kind
                ]
                if columns:
                    table = metadata.tables[name]
                    wanted = [
                        c == (int(value) if c.type.python_type is int else value) for c in columns
                    ]
                    hits += len(connection.scalars(select(table.c.id).where(or_(*wanted))).all())
            assert hits >= 1, kind
