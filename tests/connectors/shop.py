"""A small company database for the connectors' tests: a shop, with every shape requests meet.

customers (identity email, phone) ← orders ← order_lines ← refunds: a chain of
three hops; devices (identity device_id) point at their customer and are
followed up from it; teams are owned by a customer (teams.owner_id, followed
down) and customers belong to a team (customers.team_id, followed `none`): the
cycle. tickets hold free text. A table of audit events (`events`) is left
undeclared to be found by `datastores check`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
)

metadata = MetaData()
teams = Table(
    "teams", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100)),
    Column("owner_id", Integer, ForeignKey("customers.id", use_alter=True), index=True),
)  # fmt: skip
customers = Table(
    "customers", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(200), unique=True),
    Column("phone", String(40), index=True),
    Column("full_name", String(200)),
    Column("team_id", Integer, ForeignKey("teams.id"), index=True),
)  # fmt: skip
devices = Table(
    "devices", metadata,
    Column("id", Integer, primary_key=True),
    Column("device_uuid", String(36), index=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), index=True),
)  # fmt: skip
orders = Table(
    "orders", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    Column("placed_on", Date),
)  # fmt: skip
order_lines = Table(
    "order_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), index=True),
    Column("product", String(100), nullable=False),
)  # fmt: skip
refunds = Table(
    "refunds", metadata,
    Column("id", Integer, primary_key=True),
    Column("line_id", Integer, ForeignKey("order_lines.id"), index=True),
    Column("reason", Text),
)  # fmt: skip
tickets = Table(
    "tickets", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    Column("body", Text),
)  # fmt: skip
events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("ip_address", String(45)),
)  # fmt: skip


ALICE = {"email": "alice@example.com", "phone": "+33612345678", "device_id": "dev-alice-1"}


def rows() -> dict[str, list[dict[str, Any]]]:
    """Alice (customer 1) owns team 1 and is in team 2; Bob (2) owns team 2 and is in team 1."""
    day = dt.date(2026, 1, 15)
    return {
        "teams": [
            {"id": 1, "name": "Alice's team", "owner_id": 1},
            {"id": 2, "name": "Bob's team", "owner_id": 2},
        ],
        "customers": [
            {"id": 1, "email": ALICE["email"], "phone": ALICE["phone"],
             "full_name": "Alice Martin", "team_id": 2},
            {"id": 2, "email": "bob@example.com", "phone": "+33698765432",
             "full_name": "Bob Durand", "team_id": 1},
            {"id": 3, "email": "carol@example.com", "phone": None,
             "full_name": "Carol Petit", "team_id": 1},
        ],
        "devices": [
            {"id": 1, "device_uuid": ALICE["device_id"], "customer_id": 1},
            {"id": 2, "device_uuid": "dev-bob-1", "customer_id": 2},
        ],
        "orders": [
            {"id": 10, "customer_id": 1, "placed_on": day},
            {"id": 11, "customer_id": 1, "placed_on": day},
            {"id": 12, "customer_id": 2, "placed_on": day},
        ],
        "order_lines": [
            {"id": 100, "order_id": 10, "product": "tea"},
            {"id": 101, "order_id": 10, "product": "cup"},
            {"id": 102, "order_id": 11, "product": "pot"},
            {"id": 103, "order_id": 12, "product": "tea"},
        ],
        "refunds": [
            {"id": 1000, "line_id": 101, "reason": "broken cup, says Alice Martin"},
            {"id": 1001, "line_id": 103, "reason": "Bob changed his mind"},
        ],
        "tickets": [
            {"id": 1, "customer_id": 1, "body": "Bonjour, Bob Durand m'a dit d'écrire ici."},
            {"id": 2, "customer_id": 3, "body": "Carol: where is my order?"},
        ],
        "events": [{"id": 1, "ip_address": "203.0.113.9"}],
    }  # fmt: skip


#: What Alice's request must find: (collection, primary keys).
ALICE_ROWS = {
    "customers": [1],
    "devices": [1],
    "teams": [1],
    "orders": [10, 11],
    "order_lines": [100, 101, 102],
    "refunds": [1000],
    "tickets": [1],
}


def create(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        data = rows()
        # Customers before teams would break teams.owner_id, teams before customers
        # customers.team_id: insert teams without owners, then set them.
        conn.execute(insert(teams), [{**t, "owner_id": None} for t in data["teams"]])
        for name in ("customers", "devices", "orders", "order_lines", "refunds", "tickets",
                     "events"):  # fmt: skip
            conn.execute(insert(metadata.tables[name]), data[name])
        for team in data["teams"]:
            conn.execute(
                teams.update().where(teams.c.id == team["id"]).values(owner_id=team["owner_id"])
            )


def datastore(url: str | dict[str, str]) -> dict[str, Any]:
    """The declaration's datastores entry for the shop at ``url`` (or ``{$env: NAME}``)."""

    def ref(collection: str, field: str = "id", follow: str | None = None) -> dict[str, Any]:
        reference: dict[str, Any] = {"collection": collection, "field": field}
        if follow is not None:
            reference["follow"] = follow
        return {"references": reference}

    return {
        "url": url,
        "collections": {
            "customers": {"fields": {
                "id": {"primary_key": True},
                "email": {"categories": ["user.contact.email"], "identity": "email"},
                "phone": {"categories": ["user.contact.phone_number"], "identity": "phone"},
                "full_name": {"categories": ["user.name"]},
                "team_id": ref("teams", follow="none"),
            }},
            "teams": {"fields": {
                "id": {"primary_key": True},
                "name": {},
                "owner_id": ref("customers"),
            }},
            "devices": {"fields": {
                "id": {"primary_key": True},
                "device_uuid": {"categories": ["user.device.device_id"], "identity": "device_id"},
                "customer_id": ref("customers", follow="both"),
            }},
            "orders": {"fields": {
                "id": {"primary_key": True},
                "customer_id": ref("customers"),
                "placed_on": {},
            }},
            "order_lines": {"fields": {
                "id": {"primary_key": True},
                "order_id": ref("orders"),
                "product": {},
            }},
            "refunds": {"fields": {
                "id": {"primary_key": True},
                "line_id": ref("order_lines"),
                "reason": {"categories": ["user.content"], "erasure": "redact",
                           "third_parties": "redact"},
            }},
            "tickets": {"fields": {
                "id": {"primary_key": True},
                "customer_id": ref("customers"),
                "body": {"categories": ["user.content"], "erasure": "redact",
                         "third_parties": "redact"},
            }},
        },
    }  # fmt: skip


#: The environment variable the test declarations take the shop's URL from.
SHOP_URL_VARIABLE = "SHOP_DATABASE_URL"


def with_shop(data: dict[str, Any]) -> None:
    """The starter declaration, describing the shop (its URL from $SHOP_DATABASE_URL)."""
    for key in ("user.contact.phone_number", "user.device.device_id", "user.content"):
        data["data_categories"].setdefault(key, {})
    data["datastores"] = {"shop": datastore({"$env": SHOP_URL_VARIABLE})}
