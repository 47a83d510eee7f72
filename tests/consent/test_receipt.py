"""Receipts validate against the Kantara Consent Receipt v1.1 schema, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from consent_helpers import NOW, PROOF, new_subject

from actors import ACTOR
from gardien.consent import ConsentError, expire_due, history, receipt, record_consent
from gardien.declaration import Declaration
from gardien.store import Store

STANDARDS = Path(__file__).parents[1] / "standards"


def _schema() -> dict[str, Any]:
    text = (STANDARDS / "kantara-consent-receipt-v1_1-schema.json").read_text("utf-8")
    # The published schema carries // comments, which JSON does not allow.
    return json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.MULTILINE))


def test_the_schema_accepts_its_own_example() -> None:
    example = json.loads(
        (STANDARDS / "kantara-consent-receipt-v1_1-example.json").read_text("utf-8")
    )
    jsonschema.Draft4Validator(_schema()).validate(example)


@pytest.mark.parametrize("kinds", [("given",), ("refused",), ("given", "withdrawn")])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_receipts_validate(
    store: Store, declaration: Declaration, kinds: tuple[str, ...], lang: str
) -> None:
    subject = new_subject()
    with store.engine.begin() as conn:
        for kind in kinds:
            last = record_consent(
                conn,
                declaration,
                subject,
                "newsletter",
                kind,
                channel="web",
                proof=PROOF,
                lang=lang,
                now=NOW,
                actor=ACTOR,
            )
        document = receipt(conn, last.id, declaration, lang, actor=ACTOR)
    jsonschema.Draft4Validator(_schema()).validate(document)
    assert document["piiPrincipalId"] == subject and "@" not in document["piiPrincipalId"]
    assert document["jurisdiction"] == "FR" and document["language"] == lang
    assert document["consentTimestamp"] == int(NOW.timestamp())
    assert document["policyUrl"] == "https://example.com"
    controller = document["piiControllers"][0]
    assert controller["piiController"] == "Example SAS" and controller["email"] == "dpo@example.com"
    [service] = document["services"]
    [purpose] = service["purposes"]
    assert purpose["consentType"] == "EXPLICIT" and purpose["primaryPurpose"] is True
    assert purpose["purposeCategory"] == ["6 - Marketing", "fides:marketing.communications.email"]
    assert purpose["piiCategory"] == ["user.contact.email"]
    assert (
        purpose["thirdPartyDisclosure"] is True
        and purpose["thirdPartyName"] == "Example Mailer GmbH"
    )
    assert document["gardien"]["kind"] == kinds[-1]
    assert (
        document["gardien"]["wording"] == declaration.purposes["newsletter"].consent.wording[lang]
    )  # type: ignore[union-attr]
    termination = purpose["termination"]
    expected = {
        (
            "given",
            "en",
        ): "Consent valid until 2026-09-15, or until withdrawn; data kept: 3 years after last contact, then delete",
        ("refused", "fr"): "Refusé ; le refus est conservé jusqu'au 2026-09-15",
        ("withdrawn", "en"): "Consent withdrawn on 2026-03-15",
    }
    for (kind, language), text in expected.items():
        if (kinds[-1], lang) == (kind, language):
            assert termination.startswith(text)


def test_expired_event_and_no_recipient_and_special_categories(
    store: Store, declaration: Declaration, variant: Any
) -> None:
    def health(data: dict[str, Any]) -> None:
        data["data_categories"]["user.health_and_medical"] = {"special": "health"}
        data["purposes"]["profiling"]["categories"].append("user.health_and_medical")
        data["purposes"]["profiling"]["special_category_condition"] = "explicit_consent"
        data["notice"]["url"] = "https://example.com/privacy"

    changed = variant(health)
    subject = new_subject()
    with store.engine.begin() as conn:
        record_consent(
            conn,
            changed,
            subject,
            "profiling",
            "given",
            channel="app",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
        expire_due(conn, NOW.replace(year=2027), actor=ACTOR)
        expired = history(conn, subject)[-1]
        document = receipt(conn, expired.id, changed, "en", actor=ACTOR)
    jsonschema.Draft4Validator(_schema()).validate(document)
    purpose = document["services"][0]["purposes"][0]
    assert purpose["thirdPartyDisclosure"] is False and "thirdPartyName" not in purpose
    assert purpose["purposeCategory"][0] == "5 - Personalize Experience"
    assert document["sensitive"] is True and document["spiCat"] == ["health"]
    assert document["policyUrl"] == "https://example.com/privacy"
    assert document["gardien"]["refersTo"] is not None
    assert purpose["termination"].startswith("Consent expired on 2026-06-15")


def test_receipt_ids_are_stable_and_distinct(store: Store, declaration: Declaration) -> None:
    with store.engine.begin() as conn:
        one = record_consent(
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
        two = record_consent(
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
        first = receipt(conn, one.id, declaration, actor=ACTOR)
        assert (
            receipt(conn, one.id, declaration, actor=ACTOR)["consentReceiptID"]
            == first["consentReceiptID"]
        )
        assert (
            receipt(conn, two.id, declaration, actor=ACTOR)["consentReceiptID"]
            != first["consentReceiptID"]
        )


def test_receipt_errors(store: Store, declaration: Declaration, variant: Any) -> None:
    with store.engine.begin() as conn:
        event = record_consent(
            conn,
            declaration,
            new_subject(),
            "audience",
            "given",
            channel="web",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
        with pytest.raises(ConsentError, match="use 'fr' or 'en'"):
            receipt(conn, event.id, declaration, "de", actor=ACTOR)
        without = variant(lambda d: (d["purposes"].pop("audience"), d["cookies"].pop("measure")))
        with pytest.raises(ConsentError, match="no longer has: pass the declaration in force then"):
            receipt(conn, event.id, without, "en", actor=ACTOR)
