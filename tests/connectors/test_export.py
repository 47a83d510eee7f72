"""A person's rows exported as they are found: JSON and CSV per collection, others redacted."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import shop

from gardien.connectors import SqlConnector, locate, plan_for
from gardien.connectors.export import RowsExport
from gardien.declaration import Declaration


def _redact(text: str, keep: Any) -> str:
    """Stands in for the redaction room: hides the names it is not told to keep."""
    for name in ("Bob Durand", "Bob", "Durand", "Alice Martin", "Alice", "Martin"):
        if name in text and name not in keep:
            text = text.replace(name, "<PERSON>")
    return text


def test_the_export_holds_every_row_with_its_categories(
    shop_declaration: Declaration, shop_url: str, tmp_path: Path
) -> None:
    export = RowsExport(tmp_path / "package", shop_declaration, _redact)
    connector = SqlConnector(shop_url, name="shop")
    try:
        location = locate(
            plan_for(shop_declaration), {"shop": connector}, {"email": [shop.ALICE["email"]]},
            on_row=export.add,
        )  # fmt: skip
    finally:
        connector.close()
    files = export.finish()
    assert {f.collection: f.rows for f in files} == {
        name: len(keys) for name, keys in shop.ALICE_ROWS.items()
    }
    assert sum(f.rows for f in files) == location.count()
    customers = json.loads((tmp_path / "package" / "shop.customers.json").read_text("utf-8"))
    assert customers["fields"]["email"] == ["user.contact.email"]
    assert customers["rows"] == [
        {"id": 1, "email": "alice@example.com", "phone": "+33612345678",
         "full_name": "Alice Martin", "team_id": 2}
    ]  # fmt: skip
    orders = json.loads((tmp_path / "package" / "shop.orders.json").read_text("utf-8"))
    assert {row["placed_on"] for row in orders["rows"]} == {"2026-01-15"}
    with (tmp_path / "package" / "shop.order_lines.csv").open(encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["id", "order_id", "product"] and len(lines) == 4
    # Working files are gone; only what the person receives is left.
    assert sorted(p.name for p in (tmp_path / "package").iterdir()) == sorted(
        name for f in files for name in (f.json_path.name, f.csv_path.name)
    )


def test_other_people_are_redacted_where_declared_and_the_person_is_not(
    shop_declaration: Declaration, shop_url: str, tmp_path: Path
) -> None:
    export = RowsExport(tmp_path / "package", shop_declaration, _redact)
    connector = SqlConnector(shop_url, name="shop")
    try:
        locate(
            plan_for(shop_declaration), {"shop": connector}, {"email": [shop.ALICE["email"]]},
            on_row=export.add,
        )  # fmt: skip
    finally:
        connector.close()
    export.finish()
    refunds = json.loads((tmp_path / "package" / "shop.refunds.json").read_text("utf-8"))
    # refunds.reason is declared third_parties: redact; the person's own name is kept.
    assert refunds["rows"][0]["reason"] == "broken cup, says Alice Martin"
    tickets = json.loads((tmp_path / "package" / "shop.tickets.json").read_text("utf-8"))
    assert tickets["rows"][0]["body"] == "Bonjour, <PERSON> m'a dit d'écrire ici."
    # A field not declared third_parties: redact is exported as it is.
    customers = json.loads((tmp_path / "package" / "shop.customers.json").read_text("utf-8"))
    assert customers["rows"][0]["full_name"] == "Alice Martin"


def test_a_failed_export_leaves_no_working_file(
    shop_declaration: Declaration, tmp_path: Path
) -> None:
    export = RowsExport(tmp_path / "package", shop_declaration, _redact)
    plan = plan_for(shop_declaration).collections[("shop", "tickets")]
    export.add(plan, {"id": 1, "customer_id": 1, "body": "x"})
    export.abort()
    assert list((tmp_path / "package").iterdir()) == []
