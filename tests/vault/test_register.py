"""Registering, finding, reading, updating and erasing subjects, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from actors import ACTOR
from gardien.store import Store
from gardien.vault import (
    AttributesError,
    IdentityConflictError,
    IdentityError,
    MasterKey,
    SubjectErasedError,
    SubjectNotFound,
    Vault,
    VaultError,
)
from gardien.vault.tables import data_keys, subject_identities, subjects


def _counts(store: Store) -> tuple[int, int, int]:
    with store.engine.connect() as conn:
        n_subjects = conn.execute(select(func.count()).select_from(subjects)).scalar_one()
        n_identities = conn.execute(
            select(func.count()).select_from(subject_identities)
        ).scalar_one()
    with store.keystore.connect() as conn:
        n_keys = conn.execute(select(func.count()).select_from(data_keys)).scalar_one()
    return n_subjects, n_identities, n_keys


def test_register_then_read_round_trip(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        registration = vault.register(
            conn,
            {"email": "alice@example.com", "user_id": "u-42", "phone": "+33 6 12 34 56 78"},
            {"name": "Alice Martin", "plan": "pro", "tags": ["a", "b"], "age": 37},
            actor=ACTOR,
        )
    assert registration.created
    with store.engine.connect() as conn:
        record = vault.read(conn, registration.subject_id, actor=ACTOR)
    assert record.subject_id == registration.subject_id
    assert record.identities == {
        "email": ["alice@example.com"],
        "user_id": ["u-42"],
        "phone": ["+33612345678"],
    }
    assert record.attributes == {
        "name": "Alice Martin",
        "plan": "pro",
        "tags": ["a", "b"],
        "age": 37,
    }
    assert record.erased_at is None and record.created_at.tzinfo is not None


def test_same_identity_returns_the_same_subject_and_merges(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        first = vault.register(
            conn, {"email": "bob@example.com"}, {"plan": "free", "lang": "fr"}, actor=ACTOR
        )
    with store.engine.begin() as conn:
        again = vault.register(
            conn,
            {"email": " BOB@Example.com", "device_id": "123E4567-E89B-12D3-A456-426614174000"},
            {"plan": "pro"},
            actor=ACTOR,
        )
    assert again.subject_id == first.subject_id and not again.created
    with store.engine.connect() as conn:
        record = vault.read(conn, first.subject_id, actor=ACTOR)
        assert vault.find(conn, "device_id", "123e4567e89b12d3a456426614174000") == first.subject_id
    assert record.identities == {
        "email": ["bob@example.com"],
        "device_id": ["123e4567-e89b-12d3-a456-426614174000"],
    }
    assert record.attributes == {"plan": "pro", "lang": "fr"}
    assert _counts(store) == (1, 2, 1)


def test_several_identities_of_one_kind(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        first = vault.register(conn, {"user_id": "42", "email": "c1@example.com"}, actor=ACTOR)
        second = vault.register(conn, {"user_id": "42", "email": "c2@example.com"}, actor=ACTOR)
        assert second.subject_id == first.subject_id
        record = vault.read(conn, first.subject_id, actor=ACTOR)
        assert record.identities["email"] == ["c1@example.com", "c2@example.com"]
        assert vault.find(conn, "email", "C2@example.com") == first.subject_id


def test_find_normalises_and_misses_cleanly(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        subject = vault.register(conn, {"email": "alice@example.com"}, actor=ACTOR).subject_id
        assert vault.find(conn, "email", "Alice@Example.COM ") == subject
        assert vault.find(conn, "email", "nobody@example.com") is None
        # The blind index covers the kind: the same text under another kind is another identity.
        assert vault.find(conn, "user_id", "alice@example.com") is None
        assert vault.find_any(conn, {"user_id": "zz", "email": "ALICE@example.com"}) == subject
        assert vault.find_any(conn, {"user_id": "zz"}) is None
        assert vault.find_any(conn, {}) is None


def test_identities_of_two_subjects_conflict(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        vault.register(conn, {"email": "a@example.com"}, actor=ACTOR)
        vault.register(conn, {"user_id": "b"}, actor=ACTOR)
        with pytest.raises(IdentityConflictError, match="2 different subjects"):
            vault.find_any(conn, {"email": "a@example.com", "user_id": "b"})
        with pytest.raises(IdentityConflictError):
            vault.register(conn, {"email": "a@example.com", "user_id": "b"}, actor=ACTOR)
    assert _counts(store) == (2, 2, 2)


@pytest.mark.parametrize(
    ("identities", "message"),
    [
        ({"email": "not-an-address"}, "identity 'email' is not an e-mail address"),
        ({"email": "   "}, "identity 'email' is empty"),
        ({"phone": "call me"}, "identity 'phone' is not a phone number"),
        ({"device_id": "abc"}, "identity 'device_id' is not a UUID"),
        ({"Email": "a@example.com"}, "an identity kind must be lower-case"),
        ({"user_id": ""}, "identity 'user_id' is empty"),
        ({"user_id": 42}, "identity 'user_id' must be text"),
        ({}, "give at least one identity"),
        ({"email": "ok@example.com", "phone": "zzz-secret"}, "identity 'phone'"),
    ],
)
def test_bad_identities_write_nothing(
    store: Store, vault: Vault, identities: dict[str, str], message: str
) -> None:
    with store.engine.begin() as conn, pytest.raises(IdentityError, match=message) as caught:
        vault.register(conn, identities, {"name": "Alice"}, actor=ACTOR)
    for value in identities.values():
        if isinstance(value, str) and value.strip():
            assert value not in str(caught.value)
    assert _counts(store) == (0, 0, 0)


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"score": float("nan")}, "attributes.score: NaN"),
        ({"nested": {1: "x"}}, "attributes.nested: every key must be text"),
        ({"contacts": {"bob@example.com": float("inf")}}, r"attributes\.contacts\.\*: NaN"),
        ({"when": object()}, "attributes.when: a object is not a JSON value"),
        ({"bad": "\ud800"}, "lone surrogate"),
    ],
)
def test_bad_attributes_write_nothing(
    store: Store, vault: Vault, attributes: dict[str, object], message: str
) -> None:
    with store.engine.begin() as conn, pytest.raises(AttributesError, match=message):
        vault.register(conn, {"email": "a@example.com"}, attributes, actor=ACTOR)  # type: ignore[arg-type]
    assert _counts(store) == (0, 0, 0)


def test_update_attributes_merges_and_removes(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        subject = vault.register(
            conn, {"email": "a@example.com"}, {"a": 1, "b": 2}, actor=ACTOR
        ).subject_id
        vault.update_attributes(conn, subject, {"b": 3, "c": None}, remove=["a"], actor=ACTOR)
        assert vault.read(conn, subject, actor=ACTOR).attributes == {"b": 3, "c": None}


def test_unknown_subject(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        for subject_id in ("0" * 32, "not-an-id", "../etc"):
            with pytest.raises(SubjectNotFound, match="no subject has this id"):
                vault.read(conn, subject_id, actor=ACTOR)
            with pytest.raises(SubjectNotFound):
                vault.erase(conn, subject_id, actor=ACTOR)
            with pytest.raises(SubjectNotFound):
                vault.update_attributes(conn, subject_id, {"a": 1}, actor=ACTOR)


def test_erase_leaves_a_tombstone_and_is_idempotent(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        subject = vault.register(
            conn, {"email": "a@example.com"}, {"name": "Alice"}, actor=ACTOR
        ).subject_id
        other = vault.register(
            conn, {"email": "b@example.com"}, {"name": "Bob"}, actor=ACTOR
        ).subject_id
    with store.engine.begin() as conn:
        assert vault.erase(conn, subject, actor=ACTOR) is True
    with store.engine.begin() as conn:
        assert vault.erase(conn, subject, actor=ACTOR) is False
        record = vault.read(conn, subject, actor=ACTOR)
        assert record.erased_at is not None and record.identities == {} and record.attributes == {}
        assert vault.find(conn, "email", "a@example.com") is None
        with pytest.raises(SubjectErasedError):
            vault.update_attributes(conn, subject, {"name": "Alice"}, actor=ACTOR)
        row = conn.execute(select(subjects).where(subjects.c.id == subject)).one()
        assert row.attributes is None
        assert vault.read(conn, other, actor=ACTOR).attributes == {"name": "Bob"}
    assert _counts(store) == (2, 1, 1)
    # Erased means forgotten: the same e-mail registers a new subject.
    with store.engine.begin() as conn:
        again = vault.register(conn, {"email": "a@example.com"}, actor=ACTOR)
    assert again.created and again.subject_id != subject


def test_erasure_rolled_back_in_main_store_is_rerunnable(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        subject = vault.register(
            conn, {"email": "a@example.com"}, {"name": "Alice"}, actor=ACTOR
        ).subject_id
    with store.engine.connect() as conn:
        conn.begin()
        vault.erase(conn, subject, actor=ACTOR)
        conn.rollback()  # a crash after the key was destroyed, before the tombstone
    with store.engine.begin() as conn:
        assert vault.erase(conn, subject, actor=ACTOR) is True
        assert vault.read(conn, subject, actor=ACTOR).erased_at is not None
    assert _counts(store) == (1, 0, 0)


def test_caller_rollback_of_registration_leaves_only_a_harmless_key(
    store: Store, vault: Vault
) -> None:
    with store.engine.connect() as conn:
        conn.begin()
        vault.register(conn, {"email": "a@example.com"}, {"name": "Alice"}, actor=ACTOR)
        conn.rollback()
    assert _counts(store) == (0, 0, 1)
    with store.engine.begin() as conn:
        assert vault.find(conn, "email", "a@example.com") is None
        assert vault.register(conn, {"email": "a@example.com"}, actor=ACTOR).created


def test_blind_id_and_derived_secrets(store: Store, vault: Vault, master_key: MasterKey) -> None:
    with store.engine.begin() as conn:
        subject = vault.register(conn, {"email": "a@example.com"}, actor=ACTOR).subject_id
    blind = vault.blind_id(subject)
    assert len(blind) == 32 and int(blind, 16) >= 0 and subject not in blind
    again = Vault(store, master_key)  # another process, same stores
    assert again.blind_id(subject) == blind
    assert again.derived_secret("unsubscribe") == vault.derived_secret("unsubscribe")
    assert len(vault.derived_secret("unsubscribe")) == 32
    assert vault.derived_secret("unsubscribe") != vault.derived_secret("audit")
    with pytest.raises(VaultError, match="purpose name is lower-case"):
        vault.derived_secret("Bad Name")
    with pytest.raises(Exception, match="blind-index key is the vault's own"):
        vault.derived_secret("blind_index")
