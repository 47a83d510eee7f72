"""Rectifying a subject's identities (Art. 16): replaced or removed, on both backends.

The new value is found and the old one is not; a value held by another
subject is a conflict that changes nothing; the last identity is never
removed; the audit trail names kinds, never values.
"""

from __future__ import annotations

import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from actors import ACTOR, actor_of
from gardien.audit import audit_log
from gardien.store import Store
from gardien.vault import (
    IdentityConflictError,
    IdentityError,
    MasterKey,
    SubjectErasedError,
    SubjectNotFound,
    Vault,
)


def _register(store: Store, vault: Vault, identities: dict[str, str]) -> str:
    with store.engine.begin() as conn:
        return vault.register(conn, identities, {"name": "Alice"}, actor=ACTOR).subject_id


def _identities(store: Store, vault: Vault, subject: str) -> dict[str, list[str]]:
    with store.engine.connect() as conn:
        return vault.read(conn, subject, actor=ACTOR).identities


def _entries(store: Store, action: str) -> list[dict[str, object]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.subject_blind_id, audit_log.c.details)
            .where(audit_log.c.action == action)
            .order_by(audit_log.c.seq)
        )
        return [{"subject": row.subject_blind_id, **json.loads(row.details)} for row in rows]


def _audit_text(store: Store) -> str:
    with store.engine.connect() as conn:
        return " ".join(
            f"{row.subject_blind_id} {row.details}"
            for row in conn.execute(select(audit_log.c.subject_blind_id, audit_log.c.details))
        )


def test_replaced_email_is_found_by_the_new_value_only(store: Store, vault: Vault) -> None:
    subject = _register(store, vault, {"email": "alice@old.example", "user_id": "u-1"})
    actor = actor_of(vault)
    with store.engine.begin() as conn:
        changed = vault.replace_identity(conn, subject, "email", " Alice@New.Example ", actor=actor)
    assert changed is True
    with store.engine.connect() as conn:
        assert vault.find(conn, "email", "alice@new.example") == subject
        assert vault.find(conn, "email", "alice@old.example") is None
        assert vault.find(conn, "user_id", "u-1") == subject
    assert _identities(store, vault, subject) == {
        "user_id": ["u-1"],
        "email": ["alice@new.example"],
    }
    assert _entries(store, "subject.identity_change") == [
        {"subject": vault.blind_id(subject), "kind": "email", "change": "replaced", "removed": 1}
    ]
    trail = _audit_text(store)
    assert "alice" not in trail.lower() and "example" not in trail


def test_replacing_drops_every_identity_of_the_kind(store: Store, vault: Vault) -> None:
    subject = _register(store, vault, {"email": "a@one.example", "user_id": "u-2"})
    with store.engine.begin() as conn:
        vault.register(conn, {"email": "a@two.example", "user_id": "u-2"}, actor=ACTOR)
    assert _identities(store, vault, subject)["email"] == ["a@one.example", "a@two.example"]
    with store.engine.begin() as conn:
        # One of the two is the new value: it stays, the other goes.
        assert vault.replace_identity(conn, subject, "email", "a@two.example", actor=ACTOR)
    assert _identities(store, vault, subject)["email"] == ["a@two.example"]
    with store.engine.begin() as conn:
        vault.register(conn, {"email": "a@three.example", "user_id": "u-2"}, actor=ACTOR)
        assert vault.replace_identity(conn, subject, "email", "a@four.example", actor=ACTOR)
    assert _identities(store, vault, subject)["email"] == ["a@four.example"]
    assert [e["removed"] for e in _entries(store, "subject.identity_change")] == [1, 2]


def test_replacing_with_the_same_value_changes_nothing(store: Store, vault: Vault) -> None:
    subject = _register(store, vault, {"phone": "+33 6 12 34 56 78"})
    with store.engine.begin() as conn:
        same = vault.replace_identity(conn, subject, "phone", "06.12.34.56.78", actor=ACTOR)
        assert same is True  # another normal form: a different identity
        again = vault.replace_identity(conn, subject, "phone", "06 12 34 56 78", actor=ACTOR)
    assert again is False
    assert _identities(store, vault, subject) == {"phone": ["0612345678"]}
    assert len(_entries(store, "subject.identity_change")) == 1


def test_a_kind_the_subject_lacks_is_added(store: Store, vault: Vault) -> None:
    subject = _register(store, vault, {"user_id": "u-3"})
    with store.engine.begin() as conn:
        assert vault.replace_identity(conn, subject, "crm_id", "CRM-7", actor=ACTOR)
    assert _identities(store, vault, subject) == {"user_id": ["u-3"], "crm_id": ["CRM-7"]}
    assert _entries(store, "subject.identity_change")[0]["removed"] == 0


def test_a_value_another_subject_holds_is_a_conflict_that_changes_nothing(
    store: Store, vault: Vault
) -> None:
    alice = _register(store, vault, {"email": "alice@example.com"})
    bob = _register(store, vault, {"email": "bob@example.com", "user_id": "bob"})
    with (
        store.engine.begin() as conn,
        pytest.raises(IdentityConflictError, match="already belongs to another subject"),
    ):
        vault.replace_identity(conn, alice, "email", "BOB@example.com", actor=ACTOR)
    assert _identities(store, vault, alice) == {"email": ["alice@example.com"]}
    assert _identities(store, vault, bob) == {"email": ["bob@example.com"], "user_id": ["bob"]}
    with store.engine.connect() as conn:
        assert vault.find(conn, "email", "alice@example.com") == alice
    assert _entries(store, "subject.identity_change") == []


def test_bad_values_unknown_and_erased_subjects_are_refused(store: Store, vault: Vault) -> None:
    subject = _register(store, vault, {"email": "a@example.com", "user_id": "u-4"})
    with store.engine.begin() as conn:
        with pytest.raises(IdentityError, match="not an e-mail address") as refused:
            vault.replace_identity(conn, subject, "email", "not-an-address", actor=ACTOR)
        assert "not-an-address" not in str(refused.value)
        with pytest.raises(IdentityError, match="lower-case letters"):
            vault.remove_identity(conn, subject, "E-mail", actor=ACTOR)
        for unknown in ("0" * 32, "not-an-id"):
            with pytest.raises(SubjectNotFound):
                vault.replace_identity(conn, unknown, "email", "b@example.com", actor=ACTOR)
            with pytest.raises(SubjectNotFound):
                vault.remove_identity(conn, unknown, "email", actor=ACTOR)
    with store.engine.begin() as conn:
        vault.erase(conn, subject, actor=ACTOR)
    with store.engine.begin() as conn:
        with pytest.raises(SubjectErasedError, match="identities cannot be changed"):
            vault.replace_identity(conn, subject, "email", "b@example.com", actor=ACTOR)
        with pytest.raises(SubjectErasedError):
            vault.remove_identity(conn, subject, "user_id", actor=ACTOR)
        assert vault.find(conn, "email", "b@example.com") is None


def test_remove_one_value_or_a_whole_kind(store: Store, vault: Vault) -> None:
    subject = _register(
        store, vault, {"email": "a@one.example", "phone": "+33611111111", "user_id": "u-5"}
    )
    with store.engine.begin() as conn:
        vault.register(conn, {"email": "a@two.example", "user_id": "u-5"}, actor=ACTOR)
        assert vault.remove_identity(conn, subject, "email", "A@ONE.example", actor=ACTOR) == 1
        assert vault.find(conn, "email", "a@one.example") is None
        assert vault.find(conn, "email", "a@two.example") == subject
        # Nothing matches: nothing changes, and the call is still audited as a read.
        assert vault.remove_identity(conn, subject, "email", "a@one.example", actor=ACTOR) == 0
        assert vault.remove_identity(conn, subject, "device_id", actor=ACTOR) == 0
        assert vault.remove_identity(conn, subject, "phone", actor=ACTOR) == 1
    assert _identities(store, vault, subject) == {"email": ["a@two.example"], "user_id": ["u-5"]}
    assert [(e["kind"], e["change"]) for e in _entries(store, "subject.identity_change")] == [
        ("email", "removed"),
        ("phone", "removed"),
    ]


def test_the_last_identity_is_never_removed(store: Store, vault: Vault) -> None:
    subject = _register(store, vault, {"email": "a@one.example"})
    with store.engine.begin() as conn:
        vault.register(conn, {"email": "a@one.example", "user_id": "u-6"}, actor=ACTOR)
        assert vault.remove_identity(conn, subject, "user_id", actor=ACTOR) == 1
    for value in (None, "a@one.example"):
        with (
            store.engine.begin() as conn,
            pytest.raises(IdentityError, match="erase the subject instead"),
        ):
            vault.remove_identity(conn, subject, "email", value, actor=ACTOR)
    assert _identities(store, vault, subject) == {"email": ["a@one.example"]}


def test_replacement_losing_a_race_to_a_registration_is_a_conflict(
    store: Store, master_key: MasterKey
) -> None:
    """B registers the new value and has not committed when A replaces: A must fail clean.

    On PostgreSQL A's insert waits on the unique index and fails when B
    commits; on SQLite A waits at BEGIN IMMEDIATE and then sees B's subject.
    """
    vault = Vault(store, master_key)
    alice = _register(store, vault, {"email": "alice@example.com"})
    registered, finished = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def other() -> None:
        try:
            with store.engine.begin() as conn:
                Vault(store, master_key).register(conn, {"email": "new@example.com"}, actor=ACTOR)
                registered.set()
                finished.wait(1.0)  # A is blocked meanwhile (or has not started)
        except BaseException as exc:
            errors.append(exc)
            registered.set()

    thread = threading.Thread(target=other)
    thread.start()
    registered.wait(10)
    with (
        store.engine.begin() as conn,
        pytest.raises(IdentityConflictError, match="nothing was changed"),
    ):
        vault.replace_identity(conn, alice, "email", "new@example.com", actor=ACTOR)
    finished.set()
    thread.join(10)
    assert errors == []
    assert _identities(store, vault, alice) == {"email": ["alice@example.com"]}


emails = st.from_regex(r"[a-z0-9._%+-]{1,20}@[a-z0-9-]{1,15}(\.[a-z]{2,6}){1,2}", fullmatch=True)
phones = st.from_regex(r"\+?[0-9]{4,15}", fullmatch=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_email_or_phone_replaced_is_found_by_the_new_value_only(
    store: Store, vault: Vault, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(["email", "phone"]))
    values = emails if kind == "email" else phones
    old = data.draw(values, label="old")
    new = data.draw(values.filter(lambda v: v.lower() != old.lower()), label="new")
    with store.engine.begin() as conn:
        subject = vault.register(conn, {kind: old, "user_id": "property"}, actor=ACTOR).subject_id
        assert vault.replace_identity(conn, subject, kind, new, actor=ACTOR)
    with store.engine.begin() as conn:
        assert vault.find(conn, kind, new) == subject
        assert vault.find(conn, kind, old) is None
        assert vault.read(conn, subject, actor=ACTOR).identities[kind] == [
            new.lower() if kind == "email" else new
        ]
        vault.erase(conn, subject, actor=ACTOR)  # the next example registers afresh
