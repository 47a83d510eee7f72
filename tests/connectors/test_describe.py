"""Reading the live schema costs a few catalog queries, not a handful per table.

A request opens its connectors, reflects the tables it reads and, for an
erasure, describes the schema: at ten queries a table that was most of an
ordinary person's erasure (bench/requests.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from shop import SHOP_URL_VARIABLE, with_shop
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event

from gardien.connectors import SqlConnector, close_all, open_datastores
from gardien.declaration import load
from gardien.errors import SchemaMismatchError


def _add_tables(url: str, count: int) -> None:
    metadata = MetaData()
    for number in range(count):
        Table(
            f"extra_{number}",
            metadata,
            Column("id", Integer, primary_key=True),
            Column("email", String(100), index=True, unique=True),
        )
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()


def _reading(connector: SqlConnector, read: Any = None) -> tuple[Any, int, int]:
    """``read()``'s answer (describe() by default), the connections it checked out and the
    statements it ran."""
    counts = {"checkouts": 0, "statements": 0}

    def checkout(*_: object) -> None:
        counts["checkouts"] += 1

    def statement(*_: object) -> None:
        counts["statements"] += 1

    event.listen(connector.engine, "checkout", checkout)
    event.listen(connector.engine, "before_cursor_execute", statement)
    try:
        schema = (read or connector.describe)()
    finally:
        event.remove(connector.engine, "checkout", checkout)
        event.remove(connector.engine, "before_cursor_execute", statement)
    return schema, counts["checkouts"], counts["statements"]


def test_describe_uses_one_connection_and_on_postgresql_as_many_queries_for_more_tables(
    shop_url: str,
) -> None:
    connector = SqlConnector(shop_url, name="shop")
    try:
        connector.describe()  # the dialect's first-connect queries, once per engine
        before, checkouts, statements = _reading(connector)
        _add_tables(shop_url, 6)
        after, checkouts_after, statements_after = _reading(connector)
    finally:
        connector.close()
    assert checkouts == checkouts_after == 1
    assert set(after.collections) == set(before.collections) | {f"extra_{n}" for n in range(6)}
    extra = after.collections["extra_3"]
    assert set(extra.columns) == {"id", "email"} and {"id", "email"} <= extra.indexed
    assert not extra.columns["email"].temporal and extra.columns["email"].nullable
    assert before.collections == {n: after.collections[n] for n in before.collections}
    if connector.engine.dialect.name == "postgresql":
        # Each kind of fact is read for every table at once.
        assert statements_after == statements


SHOP_TABLES = ("teams", "customers", "devices", "orders", "order_lines", "refunds", "tickets")


def test_the_declared_tables_are_reflected_together_the_first_time_one_is_used(
    shop_url: str,
) -> None:
    connector = SqlConnector(shop_url, name="shop", tables=SHOP_TABLES)
    try:
        connector.describe()  # the dialect's first-connect queries, once per engine
        first, checkouts, _ = _reading(connector, lambda: connector.table("orders"))
        rest = [_reading(connector, lambda n=n: connector.table(n)) for n in SHOP_TABLES]
        assert set(first.columns.keys()) == {"id", "customer_id", "placed_on"}
        assert checkouts == 1
        assert all(checked == statements == 0 for _, checked, statements in rest)
        # The undeclared table is not read with them, but can still be asked for.
        assert connector.table("events").name == "events"
    finally:
        connector.close()


def test_a_declared_table_the_database_lacks_is_named_when_asked_for(shop_url: str) -> None:
    connector = SqlConnector(shop_url, name="shop", tables=(*SHOP_TABLES, "invoices"))
    try:
        assert connector.table("customers").name == "customers"
        with pytest.raises(SchemaMismatchError, match="has no table 'invoices'"):
            connector.table("invoices")
    finally:
        connector.close()


def test_open_datastores_tells_each_connector_its_declared_collections(
    write_declaration: Any, shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SHOP_URL_VARIABLE, shop_url)
    declaration = load(write_declaration(with_shop))
    connectors = open_datastores(declaration)
    try:
        connector = connectors["shop"]
        assert isinstance(connector, SqlConnector)
        connector.describe()
        _, checkouts, _ = _reading(connector, lambda: connector.table("customers"))
        others = [
            _reading(connector, lambda n=n: connector.table(n))[1]
            for n in declaration.datastores["shop"].collections
        ]
    finally:
        close_all(connectors)
    assert checkouts == 1 and others == [0] * len(others)
