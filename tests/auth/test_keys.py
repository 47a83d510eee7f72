"""API keys: shown once, stored hashed, revocable (their throttle: test_throttle.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from actors import ACTOR
from gardien.auth import (
    AuthError,
    Permission,
    Role,
    allows,
    authenticate,
    create_key,
    list_keys,
    parse_token,
    revoke_key,
)
from gardien.auth.tables import api_keys
from gardien.store import Store


def test_created_key_authenticates_with_its_role(store: Store) -> None:
    with store.engine.begin() as conn:
        new = create_key(conn, Role.SERVICE, "product backend", actor=ACTOR)
    with store.engine.connect() as conn:
        key = authenticate(conn, new.token)
    assert key.role is Role.SERVICE and key.label == "product backend"
    assert new.token.startswith(f"gdn_{key.prefix}_")


def test_secret_is_not_stored_and_not_in_repr(store: Store) -> None:
    with store.engine.begin() as conn:
        new = create_key(conn, Role.ADMIN, actor=ACTOR)
    secret = new.token.split("_")[2]
    with store.engine.connect() as conn:
        stored = conn.execute(select(api_keys)).one()
    assert secret.encode() not in bytes(stored.secret_hash)
    assert secret not in repr(new) and secret not in repr(new.key)


def test_wrong_secret_and_unknown_prefix_are_refused(store: Store) -> None:
    with store.engine.begin() as conn:
        new = create_key(conn, Role.DPO, actor=ACTOR)
    prefix, secret = parse_token(new.token)
    wrong = f"gdn_{prefix}_{'A' * len(secret)}"
    unknown = f"gdn_{'Z' * len(prefix)}_{secret}"
    with store.engine.connect() as conn:
        for token in (wrong, unknown):
            with pytest.raises(AuthError, match="unknown API key"):
                authenticate(conn, token)


def test_revoked_key_is_refused(store: Store) -> None:
    with store.engine.begin() as conn:
        new = create_key(conn, Role.AGENT, actor=ACTOR)
        revoked = revoke_key(conn, new.key.prefix, actor=ACTOR)
    assert revoked.revoked_at is not None
    with store.engine.connect() as conn, pytest.raises(AuthError, match="revoked"):
        authenticate(conn, new.token)
    with store.engine.connect() as conn:
        assert [k.prefix for k in list_keys(conn)] == [new.key.prefix]


def test_revoking_an_unknown_prefix(store: Store) -> None:
    with store.engine.begin() as conn, pytest.raises(AuthError, match="no API key with prefix"):
        revoke_key(conn, "nothere1", actor=ACTOR)


@given(st.text(max_size=60))
def test_malformed_tokens_never_reach_the_database(token: str) -> None:
    if token.startswith("gdn_") and token.count("_") == 2:
        return  # may be well formed; covered by the tests above
    with pytest.raises(AuthError, match="malformed API key"):
        parse_token(token)


def test_role_matrix() -> None:
    assert allows(Role.ADMIN, Permission.AUDIT_READ)
    assert allows(Role.DPO, Permission.AUDIT_READ)
    assert not allows(Role.SERVICE, Permission.AUDIT_READ)
    assert not allows(Role.AGENT, Permission.SUBJECTS_ERASE)
    assert allows(Role.SERVICE, Permission.CHECKS)
    assert not allows(Role.DPO, Permission.CHECKS)
