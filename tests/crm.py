"""A small CRM whose rows sit one second either side of their retention limits.

``NOW`` is the clock of every test. Declared rules (the starter's):
``prospects`` (3 years after the last contact) on accounts, whose orders,
order lines, logins and notes follow them down; ``logs`` (1 year) deletes
logins and anonymises notes (body redacted, author e-mail cleared);
``invoices`` (1 year, then 10 years archived) moves invoices to
``invoices_archive``. Payments are under a 10-year legal hold from their
date, so an account with a recent payment is emptied, never deleted.

People: Alice (due, but a payment holds her account), Bob (one second short of
due), Carol (due: everything of hers goes, her invoice detached then
archived, her team kept without its owner), Dan (recent; his old login and
note are due).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

NOW = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.UTC)
URL_VARIABLE = "CRM_DATABASE_URL"
SECOND = dt.timedelta(seconds=1)


def ago(**period: int) -> dt.datetime:
    """NOW minus a calendar period (years, months, days), naive UTC as the tables hold it."""
    years = period.pop("years", 0)
    moment = NOW.replace(year=NOW.year - years) - dt.timedelta(**period)
    return moment.replace(tzinfo=None)


metadata = MetaData()
teams = Table(
    "teams", metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, ForeignKey("accounts.id", use_alter=True), nullable=True),
    Column("label", String(50)),
)  # fmt: skip
accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(100), unique=True, nullable=True),
    Column("name", String(100)),
    Column("last_contact_at", DateTime, index=True),
)  # fmt: skip
orders = Table(
    "orders", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), index=True),
    Column("placed_at", DateTime),
)  # fmt: skip
order_lines = Table(
    "order_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), index=True),
    Column("product", String(100), nullable=False),
)  # fmt: skip
payments = Table(
    "payments", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), index=True),
    Column("paid_on", Date, nullable=False),
    Column("payer_name", String(100)),
)  # fmt: skip
invoices = Table(
    "invoices", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), index=True, nullable=True),
    Column("issued_on", Date, index=True),
    Column("amount", Integer),
)  # fmt: skip
invoices_archive = Table(
    "invoices_archive", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=True),
    Column("issued_on", Date, index=True),
    Column("amount", Integer),
)  # fmt: skip
logins = Table(
    "logins", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), index=True),
    Column("ip", String(45)),
    Column("at", DateTime, index=True),
)  # fmt: skip
notes = Table(
    "notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), index=True),
    Column("body", Text),
    Column("author_email", String(100)),
    Column("created_at", DateTime, index=True),
)  # fmt: skip

THREE_YEARS = ago(years=3)
ONE_YEAR = ago(years=1)


def rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "accounts": [
            {"id": 1, "email": "alice@example.com", "name": "Alice Martin",
             "last_contact_at": THREE_YEARS - SECOND},
            {"id": 2, "email": "bob@example.com", "name": "Bob Durand",
             "last_contact_at": THREE_YEARS + SECOND},
            {"id": 3, "email": "carol@example.com", "name": "Carol Petit",
             "last_contact_at": THREE_YEARS - SECOND},
            {"id": 4, "email": "dan@example.com", "name": "Dan Roux",
             "last_contact_at": ago(days=3)},
        ],
        "teams": [{"id": 1, "owner_id": 3, "label": "blue"},
                  {"id": 2, "owner_id": 4, "label": "green"}],
        "orders": [
            {"id": 10, "account_id": 1, "placed_at": ago(years=4)},
            {"id": 11, "account_id": 3, "placed_at": ago(years=4)},
            {"id": 12, "account_id": 3, "placed_at": ago(years=3, days=2)},
            {"id": 13, "account_id": 4, "placed_at": ago(days=3)},
        ],
        "order_lines": [
            {"id": 100, "order_id": 10, "product": "teapot"},
            {"id": 101, "order_id": 11, "product": "cup"},
            {"id": 102, "order_id": 12, "product": "saucer"},
            {"id": 103, "order_id": 13, "product": "kettle"},
        ],
        "payments": [
            {"id": 50, "account_id": 1, "paid_on": ago(years=2).date(),
             "payer_name": "Alice Martin"},
            {"id": 51, "account_id": 4, "paid_on": ago(days=3).date(), "payer_name": "Dan Roux"},
        ],
        "invoices": [
            {"id": 60, "account_id": 3, "issued_on": (ONE_YEAR - dt.timedelta(days=1)).date(),
             "amount": 120},
            {"id": 61, "account_id": 4, "issued_on": (ONE_YEAR + dt.timedelta(days=1)).date(),
             "amount": 80},
        ],
        "invoices_archive": [
            {"id": 5, "account_id": None,
             "issued_on": (ago(years=11) - dt.timedelta(days=1)).date(), "amount": 10},
            {"id": 6, "account_id": None,
             "issued_on": (ago(years=11) + dt.timedelta(days=1)).date(), "amount": 20},
        ],
        "logins": [
            {"id": 30, "account_id": 4, "ip": "192.0.2.30", "at": ONE_YEAR - SECOND},
            {"id": 31, "account_id": 4, "ip": "192.0.2.31", "at": ONE_YEAR + SECOND},
            {"id": 32, "account_id": 3, "ip": "192.0.2.32", "at": ago(days=10)},
        ],
        "notes": [
            {"id": 40, "account_id": 4, "body": "Dan Roux asked Jean Dupont for a refund",
             "author_email": "agent@example.com", "created_at": ONE_YEAR - SECOND},
            {"id": 41, "account_id": 4, "body": "Dan Roux called back",
             "author_email": "agent@example.com", "created_at": ONE_YEAR + SECOND},
        ],
    }  # fmt: skip


def create(engine: Engine) -> None:
    metadata.create_all(engine)
    data = rows()
    with engine.begin() as conn:
        for table in ("accounts", "orders", "order_lines", "payments", "invoices",
                      "invoices_archive", "logins", "notes", "teams"):  # fmt: skip
            conn.execute(metadata.tables[table].insert(), data[table])


def ref(collection: str, follow: str = "down") -> dict[str, Any]:
    return {"references": {"collection": collection, "field": "id", "follow": follow}}


def with_crm(data: dict[str, Any]) -> None:
    """The starter declaration, with the CRM as a datastore bound to its rules."""
    data["datastores"] = {
        "crm": {
            "url": {"$env": URL_VARIABLE},
            "collections": {
                "accounts": {
                    "erasure": "delete_row",
                    "retention": {"rule": "prospects", "anchor": "last_contact_at"},
                    "fields": {
                        "id": {"primary_key": True, "identity": "user_id"},
                        "email": {"categories": ["user.contact.email"], "identity": "email"},
                        "name": {"categories": ["user.name"]},
                        "last_contact_at": {},
                    },
                },
                "teams": {"fields": {"id": {"primary_key": True},
                                     "owner_id": ref("accounts", "none"), "label": {}}},
                "orders": {"fields": {"id": {"primary_key": True},
                                      "account_id": ref("accounts"), "placed_at": {}}},
                "order_lines": {"fields": {"id": {"primary_key": True},
                                           "order_id": ref("orders"),
                                           "product": {"erasure": "anonymise"}}},
                "payments": {
                    "legal_hold": {
                        "reason": {"fr": "Code de commerce, art. L123-22",
                                   "en": "Commercial Code, art. L123-22"},
                        "duration": "10 years", "anchor": "paid_on",
                    },
                    "fields": {"id": {"primary_key": True},
                               "account_id": {**ref("accounts"), "erasure": "keep"},
                               "paid_on": {"erasure": "keep"},
                               "payer_name": {"categories": ["user.name"]}},
                },
                "invoices": {
                    "retention": {"rule": "invoices", "anchor": "issued_on",
                                  "archive": {"collection": "invoices_archive"}},
                    "fields": {"id": {"primary_key": True},
                               "account_id": ref("accounts", "none"),
                               "issued_on": {}, "amount": {"categories": ["user.payment"]}},
                },
                "logins": {
                    "retention": {"rule": "logs", "anchor": "at"},
                    "fields": {"id": {"primary_key": True}, "account_id": ref("accounts"),
                               "ip": {"categories": ["user.device.ip_address"]}, "at": {}},
                },
                "notes": {
                    "retention": {"rule": "logs", "anchor": "created_at",
                                  "fields": ["body", "author_email"]},
                    "fields": {"id": {"primary_key": True}, "account_id": ref("accounts"),
                               "body": {"categories": ["user.content.support_request"],
                                        "erasure": "redact"},
                               "author_email": {"categories": ["user.contact.email"]},
                               "created_at": {}},
                },
            },
        }
    }  # fmt: skip


def by_event(data: dict[str, Any]) -> None:
    """``with_crm``, the accounts bound instead to a rule that runs 30 days from the
    account's deletion, an event gardien is told about (``record_event``)."""
    data["retention"]["deleted_accounts"] = {
        "duration": "30 days", "after": "account_deletion", "then": "delete",
    }  # fmt: skip
    data["datastores"]["crm"]["collections"]["accounts"]["retention"] = {
        "rule": "deleted_accounts", "event": "account_deletion",
    }  # fmt: skip
