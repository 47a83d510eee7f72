"""The viky.ai demo bound to the retention its policy promises, planned and swept at the
demo's reference moment.

The policy ("Privacy policy - viky.ai", November 14, 2019) gives one period: "This
information is kept until the account is deleted". The demo's ``users`` table is bound to
that rule from the event ``account_deletion``, which the platform tells gardien about
(here: for each account the demo's data marks deleted, ``deleted_at``, as the platform
would have when its holder deleted it); everything else the account holds points at it
by references followed down, and goes with it. Counts are checked against SQL written
here, not against gardien's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text

from gardien.audit import Actor
from gardien.declaration import Declaration, load_valid
from gardien.declaration.models import RetentionAction, RetentionEvent
from gardien.demo import DemoResult, build
from gardien.demo.people import REFERENCE
from gardien.retention import PlannedSweep, plan_events, record_event
from gardien.retention.tables import retention_events
from gardien.store import Store
from gardien.vault import Vault
from retention_demos import ids as _ids
from retention_demos import plan_at, run_at
from retention_demos import rows_by_id as _tables
from retention_demos import scalar as _scalar
from retention_demos import sql_in as _in

#: The demo's "now" (2025-06-30 18:00), as the aware UTC moment a run is for.
NOW = REFERENCE.replace(tzinfo=dt.UTC)
DATASTORE = "viky_platform"
SWEEP = f"{DATASTORE}.users:delete"
LEASE = dt.timedelta(seconds=60)

#: The collections not bound themselves, and the reference (followed down) by which each
#: follows a bound or covered parent: what is built with an account, its API logs and its
#: support tickets go with the account.
FOLLOWS = {
    "agents": ("owner_id", "users"),
    "intents": ("agent_id", "agents"),
    "expressions": ("intent_id", "intents"),
    "api_requests": ("user_id", "users"),
    "support_tickets": ("user_id", "users"),
}


@pytest.fixture
def demo(tmp_path: Path) -> DemoResult:
    return build(tmp_path / "demo", "viky", people=200, seed=1)


@pytest.fixture
def declaration(demo: DemoResult) -> Declaration:
    return load_valid(demo.declaration)


@pytest.fixture
def engine(demo: DemoResult) -> Iterator[Engine]:
    made = create_engine(demo.database_url)
    yield made
    made.dispose()


def test_the_users_are_bound_to_the_rule_the_policy_promises(
    demo: DemoResult, declaration: Declaration
) -> None:
    collections = declaration.datastores[DATASTORE].collections
    bound = {name: c.retention for name, c in collections.items() if c.retention is not None}
    assert set(bound) == {"users"}
    binding = bound["users"]
    # "Retention and Use": "This information is kept until the account is deleted and is
    # only used to access the www.viky.ai platform." No period: it goes once deleted.
    assert (binding.rule, binding.event, binding.anchor, binding.fields, binding.archive) == (
        "until_account_deletion", RetentionEvent.ACCOUNT_DELETION, None, (), None,
    )  # fmt: skip
    rule = declaration.retention[binding.rule]
    assert rule.until is RetentionEvent.ACCOUNT_DELETION
    assert rule.duration is None and rule.archive is None
    assert rule.then is RetentionAction.DELETE
    # The purposes that use the account's data promise the same.
    for purpose in ("accounts", "support"):
        assert declaration.purposes[purpose].retention == "until_account_deletion"
    # Every other table holding personal data follows the account down.
    for name, (field, parent) in FOLLOWS.items():
        reference = collections[name].fields[field].references
        assert reference is not None and reference.collection == parent, name
        assert reference.follow.down, name
    personal = {
        table.name
        for table in demo.company.metadata.sorted_tables
        if any(column.info.get("personal") for column in table.columns)
    }
    assert personal == {"users", *FOLLOWS}


def test_the_plan_at_the_reference_moment_matches_an_independent_count(
    demo: DemoResult, declaration: Declaration, engine: Engine, store: Store, vault: Vault
) -> None:
    _tell_gardien(engine, store, vault, declaration)
    before = _tables(engine, demo)
    assert set(_plan(declaration, demo)) == set()  # no sweep runs from a date column
    with store.engine.connect() as conn:
        (users,) = plan_events(conn, declaration, NOW)
    assert _tables(engine, demo) == before  # a dry run changes nothing
    assert users.sweep.name == SWEEP
    assert (users.sweep.rule_id, users.sweep.anchor) == (
        "until_account_deletion", "event:account_deletion",
    )  # fmt: skip
    # No period: the cutoff is the moment itself, a deleted account is due at once.
    cutoff = REFERENCE
    assert users.cutoff == NOW
    due = _scalar(engine, "SELECT count(*) FROM users WHERE deleted_at <= :c", c=cutoff)
    oldest = _scalar(engine, "SELECT min(deleted_at) FROM users WHERE deleted_at <= :c", c=cutoff)
    assert users.due == due
    assert users.oldest is not None
    assert users.oldest.replace(tzinfo=None) == dt.datetime.fromisoformat(str(oldest))
    assert users.soon == 0  # deletions are all in the demo's past
    assert users.held_by == ()
    # Some accounts are due, most are open (the known person's among them).
    still_open = _ids(engine, "SELECT id FROM users WHERE deleted_at IS NULL")
    assert 0 < due < len(still_open)
    assert 1 in still_open
    assert due + len(still_open) == len(before["users"])


def test_the_sweep_deletes_the_deleted_accounts_and_what_they_hold_and_nothing_else(
    demo: DemoResult, declaration: Declaration, engine: Engine, store: Store, vault: Vault
) -> None:
    before = _tables(engine, demo)
    # What should go, found here by SQL: the accounts deleted by the reference moment,
    # their agents, those agents' intents and their training sentences, the accounts'
    # API logs (and any call to one of their agents) and support tickets.
    users = _ids(engine, "SELECT id FROM users WHERE deleted_at <= :c", c=REFERENCE)
    agents = _ids(engine, f"SELECT id FROM agents WHERE owner_id IN ({_in(users)})")
    intents = _ids(engine, f"SELECT id FROM intents WHERE agent_id IN ({_in(agents)})")
    gone = {
        "users": users,
        "agents": agents,
        "intents": intents,
        "expressions": _ids(
            engine, f"SELECT id FROM expressions WHERE intent_id IN ({_in(intents)})"
        ),
        "api_requests": _ids(
            engine,
            f"SELECT id FROM api_requests WHERE user_id IN ({_in(users)}) "
            f"OR agent_id IN ({_in(agents)})",
        ),
        "support_tickets": _ids(
            engine, f"SELECT id FROM support_tickets WHERE user_id IN ({_in(users)})"
        ),
    }
    assert all(gone.values()), gone  # the deleted accounts hold rows in every table
    assert len(users) > 5  # more than one batch

    _tell_gardien(engine, store, vault, declaration)
    totals = _run_sweep(store, vault, declaration, demo)

    after = _tables(engine, demo)
    for name, rows in before.items():
        expected = {key: row for key, row in rows.items() if key not in gone[name]}
        assert after[name] == expected, name  # the due rows gone, every other row unchanged
    assert totals["events"] == totals["claimed"] == totals["deleted"] == len(users)
    assert totals["cascaded"] == sum(len(ids) for name, ids in gone.items() if name != "users")
    assert totals["gone"] == 0
    # Nothing is due any more: every event is done, its identities dropped.
    with store.engine.connect() as conn:
        assert [p.due for p in plan_events(conn, declaration, NOW)] == [0]
        events = conn.execute(select(retention_events)).all()
    assert len(events) == len(users)
    assert all(e.done_at is not None and e.identities_sealed is None for e in events)


def _tell_gardien(engine: Engine, store: Store, vault: Vault, declaration: Declaration) -> None:
    """What the platform did as each holder deleted their account: tell gardien, with the
    account's user id and e-mail address, when it happened (the demo's ``deleted_at``)."""
    with engine.connect() as conn:
        deleted = conn.execute(
            text("SELECT id, email, deleted_at FROM users WHERE deleted_at IS NOT NULL")
        ).all()
    actor = Actor("viky-platform", "service", None, blind=vault.blind_id)
    with store.engine.begin() as conn:
        for user_id, email, deleted_at in deleted:
            moment = deleted_at if isinstance(deleted_at, dt.datetime) else (
                dt.datetime.fromisoformat(str(deleted_at))
            )  # fmt: skip
            record_event(
                conn, vault, declaration, "account_deletion",
                {"user_id": str(user_id), "email": email}, actor=actor,
                occurred_at=moment.replace(tzinfo=dt.UTC), now=NOW,
            )  # fmt: skip


def _plan(declaration: Declaration, demo: DemoResult) -> dict[str, PlannedSweep]:
    return plan_at(declaration, demo, NOW)


def _run_sweep(
    store: Store, vault: Vault, declaration: Declaration, demo: DemoResult
) -> dict[str, int]:
    """A retention run at ``NOW``; the users sweep's batch counts summed."""
    return run_at(store, vault, declaration, demo, NOW).get(SWEEP, {})
