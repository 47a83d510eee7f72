"""The AMIKEO demo bound to the retention its policy promises, planned and swept at the
demo's reference moment, then years later for the payments' archive.

The policy ("Privacy policy for Auticiel's AMIKEO applications (Individuals)") gives two
periods: contract data "shall be retained until the contract is fully performed", and
the app's UUID "is deleted when the User deletes the Application". ``accounts`` is bound
to the first from ``closed_at``, ``devices`` to the second from ``uninstalled_at``, and
``payments`` to ``payment_records`` (the contract's rule, then ten years archived in
``payments_archive``: invented by the example, the Commercial Code's ten years) from
``contract_ended_at``. Everything else follows a bound table down. NULL: not yet.
Counts are checked against SQL written here, not against gardien's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from gardien.declaration import Declaration, load_valid
from gardien.declaration.models import RetentionAction, RetentionEvent
from gardien.declaration.values import Duration, DurationUnit
from gardien.demo import DemoResult, build
from gardien.demo.people import REFERENCE
from gardien.retention import (
    PlannedSweep,
)
from gardien.store import Store
from gardien.vault import Vault
from retention_demos import ids as _ids
from retention_demos import plan_at, run_at
from retention_demos import rows_by_id as _tables
from retention_demos import scalar as _scalar
from retention_demos import sql_in as _in

#: The demo's "now" (2025-06-30 18:00), as the aware UTC moment a run is for.
NOW = REFERENCE.replace(tzinfo=dt.UTC)
#: Ten calendar years before it: a payment made after this is under its legal hold.
HOLD_START = REFERENCE.replace(year=REFERENCE.year - 10)
DATASTORE = "amikeo_app"
ACCOUNTS = f"{DATASTORE}.accounts:delete"
DEVICES = f"{DATASTORE}.devices:delete"
PAYMENTS = f"{DATASTORE}.payments:archive"
PURGE = f"{DATASTORE}.payments_archive:purge-archive"
LEASE = dt.timedelta(seconds=60)
TEN_YEARS = Duration(10, DurationUnit.YEARS)

#: The collections not bound themselves, and the references (followed down) by which each
#: follows a bound or covered parent.
FOLLOWS = {
    "child_profiles": {"account_id": "accounts"},
    "subscriptions": {"account_id": "accounts"},
    "support_requests": {"account_id": "accounts"},
    "sessions": {"device_id": "devices", "child_id": "child_profiles"},
    "activity_events": {"session_id": "sessions"},
}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """A demo the tests that change nothing share."""
    return build(tmp_path_factory.mktemp("amikeo") / "demo", "amikeo", people=200, seed=1)


@pytest.fixture
def engine(shared: DemoResult) -> Iterator[Engine]:
    made = create_engine(shared.database_url)
    yield made
    made.dispose()


def test_each_table_is_bound_to_the_rule_the_policy_promises(shared: DemoResult) -> None:
    declaration = load_valid(shared.declaration)
    collections = declaration.datastores[DATASTORE].collections
    bound = {name: c.retention for name, c in collections.items() if c.retention is not None}
    assert set(bound) == {"accounts", "devices", "payments"}

    # "Additional information on shelf life": "Personal Data collected for purposes related
    # to the performance of a contract between the Owner and the User shall be retained
    # until the contract is fully performed." The account is that contract.
    accounts = bound["accounts"]
    assert accounts is not None
    assert (accounts.rule, accounts.anchor, accounts.fields, accounts.archive) == (
        "until_contract_performed", "closed_at", (), None,
    )  # fmt: skip
    rule = declaration.retention[accounts.rule]
    assert rule.until is RetentionEvent.CONTRACT_END
    assert rule.duration is None and rule.archive is None
    # "Once the retention period has expired, the Personal Data will be deleted."
    assert rule.then is RetentionAction.DELETE
    for purpose in ("registration", "support_requests", "activity_data", "hosting"):
        assert declaration.purposes[purpose].retention == "until_contract_performed"

    # "User identification by means of a Universal Unique Identifier (UUID)": "This
    # identifier is generated when the Application is installed. It persists between each
    # launch and update of the Application, but is deleted when the User deletes the
    # Application."
    devices = bound["devices"]
    assert devices is not None
    assert (devices.rule, devices.anchor, devices.fields, devices.archive) == (
        "until_app_uninstalled", "uninstalled_at", (), None,
    )  # fmt: skip
    rule = declaration.retention[devices.rule]
    assert rule.until is RetentionEvent.APP_UNINSTALL
    assert rule.duration is None and rule.archive is None
    assert rule.then is RetentionAction.DELETE
    assert declaration.purposes["monitoring"].retention == "until_app_uninstalled"

    # Payments: "retained until the contract is fully performed", and "the Owner may be
    # obliged to retain Personal Data for a longer period whenever this is required to
    # satisfy a legal obligation": ten years archived (the example's INVENTED period, the
    # Commercial Code's, art. L123-22), then deleted.
    payments = bound["payments"]
    assert payments is not None and payments.archive is not None
    assert (payments.rule, payments.anchor, payments.fields) == (
        "payment_records", "contract_ended_at", (),
    )  # fmt: skip
    assert (payments.archive.collection, payments.archive.datastore) == ("payments_archive", None)
    rule = declaration.retention[payments.rule]
    assert rule.until is RetentionEvent.CONTRACT_END and rule.duration is None
    assert rule.archive is not None and rule.archive.duration == TEN_YEARS
    assert rule.then is RetentionAction.DELETE
    assert declaration.purposes["payments"].retention == "payment_records"
    # The archive holds the payments' declared columns, under the same ten-year hold.
    archive = collections["payments_archive"]
    assert list(archive.fields) == list(collections["payments"].fields)
    for held in (collections["payments"], archive):
        assert held.legal_hold is not None
        assert (held.legal_hold.anchor, held.legal_hold.duration) == ("paid_at", TEN_YEARS)

    # Every other table holding personal data follows a bound one down.
    for name, references in FOLLOWS.items():
        for field, parent in references.items():
            reference = collections[name].fields[field].references
            assert reference is not None and reference.collection == parent, name
            assert reference.follow.down, name
    personal = {
        table.name
        for table in shared.company.metadata.sorted_tables
        if any(column.info.get("personal") for column in table.columns)
    }
    assert personal == {*bound, *FOLLOWS, "payments_archive"}


def test_the_plan_at_the_reference_moment_matches_an_independent_count(
    shared: DemoResult, engine: Engine
) -> None:
    declaration = load_valid(shared.declaration)
    before = _tables(engine, shared)
    planned = _plan(declaration, shared, NOW)
    assert _tables(engine, shared) == before  # a dry run changes nothing
    assert list(planned) == [PURGE, ACCOUNTS, DEVICES, PAYMENTS]  # archives purged first
    soon = REFERENCE + dt.timedelta(days=30)

    # Until an event: the cutoff is the moment itself, a row is due once its event happened.
    for sweep, table, anchor in (
        (ACCOUNTS, "accounts", "closed_at"),
        (DEVICES, "devices", "uninstalled_at"),
    ):
        found = planned[sweep]
        assert (found.sweep.collection, found.sweep.anchor, found.cutoff) == (table, anchor, NOW)
        due = _scalar(engine, f"SELECT count(*) FROM {table} WHERE {anchor} <= :c", c=REFERENCE)
        oldest = _scalar(engine, f"SELECT min({anchor}) FROM {table} WHERE {anchor} <= :c",
                         c=REFERENCE)  # fmt: skip
        later = _scalar(
            engine, f"SELECT count(*) FROM {table} WHERE {anchor} > :c AND {anchor} <= :s",
            c=REFERENCE, s=soon,
        )  # fmt: skip
        assert found.due == due
        assert str(found.oldest) == str(oldest)
        assert found.soon == later == 0  # the demo's events are all in its past
        assert found.held_by == ()
        # Some rows are due, most are not (the known person's among them).
        waiting = _ids(engine, f"SELECT id FROM {table} WHERE {anchor} IS NULL")
        assert 0 < due < len(waiting)
        assert due + len(waiting) == len(before[table])
    assert 1 in _ids(engine, "SELECT id FROM accounts WHERE closed_at IS NULL")
    known_devices = _ids(engine, "SELECT id FROM devices WHERE account_id = 1")
    assert len(known_devices) == 2
    assert known_devices <= _ids(engine, "SELECT id FROM devices WHERE uninstalled_at IS NULL")

    # Payments: those whose contract is over go to the archive now, under their legal hold
    # still (the archive keeps them, under the same hold); the others stay.
    payments = planned[PAYMENTS]
    assert payments.cutoff == NOW
    ended = _scalar(
        engine, "SELECT count(*) FROM payments WHERE contract_ended_at <= :c", c=REFERENCE
    )
    held = _scalar(
        engine,
        "SELECT count(*) FROM payments WHERE contract_ended_at <= :c AND paid_at > :h",
        c=REFERENCE,
        h=HOLD_START,
    )
    assert ended > 0 and held == ended  # every one made less than ten years ago
    assert payments.due == ended and payments.soon == 0
    # Each one's contract ended when its account was closed.
    assert ended == _scalar(
        engine,
        "SELECT count(*) FROM payments p JOIN subscriptions s ON s.id = p.subscription_id "
        "JOIN accounts a ON a.id = s.account_id "
        "WHERE a.closed_at IS NOT NULL AND p.contract_ended_at = a.closed_at",
    )
    purge = planned[PURGE]
    assert purge.cutoff == NOW.replace(year=NOW.year - 10)
    assert purge.due == purge.soon == 0 == len(before["payments_archive"])


def test_the_sweep_deletes_closed_accounts_and_deleted_apps_and_archives_their_payments(
    tmp_path: Path, store: Store, vault: Vault
) -> None:
    demo = build(tmp_path / "demo", "amikeo", people=200, seed=1)
    declaration = load_valid(demo.declaration)
    engine = create_engine(demo.database_url)
    try:
        before = _tables(engine, demo)
        # What should go, found here by SQL: the accounts closed by the reference moment and
        # everything they hold; the devices the app was deleted from, with their sessions and
        # those sessions' activity.
        closed = _ids(engine, "SELECT id FROM accounts WHERE closed_at <= :c", c=REFERENCE)
        children = _ids(
            engine, f"SELECT id FROM child_profiles WHERE account_id IN ({_in(closed)})"
        )
        uninstalled = _ids(engine, "SELECT id FROM devices WHERE uninstalled_at <= :c",
                           c=REFERENCE)  # fmt: skip
        devices = uninstalled | _ids(
            engine, f"SELECT id FROM devices WHERE account_id IN ({_in(closed)})"
        )
        sessions = _ids(
            engine,
            f"SELECT id FROM sessions WHERE device_id IN ({_in(devices)}) "
            f"OR child_id IN ({_in(children)})",
        )
        subscriptions = _ids(
            engine, f"SELECT id FROM subscriptions WHERE account_id IN ({_in(closed)})"
        )
        gone = {
            "accounts": closed,
            "child_profiles": children,
            "devices": devices,
            "sessions": sessions,
            "activity_events": _ids(
                engine, f"SELECT id FROM activity_events WHERE session_id IN ({_in(sessions)})"
            ),
            "subscriptions": subscriptions,
            "support_requests": _ids(
                engine, f"SELECT id FROM support_requests WHERE account_id IN ({_in(closed)})"
            ),
            "payments": set(),
            "payments_archive": set(),
        }
        # The closed accounts' payments: under their legal hold, unlinked from the account,
        # then moved to the archive, every declared column with them.
        kept = _ids(
            engine, f"SELECT id FROM payments WHERE subscription_id IN ({_in(subscriptions)})"
        )
        assert kept and kept == _ids(
            engine,
            f"SELECT id FROM payments WHERE subscription_id IN ({_in(subscriptions)}) "
            "AND paid_at > :h",
            h=HOLD_START,
        )
        assert all(gone[name] for name in set(gone) - {"payments", "payments_archive"}), gone
        assert 1 not in closed and not (devices & {1, 2})  # the known person stays whole

        totals = _run_sweep(store, vault, declaration, demo, NOW)

        after = _tables(engine, demo)
        moved = {key: (row[0], None, *row[2:]) for key, row in before["payments"].items()
                 if key in kept}  # fmt: skip
        for name, rows in before.items():
            expected = {key: row for key, row in rows.items() if key not in gone[name]}
            if name == "payments":
                expected = {key: row for key, row in expected.items() if key not in kept}
            if name == "payments_archive":
                expected = moved
            assert after[name] == expected, name  # the due rows gone, every other unchanged
        # Each sweep: its own due rows deleted, the rest cascaded. Devices of a closed account
        # went with it, before the devices' sweep came to them.
        accounts_swept = totals[ACCOUNTS]
        assert accounts_swept["claimed"] == accounts_swept["deleted"] == len(closed)
        assert accounts_swept["changed"] == len(kept)
        own = {device for device in uninstalled if before["devices"][device][1] not in closed}
        assert totals[DEVICES]["claimed"] == totals[DEVICES]["deleted"] == len(own)
        assert totals[PAYMENTS]["archived"] == totals[PAYMENTS]["deleted"] == len(kept)
        assert {name: p.due for name, p in _plan(declaration, demo, NOW).items()} == {
            PURGE: 0, ACCOUNTS: 0, DEVICES: 0, PAYMENTS: 0,
        }  # fmt: skip

        # Ten years after the accounts closed, their payments' hold is over too: the
        # archive is purged. The day before, nothing of it goes.
        end = NOW.replace(year=NOW.year + 10) + dt.timedelta(days=1)
        assert _plan(declaration, demo, NOW.replace(year=NOW.year + 9))[PURGE].due == 0
        assert _plan(declaration, demo, end)[PURGE].due == len(kept)
        totals = _run_sweep(store, vault, declaration, demo, end)
        assert totals[PURGE]["deleted"] == len(kept)
        final = _tables(engine, demo)
        assert final["payments_archive"] == {}
        assert final["payments"] == after["payments"]  # contracts still running
    finally:
        engine.dispose()


def _plan(declaration: Declaration, demo: DemoResult, now: dt.datetime) -> dict[str, PlannedSweep]:
    return plan_at(declaration, demo, now)


def _run_sweep(
    store: Store, vault: Vault, declaration: Declaration, demo: DemoResult, now: dt.datetime
) -> dict[str, dict[str, int]]:
    return run_at(store, vault, declaration, demo, now)
