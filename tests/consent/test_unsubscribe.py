"""One-click unsubscribe (RFC 8058): signed tokens, headers, and the objection they record."""

from __future__ import annotations

import datetime as dt

import pytest
from consent_helpers import NOW, PROOF, new_subject
from hypothesis import given
from hypothesis import strategies as st

from actors import ACTOR
from gardien.consent import (
    ConsentError,
    EventKind,
    LimitKind,
    UnsubscribeTokenError,
    active_limits,
    check,
    current_state,
    history,
    read_unsubscribe_token,
    record_consent,
    unsubscribe,
    unsubscribe_headers,
    unsubscribe_token,
)
from gardien.declaration import Declaration
from gardien.store import Store

SECRET = bytes(range(32))
SUBJECT = "0123456789abcdef0123456789abcdef"


def test_round_trip() -> None:
    token = unsubscribe_token(SUBJECT, "newsletter", SECRET)
    claim = read_unsubscribe_token(token, SECRET)
    assert (claim.subject_id, claim.purpose, claim.version) == (SUBJECT, "newsletter", 1)
    assert token.isascii() and "=" not in token and "/" not in token and "+" not in token


def test_another_secret_is_rejected() -> None:
    token = unsubscribe_token(SUBJECT, "newsletter", SECRET)
    with pytest.raises(UnsubscribeTokenError, match="this unsubscribe link is not valid"):
        read_unsubscribe_token(token, bytes(32))


@given(data=st.data())
def test_any_single_byte_change_is_rejected(data: st.DataObject) -> None:
    token = unsubscribe_token(SUBJECT, "newsletter", SECRET).encode("ascii")
    index = data.draw(st.integers(0, len(token) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda b: b != token[index]))
    altered = (token[:index] + bytes([value]) + token[index + 1 :]).decode("latin-1")
    with pytest.raises(UnsubscribeTokenError):
        read_unsubscribe_token(altered, SECRET)


@given(cut=st.integers(0, 60))
def test_truncated_or_extended_tokens_are_rejected(cut: int) -> None:
    token = unsubscribe_token(SUBJECT, "newsletter", SECRET)
    for altered in (token[:cut], token + "A" * (cut + 1)):
        with pytest.raises(UnsubscribeTokenError):
            read_unsubscribe_token(altered, SECRET)


def test_short_secret_is_refused() -> None:
    with pytest.raises(ConsentError, match="give at least 32 random bytes"):
        unsubscribe_token(SUBJECT, "newsletter", b"short")


def test_headers() -> None:
    token = unsubscribe_token(SUBJECT, "newsletter", SECRET)
    assert unsubscribe_headers("https://privacy.example.com/", token) == {
        "List-Unsubscribe": f"<https://privacy.example.com/unsubscribe/{token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert unsubscribe_headers("http://localhost:8000", token)["List-Unsubscribe"].startswith(
        "<http://localhost"
    )
    with pytest.raises(ConsentError, match="RFC 8058 requires an https:// URL"):
        unsubscribe_headers("http://privacy.example.com", token)


def test_unsubscribe_records_objection_and_withdrawal(
    store: Store, declaration: Declaration
) -> None:
    subject = new_subject()
    token = unsubscribe_token(subject, "newsletter", SECRET)
    with store.engine.begin() as conn:
        record_consent(
            conn,
            declaration,
            subject,
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            lang="en",
            now=NOW,
            actor=ACTOR,
        )
        later = NOW + dt.timedelta(days=3)
        limit = unsubscribe(conn, declaration, token, SECRET, now=later, actor=ACTOR)
        # A mail client posting twice records one objection.
        assert unsubscribe(conn, declaration, token, SECRET, now=later, actor=ACTOR).id == limit.id
    with store.engine.connect() as conn:
        assert limit.kind is LimitKind.OBJECTION and limit.channel == "email"
        assert [x.id for x in active_limits(conn, subject)] == [limit.id]
        events = history(conn, subject, "newsletter")
        assert [e.kind for e in events] == [EventKind.GIVEN, EventKind.WITHDRAWN]
        assert events[-1].collection_method == "one_click_unsubscribe"
        state = current_state(conn, subject, "newsletter")
        assert state is not None and state.status is EventKind.WITHDRAWN
        decision = check(conn, declaration, subject, "newsletter", now=later, actor=ACTOR)
        assert not decision.allowed and decision.explanation.rule == "objection"


def test_unsubscribe_from_legitimate_interest_marketing(
    store: Store, declaration: Declaration
) -> None:
    subject = new_subject()
    with store.engine.begin() as conn:
        assert check(conn, declaration, subject, "offers", now=NOW, actor=ACTOR).allowed
        unsubscribe(
            conn,
            declaration,
            unsubscribe_token(subject, "offers", SECRET),
            SECRET,
            now=NOW,
            actor=ACTOR,
        )
        assert not check(conn, declaration, subject, "offers", now=NOW, actor=ACTOR).allowed
        assert history(conn, subject) == []


def test_tampered_token_records_nothing(store: Store, declaration: Declaration) -> None:
    subject = new_subject()
    token = unsubscribe_token(subject, "newsletter", SECRET)
    with store.engine.begin() as conn:
        with pytest.raises(UnsubscribeTokenError):
            unsubscribe(
                conn,
                declaration,
                token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
                SECRET,
                actor=ACTOR,
            )
        assert active_limits(conn, subject) == []
