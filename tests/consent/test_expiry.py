"""Expiry: CNIL defaults, declared lifetimes, the 13-month cookie cap, and the sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from consent_helpers import NOW, PROOF, new_subject

from actors import ACTOR
from gardien.consent import (
    EventKind,
    check,
    choice_lifetime,
    current_state,
    expire_due,
    history,
    policy_for,
    record_consent,
)
from gardien.consent.lifetime import add_duration
from gardien.declaration import Declaration
from gardien.declaration.values import Duration
from gardien.store import Store


@pytest.mark.parametrize(
    ("purpose", "kind", "channel", "expires", "rule"),
    [
        # No lifetime declared: a choice is remembered 6 months, refusals alike.
        ("newsletter", "given", "web", dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC), "CNIL default"),
        (
            "newsletter",
            "refused",
            "web",
            dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC),
            "CNIL default",
        ),
        # A declared lifetime is honoured.
        ("profiling", "given", "app", dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), "declared"),
        # A cookie purpose never lives more than 13 months, whatever is declared (2 years).
        ("audience", "given", "web", dt.datetime(2027, 4, 15, 12, tzinfo=dt.UTC), "CNIL cap"),
        (
            "audience",
            "refused",
            "cookie_banner",
            dt.datetime(2027, 4, 15, 12, tzinfo=dt.UTC),
            "CNIL cap",
        ),
        # A choice made on a cookie banner is capped too, even for another purpose.
        (
            "newsletter",
            "given",
            "cookie_banner",
            dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC),
            "CNIL default",
        ),
    ],
)
def test_expiry_dates(
    store: Store,
    declaration: Declaration,
    purpose: str,
    kind: str,
    channel: str,
    expires: dt.datetime,
    rule: str,
) -> None:
    with store.engine.begin() as conn:
        event = record_consent(
            conn,
            declaration,
            new_subject(),
            purpose,
            kind,
            channel=channel,
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
    assert event.expires_at == expires
    assert choice_lifetime(policy_for(declaration).purposes[purpose], channel)[1].startswith(rule)


def test_withdrawal_has_no_expiry(store: Store, declaration: Declaration) -> None:
    with store.engine.begin() as conn:
        event = record_consent(
            conn,
            declaration,
            new_subject(),
            "newsletter",
            "withdrawn",
            channel="web",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
    assert event.expires_at is None


def test_calendar_months() -> None:
    start = dt.datetime(2026, 8, 31, tzinfo=dt.UTC)
    assert add_duration(start, Duration.parse("6 months")) == dt.datetime(
        2027, 2, 28, tzinfo=dt.UTC
    )
    assert add_duration(start, Duration.parse("1 year")) == dt.datetime(2027, 8, 31, tzinfo=dt.UTC)
    assert add_duration(start, Duration.parse("2 weeks")) == dt.datetime(2026, 9, 14, tzinfo=dt.UTC)


def test_expired_on_read_then_by_the_sweep(store: Store, declaration: Declaration) -> None:
    subject, fresh = new_subject(), new_subject()
    later = NOW + dt.timedelta(days=200)
    with store.engine.begin() as conn:
        given = record_consent(
            conn,
            declaration,
            subject,
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
        refused = record_consent(
            conn,
            declaration,
            subject,
            "profiling",
            "refused",
            channel="web",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
        record_consent(
            conn,
            declaration,
            fresh,
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            now=later,
            actor=ACTOR,
        )
    with store.engine.connect() as conn:
        state = current_state(conn, subject, "newsletter")
        assert state is not None and state.status is EventKind.GIVEN
        assert state.status_at(later) is EventKind.EXPIRED
        assert (
            check(conn, declaration, subject, "newsletter", now=later, actor=ACTOR).explanation.rule
            == "consent.expired"
        )
    with store.engine.begin() as conn:
        assert expire_due(conn, NOW + dt.timedelta(days=10), actor=ACTOR) == 0
        assert expire_due(conn, later, actor=ACTOR) == 2
        assert expire_due(conn, later, actor=ACTOR) == 0
    with store.engine.connect() as conn:
        events = history(conn, subject)
        expired = [e for e in events if e.kind is EventKind.EXPIRED]
        assert {e.refers_to for e in expired} == {given.id, refused.id}
        assert {e.occurred_at for e in expired} == {given.expires_at, refused.expires_at}
        assert all(
            e.channel == "system" and e.wording_hash == given.wording_hash
            for e in expired
            if e.refers_to == given.id
        )
        state = current_state(conn, subject, "newsletter")
        assert state is not None and state.status is EventKind.EXPIRED and state.expires_at is None
        fresh_state = current_state(conn, fresh, "newsletter")
        assert fresh_state is not None and fresh_state.status is EventKind.GIVEN
