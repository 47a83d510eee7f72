"""Staff accounts and console sessions: passwords, lockout, expiry (with a controlled clock).

Hashes are made at argon2's real parameters where the parameters are what is
tested (``test_hashes_are_argon2id_at_this_gardiens_parameters``, rehash,
timing); elsewhere at a test cost, as in ``tests/web/console``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, extract_parameters
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from actors import ACTOR
from gardien.audit import Actor, audit_log
from gardien.auth import (
    PasswordRejectedError,
    Role,
    SessionPolicy,
    SignInOutcome,
    StaffAccountError,
    StaffUser,
    check_password,
    create_user,
    current_session,
    disable_user,
    end_session,
    list_users,
    open_session,
    reset_password,
    sign_in,
)
from gardien.auth import passwords as password_module
from gardien.auth.tables import staff_sessions, staff_users
from gardien.store import Store

PASSWORD = "correct horse battery staple"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def cheap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    password_module.decoy_hash.cache_clear()
    monkeypatch.setattr(password_module, "hasher", lambda: hasher)
    yield
    password_module.decoy_hash.cache_clear()


def _actor(user: StaffUser | None) -> Actor:
    return Actor(user.actor_name if user else "console", "anonymous", None)


def _user(store: Store, email: str = "dpo@example.fr", role: Role = Role.DPO) -> StaffUser:
    with store.engine.begin() as conn:
        return create_user(conn, email, PASSWORD, role, actor=ACTOR, now=T0)


def _sign_in(store: Store, email: str, password: str, at: dt.datetime) -> SignInOutcome:
    with store.engine.begin() as conn:
        return sign_in(conn, email, password, actor_for=_actor, now=at).outcome


# Passwords ----------------------------------------------------------------------------


@given(st.text(max_size=11))
def test_a_password_under_twelve_characters_is_refused_saying_why(password: str) -> None:
    with pytest.raises(PasswordRejectedError, match="at least 12"):
        check_password(password)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaaaaaaaa", "repeated character"),
        ("123456789012", "run of the keyboard"),
        ("azertyuiopqsd", "run of the keyboard"),
        ("password1234", "most common"),
        ("camille.dupont-2026!", "e-mail"),
        ("x" * 129, "longer than 128"),
    ],
)
def test_guessable_passwords_are_refused(password: str, why: str) -> None:
    with pytest.raises(PasswordRejectedError, match=why):
        check_password(password, "camille.dupont@example.fr")


def test_hashes_are_argon2id_at_this_gardiens_parameters(store: Store) -> None:
    user = _user(store)
    with store.engine.connect() as conn:
        stored = conn.execute(select(staff_users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert not password_module.needs_rehash(stored)
    assert PASSWORD not in repr(user) and user.email not in repr(user)


def test_a_hash_made_under_other_parameters_is_remade_at_the_next_sign_in(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(password_module, "hasher", lambda: old)
    _user(store)
    monkeypatch.undo()
    with store.engine.connect() as conn:
        before = conn.execute(select(staff_users.c.password_hash)).scalar_one()
    assert password_module.needs_rehash(before)
    assert _sign_in(store, "dpo@example.fr", PASSWORD, T0) is SignInOutcome.SUCCESS
    with store.engine.connect() as conn:
        after = conn.execute(select(staff_users.c.password_hash)).scalar_one()
        details = conn.execute(select(audit_log.c.details).where(
            audit_log.c.action == "user.login")).scalar_one()  # fmt: skip
    assert after != before and not password_module.needs_rehash(after)
    assert json.loads(details)["rehashed"] is True


def test_an_unknown_email_costs_the_same_work_as_a_wrong_password(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same work, counted rather than timed (a timing under load proves nothing): one
    argon2 verification each, against a hash made with the real parameters."""
    _user(store)
    real = password_module.hasher()
    checked: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checked.append(str(hash))
            return real.verify(hash, password)

    counting = Counting()
    monkeypatch.setattr(password_module, "hasher", lambda: counting)
    password_module.decoy_hash.cache_clear()
    for email in ("dpo@example.fr", "nobody@example.fr"):
        checked.clear()
        assert _sign_in(store, email, "wrong password here", T0) is not SignInOutcome.SUCCESS
        [verified] = checked  # one verification, for a known and an unknown e-mail alike
        parameters = extract_parameters(verified)
        assert (parameters.time_cost, parameters.memory_cost) == (
            real.time_cost,
            real.memory_cost,
        )
    password_module.decoy_hash.cache_clear()


# Accounts -----------------------------------------------------------------------------


def test_an_account_is_named_in_the_trail_by_its_id_never_its_email(
    store: Store, cheap: None
) -> None:
    user = _user(store, "Camille@Example.FR", Role.AGENT)
    assert user.email == "camille@example.fr" and user.actor_name == f"user:{user.id}"
    with store.engine.connect() as conn:
        entry = conn.execute(select(audit_log)).one()
    assert entry.action == "user.create" and user.id in entry.details
    assert "example" not in entry.details


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("not an address", Role.DPO, "e-mail address"),
        ("ops@example.fr", Role.SERVICE, "admin, dpo or agent"),
        ("dpo@example.fr", Role.ADMIN, "already has this e-mail"),
    ],
)
def test_a_bad_account_is_refused_and_nothing_is_written(
    store: Store, cheap: None, email: str, role: Role, message: str
) -> None:
    _user(store)
    with store.engine.connect() as conn:
        entries = len(conn.execute(select(audit_log)).all())
    with pytest.raises(StaffAccountError, match=message), store.engine.begin() as conn:
        create_user(conn, email, PASSWORD, role, actor=ACTOR)
    with store.engine.connect() as conn:
        assert len(conn.execute(select(staff_users)).all()) == 1
        assert len(conn.execute(select(audit_log)).all()) == entries


# Lockout ------------------------------------------------------------------------------


def test_five_failures_within_fifteen_minutes_lock_the_account_for_fifteen(
    store: Store, cheap: None
) -> None:
    _user(store)
    for minute in range(5):
        outcome = _sign_in(
            store, "dpo@example.fr", "wrong password!!", T0 + dt.timedelta(minutes=minute)
        )
        assert outcome is (SignInOutcome.LOCKED if minute == 4 else SignInOutcome.FAILURE)
    at = T0 + dt.timedelta(minutes=10)
    assert _sign_in(store, "dpo@example.fr", PASSWORD, at) is SignInOutcome.LOCKED
    at = T0 + dt.timedelta(minutes=4, seconds=15 * 60 + 1)
    assert _sign_in(store, "dpo@example.fr", PASSWORD, at) is SignInOutcome.SUCCESS
    with store.engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.actor, audit_log.c.details).where(
            audit_log.c.action == "user.login").order_by(audit_log.c.seq)).all()  # fmt: skip
    outcomes = [json.loads(r.details)["outcome"] for r in rows]
    assert outcomes == ["failure"] * 4 + ["locked", "locked", "success"]
    assert json.loads(rows[4].details)["locked_now"] is True


def test_failures_spread_over_more_than_the_window_do_not_lock(store: Store, cheap: None) -> None:
    _user(store)
    for n in range(8):
        at = T0 + dt.timedelta(minutes=16 * n)
        assert _sign_in(store, "dpo@example.fr", "wrong password!!", at) is SignInOutcome.FAILURE


def test_a_new_password_lifts_the_lock_and_ends_the_sessions(store: Store, cheap: None) -> None:
    user = _user(store)
    with store.engine.begin() as conn:
        token = open_session(conn, user, now=T0)
    for minute in range(5):
        _sign_in(store, "dpo@example.fr", "wrong password!!", T0 + dt.timedelta(minutes=minute))
    with store.engine.begin() as conn:
        reset_password(conn, "dpo@example.fr", "another long passphrase", actor=ACTOR, now=T0)
    at = T0 + dt.timedelta(minutes=6)
    with store.engine.begin() as conn:
        assert current_session(conn, token, now=at) is None
    assert _sign_in(store, "dpo@example.fr", PASSWORD, at) is SignInOutcome.FAILURE
    assert _sign_in(store, "dpo@example.fr", "another long passphrase", at) is SignInOutcome.SUCCESS


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(store: Store, cheap: None) -> None:
    user = _user(store)
    with store.engine.begin() as conn:
        token = open_session(conn, user, now=T0)
        disable_user(conn, "dpo@example.fr", actor=ACTOR, now=T0)
    with store.engine.begin() as conn:
        assert current_session(conn, token, now=T0) is None
        assert list_users(conn)[0].disabled_at is not None
    assert _sign_in(store, "dpo@example.fr", PASSWORD, T0) is SignInOutcome.FAILURE


# Sessions -----------------------------------------------------------------------------


def test_a_session_ends_after_thirty_idle_minutes(store: Store, cheap: None) -> None:
    user = _user(store)
    policy = SessionPolicy()
    with store.engine.begin() as conn:
        token = open_session(conn, user, policy=policy, now=T0)
    at = T0
    for _ in range(3):  # used every 29 minutes: alive
        at += dt.timedelta(minutes=29)
        with store.engine.begin() as conn:
            assert current_session(conn, token, policy=policy, now=at) is not None
    with store.engine.begin() as conn:
        assert (
            current_session(conn, token, policy=policy, now=at + dt.timedelta(minutes=30)) is None
        )


def test_a_session_ends_after_twelve_hours_however_used(store: Store, cheap: None) -> None:
    user = _user(store)
    with store.engine.begin() as conn:
        token = open_session(conn, user, now=T0)
    at = T0
    while at < T0 + dt.timedelta(hours=11, minutes=50):
        at += dt.timedelta(minutes=10)
        with store.engine.begin() as conn:
            assert current_session(conn, token, now=at) is not None
    with store.engine.begin() as conn:
        assert current_session(conn, token, now=T0 + dt.timedelta(hours=12)) is None


def test_logout_ends_the_session_in_the_store_and_only_its_hash_is_kept(
    store: Store, cheap: None
) -> None:
    user = _user(store)
    with store.engine.begin() as conn:
        token = open_session(conn, user, now=T0)
        other = open_session(conn, user, now=T0)
    with store.engine.connect() as conn:
        hashes = conn.execute(select(staff_sessions.c.token_hash)).scalars().all()
    assert all(token.encode() not in bytes(h) for h in hashes)
    with store.engine.begin() as conn:
        assert end_session(conn, token, actor=_actor(user), now=T0)
        assert not end_session(conn, token, actor=_actor(user), now=T0)  # once
    with store.engine.begin() as conn:
        assert current_session(conn, token, now=T0) is None
        assert current_session(conn, other, now=T0) is not None  # another browser's
        assert current_session(conn, "forged", now=T0) is None
