"""The dry run counts what a run would do and changes nothing; bad bindings are refused."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine
from typer.testing import CliRunner

import crm
from gardien.cli import app
from gardien.connectors import (
    MemoryConnector,
    SqlConnector,
    check_datastores,
    close_all,
    open_datastores,
)
from gardien.declaration import Declaration, validate
from gardien.declaration.values import Duration, DurationUnit
from gardien.retention import plan_retention
from gardien.retention.sweeps import not_early, not_late
from retention_sweeper import tables


def _planned(declaration: Declaration, url: str) -> dict[str, Any]:
    connectors = open_datastores(declaration, {crm.URL_VARIABLE: url})
    try:
        return {p.sweep.name: p for p in plan_retention(declaration, connectors, crm.NOW)}
    finally:
        close_all(connectors)


def test_the_plan_counts_due_oldest_and_soon_and_changes_nothing(
    declared: Declaration, crm_url: str
) -> None:
    before = tables(crm_url)
    planned = _planned(declared, crm_url)
    assert tables(crm_url) == before
    accounts = planned["crm.accounts:delete"]
    # Alice and Carol are due (Alice's account will be emptied: her payment is held).
    assert accounts.due == 2 and accounts.soon == 1  # Bob, one second short
    assert accounts.oldest is not None
    assert accounts.oldest.replace(tzinfo=None) == crm.THREE_YEARS - crm.SECOND
    # What they reach down the references followed down: Alice's and Carol's orders and
    # their lines, Carol's login, and Alice's payment (which its hold will keep). Teams and
    # invoices point at accounts with follow: none: they stay, detached.
    assert accounts.below == {"orders": 3, "order_lines": 3, "payments": 1, "logins": 1}
    assert planned["crm.logins:delete"].due == 1
    assert planned["crm.notes:anonymise"].due == 1
    assert planned["crm.invoices:archive"].due == 1 and planned["crm.invoices:archive"].soon == 1
    purge = planned["crm.invoices_archive:purge-archive"]
    assert purge.due == 1 and purge.soon == 1  # one archived a day short of 11 years
    assert next(iter(planned)) == "crm.invoices_archive:purge-archive"  # archives purged first


def test_retention_plan_command_as_a_table_and_as_json_at_a_given_moment(
    declared: Declaration, crm_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    at = ["--at", crm.NOW.strftime("%Y-%m-%dT%H:%M:%S")]
    table = runner.invoke(app, ["retention", "plan", "crm.yaml", *at])
    assert table.exit_code == 0, table.output
    # The table's cells fold to the terminal's width; its summary line does not. Due at
    # NOW: Alice's and Carol's accounts (the run will empty Alice's, her payment being
    # held), a login, a note, an invoice to archive, an archived invoice to purge.
    assert "5 sweep(s): 6 row(s) due at 2026-06-01 12:00 UTC" in table.output
    as_json = runner.invoke(app, ["retention", "plan", "crm.yaml", "--format", "json", *at])
    # gardien's own records follow the company's sweeps when a store is found (their own
    # test: tests/retention/test_own_records.py).
    found = {
        row["sweep"]: row for row in json.loads(as_json.stdout) if row["datastore"] != "gardien"
    }
    expected = _planned(declared, crm_url)
    assert {name: (row["due_now"], row["due_within_30_days"]) for name, row in found.items()} == {
        name: (p.due, p.soon) for name, p in expected.items()
    }
    wrong = runner.invoke(app, ["retention", "plan", "crm.yaml", "--at", "yesterday"])
    assert wrong.exit_code != 0 and "--at" in wrong.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["accounts"]["retention"].update(rule="forever"), "'forever', which is not declared"),
        (lambda c: c["accounts"]["retention"].update(anchor="last_seen"), "'last_seen', which is not a declared field"),
        (lambda c: c["invoices"]["retention"].pop("archive"), "say where its rows are archived"),
        (lambda c: c["logins"]["retention"].update(archive={"collection": "old_logins"}), "has no archive phase"),
        (lambda c: c["notes"]["retention"].update(fields=["account_id"]), "a key or a reference"),
        (lambda c: c["notes"]["retention"].update(fields=["body"]), "only redacts free text"),
    ],
)  # fmt: skip
def test_a_bad_binding_is_an_error_that_says_what_to_write(
    write_declaration: Callable[..., Path], change: Callable[[dict[str, Any]], None], message: str
) -> None:
    def mutate(data: dict[str, Any]) -> None:
        crm.with_crm(data)
        change(data["datastores"]["crm"]["collections"])

    report = validate(write_declaration(mutate))
    assert not report.ok
    assert any(message in problem.message for problem in report.errors), report.errors


def test_an_unbound_collection_with_personal_data_is_a_warning(
    write_declaration: Callable[..., Path],
) -> None:
    def unbind(data: dict[str, Any]) -> None:
        crm.with_crm(data)
        del data["datastores"]["crm"]["collections"]["logins"]["retention"]
        data["datastores"]["crm"]["collections"]["logins"]["fields"]["account_id"] = crm.ref(
            "accounts", "none"
        )

    report = validate(write_declaration(unbind))
    assert report.ok
    assert any("logins holds personal data and no retention rule" in w.message
               for w in report.warnings)  # fmt: skip


def test_datastores_check_finds_an_anchor_that_is_not_a_date_and_a_missing_archive(
    write_declaration: Callable[..., Path], crm_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def wrong(data: dict[str, Any]) -> None:
        crm.with_crm(data)
        collections = data["datastores"]["crm"]["collections"]
        collections["logins"]["retention"]["anchor"] = "ip"
        collections["invoices"]["retention"]["archive"]["collection"] = "old_invoices"

    monkeypatch.setenv(crm.URL_VARIABLE, crm_url)
    report = validate(write_declaration(wrong))
    assert report.declaration is not None
    connector = SqlConnector(crm_url, name="crm")
    try:
        findings = check_datastores(report.declaration, {"crm": connector})
    finally:
        connector.close()
    messages = [f.message for f in findings if f.severity == "error"]
    assert any("runs from 'ip'" in m and "not a date" in m for m in messages), messages
    assert any("'old_invoices', which is not in the database" in m for m in messages), messages


def _shifted(duration: Duration, anchor: dt.datetime) -> dt.datetime:
    """When a row anchored at ``anchor`` has served ``duration``, by the calendar."""
    return dt.datetime.combine(duration.after(anchor.date()), anchor.timetz())


@settings(max_examples=400, deadline=None)
@given(
    now=st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1),
                     timezones=st.just(dt.UTC)),
    anchor_offset=st.integers(min_value=-40 * 86_400, max_value=40 * 86_400),
    amount=st.integers(min_value=0, max_value=40),
    unit=st.sampled_from(list(DurationUnit)),
)  # fmt: skip
def test_a_retention_cutoff_is_never_late_and_a_hold_never_ends_early(
    now: dt.datetime, anchor_offset: int, amount: int, unit: DurationUnit
) -> None:
    duration = Duration(amount, unit)
    cutoff = not_late(duration, now)
    # An anchor near the cutoff, either side.
    anchor = cutoff + dt.timedelta(seconds=anchor_offset)
    if _shifted(duration, anchor) <= now:
        assert anchor <= cutoff  # its period is over: it is due, never kept longer
    if anchor <= cutoff:
        assert _shifted(duration, anchor) <= now + dt.timedelta(days=3)  # at most 3 days early
    held_until = not_early(duration, now)
    if anchor <= held_until:
        assert _shifted(duration, anchor) <= now  # a hold is never released early


def test_the_memory_connector_plans_what_sql_plans(declared: Declaration, crm_url: str) -> None:
    """Another connector kind, the same counts: the plan depends on the protocol, not SQL."""
    memory = MemoryConnector(crm.rows())
    in_memory = {p.sweep.name: p for p in plan_retention(declared, {"crm": memory}, crm.NOW)}
    in_sql = _planned(declared, crm_url)
    assert {n: (p.due, p.soon, dict(p.below)) for n, p in in_memory.items()} == {
        n: (p.due, p.soon, dict(p.below)) for n, p in in_sql.items()
    }


def test_a_row_whose_hold_ends_within_30_days_is_counted_as_due_soon(
    write_crm: Callable[..., Declaration], crm_url: str
) -> None:
    """Payments bound to a one-year rule, under their ten-year hold: one paid ten years
    less ten days ago is not due now, and falls due in ten days, when its hold ends."""

    def bind_payments(data: dict[str, Any]) -> None:
        payments = data["datastores"]["crm"]["collections"]["payments"]
        payments["retention"] = {"rule": "logs", "anchor": "paid_on"}

    engine = create_engine(crm_url)
    with engine.begin() as conn:
        conn.execute(
            crm.payments.insert().values(
                id=52, account_id=4, paid_on=crm.ago(years=10, days=-10).date(),
                payer_name="Dan Roux",
            )
        )  # fmt: skip
    engine.dispose()
    planned = _planned(write_crm(bind_payments), crm_url)["crm.payments:delete"]
    # Payment 50 (two years old) and 51 (three days) are held for years yet.
    assert (planned.due, planned.soon) == (0, 1)
