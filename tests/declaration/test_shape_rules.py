"""The shapes real policies need: each wrong one is refused (or warned about) at its line,
with what to write instead; the right ones load.

Every case starts from the French SME declaration written for the tests
(``tests/notice/fixtures/sme-fr.yaml``), which validates, and changes one thing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gardien.declaration import load, validate
from gardien.declaration.models import LegalBasis, Operation, Purpose, Text
from gardien.errors import DeclarationError

SME = Path(__file__).parents[1] / "notice" / "fixtures" / "sme-fr.yaml"
Data = dict[str, Any]


@cache
def _sme() -> Data:
    data: Data = yaml.safe_load(SME.read_text("utf-8"))
    return data


def _write(tmp_path: Path, mutate: Callable[[Data], None]) -> Path:
    data = copy.deepcopy(_sme())
    mutate(data)
    path = tmp_path / "privacy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def _line_of(path: Path, text: str, after: str | None = None) -> int:
    lines = path.read_text("utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    for number, line in enumerate(lines[start:], start=start + 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def _messages(path: Path, severity: str) -> list[str]:
    report = validate(path)
    return [str(p) for p in report.problems if p.severity == severity]


def test_the_sme_declaration_is_valid_and_keeps_its_shapes() -> None:
    report = validate(SME)
    assert not report.errors, [str(p) for p in report.errors]
    declaration = load(SME)
    customers = declaration.purposes["customers"]
    assert [o.legal_basis for o in customers.operations] == [
        LegalBasis.CONTRACT,
        LegalBasis.LEGAL_OBLIGATION,
        LegalBasis.LEGAL_OBLIGATION,
        LegalBasis.LEGITIMATE_INTEREST,
    ]
    assert declaration.retention["reviews"].until == "review_withdrawn"
    assert declaration.recipients["readers"].transfer_country is None
    assert declaration.recipients["it_providers"].region == "eu"


# Operations ------------------------------------------------------------------------------


def _operation_without_interest(d: Data) -> None:
    d["purposes"]["customers"]["operations"][3].pop("legitimate_interest")


def _consent_operation_in_contract_purpose(d: Data) -> None:
    d["purposes"]["customers"]["operations"][3]["legal_basis"] = "consent"
    d["purposes"]["customers"]["operations"][3].pop("legitimate_interest")


def _purpose_basis_of_no_operation(d: Data) -> None:
    d["purposes"]["customers"]["legal_basis"] = "vital_interest"


def _operation_category_not_the_purposes(d: Data) -> None:
    d["purposes"]["customers"]["operations"][1]["categories"] = ["user.job_title"]


def _interest_on_a_contract_operation(d: Data) -> None:
    d["purposes"]["customers"]["operations"][0]["legitimate_interest"] = {
        "fr": "vendre",
        "en": "selling",
    }


def _objection_switched_off(d: Data) -> None:
    d["purposes"]["customers"]["objection"] = False


@pytest.mark.parametrize(
    ("mutate", "located_at", "after", "expected"),
    [
        (
            _operation_without_interest,
            "legal_basis: legitimate_interest",
            "Enquêtes de satisfaction",
            'purpose "customers", operation 4: legal basis is legitimate interest but the '
            "interest pursued is not named (Art. 13(1)(d)); add legitimate_interest",
        ),
        (
            _consent_operation_in_contract_purpose,
            "legal_basis: consent",
            "Enquêtes de satisfaction",
            'purpose "customers", operation 4 rests on consent, but consent is asked and '
            'checked per purpose and "customers" rests on contract: declare this operation as '
            "a purpose of its own",
        ),
        (
            _purpose_basis_of_no_operation,
            "legal_basis: vital_interest",
            None,
            'purpose "customers": its legal_basis (vital_interest) is the basis of none of its '
            "operations; set it to the basis of its main operation (contract, "
            "legal_obligation, legitimate_interest)",
        ),
        (
            _operation_category_not_the_purposes,
            "- user.job_title",
            "Facturation",
            "purpose \"customers\", operation 2: category 'user.job_title' is not among the "
            "purpose's categories",
        ),
        (
            _interest_on_a_contract_operation,
            "legitimate_interest:",
            "Traitement des commandes",
            'purpose "customers", operation 1: a legitimate interest is named but the legal '
            "basis is contract; remove legitimate_interest or set legal_basis: "
            "legitimate_interest",
        ),
        (
            _objection_switched_off,
            "objection: false",
            None,
            'purpose "customers": objection is false, but an operation rests on legitimate '
            "interest or a public task",
        ),
    ],
)
def test_operation_errors_name_the_line_and_the_fix(
    tmp_path: Path,
    mutate: Callable[[Data], None],
    located_at: str,
    after: str | None,
    expected: str,
) -> None:
    path = _write(tmp_path, mutate)
    errors = _messages(path, "error")
    line = _line_of(path, located_at, after)
    assert any(f":{line}:" in m and expected in m for m in errors), errors


def test_a_legal_obligation_operation_without_its_law_is_a_warning(tmp_path: Path) -> None:
    path = _write(
        tmp_path, lambda d: d["purposes"]["customers"]["operations"][2].pop("legal_reference")
    )
    warnings = _messages(path, "warning")
    assert any(
        'purpose "customers", operation 3: legal obligation without legal_reference' in m
        for m in warnings
    ), warnings
    assert not validate(path).errors


@settings(max_examples=60, deadline=None)
@given(
    purpose_basis=st.sampled_from(list(LegalBasis)),
    operation_bases=st.lists(st.sampled_from(list(LegalBasis)), max_size=4),
    marketing=st.booleans(),
)
def test_objection_follows_every_operations_basis(
    purpose_basis: LegalBasis, operation_bases: list[LegalBasis], marketing: bool
) -> None:
    """Art. 21(1): a purpose is open to objection as soon as the purpose or one of its
    operations rests on legitimate interest or a public task, or is direct marketing."""
    text = Text(fr="x", en="x")
    purpose = Purpose(
        name=text,
        description=text,
        legal_basis=purpose_basis,
        subjects=("customer",),
        categories=("user.name",),
        operations=tuple(
            Operation(name=text, legal_basis=b, direct_marketing=marketing and i == 0)
            for i, b in enumerate(operation_bases)
        ),
    )
    open_to = {LegalBasis.LEGITIMATE_INTEREST, LegalBasis.PUBLIC_TASK}
    expected = bool({purpose_basis, *operation_bases} & open_to) or (
        marketing and bool(operation_bases)
    )
    assert purpose.objection_allowed is expected


# Retention ---------------------------------------------------------------------------------


def test_an_undeclared_retention_event_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["retention"]["reviews"].update(until="review_withdrawm"))
    errors = _messages(path, "error")
    line = _line_of(path, "until: review_withdrawm")
    assert any(
        f":{line}:" in m
        and "'review_withdrawm' is neither a built-in event nor one declared under retention_events"
        in m
        and "review_withdrawn" in m
        for m in errors
    ), errors


def test_a_misspelt_built_in_event_is_refused_not_taken_for_a_company_event(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, lambda d: d["retention"]["logs"].update(after="colection"))
    errors = _messages(path, "error")
    assert any("'colection' is neither a built-in event" in m and "collection" in m for m in errors)


def test_an_unused_company_event_is_a_warning(tmp_path: Path) -> None:
    def unused(d: Data) -> None:
        d["retention_events"]["newsletter_closed"] = {
            "label": {"fr": "la fermeture de la lettre", "en": "the newsletter closes"}
        }

    path = _write(tmp_path, unused)
    warnings = _messages(path, "warning")
    assert any(
        "retention event 'newsletter_closed' is used by no retention rule" in m for m in warnings
    )


def test_indefinite_retention_is_warned_about_and_needs_no_other_limit(tmp_path: Path) -> None:
    def indefinite(d: Data) -> None:
        d["retention"]["reviews"] = {
            "indefinitely": {
                "fr": "les avis forment l'historique public de nos produits",
                "en": "reviews form the public history of our products",
            }
        }

    path = _write(tmp_path, indefinite)
    report = validate(path)
    assert not report.errors
    line = _line_of(path, "indefinitely:")
    assert any(
        p.line == line and "keeps data without any time limit" in p.message for p in report.warnings
    )


def test_indefinite_retention_with_a_duration_is_refused(tmp_path: Path) -> None:
    def both(d: Data) -> None:
        d["retention"]["logs"]["indefinitely"] = {"fr": "toujours", "en": "always"}

    path = _write(tmp_path, both)
    with pytest.raises(DeclarationError) as caught:
        load(path)
    assert any(
        "`indefinitely` keeps data without a limit: remove duration, until and archive" in str(p)
        for p in caught.value.problems
    )


def test_a_rule_without_limit_says_indefinitely_is_the_way_to_keep_without_limit(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, lambda d: d["retention"].update(logs={"after": "collection"}))
    with pytest.raises(DeclarationError) as caught:
        load(path)
    assert any(
        "`indefinitely: {fr: …, en: …}` with the reason" in str(p) for p in caught.value.problems
    )


def test_retention_by_subject_covers_every_subject(tmp_path: Path) -> None:
    path = _write(
        tmp_path, lambda d: d["purposes"]["prospecting"]["retention_by_subject"].pop("customer")
    )
    errors = _messages(path, "error")
    assert any('purpose "prospecting": no retention rule for customer' in m for m in errors), errors


def test_retention_by_subject_names_the_purposes_subjects_and_declared_rules(
    tmp_path: Path,
) -> None:
    def wrong(d: Data) -> None:
        d["purposes"]["prospecting"]["retention_by_subject"]["job_applicant"] = "applications"
        d["purposes"]["prospecting"]["retention_by_subject"]["prospect"] = "prospekts"

    path = _write(tmp_path, wrong)
    errors = _messages(path, "error")
    assert any(
        "retention_by_subject names 'job_applicant', which is not among the purpose's subjects" in m
        for m in errors
    ), errors
    assert any(
        "retention rule 'prospekts' for 'prospect' is not declared under retention" in m
        and "prospects" in m
        for m in errors
    ), errors


# Recipients, verification, channels ----------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["recipients"]["carriers"].pop("region"),
            "say where this recipient is: `country: FR` (an ISO 3166 code), or `region: eu`",
        ),
        (
            lambda d: d["recipients"]["carriers"].update(country="FR"),
            "give `country` (one recipient's country) or `region`",
        ),
        (
            lambda d: d["recipients"]["carriers"].update(safeguard="standard_contractual_clauses"),
            "region: eu is inside the EEA, where no transfer safeguard applies",
        ),
        (
            lambda d: d["recipients"]["readers"].update(country="US"),
            "a recipient with role: public is anyone who reads what is published: remove "
            "country, region and safeguard",
        ),
        (
            lambda d: d["rights"]["channels"][0].update(value="www.atelier-gaudin.fr/contact"),
            "'www.atelier-gaudin.fr/contact' is not a web address: write it in full, https://",
        ),
        (
            lambda d: d["rights"]["channels"].append({"kind": "email", "value": "donnees-at-x"}),
            "'donnees-at-x' is not an e-mail address",
        ),
    ],
)
def test_shape_errors_say_what_to_write(
    tmp_path: Path, mutate: Callable[[Data], None], expected: str
) -> None:
    path = _write(tmp_path, mutate)
    with pytest.raises(DeclarationError) as caught:
        load(path)
    messages = [str(p) for p in caught.value.problems]
    assert any(expected in m for m in messages), messages


def test_a_recipients_categories_are_declared_and_used_by_its_purposes(tmp_path: Path) -> None:
    def wrong(d: Data) -> None:
        d["recipients"]["carriers"]["categories"] = ["user.contact.adress", "user.job_title"]

    path = _write(tmp_path, wrong)
    report = validate(path)
    assert any(
        "category 'user.contact.adress' is not declared under data_categories" in p.message
        and "user.contact.address" in p.message
        for p in report.errors
    )
    assert any(
        "receives 'user.job_title', which none of the purposes naming it processes" in p.message
        for p in report.warnings
    )


def test_a_recipient_outside_the_eea_is_still_judged_by_its_country(tmp_path: Path) -> None:
    def american(d: Data) -> None:
        d["notice"].pop("hosting")
        d["recipients"]["accountant"]["country"] = "US"

    path = _write(tmp_path, american)
    assert any("outside the EEA" in p.message for p in validate(path).errors)


def test_verification_left_out_is_a_warning_and_declared_is_not(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["rights"].pop("verification"))
    warnings = _messages(path, "warning")
    assert any("rights.verification is not declared" in m and "on_doubt" in m for m in warnings)
    assert not any("rights.verification" in m for m in _messages(SME, "warning"))


def test_an_unknown_verification_method_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["rights"].update(verification=["on_doubt", "selfie"]))
    with pytest.raises(DeclarationError):
        load(path)
