"""Renewal: a changed wording or purpose makes earlier consents ask again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from consent_helpers import NOW, PROOF, new_subject
from sqlalchemy import Connection

from actors import ACTOR
from gardien.consent import (
    RENEWAL_JOB,
    check,
    consents_needing_renewal,
    queue_renewals,
    record_consent,
)
from gardien.declaration import Declaration
from gardien.store import Store


def _reword(data: dict[str, Any]) -> None:
    data["purposes"]["newsletter"]["consent"]["wording"]["en"] = (
        "I agree to receive Example's weekly newsletter."
    )


def test_changed_wording_needs_renewal(
    store: Store, declaration: Declaration, variant: Any
) -> None:
    fr_consent, en_consent, refused, withdrawn, other = (new_subject() for _ in range(5))
    with store.engine.begin() as conn:
        record_consent(
            conn,
            declaration,
            fr_consent,
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            lang="fr",
            now=NOW,
            actor=ACTOR,
        )
        record_consent(
            conn,
            declaration,
            en_consent,
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            lang="en",
            now=NOW,
            actor=ACTOR,
        )
        record_consent(
            conn,
            declaration,
            refused,
            "newsletter",
            "refused",
            channel="web",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
        record_consent(
            conn,
            declaration,
            withdrawn,
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            lang="en",
            now=NOW,
            actor=ACTOR,
        )
        record_consent(
            conn,
            declaration,
            withdrawn,
            "newsletter",
            "withdrawn",
            channel="web",
            proof=PROOF,
            lang="en",
            now=NOW,
            actor=ACTOR,
        )
        record_consent(
            conn,
            declaration,
            other,
            "profiling",
            "given",
            channel="web",
            proof=PROOF,
            lang="en",
            now=NOW,
            actor=ACTOR,
        )
    reworded = variant(_reword)
    with store.engine.connect() as conn:
        assert consents_needing_renewal(conn, declaration, NOW) == []
        # Only the English wording changed: French consents still stand.
        assert consents_needing_renewal(conn, reworded, NOW) == [(en_consent, "newsletter")]
        assert check(conn, reworded, fr_consent, "newsletter", now=NOW, actor=ACTOR).allowed
        stale = check(conn, reworded, en_consent, "newsletter", now=NOW, actor=ACTOR)
        assert not stale.allowed and stale.explanation.rule == "consent.outdated_wording"
        # An expired consent is asked again anyway: not reported.
        assert consents_needing_renewal(conn, reworded, NOW + dt.timedelta(days=400)) == []


def test_changed_purpose_needs_renewal(
    store: Store, declaration: Declaration, variant: Any
) -> None:
    subject = new_subject()
    with store.engine.begin() as conn:
        record_consent(
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
    shared = variant(lambda d: d["purposes"]["newsletter"]["recipients"].append("payments"))
    retitled = variant(lambda d: d["purposes"]["newsletter"]["name"].update(en="Our letter"))
    with store.engine.connect() as conn:
        assert consents_needing_renewal(conn, shared, NOW) == [(subject, "newsletter")]
        assert (
            check(conn, shared, subject, "newsletter", now=NOW, actor=ACTOR).explanation.rule
            == "consent.purpose_changed"
        )
        # An editorial change of the name is not a new processing.
        assert consents_needing_renewal(conn, retitled, NOW) == []


def test_renewals_are_queued_with_the_callers_enqueue(
    store: Store, declaration: Declaration, variant: Any
) -> None:
    subject = new_subject()
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
    queued: list[tuple[str, dict[str, Any]]] = []

    def enqueue(conn: Connection, kind: str, payload: dict[str, Any]) -> None:
        assert conn.in_transaction()
        queued.append((kind, payload))

    with store.engine.begin() as conn:
        pairs = queue_renewals(conn, variant(_reword), enqueue, NOW)
    assert pairs == [(subject, "newsletter")]
    assert queued == [(RENEWAL_JOB, {"subject_id": subject, "purpose": "newsletter"})]
    assert RENEWAL_JOB == "consent.renewal"


def test_purpose_no_longer_consent_based_is_not_renewed(
    store: Store, declaration: Declaration, variant: Any
) -> None:
    subject = new_subject()
    with store.engine.begin() as conn:
        record_consent(
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

    def to_interest(data: dict[str, Any]) -> None:
        newsletter = data["purposes"]["newsletter"]
        newsletter["legal_basis"] = "legitimate_interest"
        newsletter["legitimate_interest"] = {"fr": "Prospection.", "en": "Prospecting."}
        del newsletter["consent"]

    with store.engine.connect() as conn:
        assert consents_needing_renewal(conn, variant(to_interest), NOW) == []
