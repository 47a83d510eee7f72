"""Rectification: a new value in every declared field it goes in, on the person's rows only."""

from __future__ import annotations

import pytest
import shop

from gardien.connectors import SqlConnector, locate, plan_for
from gardien.connectors.rectify import rectification_targets, rectify
from gardien.declaration import Declaration
from gardien.errors import ConnectorError


def test_a_category_and_a_field_are_rectified_on_the_persons_rows(
    shop_declaration: Declaration, shop_url: str
) -> None:
    connector = SqlConnector(shop_url, name="shop")
    try:
        where = locate(
            plan_for(shop_declaration), {"shop": connector}, {"email": [shop.ALICE["email"]]}
        )
        done = rectify(
            shop_declaration, {"shop": connector}, where,
            {"user.name": "Alice Dupont", "shop.order_lines.product": "green tea"},
        )  # fmt: skip
        names = {
            row["id"]: row["full_name"]
            for row in connector.rows_where("customers", "id", [1, 2, 3], ["id", "full_name"])
        }
        products = {
            row["id"]: row["product"]
            for row in connector.rows_where("order_lines", "id", [100, 103], ["id", "product"])
        }
    finally:
        connector.close()
    assert {(d.collection, d.field, d.rows) for d in done} == {
        ("customers", "full_name", 1), ("order_lines", "product", 3)
    }  # fmt: skip
    assert names == {1: "Alice Dupont", 2: "Bob Durand", 3: "Carol Petit"}
    assert products == {100: "green tea", 103: "tea"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("user.biometric", "neither a declared field"),
        ("shop.customers.nickname", "neither a declared field"),
        ("alice@example.com", "given is neither"),
        ("shop.orders.customer_id", "is a key or a reference"),
        ("shop.customers.id", "is a key or a reference"),
    ],
)
def test_a_target_that_goes_nowhere_is_refused_before_anything_is_written(
    shop_declaration: Declaration, name: str, message: str
) -> None:
    with pytest.raises(ConnectorError, match=message) as refused:
        rectification_targets(shop_declaration, {name: "x"})
    assert "alice@example.com" not in refused.value.message
