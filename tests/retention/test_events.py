"""Retention that runs from an event gardien records (an account deletion), on SQLite and
PostgreSQL, on a clock the tests set: one second either side of the limit, other people's
rows untouched, holds and open requests respected, bad input refused with nothing written."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

import crm
from actors import actor_of
from gardien.audit import audit_log, verify
from gardien.cli import app
from gardien.declaration import Declaration, validate
from gardien.errors import IdentityError, RetentionEventError
from gardien.requests.vocabulary import RequestType
from gardien.retention import plan_events, plan_own, record_event
from gardien.retention.tables import retention_event_sweeps, retention_events
from gardien.store import Store
from gardien.vault import Vault
from request_orders import approved_request
from retention_sweeper import DONE, Sweeper, tables

NOW = crm.NOW
SECOND = dt.timedelta(seconds=1)
#: The rule the accounts follow here: 30 days after the account's deletion.
PERIOD = dt.timedelta(days=30)
SWEEP = "crm.accounts:delete"
#: The rows of each person (account, orders, order lines, logins) in the CRM.
CAROL = {"accounts": {3}, "orders": {11, 12}, "order_lines": {101, 102}, "logins": {32}}
BOB = {"accounts": {2}, "orders": set(), "order_lines": set(), "logins": set()}


_by_event = crm.by_event


@pytest.fixture
def by_event(write_crm: Callable[..., Declaration]) -> Declaration:
    """The CRM whose accounts go 30 days after gardien is told they were deleted."""
    return write_crm(_by_event)


def _record(
    store: Store,
    vault: Vault,
    declaration: Declaration,
    identities: dict[str, str],
    at: dt.datetime,
    event: str = "account_deletion",
) -> str:
    with store.engine.begin() as conn:
        recorded = record_event(
            conn, vault, declaration, event, identities,
            actor=actor_of(vault), occurred_at=at, now=NOW,
        )  # fmt: skip
    return recorded.id


def _gone(
    before: dict[str, dict[Any, Any]], after: dict[str, dict[Any, Any]]
) -> dict[str, set[Any]]:
    return {name: set(before[name]) - set(after[name]) for name in CAROL}


def _events(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(retention_events).order_by(retention_events.c.occurred_at)))


def _audit(store: Store) -> list[tuple[str, Any]]:
    with store.engine.connect() as conn:
        return [
            (row.action, row.details)
            for row in conn.execute(select(audit_log.c.action, audit_log.c.details))
        ]


def test_one_second_before_the_limit_nothing_goes_one_second_after_the_persons_rows_go(
    by_event: Declaration, sweeper: Sweeper, crm_url: str, store: Store, vault: Vault
) -> None:
    _record(store, vault, by_event, {"email": "carol@example.com"}, NOW - PERIOD - SECOND)
    _record(store, vault, by_event, {"user_id": "2"}, NOW - PERIOD + SECOND)
    before = tables(crm_url)

    assert sweeper.run(by_event, now=NOW) == DONE

    after = tables(crm_url)
    # Carol's account and what follows it down (login 30 is Dan's, gone by the logs rule).
    assert _gone(before, after) == CAROL | {"logins": {30, 32}}
    assert after["teams"][1] == (1, None, "blue")  # her team stays, without its owner
    for name in CAROL:  # nobody else's rows changed
        for key in set(after[name]):
            assert after[name][key] == before[name][key], (name, key)
    assert 2 in after["accounts"]  # Bob's deletion is a second short of 30 days
    totals = sweeper.totals(SWEEP)
    assert (totals["events"], totals["claimed"], totals["deleted"]) == (1, 1, 1)
    assert totals["cascaded"] == 5 and totals["kept_for_requests"] == 0

    sweeper.batches.clear()
    assert sweeper.run(by_event, now=NOW + 2 * SECOND) == DONE
    assert 2 not in tables(crm_url)["accounts"]
    assert sweeper.totals(SWEEP)["deleted"] == 1


def test_an_event_done_drops_the_identities_and_the_audit_names_no_one(
    by_event: Declaration, sweeper: Sweeper, store: Store, vault: Vault
) -> None:
    event_id = _record(store, vault, by_event, {"email": "carol@example.com"}, NOW - PERIOD * 2)
    (event,) = _events(store)
    assert event.identities_sealed is not None and event.done_at is None
    assert b"carol" not in bytes(event.identities_sealed)
    assert event.kinds == "email"

    sweeper.run(by_event, now=NOW)

    (event,) = _events(store)
    assert event.identities_sealed is None and event.done_at is not None
    with store.engine.connect() as conn:
        swept = conn.execute(select(retention_event_sweeps.c.sweep)).scalars().all()
        assert verify(conn).ok
    assert swept == [SWEEP]
    entries = _audit(store)
    recorded = [details for action, details in entries if action == "retention.event"]
    assert len(recorded) == 1 and event_id in str(recorded[0])
    assert "carol" not in repr(entries).lower()
    batches = [d for a, d in entries if a == "retention.batch" and SWEEP in str(d)]
    assert len(batches) == 1
    assert json.loads(batches[0]) == {
        "sweep": SWEEP, "rule": "deleted_accounts", "batch": 0, "claimed": 1, "deleted": 1,
        "changed": 0, "archived": 0, "cascaded": 5, "gone": 0, "kept_for_requests": 0,
        "events": 1, "held": 0,
    }  # fmt: skip

    # Done: a later run finds nothing more to do for it.
    sweeper.batches.clear()
    sweeper.run(by_event, now=NOW + dt.timedelta(days=1))
    assert sweeper.totals(SWEEP) == {}


def test_the_plan_counts_events_due_the_oldest_and_those_due_within_30_days(
    by_event: Declaration, sweeper: Sweeper, crm_url: str, store: Store, vault: Vault
) -> None:
    oldest = NOW - PERIOD - dt.timedelta(days=3)
    _record(store, vault, by_event, {"email": "carol@example.com"}, oldest)
    _record(store, vault, by_event, {"email": "dan@example.com"}, NOW - PERIOD - SECOND)
    _record(store, vault, by_event, {"user_id": "2"}, NOW - PERIOD + dt.timedelta(days=29))
    _record(store, vault, by_event, {"user_id": "1"}, NOW - SECOND)  # due in 30 days less 1 s
    before = tables(crm_url)

    with store.engine.connect() as conn:
        (planned,) = plan_events(conn, by_event, NOW)

    assert tables(crm_url) == before  # a dry run changes nothing
    assert (planned.sweep.name, planned.sweep.anchor) == (SWEEP, "event:account_deletion")
    assert (planned.due, planned.soon) == (2, 2)
    assert planned.oldest is not None and planned.oldest.replace(tzinfo=dt.UTC) == oldest
    assert planned.cutoff == NOW - PERIOD
    assert planned.as_json()["event"] == "account_deletion"

    sweeper.run(by_event, now=NOW)
    with store.engine.connect() as conn:
        (planned,) = plan_events(conn, by_event, NOW)
        own = {p.sweep.name: p for p in plan_own(conn, by_event, NOW)}
    assert (planned.due, planned.soon) == (0, 2)
    # The two events done are gardien's own records now, kept 5 years by default.
    assert own["gardien.recorded_events"].soon == 0
    with store.engine.connect() as conn:
        later = {p.sweep.name: p for p in plan_own(conn, by_event, NOW + dt.timedelta(days=1830))}
    assert later["gardien.recorded_events"].due == 2


def test_a_done_event_goes_after_its_own_period(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, store: Store, vault: Vault
) -> None:
    def short(data: dict[str, Any]) -> None:
        _by_event(data)
        data["own_records"] = {"recorded_events": "1 day"}

    declared = write_crm(short)
    _record(store, vault, declared, {"email": "carol@example.com"}, NOW - PERIOD * 2)
    sweeper.run(declared, now=NOW)
    assert len(_events(store)) == 1
    sweeper.run(declared, now=NOW + dt.timedelta(days=1) - SECOND)
    assert len(_events(store)) == 1
    sweeper.run(declared, now=NOW + dt.timedelta(days=1) + SECOND)
    assert _events(store) == []
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(retention_event_sweeps)).scalar() == 0


def test_an_open_access_request_keeps_the_rows_and_the_event_until_it_completes(
    by_event: Declaration, sweeper: Sweeper, crm_url: str, store: Store, vault: Vault
) -> None:
    _record(store, vault, by_event, {"email": "carol@example.com"}, NOW - PERIOD * 2)
    approved_request(store, vault, by_event, RequestType.ACCESS, {"email": "carol@example.com"})

    sweeper.run(by_event, now=NOW)

    after = tables(crm_url)
    assert 3 in after["accounts"] and 11 in after["orders"]
    assert sweeper.totals(SWEEP)["kept_for_requests"] == 1
    (event,) = _events(store)
    assert event.done_at is None and event.identities_sealed is not None  # tried again later


def test_a_legal_hold_on_a_row_below_keeps_it_and_the_account_is_emptied(
    by_event: Declaration, sweeper: Sweeper, crm_url: str, store: Store, vault: Vault
) -> None:
    """Alice's payment is kept 10 years (Commercial Code): it stays, her account stays
    emptied, her order goes; as for a date-column sweep."""
    _record(store, vault, by_event, {"email": "alice@example.com"}, NOW - PERIOD * 2)
    sweeper.run(by_event, now=NOW)
    after = tables(crm_url)
    assert after["payments"][50][1] == 1 and after["payments"][50][3] is None
    assert after["accounts"][1][1:3] == (None, None)
    assert 10 not in after["orders"] and 100 not in after["order_lines"]


def test_a_declared_legal_hold_suspends_the_event_sweep(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str, store: Store,
    vault: Vault,
) -> None:  # fmt: skip
    def held(data: dict[str, Any]) -> None:
        _by_event(data)
        data["legal_holds"] = {
            "litigation": {
                "reason": {"fr": "Litige en cours", "en": "Pending litigation"},
                "categories": ["user.contact.email"],
            }
        }

    declared = write_crm(held)
    _record(store, vault, declared, {"email": "carol@example.com"}, NOW - PERIOD * 2)
    sweeper.run(declared, now=NOW)
    assert 3 in tables(crm_url)["accounts"]
    (event,) = _events(store)
    assert event.done_at is None
    assert any(
        action == "retention.held" and SWEEP in str(details) for action, details in _audit(store)
    )


def test_the_anonymise_action_clears_the_named_fields_and_keeps_the_row(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str, store: Store,
    vault: Vault,
) -> None:  # fmt: skip
    def anonymise(data: dict[str, Any]) -> None:
        _by_event(data)
        binding = data["datastores"]["crm"]["collections"]["accounts"]["retention"]
        binding["fields"] = ["name"]

    declared = write_crm(anonymise)
    _record(store, vault, declared, {"email": "carol@example.com"}, NOW - PERIOD * 2)
    before = tables(crm_url)
    sweeper.run(declared, now=NOW)
    after = tables(crm_url)
    assert after["accounts"][3] == (3, "carol@example.com", None, before["accounts"][3][3])
    assert after["orders"][11] == before["orders"][11]
    assert sweeper.totals("crm.accounts:anonymise")["changed"] == 1


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "identities", "at", "error", "says"),
    [
        ("account_deleted", {"email": "carol@example.com"}, None, RetentionEventError,
         "unknown event 'account_deleted'"),
        ("carol@example.com", {"email": "carol@example.com"}, None, RetentionEventError,
         "unknown event: gardien records"),
        ("last_contact", {"email": "carol@example.com"}, None, RetentionEventError,
         "not an event gardien records"),
        ("contract_end", {"email": "carol@example.com"}, None, RetentionEventError,
         "no retention binding runs from 'contract_end'"),
        ("account_deletion", {"email": "not-an-address"}, None, IdentityError,
         "not an e-mail address"),
        ("account_deletion", {}, None, IdentityError, "at least one identity"),
        ("account_deletion", {"phone": "+33 6 12 34 56 78"}, None, RetentionEventError,
         "give email or user_id"),
        ("account_deletion", {"email": "carol@example.com"}, NOW + dt.timedelta(hours=1),
         RetentionEventError, "in the future"),
        ("account_deletion", {"email": "carol@example.com"}, NOW.replace(tzinfo=None),
         RetentionEventError, "no time zone"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_error_and_nothing_written(
    by_event: Declaration, store: Store, vault: Vault, event: str,
    identities: dict[str, str], at: dt.datetime | None, error: type[Exception], says: str,
) -> None:  # fmt: skip
    before = _audit(store)
    with pytest.raises(error) as raised:
        _record(store, vault, by_event, identities, at or NOW - SECOND, event=event)
    assert says in str(raised.value)
    assert "carol" not in str(raised.value) and "not-an-address" not in str(raised.value)
    assert _events(store) == []
    assert _audit(store) == before


def test_only_the_identities_the_bound_collections_are_searched_by_are_kept(
    by_event: Declaration, store: Store, vault: Vault
) -> None:
    _record(
        store, vault, by_event, {"email": "Carol@Example.com ", "phone": "+33 6 12 34 56 78"},
        NOW - SECOND,
    )  # fmt: skip
    (event,) = _events(store)
    assert event.kinds == "email"


# The declaration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c, r: c["accounts"]["retention"].update(anchor="last_contact_at"),
         "runs from one clock: give `anchor`"),
        (lambda c, r: c["accounts"]["retention"].pop("event"), "needs a clock"),
        (lambda c, r: c["accounts"]["retention"].update(event="account_closed"), "account_closed"),
        (lambda c, r: (r.update(by_contact={"duration": "1 year", "after": "last_contact"}),
                       c["accounts"]["retention"].update(rule="by_contact",
                                                         event="last_contact")),
         "which gardien is not told about"),
        (lambda c, r: c["accounts"]["retention"].update(rule="prospects"),
         "but rule 'prospects' runs from last_contact"),
        (lambda c, r: (r.update(kept={"until": "account_deletion", "archive": {
            "duration": "5 years", "reason": {"fr": "Preuve", "en": "Proof"}}}),
                       c["accounts"]["retention"].update(rule="kept",
                                                         archive={"collection": "old"})),
         "an archive phase is not carried out for an event-anchored binding"),
        (lambda c, r: c["logins"].update(retention={"rule": "deleted_accounts",
                                                    "event": "account_deletion"}),
         "logins has no identity field"),
    ],
)  # fmt: skip
def test_a_binding_to_an_event_that_cannot_work_is_refused(
    write_declaration: Callable[..., Path],
    change: Callable[[dict[str, Any], dict[str, Any]], None],
    message: str,
) -> None:
    def mutate(data: dict[str, Any]) -> None:
        crm.with_crm(data)
        _by_event(data)
        change(data["datastores"]["crm"]["collections"], data["retention"])

    report = validate(write_declaration(mutate))
    assert not report.ok
    assert any(message in str(problem) for problem in report.errors), report.errors


def test_a_binding_to_an_event_validates_and_existing_anchors_stay_valid(
    write_declaration: Callable[..., Path],
) -> None:
    def mutate(data: dict[str, Any]) -> None:
        crm.with_crm(data)
        _by_event(data)

    assert validate(write_declaration(mutate)).ok
    assert validate(write_declaration(crm.with_crm, name="anchors.yaml")).ok


def test_the_event_command_records_from_a_file_and_refuses_bad_input(
    write_crm: Callable[..., Declaration], tmp_path: Path, store_urls: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    write_crm(_by_event)
    config = tmp_path / "crm.yaml"
    monkeypatch.setenv("GARDIEN_CONFIG", str(config))
    monkeypatch.setenv("GARDIEN_DATABASE_URL", store_urls.database_url)
    monkeypatch.setenv("GARDIEN_KEYSTORE_URL", store_urls.keystore_url)
    monkeypatch.setenv("GARDIEN_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    identities = tmp_path / "who.json"
    identities.write_text('{"email": "carol@example.com"}', "utf-8")
    runner = CliRunner()

    ok = runner.invoke(
        app, ["retention", "event", "account_deletion", "--identities", str(identities),
              "--at", "2026-05-01T10:00:00"],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "recorded account_deletion" in ok.stdout and "carol" not in ok.output

    from_stdin = runner.invoke(
        app, ["retention", "event", "account_deletion"], input='{"user_id": "2"}'
    )
    assert from_stdin.exit_code == 0, from_stdin.output

    unknown = runner.invoke(
        app, ["retention", "event", "account_closed", "--identities", str(identities)]
    )
    # The CLI's edge (gardien.cli.main) prints a GardienError's message and exits 1.
    assert isinstance(unknown.exception, RetentionEventError)
    assert "unknown event 'account_closed'" in str(unknown.exception)
    identities.write_text("carol@example.com", "utf-8")
    not_json = runner.invoke(
        app, ["retention", "event", "account_deletion", "--identities", str(identities)]
    )
    assert not_json.exit_code == 2 and "not a JSON object" in not_json.output
    assert "carol" not in not_json.output

    engine = create_engine(store_urls.database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(retention_events)).scalar() == 2
    finally:
        engine.dispose()


def test_the_plan_command_shows_the_event_sweeps_from_the_store(
    write_crm: Callable[..., Declaration], tmp_path: Path, store_urls: Any, store: Store,
    vault: Vault, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    declared = write_crm(_by_event)
    _record(store, vault, declared, {"email": "carol@example.com"}, NOW - PERIOD - SECOND)
    _record(store, vault, declared, {"user_id": "2"}, NOW - PERIOD + SECOND)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GARDIEN_DATABASE_URL", store_urls.database_url)
    monkeypatch.setenv("GARDIEN_KEYSTORE_URL", store_urls.keystore_url)
    at = ["--at", NOW.strftime("%Y-%m-%dT%H:%M:%S")]
    runner = CliRunner()

    as_json = runner.invoke(app, ["retention", "plan", "crm.yaml", "--format", "json", *at])

    assert as_json.exit_code == 0, as_json.output
    rows = {row["sweep"]: row for row in json.loads(as_json.stdout)}
    accounts = rows[SWEEP]
    assert (accounts["event"], accounts["anchor"]) == ("account_deletion", "event:account_deletion")
    assert (accounts["due_now"], accounts["due_within_30_days"]) == (1, 1)
    table = runner.invoke(app, ["retention", "plan", "crm.yaml", *at])
    assert table.exit_code == 0, table.output
    assert "1 sweep(s) from recorded events: 1 event(s) due at 2026-06-01 12:00 UTC" in (
        table.output
    )
    assert "carol" not in table.output + as_json.output
