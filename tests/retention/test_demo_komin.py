"""Komin's demo database under the retention rules its policy promises, on the store's backend.

At the demo's reference moment, the plan counts, per bound collection, what a query
written here counts; a sweep then archives the closed accounts (their rows following
them down, invoices and payments kept under their legal hold), destroys the cookies
past 13 months, and leaves every other row byte for byte as it was. Five years on,
the archive is purged.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, select, text

from gardien.declaration import Declaration, load, load_valid
from gardien.declaration.models import RetentionEvent
from gardien.declaration.rules import covered_by_retention
from gardien.declaration.values import Duration, DurationUnit
from gardien.demo import REFERENCE, DemoResult, build
from gardien.retention import (
    PlannedSweep,
)
from gardien.store import Store
from gardien.vault import Vault
from retention_demos import plan_at, run_at

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "komin.yaml"
DATASTORE = "komin_site"
#: The demo's "now", as the retention room takes it: an aware UTC moment.
NOW = REFERENCE.replace(tzinfo=dt.UTC)
#: The cookies' cutoff at REFERENCE (2025-06-30 18:00): the latest deposit whose 13 months,
#: by the calendar, are over. 31 May 2024 + 13 months folds into 30 June 2025, so a
#: cookie deposited that day at 18:00 or before has lived its 13 months: it goes now.
COOKIE_CUTOFF = dt.datetime(2024, 5, 31, 18, 0)
#: 13 months before REFERENCE + 30 days (2025-07-30 18:00): cookies falling due within 30 days.
COOKIE_SOON = dt.datetime(2024, 6, 30, 18, 0)
LEASE = dt.timedelta(seconds=60)
Tables = dict[str, dict[Any, dict[str, Any]]]


@pytest.fixture
def demo(store: Store, tmp_path: Path) -> Iterator[DemoResult]:
    """Komin, 200 people, seed 1, on the backend of the store under test (PostgreSQL: a
    fresh schema of its own, dropped afterwards)."""
    if store.engine.dialect.name == "sqlite":
        yield build(tmp_path / "demo", "komin", people=200, seed=1)
        return
    assert POSTGRES_URL is not None
    base = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"komin_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        yield build(tmp_path / "demo", "komin", people=200, seed=1, url=url)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def declaration(demo: DemoResult) -> Declaration:
    return load_valid(demo.declaration)


def _count(demo: DemoResult, query: str, **values: Any) -> int:
    engine = create_engine(demo.database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(query), values).scalar_one())
    finally:
        engine.dispose()


def _tables(demo: DemoResult) -> Tables:
    """Every row of every table of the demo database, by key, as column → value."""
    engine = create_engine(demo.database_url)
    try:
        with engine.connect() as conn:
            return {
                table.name: {row.id: dict(row._mapping) for row in conn.execute(select(table))}
                for table in demo.company.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_each_collection_follows_the_rule_the_policy_gives_its_data() -> None:
    declaration = load(EXAMPLE)
    store = declaration.datastores[DATASTORE]
    bound = {
        name: collection.retention
        for name, collection in store.collections.items()
        if collection.retention is not None
    }
    assert set(bound) == {"accounts", "cookies"}

    # "We will only keep your personal data for as long as you register on the Site […]
    # if you unsubscribe from the Site, your personal data will be deleted and only kept
    # in archival form for the purposes of establishing proof of a right or contract."
    accounts = bound["accounts"]
    assert accounts is not None
    assert (accounts.rule, accounts.anchor) == ("account", "closed_at")
    assert accounts.archive is not None and accounts.archive.collection == "accounts_archive"
    account = declaration.retention["account"]
    assert account.duration is None and account.until is RetentionEvent.ACCOUNT_DELETION
    assert account.archive is not None  # its length, 5 years, is the example's invention
    assert account.archive.duration == Duration(5, DurationUnit.YEARS)

    # "cookies deposited on your browsing terminal with your consent are destroyed 13
    # months after they are deposited on your terminal."
    cookies = bound["cookies"]
    assert cookies is not None
    assert (cookies.rule, cookies.anchor) == ("cookies_13_months", "deposited_at")
    rule = declaration.retention["cookies_13_months"]
    assert rule.duration == Duration(13, DurationUnit.MONTHS)
    assert rule.after is RetentionEvent.DEPOSIT and rule.archive is None
    assert rule.duration.in_months() <= 13, "the CNIL's and the policy's 13 months at most"

    # Every other collection holding personal data follows a bound one down (invoices and
    # payments through their subscription, under their 10-year legal hold).
    personal = {
        name
        for name, collection in store.collections.items()
        if any(field.categories for field in collection.fields.values())
    }
    assert personal <= covered_by_retention(declaration, DATASTORE)
    for held in ("invoices", "payments"):
        hold = store.collections[held].legal_hold
        assert hold is not None and hold.duration == Duration(10, DurationUnit.YEARS)


def test_the_plan_counts_what_a_query_counts(declaration: Declaration, demo: DemoResult) -> None:
    plan = _plan(declaration, demo, NOW)
    assert set(plan) == {
        "komin_site.accounts:archive",
        "komin_site.accounts_archive:purge-archive",
        "komin_site.cookies:delete",
    }
    now = REFERENCE  # the columns are naive, UTC
    closed = _count(
        demo, "SELECT count(*) FROM accounts WHERE closed_at IS NOT NULL AND closed_at <= :now",
        now=now,
    )  # fmt: skip
    registered = _count(demo, "SELECT count(*) FROM accounts WHERE closed_at IS NULL")
    accounts = plan["komin_site.accounts:archive"]
    assert accounts.due == closed and accounts.soon == 0
    assert closed > 0 and registered > 0  # some due, some not
    assert accounts.cutoff == NOW  # "until" the holder unsubscribes: due from then on

    old = _count(
        demo, "SELECT count(*) FROM cookies WHERE deposited_at <= :cutoff", cutoff=COOKIE_CUTOFF
    )
    recent = _count(
        demo, "SELECT count(*) FROM cookies WHERE deposited_at > :cutoff", cutoff=COOKIE_CUTOFF
    )
    soon = _count(
        demo,
        "SELECT count(*) FROM cookies WHERE deposited_at > :cutoff AND deposited_at <= :soon",
        cutoff=COOKIE_CUTOFF, soon=COOKIE_SOON,
    )  # fmt: skip
    cookies = plan["komin_site.cookies:delete"]
    assert (cookies.due, cookies.soon) == (old, soon)
    assert old > 0 and recent > 0
    assert cookies.cutoff == COOKIE_CUTOFF.replace(tzinfo=dt.UTC)

    # Nothing is archived yet: the archive is empty until a sweep fills it.
    archive = plan["komin_site.accounts_archive:purge-archive"]
    assert archive.due == 0 == _count(demo, "SELECT count(*) FROM accounts_archive")
    assert all(not p.held_by for p in plan.values())


def test_a_sweep_archives_closed_accounts_and_destroys_old_cookies_and_nothing_else(
    store: Store, vault: Vault, declaration: Declaration, demo: DemoResult
) -> None:
    before = _tables(demo)
    closed = {k for k, row in before["accounts"].items() if row["closed_at"] is not None}
    old_cookies = {k for k, r in before["cookies"].items() if r["deposited_at"] <= COOKIE_CUTOFF}

    totals = _sweep(store, vault, declaration, demo, NOW)
    after = _tables(demo)

    # The closed accounts moved to the archive, their declared columns as they were.
    declared = list(declaration.datastores[DATASTORE].collections["accounts"].fields)
    assert closed and not closed & set(after["accounts"])
    assert set(after["accounts_archive"]) == closed
    for key in closed:
        assert after["accounts_archive"][key] == {c: before["accounts"][key][c] for c in declared}
    assert totals["komin_site.accounts:archive"]["archived"] == len(closed)
    assert totals["komin_site.accounts:archive"]["deleted"] == len(closed)

    # What hung on them went with them: workspace, subscriptions, notification preferences
    # and the e-mails sent, cookies, support requests.
    gone: dict[str, set[Any]] = {"accounts": closed}
    gone["workspaces"] = _where(before["workspaces"], "owner_id", closed)
    for table in ("subscriptions", "notification_preferences", "cookies", "support_requests"):
        gone[table] = _where(before[table], "account_id", closed)
    gone["notifications_sent"] = _where(
        before["notifications_sent"], "preference_id", gone["notification_preferences"]
    )
    # And every cookie past its 13 months, a visitor's or an account's.
    gone["cookies"] |= old_cookies
    for table, keys in gone.items():
        assert keys, table
        assert not keys & set(after[table]), f"{table}: due rows left"

    # Their invoices and payments stay under the 10-year legal hold: the accounting
    # columns kept, the card details erased, the invoice detached from the subscription.
    invoices = _where(before["invoices"], "subscription_id", gone["subscriptions"])
    payments = _where(before["payments"], "invoice_id", invoices)
    assert invoices and payments
    for key in invoices:
        kept = after["invoices"][key]
        assert kept == {**before["invoices"][key], "subscription_id": None}
    for key in payments:
        kept = after["payments"][key]
        cleared = ("card_holder", "card_last4", "card_expiry", "mobile_carrier", "phone_model")
        assert kept == {**before["payments"][key], **dict.fromkeys(cleared)}

    # Every other row is byte for byte what it was.
    changed = {"invoices": invoices, "payments": payments}
    for table, rows in before.items():
        if table == "accounts_archive":
            continue
        untouched = set(rows) - gone.get(table, set()) - changed.get(table, set())
        assert untouched, table
        assert {k: after[table][k] for k in untouched} == {k: rows[k] for k in untouched}
        assert set(after[table]) == untouched | changed.get(table, set()), table

    # Nothing is due any more.
    plan = _plan(declaration, demo, NOW)
    assert [p.due for p in plan.values()] == [0, 0, 0]


def test_the_archive_is_purged_five_years_after_the_account_was_closed(
    store: Store, vault: Vault, declaration: Declaration, demo: DemoResult
) -> None:
    _sweep(store, vault, declaration, demo, NOW)
    archived = _count(demo, "SELECT count(*) FROM accounts_archive")
    assert archived > 0
    # Four years on, only the accounts closed more than a year before REFERENCE are due.
    four_years = NOW.replace(year=NOW.year + 4)
    closed_before = _count(
        demo, "SELECT count(*) FROM accounts_archive WHERE closed_at <= :limit",
        limit=REFERENCE.replace(year=REFERENCE.year - 1),
    )  # fmt: skip
    purge = "komin_site.accounts_archive:purge-archive"
    assert _plan(declaration, demo, four_years)[purge].due == closed_before < archived
    # Five years on, every account archived at REFERENCE is due, and the sweep purges them.
    five_years = NOW.replace(year=NOW.year + 5)
    assert _plan(declaration, demo, five_years)[purge].due == archived
    totals = _sweep(store, vault, declaration, demo, five_years)
    assert totals[purge]["deleted"] == archived
    assert _count(demo, "SELECT count(*) FROM accounts_archive") == 0


def _where(rows: Mapping[Any, Mapping[str, Any]], column: str, values: set[Any]) -> set[Any]:
    return {key for key, row in rows.items() if row[column] in values}


def _plan(declaration: Declaration, demo: DemoResult, now: dt.datetime) -> dict[str, PlannedSweep]:
    return plan_at(declaration, demo, now)


def _sweep(
    store: Store, vault: Vault, declaration: Declaration, demo: DemoResult, now: dt.datetime
) -> dict[str, dict[str, int]]:
    return run_at(store, vault, declaration, demo, now, batch_rows=50)
