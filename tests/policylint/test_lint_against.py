"""Contradictions between a policy text and its declaration, one test per kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from lint_helpers import DATA

from gardien.declaration.models import Declaration
from gardien.policylint import CONTRADICTION_KINDS, lint_policy

Edit = Callable[[dict[str, Any]], None]


def declaration(edit: Edit | None = None) -> Declaration:
    data = yaml.safe_load((DATA / "brightmail.yaml").read_text("utf-8"))
    if edit is not None:
        edit(data)
    return Declaration.model_validate(data)


def text(lang: str, old: str = "", new: str = "") -> str:
    policy = (DATA / f"complete_{lang}.md").read_text("utf-8")
    assert old in policy
    return policy.replace(old, new) if old else policy


def kinds(policy: str, decl: Declaration) -> list[str]:
    return [d.kind for d in lint_policy(policy, declaration=decl).defects]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_text_and_its_own_declaration_agree(pipelines: None, lang: str) -> None:
    assert kinds(text(lang), declaration()) == []


def test_retention_mismatch_points_at_the_period(pipelines: None) -> None:
    policy = text("en", "archived for 5 years", "archived for 6 years")
    report = lint_policy(policy, declaration=declaration())
    [defect] = report.defects
    assert defect.kind == "retention_mismatch"
    assert policy[defect.start : defect.end] == "6 years"
    assert "5 years" in defect.message


def test_retention_mismatch_in_french(pipelines: None) -> None:
    def longer_archive(d: dict[str, Any]) -> None:
        d["retention"]["account"]["archive"]["duration"] = "10 years"

    assert kinds(text("fr"), declaration(longer_archive)) == ["retention_mismatch"]


def test_declared_recipient_missing_from_text(pipelines: None) -> None:
    def add_stripe(d: dict[str, Any]) -> None:
        d["recipients"]["stripe"] = {
            "name": "Stripe Payments Europe",
            "role": "processor",
            "service": {"fr": "Paiement", "en": "Payment"},
            "country": "IE",
        }

    report = lint_policy(text("en"), declaration=declaration(add_stripe))
    assert [d.kind for d in report.defects] == ["recipient_not_named"]
    assert "Stripe" in report.defects[0].message


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_recipient_named_but_not_declared(pipelines: None, lang: str) -> None:
    def drop_mailjet(d: dict[str, Any]) -> None:
        del d["recipients"]["mailjet"]
        d["purposes"]["newsletter"]["recipients"] = []

    policy = text(lang)
    report = lint_policy(policy, declaration=declaration(drop_mailjet))
    [defect] = report.defects
    assert defect.kind == "recipient_not_declared"
    assert policy[defect.start : defect.end] == "Mailjet"


def test_declared_purpose_not_described(pipelines: None) -> None:
    def add_recruitment(d: dict[str, Any]) -> None:
        d["purposes"]["recruitment"] = dict(
            d["purposes"]["account"],
            name={"fr": "Recrutement", "en": "Recruitment"},
            description={"fr": "Candidatures.", "en": "Job applications."},
        )

    assert kinds(text("en"), declaration(add_recruitment)) == ["purpose_mismatch"]


def test_marketing_in_text_but_not_declared(pipelines: None) -> None:
    def no_marketing(d: dict[str, Any]) -> None:
        d["purposes"]["newsletter"]["direct_marketing"] = False

    assert kinds(text("en"), declaration(no_marketing)) == ["purpose_mismatch"]


def test_legal_basis_mismatch_both_ways(pipelines: None) -> None:
    def security_by_law(d: dict[str, Any]) -> None:
        d["purposes"]["security"]["legal_basis"] = "legal_obligation"
        del d["purposes"]["security"]["legitimate_interest"]

    report = lint_policy(text("en"), declaration=declaration(security_by_law))
    messages = [d.message for d in report.defects if d.kind == "legal_basis_mismatch"]
    assert any("legitimate_interest" in m for m in messages)
    assert any("legal_obligation" in m for m in messages)


def test_transfer_described_but_every_recipient_in_the_eea(pipelines: None) -> None:
    def zendesk_in_ireland(d: dict[str, Any]) -> None:
        d["recipients"]["zendesk"].update(country="IE")
        del d["recipients"]["zendesk"]["safeguard"]

    assert set(kinds(text("en"), declaration(zendesk_in_ireland))) == {"transfer_mismatch"}


def test_text_denies_transfers_the_declaration_makes(pipelines: None) -> None:
    policy = text(
        "fr",
        "Les demandes d'assistance sont transférées à Zendesk aux États-Unis, pays tiers, dans le cadre des clauses contractuelles types adoptées par la Commission européenne.",
        "Aucune donnée n'est transférée hors de l'Union européenne ; Zendesk nous assiste.",
    )
    assert kinds(policy, declaration()) == ["transfer_mismatch"]


def test_safeguard_in_text_not_declared(pipelines: None) -> None:
    def adequacy(d: dict[str, Any]) -> None:
        d["recipients"]["zendesk"]["safeguard"] = "adequacy_decision"

    assert kinds(text("en"), declaration(adequacy)) == ["transfer_mismatch"]


@pytest.mark.parametrize(
    ("lang", "old", "new"),
    [
        ("en", "within one month", "within 2 months"),
        ("fr", "dans un délai d'un mois", "dans un délai de deux mois"),
    ],
)
def test_deadline_mismatch(pipelines: None, lang: str, old: str, new: str) -> None:
    policy = text(lang, old, new)
    [defect] = lint_policy(policy, declaration=declaration()).defects
    assert defect.kind == "deadline_mismatch"
    assert "1 month" in defect.message


def test_extension_is_compared_with_the_declared_extension(pipelines: None) -> None:
    policy = text(
        "en",
        "We answer every request within one month.",
        "We answer every request within one month; this may be extended by three months.",
    )
    [defect] = lint_policy(policy, declaration=declaration()).defects
    assert defect.kind == "deadline_mismatch"
    assert "2 months" in defect.message


def test_every_contradiction_kind_is_tested() -> None:
    source = __import__("pathlib").Path(__file__).read_text("utf-8")
    assert all(kind in source for kind in CONTRADICTION_KINDS)
