"""The ActiveViam demo bound to the retention its policy promises, planned and swept at the
demo's reference moment.

The policy ("Privacy policy ActiveViam", last updated on 19/06/2019) gives its periods in
§8: "Data relating to prospects or Customers is deleted within 3 years of its collection
or within 3 years of the last contact with the prospect or Customer", and data relating
to agreements is kept "until (i) the termination of the agreement, (ii) the duration
required by law". The example binds:

- ``prospects`` and ``employees`` (customers' employees) to the three years, from their
  ``last_contact_at`` (an employee's: the latest of their logins, actions, e-mails and
  survey answers); an employee's dashboards, sessions, action log, e-mails and survey
  answers point at them by references followed down, and go with them;
- ``invoices`` to the same three years from their issue, under their ten-year legal hold
  (the law's duration): due ten years after their issue;
- ``suppliers`` to the supplier rule from ``contract_end`` (NULL while the contract
  runs): archived in ``suppliers_archive`` once it has ended, deleted from there five
  years later (the example's INVENTED archive period, the commercial limitation period).

Counts are checked against SQL written here, not against gardien's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

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
from retention_demos import sql_in as _in

#: The demo's "now" (2025-06-30 18:00), as the aware UTC moment a run is for.
NOW = REFERENCE.replace(tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=60)
DATASTORE = "activeviam_crm"
THREE_YEARS = "three_years_after_last_contact"

#: The limits at NOW, by the calendar, written out rather than computed by gardien.
LIMITS: dict[str, Any] = {
    "three_years": dt.datetime(2022, 6, 30, 18, 0),  # last contact at or before: due
    "three_years_day": dt.date(2022, 6, 30),
    "hold_over": dt.date(2015, 6, 30),  # issued at or before: ten years of hold are over
    "today": dt.date(2025, 6, 30),  # a contract ended by today: archived
    "archive_over": dt.date(2020, 6, 30),  # ended five years ago or more: purged
}

#: Each sweep, in the order a run takes them (archives purged first, before they are filled
#: again), and the rows it has to act on at NOW, selected here with SQL.
DUE = {
    f"{DATASTORE}.suppliers_archive:purge-archive":
        "SELECT id FROM suppliers_archive WHERE contract_end <= :archive_over",
    f"{DATASTORE}.employees:delete":
        "SELECT id FROM employees WHERE last_contact_at <= :three_years",
    f"{DATASTORE}.prospects:delete":
        "SELECT id FROM prospects WHERE last_contact_at <= :three_years",
    f"{DATASTORE}.suppliers:archive":
        "SELECT id FROM suppliers WHERE contract_end IS NOT NULL AND contract_end <= :today",
    f"{DATASTORE}.invoices:delete":
        "SELECT id FROM invoices WHERE issued_at <= :three_years_day AND issued_at <= :hold_over",
}  # fmt: skip

#: The collections not bound themselves, and the reference (followed down) by which each
#: follows a bound or covered parent: what an employee's account holds goes with it.
FOLLOWS = {
    "dashboards": ("owner_id", "employees"),
    "platform_sessions": ("employee_id", "employees"),
    "action_log": ("session_id", "platform_sessions"),
    "email_threads": ("employee_id", "employees"),
    "emails": ("thread_id", "email_threads"),
    "email_attachments": ("email_id", "emails"),
    "survey_answers": ("employee_id", "employees"),
}


@pytest.fixture
def demo(tmp_path: Path) -> DemoResult:
    return build(tmp_path / "demo", "activeviam", people=200, seed=1)


@pytest.fixture
def declaration(demo: DemoResult) -> Declaration:
    return load_valid(demo.declaration)


@pytest.fixture
def engine(demo: DemoResult) -> Iterator[Engine]:
    made = create_engine(demo.database_url)
    yield made
    made.dispose()


def _due(engine: Engine) -> dict[str, set[int]]:
    return {sweep: _ids(engine, sql, **LIMITS) for sweep, sql in DUE.items()}


def _tables(engine: Engine, demo: DemoResult) -> dict[str, dict[int, dict[str, Any]]]:
    """Every row of every demo table, by id, as the database holds it."""
    with engine.connect() as connection:
        return {
            name: {
                row.id: dict(row._mapping)
                for row in connection.execute(text(f'SELECT * FROM "{name}"'))
            }
            for name in demo.company.metadata.tables
        }


def test_each_table_holding_personal_data_follows_the_rule_the_policy_promises(
    demo: DemoResult, declaration: Declaration
) -> None:
    collections = declaration.datastores[DATASTORE].collections
    bound = {
        name: (
            c.retention.rule,
            c.retention.anchor,
            c.retention.fields,
            c.retention.archive.collection if c.retention.archive else None,
        )
        for name, c in collections.items()
        if c.retention is not None
    }
    assert bound == {
        "employees": (THREE_YEARS, "last_contact_at", (), None),
        "prospects": (THREE_YEARS, "last_contact_at", (), None),
        "suppliers": ("supplier_contracts", "contract_end", (), "suppliers_archive"),
        "invoices": (THREE_YEARS, "issued_at", (), None),
    }
    # §8: "Data relating to prospects or Customers is deleted within 3 years of its
    # collection or within 3 years of the last contact with the prospect or Customer".
    three = declaration.retention[THREE_YEARS]
    assert three.duration == Duration(3, DurationUnit.YEARS)
    assert three.after is RetentionEvent.LAST_CONTACT
    assert (three.until, three.archive, three.then) == (None, None, RetentionAction.DELETE)
    for purpose in ("prospecting", "service_provision", "auditing", "customer_relationship"):
        assert declaration.purposes[purpose].retention == THREE_YEARS, purpose
    # §8: kept "until (i) the termination of the agreement, (ii) the duration required by
    # law"; §9 "External archiving". The five years of archive are the example's INVENTED
    # value (the commercial limitation period, Art. L110-4 of the Commercial Code).
    suppliers = declaration.retention["supplier_contracts"]
    assert suppliers.until is RetentionEvent.CONTRACT_END and suppliers.duration is None
    assert suppliers.archive is not None
    assert suppliers.archive.duration == Duration(5, DurationUnit.YEARS)
    assert suppliers.then is RetentionAction.DELETE
    assert declaration.purposes["supplier_management"].retention == "supplier_contracts"
    # "(ii) the duration required by law": invoices are held ten years from their issue.
    hold = collections["invoices"].legal_hold
    assert hold is not None
    assert (hold.duration, hold.anchor) == (Duration(10, DurationUnit.YEARS), "issued_at")
    # The archive has the suppliers' declared columns, and is declared itself (a request
    # finds an archived supplier's contact there).
    archive = demo.company.metadata.tables["suppliers_archive"]
    assert {c.name for c in archive.columns} == set(collections["suppliers"].fields)
    assert set(collections["suppliers_archive"].fields) == set(collections["suppliers"].fields)
    # Every other table holding personal data follows an employee down.
    for name, (field, parent) in FOLLOWS.items():
        reference = collections[name].fields[field].references
        assert reference is not None and reference.collection == parent, name
        assert reference.follow.down, name
    personal = {
        table.name
        for table in demo.company.metadata.sorted_tables
        if any(column.info.get("personal") for column in table.columns)
    }
    assert personal == (set(bound) | set(FOLLOWS) | {"suppliers_archive"}) - {"dashboards"}


def test_the_plan_at_the_reference_moment_matches_an_independent_count(
    demo: DemoResult, declaration: Declaration, engine: Engine
) -> None:
    before = _tables(engine, demo)
    planned = _plan(declaration, demo)
    assert _tables(engine, demo) == before  # a dry run changes nothing
    assert list(planned) == list(DUE)
    due = _due(engine)
    for name, sweep in planned.items():
        collection = sweep.sweep.collection
        assert sweep.due == len(due[name]), name
        # At the reference moment some rows of each are due and some are not.
        assert 0 < sweep.due < len(before[collection]), name
        assert sweep.held_by == (), name
    three_years_ago = LIMITS["three_years"].replace(tzinfo=dt.UTC)
    for name in ("prospects:delete", "employees:delete", "invoices:delete"):
        assert planned[f"{DATASTORE}.{name}"].cutoff == three_years_ago
    assert planned[f"{DATASTORE}.suppliers:archive"].cutoff == NOW  # once ended: archived
    archive = planned[f"{DATASTORE}.suppliers_archive:purge-archive"]
    assert archive.cutoff == NOW.replace(year=2020)
    # The suppliers not due have a contract that runs.
    running = _ids(engine, "SELECT id FROM suppliers WHERE contract_end IS NULL")
    assert running and running == set(before["suppliers"]) - due[f"{DATASTORE}.suppliers:archive"]
    # Invoices past three years but under their hold are not due: the hold decides.
    held = _ids(
        engine,
        "SELECT id FROM invoices WHERE issued_at <= :three_years_day AND issued_at > :hold_over",
        **LIMITS,
    )
    assert held
    # An employee's anchor is their last contact: the latest of everything they did.
    latest: dict[int, str] = {}
    for sql in (
        "SELECT id, created_at FROM employees",
        "SELECT employee_id, started_at FROM platform_sessions",
        "SELECT s.employee_id, a.performed_at FROM action_log a "
        "JOIN platform_sessions s ON s.id = a.session_id",
        "SELECT t.employee_id, e.sent_at FROM emails e JOIN email_threads t ON t.id = e.thread_id",
        "SELECT employee_id, answered_at FROM survey_answers",
    ):
        with engine.connect() as connection:
            for employee, moment in connection.execute(text(sql)):
                latest[employee] = max(latest.get(employee, moment), moment)
    assert latest == {key: row["last_contact_at"] for key, row in before["employees"].items()}
    # The known person (an employee of Finaxis, and a prospect before that) is not due.
    assert 1 not in due[f"{DATASTORE}.employees:delete"] | due[f"{DATASTORE}.prospects:delete"]


def test_the_sweep_removes_archives_and_purges_what_is_due_and_nothing_else(
    demo: DemoResult, declaration: Declaration, engine: Engine, store: Store, vault: Vault
) -> None:
    before = _tables(engine, demo)
    due = _due(engine)
    # What goes with the due employees, found here by SQL: their dashboards, sessions and
    # the actions of those, their e-mail threads, e-mails and attachments, survey answers.
    employees = due[f"{DATASTORE}.employees:delete"]
    sessions = _ids(
        engine, f"SELECT id FROM platform_sessions WHERE employee_id IN ({_in(employees)})"
    )
    dashboards = _ids(engine, f"SELECT id FROM dashboards WHERE owner_id IN ({_in(employees)})")
    threads = _ids(engine, f"SELECT id FROM email_threads WHERE employee_id IN ({_in(employees)})")
    emails = _ids(engine, f"SELECT id FROM emails WHERE thread_id IN ({_in(threads)})")
    followers = {
        "dashboards": dashboards,
        "platform_sessions": sessions,
        "action_log": _ids(
            engine,
            f"SELECT id FROM action_log WHERE session_id IN ({_in(sessions)}) "
            f"OR dashboard_id IN ({_in(dashboards)})",
        ),
        "email_threads": threads,
        "emails": emails,
        "email_attachments": _ids(
            engine, f"SELECT id FROM email_attachments WHERE email_id IN ({_in(emails)})"
        ),
        "survey_answers": _ids(
            engine, f"SELECT id FROM survey_answers WHERE employee_id IN ({_in(employees)})"
        ),
    }
    assert all(followers[name] for name in ("platform_sessions", "action_log", "email_threads"))
    moved = due[f"{DATASTORE}.suppliers:archive"]
    gone = {
        "prospects": due[f"{DATASTORE}.prospects:delete"],
        "employees": employees,
        "invoices": due[f"{DATASTORE}.invoices:delete"],
        "suppliers": moved,
        "suppliers_archive": due[f"{DATASTORE}.suppliers_archive:purge-archive"],
        **followers,
    }

    totals = _run_sweep(store, vault, declaration, demo)

    after = _tables(engine, demo)
    for name, rows in before.items():
        expected = {key: row for key, row in rows.items() if key not in gone.get(name, set())}
        if name == "suppliers_archive":  # the suppliers whose contract ended, as they were
            expected |= {
                key: {c: v for c, v in before["suppliers"][key].items() if c != "bic"}
                for key in moved
            }
        assert after[name] == expected, name  # the due rows gone, every other row unchanged
    for name in (f"{DATASTORE}.{s}:delete" for s in ("prospects", "employees", "invoices")):
        assert totals[name]["claimed"] == totals[name]["deleted"] == len(due[name]), name
    assert totals[f"{DATASTORE}.employees:delete"]["cascaded"] == sum(
        len(ids) for ids in followers.values()
    )
    archived = totals[f"{DATASTORE}.suppliers:archive"]
    assert archived["archived"] == archived["deleted"] == len(moved)
    purge = f"{DATASTORE}.suppliers_archive:purge-archive"
    assert totals[purge]["deleted"] == len(due[purge])
    assert all(counts.get("gone", 0) == 0 for counts in totals.values())
    # Nothing is due any more.
    assert {name: p.due for name, p in _plan(declaration, demo).items()} == dict.fromkeys(DUE, 0)


def _plan(declaration: Declaration, demo: DemoResult) -> dict[str, PlannedSweep]:
    return plan_at(declaration, demo, NOW)


def _run_sweep(
    store: Store, vault: Vault, declaration: Declaration, demo: DemoResult
) -> dict[str, dict[str, int]]:
    return run_at(store, vault, declaration, demo, NOW)
