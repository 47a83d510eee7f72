"""Erasing a person across a database: as declared, children first, holds kept, others untouched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shop
from shop import SHOP_URL_VARIABLE, with_shop
from sqlalchemy import create_engine, event, text

from gardien.connectors import SqlConnector, locate, plan_for
from gardien.connectors.erase import Strategies, erase_person
from gardien.declaration import Declaration, load
from gardien.errors import SchemaMismatchError

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
STRATEGIES = Strategies(secret=b"k" * 32, redact_text=lambda t: "[redacted]")
ALICE = {"email": [shop.ALICE["email"]]}


def _erasure(data: dict[str, Any]) -> None:
    """The shop, declared for erasure: orders kept 10 years, the rest deleted or cleaned."""
    with_shop(data)
    c = data["datastores"]["shop"]["collections"]
    c["customers"]["erasure"] = "delete_row"
    c["devices"]["erasure"] = "delete_row"
    c["tickets"]["erasure"] = "delete_row"
    c["orders"]["legal_hold"] = {
        "reason": {"fr": "Code de commerce, art. L123-22", "en": "Commercial Code, L123-22"},
        "duration": "10 years",
        "anchor": "placed_on",
    }
    c["orders"]["fields"]["customer_id"]["erasure"] = "keep"
    c["orders"]["fields"]["placed_on"]["erasure"] = "keep"
    c["order_lines"]["fields"]["product"]["erasure"] = "anonymise"  # NOT NULL: not nullify


@pytest.fixture
def declared(
    write_declaration: Callable[..., Path], shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> Declaration:
    monkeypatch.setenv(SHOP_URL_VARIABLE, shop_url)
    return load(write_declaration(_erasure, name="erasure.yaml"))


def _tables(url: str) -> dict[str, dict[Any, tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: {row[0]: tuple(row) for row in conn.execute(text(f"SELECT * FROM {name}"))}
                for name in shop.metadata.tables
            }
    finally:
        engine.dispose()


def _erase(declaration: Declaration, url: str) -> Any:
    connector = SqlConnector(url, name="shop")
    try:
        return erase_person(declaration, {"shop": connector}, ALICE, STRATEGIES, now=NOW)
    finally:
        connector.close()


def test_alice_is_erased_and_nobody_else_is_touched(declared: Declaration, shop_url: str) -> None:
    before = _tables(shop_url)
    report = _erase(declared, shop_url)
    after = _tables(shop_url)
    for table, rows in before.items():
        mine = set(shop.ALICE_ROWS.get(table, ()))
        for key, row in rows.items():
            if key not in mine:
                assert after[table].get(key) == row, f"{table} {key} changed"
    # Deleted, as declared.
    assert 1 not in after["devices"] and 1 not in after["tickets"]
    # Kept under the hold: the orders, with the fields declared keep.
    assert {k: after["orders"][k] for k in (10, 11)} == {k: before["orders"][k] for k in (10, 11)}
    # The customer row is pointed at by kept orders: not deleted, emptied.
    assert after["customers"][1] == (1, None, None, None, None)
    # Alice's values are gone everywhere else.
    dump = repr(after)
    for value in ("alice@example.com", "+33612345678", "Alice Martin", "dev-alice-1",
                  "broken cup, says Alice Martin", "Bob Durand m'a dit"):  # fmt: skip
        assert value not in dump, value
    assert after["refunds"][1000][2] == "[redacted]"
    assert all(row[2].startswith("anonymised-") for k, row in after["order_lines"].items()
               if k in (100, 101, 102))  # fmt: skip
    assert after["teams"][1] == (1, None, None)
    # What the person is told.
    [held] = report.held
    assert held.collection == "orders" and held.held is not None
    assert held.held.until == dt.date(2036, 1, 15) and held.held.rows == 2
    assert held.held.fields == ("customer_id", "placed_on")
    by_name = {c.collection: c for c in report.collections}
    assert by_name["devices"].deleted == 1 and by_name["tickets"].deleted == 1
    assert by_name["customers"].deleted == 0 and by_name["customers"].changed == 1


def test_erasing_again_finds_nothing_and_changes_nothing(
    declared: Declaration, shop_url: str
) -> None:
    _erase(declared, shop_url)
    once = _tables(shop_url)
    again = _erase(declared, shop_url)
    assert again.collections == () and _tables(shop_url) == once


def test_a_hold_that_is_over_keeps_nothing(declared: Declaration, shop_url: str) -> None:
    connector = SqlConnector(shop_url, name="shop")
    try:
        report = erase_person(
            declared, {"shop": connector}, ALICE, STRATEGIES,
            now=dt.datetime(2036, 1, 16, tzinfo=dt.UTC),
        )  # fmt: skip
    finally:
        connector.close()
    assert report.held == []
    after = _tables(shop_url)
    assert 10 not in after["orders"] and 11 not in after["orders"]  # the hold was the reason
    assert 1 not in after["customers"]  # nothing points at it any more


def test_a_refused_change_rolls_the_whole_datastore_back(
    write_declaration: Callable[..., Path], shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def nullify_a_not_null_column(data: dict[str, Any]) -> None:
        _erasure(data)
        product = data["datastores"]["shop"]["collections"]["order_lines"]["fields"]["product"]
        product["erasure"] = "nullify"

    monkeypatch.setenv(SHOP_URL_VARIABLE, shop_url)
    declaration = load(write_declaration(nullify_a_not_null_column, name="bad.yaml"))
    before = _tables(shop_url)
    with pytest.raises(SchemaMismatchError, match="nothing was changed") as refused:
        _erase(declaration, shop_url)
    assert "alice" not in refused.value.message.lower()
    assert _tables(shop_url) == before


def test_the_location_can_be_reused(declared: Declaration, shop_url: str) -> None:
    connector = SqlConnector(shop_url, name="shop")
    try:
        location = locate(plan_for(declared), {"shop": connector}, ALICE)
        report = erase_person(
            declared, {"shop": connector}, {}, STRATEGIES, now=NOW, location=location
        )
    finally:
        connector.close()
    assert sum(c.found for c in report.collections) == location.count()


def test_rows_that_lead_nowhere_are_deleted_without_being_read(
    declared: Declaration, shop_url: str
) -> None:
    """Tickets are deleted whole, point nowhere and hold no identity: one DELETE by the
    customer's key, no SELECT of them (a person's thousands of events are not read)."""
    connector = SqlConnector(shop_url, name="shop")
    statements: list[str] = []
    event.listen(
        connector.engine, "before_cursor_execute",
        lambda _conn, _cursor, statement, *_rest: statements.append(" ".join(statement.split())),
    )  # fmt: skip
    try:
        report = erase_person(declared, {"shop": connector}, ALICE, STRATEGIES, now=NOW)
    finally:
        connector.close()
    on_tickets = [s for s in statements if " tickets" in s]
    assert on_tickets and all(s.startswith("DELETE FROM tickets") for s in on_tickets)
    [tickets] = [c for c in report.collections if c.collection == "tickets"]
    assert tickets.found == tickets.deleted == 1
    assert 1 not in _tables(shop_url)["tickets"]


def _drop_column(url: str, table: str, column: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    finally:
        engine.dispose()


def test_a_column_dropped_after_the_schema_was_read_stops_the_erasure_naming_it(
    declared: Declaration, shop_url: str
) -> None:
    """A worker keeps its connectors: a column dropped since they read the schema is a
    schema mismatch on both databases (not an unreachable one), and nothing changes."""
    connector = SqlConnector(shop_url, name="shop", tables=shop.metadata.tables)
    try:
        connector.table("refunds")  # the schema, as the worker read it
        _drop_column(shop_url, "refunds", "reason")
        before = _tables(shop_url)
        with pytest.raises(SchemaMismatchError, match="reason") as refused:
            erase_person(declared, {"shop": connector}, ALICE, STRATEGIES, now=NOW)
    finally:
        connector.close()
    assert "datastores check" in refused.value.message
    assert _tables(shop_url) == before


def test_a_declared_column_missing_from_rows_deleted_unread_is_named_and_nothing_changes(
    declared: Declaration, shop_url: str
) -> None:
    _drop_column(shop_url, "tickets", "body")
    before = _tables(shop_url)
    with pytest.raises(SchemaMismatchError, match="'body'"):
        _erase(declared, shop_url)
    assert _tables(shop_url) == before


def test_a_row_kept_only_for_a_held_child_has_its_not_null_kept_fields_anonymised(
    write_declaration: Callable[..., Path], tmp_path: Path
) -> None:
    """An invoice whose own 10 years are over stays while the payment made on it is still
    held; its billing name, kept for the hold but NOT NULL, cannot be emptied: it is
    anonymised, and the erasure goes through instead of being refused whole."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT)"))
        conn.execute(text(
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER "
            "REFERENCES customers (id), billing_name TEXT NOT NULL, issued_on DATE NOT NULL)"
        ))  # fmt: skip
        conn.execute(text(
            "CREATE TABLE payments (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL "
            "REFERENCES invoices (id), paid_on DATE NOT NULL)"
        ))  # fmt: skip
        conn.execute(text("INSERT INTO customers VALUES (1, 'alice@example.com')"))
        conn.execute(text("INSERT INTO invoices VALUES (10, 1, 'Alice Martin', '2016-05-30')"))
        conn.execute(text("INSERT INTO payments VALUES (20, 10, '2016-06-02')"))
    engine.dispose()
    hold = {"reason": {"fr": "Code de commerce", "en": "Commercial Code"}, "duration": "10 years"}

    def ledger(data: dict[str, Any]) -> None:
        data["datastores"] = {"ledger": {"url": url, "collections": {
            "customers": {"erasure": "delete_row", "fields": {
                "id": {"primary_key": True},
                "email": {"categories": ["user.contact.email"], "identity": "email"}}},
            "invoices": {"legal_hold": {**hold, "anchor": "issued_on"}, "fields": {
                "id": {"primary_key": True},
                "customer_id": {"references": {"collection": "customers", "field": "id"}},
                "billing_name": {"categories": ["user.name"], "erasure": "keep"},
                "issued_on": {"erasure": "keep"}}},
            "payments": {"legal_hold": {**hold, "anchor": "paid_on"}, "fields": {
                "id": {"primary_key": True},
                "invoice_id": {"references": {"collection": "invoices", "field": "id"},
                               "erasure": "keep"},
                "paid_on": {"erasure": "keep"}}},
        }}}  # fmt: skip

    declaration = load(write_declaration(ledger, name="ledger.yaml"))
    connector = SqlConnector(url, name="ledger")
    try:
        erase_person(
            declaration, {"ledger": connector}, ALICE, STRATEGIES,
            now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),  # invoice's hold over, payment's not
        )  # fmt: skip
    finally:
        connector.close()
    after = _ledger(url)
    assert after["payments"] == [(20, 10, "2016-06-02")]  # held: kept as it was
    [(invoice, customer, name, issued)] = after["invoices"]
    assert (invoice, customer, issued) == (10, None, "2016-05-30")  # the date cannot be NULL
    assert name.startswith("anonymised-") and "Alice" not in name
    assert after["customers"] == []


def _ledger(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table}"))]
                for table in ("customers", "invoices", "payments")
            }
    finally:
        engine.dispose()
