"""The AI feedback platform's demo bound to the retention its policy promises, planned and
swept at the demo's reference moment.

The policy (shared/seeds/001_ce8bd86e4dabc272.txt, §8) gives one period for the data the
demo holds: "retains your information as long as your account remains active, unless you
request the deletion of your information or your account". Two tables record an
account's end: ``client_companies.closed_at`` (a business customer's account, under which
its clients' feedback was entrusted to us) and ``users.closed_at`` (a user's own); both
are bound to that rule, every other table follows one of them down. The five-year
"intermediate archiving" of §8 is a possibility ("may be subject to") the example leaves
unbound (see its ``datastores`` comment). Counts are checked against SQL written here,
not against gardien's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine

from gardien.declaration import Declaration, load_valid
from gardien.declaration.models import RetentionAction, RetentionEvent
from gardien.declaration.values import Duration
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
DATASTORE = "feedback_platform"
COMPANIES = f"{DATASTORE}.client_companies:delete"
USERS = f"{DATASTORE}.users:delete"
RULE = "while_account_active"
LEASE = dt.timedelta(seconds=60)

#: The collections bound to the account's rule, each from the column recording when that
#: account was closed (NULL while it is active).
BOUND = {"client_companies": "closed_at", "users": "closed_at"}

#: The known person's rows there (a user of company 1, a client of company 2).
KNOWN = {"client_companies": {1, 2}, "users": {1}}

#: The collections holding personal data that are not bound themselves, and the reference
#: (followed down) by which each follows a bound or covered parent.
FOLLOWS = {
    "support_messages": ("user_id", "users"),
    "respondents": ("company_id", "client_companies"),
    "consents": ("respondent_id", "respondents"),
    "feedback": ("respondent_id", "respondents"),
    "ai_analyses": ("feedback_id", "feedback"),
    "analysis_topics": ("analysis_id", "ai_analyses"),
}


@pytest.fixture
def demo(tmp_path: Path) -> DemoResult:
    return build(tmp_path / "demo", "ai-feedback", people=200, seed=1)


@pytest.fixture
def declaration(demo: DemoResult) -> Declaration:
    return load_valid(demo.declaration)


@pytest.fixture
def engine(demo: DemoResult) -> Iterator[Engine]:
    made = create_engine(demo.database_url)
    yield made
    made.dispose()


def _moment(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


def test_each_account_table_is_bound_to_the_rule_the_policy_promises(
    demo: DemoResult, declaration: Declaration
) -> None:
    collections = declaration.datastores[DATASTORE].collections
    bound = {name: c.retention for name, c in collections.items() if c.retention is not None}
    assert set(bound) == set(BOUND)
    for name, anchor in BOUND.items():
        binding = bound[name]
        assert binding is not None
        assert (binding.rule, binding.anchor, binding.fields, binding.archive) == (
            RULE, anchor, (), None,
        )  # fmt: skip
    # §8: "retains your information as long as your account remains active, unless you
    # request the deletion of your information or your account." No period: the data
    # goes once the account is closed.
    rule = declaration.retention[RULE]
    assert rule.until is RetentionEvent.ACCOUNT_DELETION
    assert rule.duration is None and rule.archive is None
    assert rule.then is RetentionAction.DELETE
    # The purposes the demo's data serves promise the same (the customer's account for the
    # feedback it entrusted to us, the user's own for the rest).
    for purpose in ("platform", "feedback_analysis", "service_improvement", "communication"):
        assert declaration.purposes[purpose].retention == RULE
    # §8: the five-year archive "may" apply to proof; nothing here is bound to it.
    archive = declaration.retention["proof_archive"].archive
    assert archive is not None and archive.duration == Duration.parse("5 years")
    # Every table holding personal data is bound, or follows a bound table down.
    for name, (field, parent) in FOLLOWS.items():
        reference = collections[name].fields[field].references
        assert reference is not None and reference.collection == parent, name
        assert reference.follow.down, name
    personal = {
        table.name
        for table in demo.company.metadata.sorted_tables
        if any(column.info.get("personal") for column in table.columns)
    }
    assert personal <= set(BOUND) | set(FOLLOWS)


def test_the_plan_at_the_reference_moment_matches_an_independent_count(
    demo: DemoResult, declaration: Declaration, engine: Engine
) -> None:
    before = _tables(engine, demo)
    planned = _plan(declaration, demo)
    assert _tables(engine, demo) == before  # a dry run changes nothing
    assert list(planned) == [COMPANIES, USERS]
    # No period: the calendar cutoff is the moment itself, a closed account is due at once.
    cutoff = REFERENCE
    for name, table in ((COMPANIES, "client_companies"), (USERS, "users")):
        sweep = planned[name]
        assert (sweep.sweep.rule_id, sweep.sweep.anchor) == (RULE, "closed_at")
        assert sweep.cutoff == NOW
        due = f"SELECT {{}} FROM {table} WHERE closed_at <= :c"
        assert sweep.due == _scalar(engine, due.format("count(*)"), c=cutoff), name
        assert _moment(sweep.oldest) == _moment(
            _scalar(engine, due.format("min(closed_at)"), c=cutoff)
        )
        soon = _scalar(
            engine,
            f"SELECT count(*) FROM {table} WHERE closed_at > :c AND closed_at <= :s",
            c=cutoff,
            s=cutoff + dt.timedelta(days=30),
        )
        assert sweep.soon == soon == 0  # every closure is in the demo's past
        assert sweep.held_by == ()
        # Some accounts are due, most are open.
        still_open = _ids(engine, f"SELECT id FROM {table} WHERE closed_at IS NULL")
        assert 0 < sweep.due < len(still_open), name
        assert sweep.due + len(still_open) == len(before[table])
        # The known person's account, and both companies they deal with, stay open.
        assert KNOWN[table] <= still_open
    # The figures of the default demo (200 people, seed 1).
    assert (planned[COMPANIES].due, planned[USERS].due) == (1, 4)


def test_the_sweep_deletes_the_closed_accounts_and_what_they_hold_and_nothing_else(
    demo: DemoResult, declaration: Declaration, engine: Engine, store: Store, vault: Vault
) -> None:
    before = _tables(engine, demo)
    # What should go, found here by SQL: the companies closed by the reference moment
    # with their users and clients (respondents), the users who closed their own account,
    # then what points at those: support messages, consents, verbatims, their analyses
    # and the analyses' topics.
    companies = _ids(engine, "SELECT id FROM client_companies WHERE closed_at <= :c", c=REFERENCE)
    closed_users = _ids(engine, "SELECT id FROM users WHERE closed_at <= :c", c=REFERENCE)
    staff = _ids(engine, f"SELECT id FROM users WHERE company_id IN ({_in(companies)})")
    users = staff | closed_users
    respondents = _ids(engine, f"SELECT id FROM respondents WHERE company_id IN ({_in(companies)})")
    feedback = _ids(engine, f"SELECT id FROM feedback WHERE respondent_id IN ({_in(respondents)})")
    analyses = _ids(engine, f"SELECT id FROM ai_analyses WHERE feedback_id IN ({_in(feedback)})")
    gone = {
        "client_companies": companies,
        "users": users,
        "support_messages": _ids(
            engine, f"SELECT id FROM support_messages WHERE user_id IN ({_in(users)})"
        ),
        "respondents": respondents,
        "consents": _ids(
            engine, f"SELECT id FROM consents WHERE respondent_id IN ({_in(respondents)})"
        ),
        "feedback": feedback,
        "ai_analyses": analyses,
        "analysis_topics": _ids(
            engine, f"SELECT id FROM analysis_topics WHERE analysis_id IN ({_in(analyses)})"
        ),
    }
    assert all(gone.values()), gone  # the closed accounts hold rows in every table
    assert closed_users - staff  # users closed their own account at open companies too

    totals = _run_sweep(store, vault, declaration, demo)

    after = _tables(engine, demo)
    for name, rows in before.items():
        expected = {key: row for key, row in rows.items() if key not in gone[name]}
        assert after[name] == expected, name  # the due rows gone, every other row unchanged
    # The closed companies went first, and their staff with them: a user of theirs who
    # also closed their own account is no longer there for the users' sweep.
    own = closed_users - staff
    own_messages = {key for key, row in before["support_messages"].items() if row[1] in own}
    assert totals[COMPANIES]["claimed"] == totals[COMPANIES]["deleted"] == len(companies)
    assert totals[COMPANIES]["cascaded"] == (
        sum(len(ids) for name, ids in gone.items() if name != "client_companies")
        - len(own)
        - len(own_messages)
    )
    assert totals[USERS]["claimed"] == totals[USERS]["deleted"] == len(own)
    assert totals[USERS]["cascaded"] == len(own_messages)
    assert totals[COMPANIES]["gone"] == totals[USERS]["gone"] == 0
    # Nothing is due any more.
    assert {name: p.due for name, p in _plan(declaration, demo).items()} == {
        COMPANIES: 0, USERS: 0,
    }  # fmt: skip


def _plan(declaration: Declaration, demo: DemoResult) -> dict[str, PlannedSweep]:
    return plan_at(declaration, demo, NOW)


def _run_sweep(
    store: Store, vault: Vault, declaration: Declaration, demo: DemoResult
) -> dict[str, dict[str, int]]:
    """A retention run at ``NOW``, one row a batch."""
    return run_at(store, vault, declaration, demo, NOW, batch_rows=1)
