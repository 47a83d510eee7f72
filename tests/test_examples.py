"""The five example declarations model real privacy policies: they must stay valid and true.

Each example in ``examples/`` transcribes one policy of ``shared/seeds/``. These
tests check that every example passes ``gardien validate`` with no error, that
the key facts of its policy are still what the declaration says (so a wrong
edit fails here), and that the "as published" transcription of the AI-feedback
policy makes ``validate`` report the policy's gaps at their lines.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gardien.declaration import Declaration, load, transfer_rules, validate
from gardien.declaration.models import (
    ChangeNotification,
    ConsentCollector,
    ConsentMechanism,
    DataForm,
    LegalBasis,
    RecipientRole,
    RetentionEvent,
    TransferSafeguard,
    VerificationMethod,
)
from gardien.declaration.values import Duration, DurationUnit, StrictModel, Text, in_lang

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VALID = ["viky", "ai-feedback", "amikeo", "activeviam", "komin"]
AS_PUBLISHED = EXAMPLES / "ai-feedback-as-published.yaml"
GARDIEN = Path(sys.executable).with_name("gardien")
EEA = frozenset(transfer_rules().eea)


def example(name: str) -> Declaration:
    return load(EXAMPLES / f"{name}.yaml")


def months(amount: int) -> Duration:
    return Duration(amount, DurationUnit.MONTHS)


def years(amount: int) -> Duration:
    return Duration(amount, DurationUnit.YEARS)


def line_of(path: Path, pattern: str) -> int:
    """The 1-based line of the only line of ``path`` matching ``pattern``."""
    lines = [
        number
        for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if re.search(pattern, text)
    ]
    assert len(lines) == 1, f"{pattern!r} matches lines {lines} of {path.name}"
    return lines[0]


def block_of(path: Path, key: str) -> range:
    """The lines of the mapping entry ``key:`` at indentation 2 (a purpose, a recipient…)."""
    start = line_of(path, rf"^  {re.escape(key)}:\s*(#.*)?$")
    lines = path.read_text("utf-8").splitlines()
    end = start
    while end < len(lines) and (
        not lines[end].strip()
        or lines[end].startswith("    ")
        or lines[end].lstrip().startswith("#")
    ):
        end += 1
    return range(start, end + 1)


# ---------------------------------------------------------------- every example


@pytest.mark.parametrize("name", VALID)
def test_example_validates_without_errors(name: str) -> None:
    report = validate(EXAMPLES / f"{name}.yaml")
    assert report.declaration is not None, [str(p) for p in report.problems]
    assert report.errors == (), [str(p) for p in report.errors]


@pytest.mark.parametrize("name", VALID)
def test_cli_validate_accepts_example(name: str) -> None:
    result = subprocess.run(
        [str(GARDIEN), "validate", str(EXAMPLES / f"{name}.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def _texts(value: Any, where: str = "") -> list[tuple[str, Text]]:
    if isinstance(value, Text):
        return [(where, value)]
    if isinstance(value, StrictModel):
        return [
            found
            for field in type(value).model_fields
            for found in _texts(getattr(value, field), f"{where}.{field}")
        ]
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _texts(v, f"{where}.{k}")]
    if isinstance(value, tuple | list):
        return [found for i, v in enumerate(value) for found in _texts(v, f"{where}[{i}]")]
    return []


@pytest.mark.parametrize("name", VALID)
def test_texts_are_written_in_both_languages(name: str) -> None:
    """A sentence copied into both languages unchanged is a translation left undone."""
    texts = _texts(example(name))
    assert texts
    untranslated = [where for where, text in texts if len(text.en) > 20 and text.fr == text.en]
    assert untranslated == []


@pytest.mark.parametrize("name", VALID)
def test_every_invented_value_is_marked_and_explained(name: str) -> None:
    """The policy's gaps are filled openly: each INVENTED marker says what is missing."""
    source = (EXAMPLES / f"{name}.yaml").read_text("utf-8")
    markers = re.findall(r"# INVENTED\b(.*)", source)
    assert markers, "each policy leaves something out; its fills must be marked"
    bare = [m for m in markers if not m.strip(" :")]
    assert bare == [], "an INVENTED marker must say what the policy leaves out"


# ---------------------------------------------------------------- viky.ai (000)


def test_viky_facts() -> None:
    d = example("viky")
    assert d.controller.name == "Pertimm Développement"
    assert d.controller.registration == "RCS Nanterre 793 499 104"
    assert d.controller.email == "hello@viky.ai"
    assert set(d.data_categories) == {
        "user.account.username",
        "user.authorization.password",
        "user.contact.email",
    }
    accounts = d.purposes["accounts"]
    assert accounts.legal_basis is LegalBasis.CONTRACT
    assert d.retention[accounts.retention or ""].until is RetentionEvent.ACCOUNT_DELETION
    marketing = d.purposes["commercial_contact"]
    assert marketing.legal_basis is LegalBasis.CONSENT
    assert marketing.direct_marketing and marketing.objection_allowed
    # "Your personal data will never be communicated to third parties."
    assert all(r.role is RecipientRole.INTERNAL for r in d.recipients.values())
    # The policy's "2 months" is corrected to the legal month (Art. 12(3)).
    assert d.rights.response_deadline == months(1)
    assert d.rights.verification is VerificationMethod.ID_DOCUMENT


# ---------------------------------------------------------------- AI feedback (001)


def test_ai_feedback_facts() -> None:
    d = example("ai-feedback")
    assert d.controller.registration == "RCS Paris 949 372 023"
    assert d.controller.address == "10 rue de Penthièvre, 75008 Paris"
    feedback = d.purposes["feedback_analysis"]
    assert feedback.categories == ("user.content.feedback",)
    assert d.data_categories["user.content.feedback"].free_text
    assert "openai" in feedback.recipients
    # The AI provider is fed anonymised text only.
    assert feedback.security_measures is not None
    assert "anonymisé" in feedback.security_measures.fr
    assert "anonymised" in feedback.security_measures.en
    assert d.recipients["openai"].receives is DataForm.ANONYMISED
    assert d.recipients["hosting"].receives is DataForm.IDENTIFIED
    # The feedback comes from our customers, who collected their clients' consent.
    assert feedback.legal_basis is LegalBasis.CONSENT
    assert feedback.consent is not None
    assert feedback.consent.collected_by is ConsentCollector.CUSTOMER
    # §1: a substantial change is notified "via your email address".
    assert d.notice.change_notification is ChangeNotification.EMAIL
    assert [s.kind.value for s in feedback.sources] == ["third_party"]
    openai = d.recipients["openai"]
    # §7: "All our servers … and those of the providers used for exchanging and
    # storing these data are located in Europe": no transfer is declared.
    assert (openai.role, openai.country) == (RecipientRole.PROCESSOR, "IE")
    assert openai.safeguard is None
    # "as long as your account remains active" then "intermediate archiving … 5 years".
    assert d.retention["while_account_active"].until is RetentionEvent.ACCOUNT_DELETION
    archive = d.retention["proof_archive"].archive
    assert archive is not None and archive.duration == years(5)
    assert d.purposes["service_improvement"].legal_basis is LegalBasis.LEGITIMATE_INTEREST
    # "within one month … may be exceeded by one month".
    assert (d.rights.response_deadline, d.rights.extension) == (months(1), months(1))


# ---------------------------------------------------------------- AMIKEO (002)


def test_amikeo_facts() -> None:
    d = example("amikeo")
    assert d.controller.name == "Auticiel"
    assert d.controller.email == "contact@auticiel.com"
    names = " ".join(in_lang(r.name, "en") for r in d.recipients.values())
    for processor in (
        "Google Analytics",
        "Salesforce",
        "Brevo",
        "Zendesk",
        "Stripe",
        "Firebase",
        "Heroku",
        "Amazon S3",
        "Crashlytics",
        "Logentries",
        "New Relic",
    ):
        assert processor in names
    assert d.recipients["stripe"].role is RecipientRole.PROCESSOR
    assert d.purposes["payments"].recipients == ("stripe",)
    for rid, recipient in d.recipients.items():
        if recipient.country not in EEA:
            assert recipient.safeguard is not None, rid
    assert d.recipients["zendesk"].safeguard is TransferSafeguard.ADEQUACY_DECISION
    assert d.cookies["_ga"].lifetime == months(13)
    assert all(c.lifetime.in_months() <= 13 for c in d.cookies.values())
    # "retained until the contract is fully performed"; consent "as long as … not withdrawn".
    assert d.retention["until_contract_performed"].until is RetentionEvent.CONTRACT_END
    assert d.retention["until_consent_withdrawn"].until is RetentionEvent.CONSENT_WITHDRAWAL
    # The UUID "is deleted when the User deletes the Application".
    assert d.retention["until_app_uninstalled"].until is RetentionEvent.APP_UNINSTALL
    assert d.retention["until_claims_settled"].until is RetentionEvent.DISPUTE_CLOSED
    # Device permissions "must be granted by the User": the system prompt asks.
    permissions = d.purposes["device_permissions"].consent
    assert permissions is not None
    assert permissions.mechanism is ConsentMechanism.OS_PERMISSION
    assert d.purposes["messaging"].direct_marketing
    assert d.rights.response_deadline == months(1)
    assert d.rights.notify_recipients


# ---------------------------------------------------------------- ActiveViam (003)


def test_activeviam_facts() -> None:
    d = example("activeviam")
    assert d.controller.name == "ActiveViam SAS"
    assert d.controller.registration == "RCS 824 978 852"
    # "anyone using the Website" (preamble, §1): the visitors the trackers analyse.
    assert set(d.subjects) == {"prospect", "customer", "supplier_vendor", "visitor"}
    prospecting = d.purposes["prospecting"]
    assert prospecting.legal_basis is LegalBasis.CONSENT
    assert prospecting.direct_marketing
    rule = d.retention[prospecting.retention or ""]
    assert (rule.duration, rule.after) == (years(3), RetentionEvent.LAST_CONTACT)
    assert d.purposes["customer_relationship"].retention == prospecting.retention
    litigation = d.purposes["litigation"]
    assert litigation.legal_basis is LegalBasis.LEGITIMATE_INTEREST
    assert "user.financial.payment_incidents" in litigation.categories
    assert "user.behavior.platform_actions" in d.purposes["service_provision"].categories
    assert "user.financial.bank_account" in d.purposes["supplier_management"].categories
    # "All Data is hosted by providers located in the European Union".
    # The hosting providers are declared by region (issue 17), the others by country.
    assert d.recipients["hosting"].region == "eu" and d.recipients["hosting"].country is None
    assert all(r.country in EEA for k, r in d.recipients.items() if k != "hosting")
    assert d.rights.verification is VerificationMethod.ID_DOCUMENT
    assert d.rights.contact_email == "delivery.support@activeviam.com"
    # §8: litigation data is kept until settlement, limitation or final decision.
    assert d.retention["until_dispute_closed"].until is RetentionEvent.DISPUTE_CLOSED
    # §11: "Decide how their Data will be used after their death".
    assert d.rights.post_mortem_directives


# ---------------------------------------------------------------- Komin (004)


def test_komin_facts() -> None:
    d = example("komin")
    assert d.controller.name == "KIO SOFTWARE"
    assert d.rights.contact_email == "vie-privee@komin.example"
    # "cookies … are destroyed 13 months after they are deposited".
    assert {c.lifetime for c in d.cookies.values()} == {months(13)}
    cookie_rule = d.retention[d.purposes["cookies"].retention or ""]
    assert (cookie_rule.duration, cookie_rule.after) == (months(13), RetentionEvent.DEPOSIT)
    # "only keep … as long as you register … only kept in archival form".
    account_rule = d.retention["account"]
    assert account_rule.until is RetentionEvent.ACCOUNT_DELETION
    assert account_rule.archive is not None
    for pid in ("promotions", "notifications"):
        assert d.purposes[pid].legal_basis is LegalBasis.CONSENT
    assert d.purposes["promotions"].direct_marketing
    assert "user.financial.credit_card" in d.purposes["payments"].categories
    # "None of the personal data collected is likely to be transferred to
    # countries outside the European Union."
    assert all(r.country in EEA for r in d.recipients.values())
    # "we will publish these changes on this page"; "the post-mortem fate of your data".
    assert d.notice.change_notification is ChangeNotification.PAGE
    assert d.rights.post_mortem_directives


def test_komin_cookies_need_an_explicit_choice_except_the_necessary_ones() -> None:
    d = example("komin")
    consent = d.purposes["cookies"].consent
    assert consent is not None
    assert consent.mechanism is ConsentMechanism.EXPLICIT_ACTION
    # "the cookies necessary for their operation": exempt from consent.
    essential = {name for name, c in d.cookies.items() if c.essential}
    assert essential == {"komin_necessary_cookies"}
    for name, cookie in d.cookies.items():
        if not cookie.essential:
            assert d.purposes[cookie.purpose].legal_basis is LegalBasis.CONSENT, name


KOMIN = EXAMPLES / "komin.yaml"
BROWSING = "By continuing to navigate on another page of"


def test_komin_correction_quotes_the_policy() -> None:
    """The corrected mechanism says which sentence of the policy it overrides."""
    lines = KOMIN.read_text("utf-8").splitlines()
    mechanism = line_of(KOMIN, r"^      mechanism: explicit_action$")
    comment = "\n".join(lines[mechanism - 8 : mechanism - 1])
    assert "# CORRECTED:" in comment
    assert BROWSING in comment
    assert "you agree to the deposit of cookies" in comment


def test_komin_as_the_policy_says_is_refused(tmp_path: Path) -> None:
    """Declaring consent "by continuing to navigate", as policy 004 does, fails validation."""
    text = KOMIN.read_text("utf-8").replace(
        "      mechanism: explicit_action\n", "      mechanism: continued_browsing\n", 1
    )
    path = tmp_path / "komin.yaml"
    path.write_text(text, "utf-8")
    result = subprocess.run(
        [str(GARDIEN), "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    line = line_of(KOMIN, r"^      mechanism: explicit_action$")
    errors = [e for e in result.stderr.splitlines() if f"komin.yaml:{line}:" in e]
    assert errors and "continuing to browse is not consent" in errors[0]


# ---------------------------------------------------------------- AI feedback as published


def test_as_published_reports_missing_controller_identity() -> None:
    report = validate(AS_PUBLISHED)
    assert not report.ok
    lines = {p.line for p in report.errors}
    assert line_of(AS_PUBLISHED, r'^  name: ""$') in lines
    assert line_of(AS_PUBLISHED, r'^  email: ""$') in lines
    assert any("controller.name" in p.message for p in report.errors)


def test_cli_validate_rejects_as_published() -> None:
    result = subprocess.run(
        [str(GARDIEN), "validate", str(AS_PUBLISHED)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    name_line = line_of(AS_PUBLISHED, r'^  name: ""$')
    assert f"ai-feedback-as-published.yaml:{name_line}:" in result.stderr


def _identity_filled(tmp_path: Path) -> Path:
    """The as-published file with only the controller's name and e-mail filled, line for line."""
    text = AS_PUBLISHED.read_text("utf-8")
    text = text.replace('  name: ""\n', "  name: Verbatim Insights\n", 1)
    text = text.replace('  email: ""\n', "  email: privacy@verbatim-insights.example\n", 1)
    path = tmp_path / AS_PUBLISHED.name
    path.write_text(text, "utf-8")
    return path


def test_as_published_reports_the_other_gaps_at_their_purposes(tmp_path: Path) -> None:
    """Once the identity is filled, the rules find what else the policy leaves out."""
    report = validate(_identity_filled(tmp_path))
    assert report.declaration is not None, [str(p) for p in report.problems]
    errors = report.errors
    consent_block = block_of(AS_PUBLISHED, "feedback_analysis")
    interest_block = block_of(AS_PUBLISHED, "service_improvement")
    assert any(p.line in consent_block and "consent" in p.message for p in errors)
    assert any(p.line in interest_block and "interest" in p.message for p in errors)
    assert len(errors) == 2, [str(p) for p in errors]


def test_as_published_differs_from_example_only_by_the_fills(tmp_path: Path) -> None:
    """The two transcriptions of policy 001 may not drift apart."""
    report = validate(_identity_filled(tmp_path))
    assert report.declaration is not None
    published = report.declaration.model_dump(mode="json")
    full = example("ai-feedback").model_dump(mode="json")
    assert full["purposes"]["feedback_analysis"]["consent"] is not None
    assert full["purposes"]["service_improvement"]["legitimate_interest"] is not None
    for side in (published, full):
        for entry in (
            side["purposes"]["feedback_analysis"],
            side["purposes"]["service_improvement"],
            side["purposes"]["legal_requests"],
            side["rights"],
        ):
            for key in ("consent", "legitimate_interest", "legal_reference", "contact_email"):
                entry.pop(key, None)  # the invented fills, absent from the published text
    assert published == full
