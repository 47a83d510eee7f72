"""The live schema is read whole through one connection: an erasure reads it before it starts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event

from gardien.connectors import SqlConnector


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


def _reading(connector: SqlConnector) -> tuple[Any, int, int]:
    """describe()'s answer, the connections it checked out and the statements it ran."""
    counts = {"checkouts": 0, "statements": 0}

    def checkout(*_: object) -> None:
        counts["checkouts"] += 1

    def statement(*_: object) -> None:
        counts["statements"] += 1

    event.listen(connector.engine, "checkout", checkout)
    event.listen(connector.engine, "before_cursor_execute", statement)
    try:
        schema = connector.describe()
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
