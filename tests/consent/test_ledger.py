"""The ledger: choices appended, never changed; the state derived from the latest event."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from consent_helpers import NOW, PROOF, new_subject
from sqlalchemy import event, func, select

from actors import ACTOR
from gardien.consent import (
    CollectionMethod,
    ConsentError,
    EventKind,
    NotConsentBasedError,
    Proof,
    ProofError,
    UnknownEventError,
    UnknownPurpose,
    current_state,
    get_event,
    history,
    policy_for,
    record_consent,
    states,
    wording_hash,
)
from gardien.consent.tables import consent_events
from gardien.declaration import Declaration, declaration_version
from gardien.store import Store


def test_a_choice_is_an_event_and_the_state_follows(store: Store, declaration: Declaration) -> None:
    subject = new_subject()
    with store.engine.begin() as conn:
        given = record_consent(
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
    with store.engine.connect() as conn:
        state = current_state(conn, subject, "newsletter")
        stored = get_event(conn, given.id)
    assert state is not None and state.event_id == given.id and state.status is EventKind.GIVEN
    assert stored == given
    assert stored.wording_hash == wording_hash("I agree to receive Example's newsletter by e-mail.")
    assert stored.declaration_version == declaration_version(declaration)
    assert stored.occurred_at == NOW and stored.channel == "web" and stored.language == "en"
    assert stored.ip_prefix == "203.0.113.0/24"
    assert stored.user_agent_hash is not None and len(stored.user_agent_hash) == 64
    assert dict(stored.proof) == {"form": "signup-v3", "double_opt_in": True}
    assert stored.collection_method == "checkbox"


def test_latest_event_wins_and_history_keeps_all(store: Store, declaration: Declaration) -> None:
    subject = new_subject()
    kinds = ["given", "withdrawn", "given", "refused"]
    with store.engine.begin() as conn:
        for offset, kind in enumerate(kinds):
            record_consent(
                conn,
                declaration,
                subject,
                "newsletter",
                kind,
                channel="app",
                proof=PROOF,
                now=NOW + dt.timedelta(minutes=offset),
                actor=ACTOR,
            )
        record_consent(
            conn,
            declaration,
            subject,
            "audience",
            "given",
            channel="cookie_banner",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
    with store.engine.connect() as conn:
        events = history(conn, subject, "newsletter")
        state = current_state(conn, subject, "newsletter")
        every = states(conn, subject)
    assert [e.kind.value for e in events] == kinds
    assert (
        state is not None and state.event_id == events[-1].id and state.status is EventKind.REFUSED
    )
    assert [s.purpose for s in every] == ["audience", "newsletter"]


def test_refusal_carries_the_same_proof(store: Store, declaration: Declaration) -> None:
    with store.engine.begin() as conn:
        refused = record_consent(
            conn,
            declaration,
            new_subject(),
            "newsletter",
            "refused",
            channel="web",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
    assert refused.ip_prefix == "203.0.113.0/24" and refused.user_agent_hash is not None
    assert refused.wording_hash in policy_for(declaration).purposes["newsletter"].current_hashes
    assert refused.expires_at is not None


def test_custom_wording_is_hashed_as_shown(store: Store, declaration: Declaration) -> None:
    with store.engine.begin() as conn:
        shown = record_consent(
            conn,
            declaration,
            new_subject(),
            "newsletter",
            "given",
            channel="paper",
            proof=PROOF,
            wording="Je veux la lettre (formulaire papier).",
            now=NOW,
            actor=ACTOR,
        )
    assert shown.wording_hash == wording_hash("Je veux la lettre (formulaire papier).")


def test_no_update_or_delete_of_events(store: Store, declaration: Declaration) -> None:
    statements: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.upper())

    event.listen(store.engine, "before_cursor_execute", capture)
    subject = new_subject()
    with store.engine.begin() as conn:
        for kind in ("given", "withdrawn", "given"):
            record_consent(
                conn,
                declaration,
                subject,
                "newsletter",
                kind,
                channel="web",
                proof=PROOF,
                now=NOW,
                actor=ACTOR,
            )
    event.remove(store.engine, "before_cursor_execute", capture)
    touching = [
        s
        for s in statements
        if "CONSENT_EVENTS" in s and ("UPDATE CONSENT_EVENTS" in s or "DELETE" in s)
    ]
    assert touching == []
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(consent_events)).scalar_one() == 3


@pytest.mark.parametrize(
    ("purpose", "kind", "kwargs", "error", "message"),
    [
        (
            "nope",
            "given",
            {},
            UnknownPurpose,
            "purpose 'nope' is not in the declaration: use one of",
        ),
        ("service", "given", {}, NotConsentBasedError, "is based on contract, not consent"),
        ("newsletter", "expired", {}, ConsentError, "'expired' is appended by expire_due"),
        ("newsletter", "maybe", {}, ConsentError, "not a choice a person makes"),
        ("newsletter", "given", {"lang": "de"}, ConsentError, "use 'fr' or 'en'"),
        ("newsletter", "given", {"channel": "pigeon"}, ProofError, "channel 'pigeon' is not known"),
        ("newsletter", "given", {"wording": "  "}, ConsentError, "wording shown is empty"),
        ("newsletter", "given", {"now": dt.datetime(2026, 1, 1)}, ConsentError, "no timezone"),
    ],
)
def test_bad_choices_are_refused_with_a_clear_message(
    store: Store,
    declaration: Declaration,
    purpose: str,
    kind: str,
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    arguments: dict[str, Any] = {"channel": "web", "proof": PROOF, "now": NOW, "actor": ACTOR}
    arguments.update(kwargs)
    with store.engine.begin() as conn:
        with pytest.raises(error, match=message):
            record_consent(conn, declaration, new_subject(), purpose, kind, **arguments)
        assert conn.execute(select(func.count()).select_from(consent_events)).scalar_one() == 0


def test_subject_id_must_be_opaque(store: Store, declaration: Declaration) -> None:
    with store.engine.begin() as conn, pytest.raises(ConsentError, match="never an e-mail address"):
        record_consent(
            conn,
            declaration,
            "alice@example.com",
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            actor=ACTOR,
        )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Proof.collect("form", ip="not-an-ip"), "not an IPv4 or IPv6 address"),
        (lambda: Proof.collect("form", extra={"client": "198.51.100.4"}), "holds a raw IP address"),
        (lambda: Proof.collect("form", extra={"x": "y" * 300}), "keep it under 256"),
        (lambda: Proof.collect("form", extra={f"k{i}": i for i in range(17)}), "keep at most 16"),
        (
            lambda: Proof.collect("form", extra={"nested": {"a": 1}}),
            "give a string, number, boolean or null",
        ),
        (lambda: Proof.collect("newsletter checkbox signed by Hortense X"), "free text is refused"),
        (
            lambda: Proof(CollectionMethod.FORM, ip_prefix="198.51.100.4").extra_json(),
            "is not a truncated network",
        ),
    ],
)
def test_proof_is_minimised_and_small(build: Any, message: str) -> None:
    with pytest.raises(ProofError, match=message):
        build()


def test_ipv6_is_truncated_to_48() -> None:
    assert Proof.collect("form", ip="2001:db8:abcd:12::1").ip_prefix == "2001:db8:abcd::/48"


def test_unknown_event(store: Store) -> None:
    with (
        store.engine.connect() as conn,
        pytest.raises(UnknownEventError, match="no consent event has id 999"),
    ):
        get_event(conn, 999)


def test_proof_stored_as_canonical_json(store: Store, declaration: Declaration) -> None:
    with store.engine.begin() as conn:
        given = record_consent(
            conn,
            declaration,
            new_subject(),
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
        raw = conn.execute(
            select(consent_events.c.proof).where(consent_events.c.id == given.id)
        ).scalar_one()
    assert json.loads(raw) == {"double_opt_in": True, "form": "signup-v3"}


def test_consent_purpose_without_wording(store: Store, variant: Any) -> None:
    bare = variant(lambda d: d["purposes"]["newsletter"].pop("consent"))
    with store.engine.begin() as conn:
        with pytest.raises(ConsentError, match="declares no wording: add"):
            record_consent(
                conn,
                bare,
                new_subject(),
                "newsletter",
                "given",
                channel="web",
                proof=PROOF,
                actor=ACTOR,
            )
        shown = record_consent(
            conn,
            bare,
            new_subject(),
            "newsletter",
            "given",
            channel="paper",
            proof=PROOF,
            wording="Oui.",
            actor=ACTOR,
        )
    assert shown.wording_hash == wording_hash("Oui.")
