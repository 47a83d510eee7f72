"""The sign-in room on a real store: codes, attempts, expiry, sessions, the per-address limit."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from actors import actor_of
from gardien import signin
from gardien.errors import IdentityError
from gardien.jobs import jobs
from gardien.requests.intake import CodePolicy
from gardien.settings import Settings
from gardien.signin.sessions import email_index
from gardien.signin.tables import person_sessions, person_signins
from gardien.store import Store
from gardien.vault import Vault, load_master_key

T0 = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
CODES = CodePolicy(lifetime=dt.timedelta(minutes=15), controller="Example SAS")


@pytest.fixture
def vault(store: Store) -> Vault:
    settings = Settings(master_key=base64.b64encode(os.urandom(32)).decode())
    return Vault(store, load_master_key(settings))


def _start(store: Store, vault: Vault, email: str, now: dt.datetime = T0) -> signin.Started:
    with store.engine.begin() as conn:
        return signin.start(
            conn, vault, email, lang="fr", codes=CODES, actor=actor_of(vault), now=now
        )


def _code(store: Store, signin_id: str) -> str:
    """The code of the e-mail queued for ``signin_id``, read from its job as the worker would."""
    with store.engine.connect() as conn:
        for (payload,) in conn.execute(select(jobs.c.payload).order_by(jobs.c.id.desc())):
            data: dict[str, Any] = payload if isinstance(payload, dict) else json.loads(payload)
            if data["request_id"] == signin_id:
                found = re.search(r"\b(\d{6})\b", data["subject"])
                assert found is not None
                return found.group(1)
    raise AssertionError("no code was queued")


def _check(
    store: Store, vault: Vault, signin_id: str, code: str, now: dt.datetime = T0
) -> signin.CodeCheck:
    with store.engine.begin() as conn:
        return signin.check_code(conn, vault, signin_id, code, actor=actor_of(vault), now=now)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_right_code_opens_a_session_once(store: Store, vault: Vault) -> None:
    started = _start(store, vault, "  Alice@Example.COM ")
    assert started.signin_id is not None
    code = _code(store, started.signin_id)
    opened = _check(store, vault, started.signin_id, code)
    assert opened.session_id is not None and opened.why is None
    with store.engine.begin() as conn:
        person = signin.session(conn, vault, opened.session_id, now=T0)
        stored = conn.execute(select(person_sessions)).one()
        row = conn.execute(select(person_signins)).one()
    assert person is not None and person.email == "alice@example.com"
    # Only the session id's hash is stored, and the code's row keeps no address or code.
    assert stored.id_hash != opened.session_id and opened.session_id not in str(stored)
    assert row.code_hash is None and row.email_sealed is None
    assert b"alice" not in bytes(stored.email_sealed)
    # The same code again opens nothing.
    assert _check(store, vault, started.signin_id, code).why == "spent"


def test_five_wrong_codes_spend_it_and_each_is_counted(store: Store, vault: Vault) -> None:
    started = _start(store, vault, "bob@example.com")
    assert started.signin_id is not None
    code = _code(store, started.signin_id)
    lefts = [_check(store, vault, started.signin_id, _wrong(code)).attempts_left for _ in range(4)]
    assert lefts == [4, 3, 2, 1]
    last = _check(store, vault, started.signin_id, _wrong(code))
    assert (last.why, last.attempts_left) == ("spent", 0)
    # The right code no longer works: only a new one can sign in.
    assert _check(store, vault, started.signin_id, code).why == "spent"
    with store.engine.connect() as conn:
        assert conn.execute(select(person_signins.c.attempts)).scalar_one() == 5
        assert conn.execute(select(func.count()).select_from(person_sessions)).scalar_one() == 0


def test_a_code_expires_after_its_lifetime(store: Store, vault: Vault) -> None:
    started = _start(store, vault, "carol@example.com")
    assert started.signin_id is not None
    code = _code(store, started.signin_id)
    late = _check(store, vault, started.signin_id, code, now=T0 + dt.timedelta(minutes=15))
    assert late.why == "expired" and late.session_id is None
    in_time = _start(store, vault, "carol@example.com", now=T0 + dt.timedelta(minutes=16))
    assert in_time.signin_id is not None
    fresh = _code(store, in_time.signin_id)
    ok = _check(store, vault, in_time.signin_id, fresh, now=T0 + dt.timedelta(minutes=30))
    assert ok.session_id is not None


def test_a_session_ends_when_idle_too_long_and_on_sign_out(store: Store, vault: Vault) -> None:
    started = _start(store, vault, "dan@example.com")
    assert started.signin_id is not None
    token = _check(store, vault, started.signin_id, _code(store, started.signin_id)).session_id
    assert token is not None
    with store.engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(person_sessions)).scalar_one() == 1
        # Used after 29 minutes: its idle clock starts again.
        assert signin.session(conn, vault, token, now=T0 + dt.timedelta(minutes=29)) is not None
        assert signin.session(conn, vault, token, now=T0 + dt.timedelta(minutes=58)) is not None
        assert signin.session(conn, vault, token, now=T0 + dt.timedelta(minutes=89)) is None
        # The idle session's row, sealed address and all, is gone with that use.
        assert conn.execute(select(func.count()).select_from(person_sessions)).scalar_one() == 0
    second = _start(store, vault, "dan@example.com", now=T0 + dt.timedelta(hours=2))
    assert second.signin_id is not None
    later = T0 + dt.timedelta(hours=2)
    other = _check(store, vault, second.signin_id, _code(store, second.signin_id), now=later)
    assert other.session_id is not None
    with store.engine.begin() as conn:
        assert signin.end(conn, vault, other.session_id, actor=actor_of(vault), now=later)
        assert signin.session(conn, vault, other.session_id, now=later) is None
        assert not signin.end(conn, vault, other.session_id, actor=actor_of(vault), now=later)
    # No session lasts past LONGEST, however busy.
    third = _start(store, vault, "dan@example.com", now=later)
    assert third.signin_id is not None
    busy = _check(store, vault, third.signin_id, _code(store, third.signin_id), now=later)
    assert busy.session_id is not None
    moment = later
    with store.engine.begin() as conn:
        while moment < later + signin.LONGEST - dt.timedelta(minutes=20):
            moment += dt.timedelta(minutes=20)
            assert signin.session(conn, vault, busy.session_id, now=moment) is not None
        moment += dt.timedelta(minutes=25)
        assert signin.session(conn, vault, busy.session_id, now=moment) is None


def test_codes_to_one_address_are_limited_whatever_its_case(store: Store, vault: Vault) -> None:
    for n, spelling in enumerate(["eve@example.com", "EVE@example.com", " Eve@Example.com"] * 2):
        started = _start(store, vault, spelling, now=T0 + dt.timedelta(minutes=n))
        if n < signin.CODES_PER_ADDRESS:
            assert started.signin_id is not None, n
        else:
            assert started.signin_id is None
            assert started.retry_after == dt.timedelta(minutes=60 - n)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(jobs)).scalar_one() == 5
    # Another address is not held back, and an hour later this one is not either.
    assert _start(store, vault, "frank@example.com").signin_id is not None
    assert _start(store, vault, "eve@example.com", now=T0 + dt.timedelta(minutes=61)).signin_id


def test_a_malformed_address_is_refused_and_writes_nothing(store: Store, vault: Vault) -> None:
    with pytest.raises(IdentityError):
        _start(store, vault, "not an address")
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(person_signins)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(jobs)).scalar_one() == 0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    local=st.from_regex(r"[a-z][a-z0-9._]{0,15}", fullmatch=True),
    domain=st.from_regex(r"[a-z][a-z0-9]{0,10}\.(fr|com|eu)", fullmatch=True),
    upper=st.lists(st.booleans(), min_size=1, max_size=40),
    left=st.sampled_from(["", " ", "\t", "  "]),
    right=st.sampled_from(["", " ", "\n", "  "]),
)
def test_case_and_spaces_do_not_change_who_signs_in(
    vault: Vault, local: str, domain: str, upper: list[bool], left: str, right: str
) -> None:
    address = f"{local}@{domain}"
    typed = "".join(c.upper() if upper[i % len(upper)] else c for i, c in enumerate(address))
    assert signin.normalised_email(left + typed + right) == address
    assert email_index(vault, signin.normalised_email(typed)) == email_index(vault, address)
