"""Redaction for a declared recipient: the operator must give the form the
declaration says the recipient receives, under a purpose that lists it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardien.declaration import Declaration, load_valid
from gardien.declaration.models import DataForm
from gardien.redact import LABELS, OPERATORS
from gardien.redact.disclosure import (
    ALLOWED_OPERATORS,
    ANONYMISING,
    OperatorNotAllowedError,
    UndeclaredDisclosureError,
    UnknownDisclosurePurposeError,
    UnknownRecipientError,
    check_disclosure,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# The recipients of tests/conftest.py's with_ai_recipients.
RECIPIENTS = ["ai_provider", "hosting", "translator"]


@pytest.fixture
def declaration(with_ai_recipients: Path) -> Declaration:
    return load_valid(with_ai_recipients)


@pytest.mark.parametrize("operator", sorted(OPERATORS))
@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_operator_allowed_exactly_when_it_gives_the_declared_form(
    declaration: Declaration, ai_recipient_forms: dict[str, str], recipient: str, operator: str
) -> None:
    assert sorted(ai_recipient_forms) == RECIPIENTS
    keeps_a_way_back = operator not in ANONYMISING
    if ai_recipient_forms[recipient] == "anonymised" and keeps_a_way_back:
        with pytest.raises(OperatorNotAllowedError, match=r"use mask, placeholder, redact"):
            check_disclosure(declaration, recipient, "service", operator)
    else:
        disclosure = check_disclosure(declaration, recipient, "service", operator)
        assert disclosure.recipient == recipient and disclosure.purpose == "service"
        assert disclosure.form is DataForm(ai_recipient_forms[recipient])


def test_every_operator_is_classified() -> None:
    # A new operator must be placed on one side of the line before it can be used.
    assert set(OPERATORS) >= ANONYMISING
    assert set(OPERATORS) - ANONYMISING == {"pseudonymize", "reversible"}
    assert ALLOWED_OPERATORS[DataForm.IDENTIFIED] == set(OPERATORS)
    assert set(ALLOWED_OPERATORS) == set(DataForm)


def test_unknown_recipient_suggests_the_close_one(declaration: Declaration) -> None:
    with pytest.raises(UnknownRecipientError, match=r"'ai_provder'.*did you mean 'ai_provider'"):
        check_disclosure(declaration, "ai_provder", None, "placeholder")


def test_unknown_purpose_is_named(declaration: Declaration) -> None:
    with pytest.raises(UnknownDisclosurePurposeError, match=r"purpose 'servce'.*'service'"):
        check_disclosure(declaration, "ai_provider", "servce", "placeholder")


def test_purpose_must_list_the_recipient(declaration: Declaration) -> None:
    with pytest.raises(
        UndeclaredDisclosureError, match=r"'newsletter' does not list .*'ai_provider'"
    ):
        check_disclosure(declaration, "ai_provider", "newsletter", "placeholder")


def test_no_purpose_checks_the_recipient_alone(declaration: Declaration) -> None:
    assert check_disclosure(declaration, "ai_provider", None, "redact").purpose is None


@pytest.mark.parametrize("recipient", ["ai_provider", "translator"])
def test_a_labels_filter_would_let_other_values_through(
    declaration: Declaration, recipient: str
) -> None:
    with pytest.raises(OperatorNotAllowedError, match="drop `labels`"):
        check_disclosure(declaration, recipient, "service", "placeholder", ["EMAIL"])
    # Naming every label is no filter at all.
    check_disclosure(declaration, recipient, "service", "placeholder", list(LABELS))


def test_identified_recipient_may_get_a_subset(declaration: Declaration) -> None:
    check_disclosure(declaration, "hosting", "service", "placeholder", ["EMAIL"])


def test_the_ai_feedback_company_cannot_send_reversible_text_to_openai() -> None:
    """The seed's promise: feedback is anonymised before OpenAI processes it."""
    declaration = load_valid(EXAMPLES / "ai-feedback.yaml")
    disclosure = check_disclosure(declaration, "openai", "feedback_analysis", "placeholder")
    assert disclosure.form is DataForm.ANONYMISED
    with pytest.raises(OperatorNotAllowedError, match="declared to receive anonymised data"):
        check_disclosure(declaration, "openai", "feedback_analysis", "reversible")
