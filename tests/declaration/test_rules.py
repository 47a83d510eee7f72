"""Every GDPR/CNIL rule of `validate`, each shown with its message at its line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gardien.declaration import RULES, validate
from gardien.errors import Problem

Data = dict[str, Any]


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip().startswith(text):
            return number
    raise AssertionError(f"{text!r} not in {path}")


def _drop_legitimate_interest(d: Data) -> None:
    del d["purposes"]["security"]["legitimate_interest"]


def _drop_consent(d: Data) -> None:
    del d["purposes"]["newsletter"]["consent"]


def _consent_wording_only_fr(d: Data) -> None:
    d["purposes"]["newsletter"]["consent"]["wording"] = {"fr": "J'accepte."}


def _undeclared_category(d: Data) -> None:
    d["purposes"]["service"]["categories"].append("user.contact.phone_number")


def _undeclared_store_category(d: Data) -> None:
    d["datastores"] = {
        "crm": {
            "url": {"$env": "CRM_URL"},
            "collections": {
                "people": {
                    "fields": {"mail": {"categories": ["user.contact.emial"], "identity": "email"}}
                }
            },
        }
    }


def _unknown_taxonomy_key(d: Data) -> None:
    d["data_categories"]["user.contact.emial"] = {}


def _custom_category_under_unknown_parent(d: Data) -> None:
    d["data_categories"]["acme.loyalty"] = {
        "parent": "acme",
        "label": {"fr": "Fidélité", "en": "Loyalty"},
    }


def _us_without_safeguard(d: Data) -> None:
    del d["recipients"]["payments"]["safeguard"]


def _india_under_adequacy(d: Data) -> None:
    d["recipients"]["payments"].update(country="IN", safeguard="adequacy_decision")


def _no_retention(d: Data) -> None:
    del d["purposes"]["security"]["retention"]


def _unknown_retention(d: Data) -> None:
    d["purposes"]["security"]["retention"] = "log"


def _long_cookie(d: Data) -> None:
    d["cookies"]["session"]["lifetime"] = "14 months"


def _health_without_condition(d: Data) -> None:
    d["data_categories"]["user.health_and_medical"] = {}
    d["purposes"]["service"]["categories"].append("user.health_and_medical")


def _custom_special_without_condition(d: Data) -> None:
    d["data_categories"]["user.content.union_card"] = {
        "parent": "user.content",
        "special": "trade_union_membership",
        "label": {"fr": "Carte syndicale", "en": "Union card"},
    }
    d["purposes"]["service"]["optional_categories"].append("user.content.union_card")


def _explicit_consent_on_contract(d: Data) -> None:
    d["data_categories"]["user.biometric"] = {}
    d["purposes"]["service"]["categories"].append("user.biometric")
    d["purposes"]["service"]["special_category_condition"] = "explicit_consent"


def _marketing_without_objection(d: Data) -> None:
    d["purposes"]["newsletter"]["objection"] = False


def _long_deadline(d: Data) -> None:
    d["rights"]["response_deadline"] = "2 months"


def _long_extension(d: Data) -> None:
    d["rights"]["extension"] = "3 months"


def _dangling_reference(d: Data) -> None:
    d["datastores"] = {
        "shop": {
            "url": {"$env": "SHOP_URL"},
            "collections": {
                "customers": {
                    "fields": {
                        "id": {"primary_key": True},
                        "email": {"categories": ["user.contact.email"], "identity": "email"},
                    }
                },
                "orders": {
                    "fields": {
                        "customer_id": {"references": {"collection": "customers", "field": "uid"}}
                    }
                },
            },
        }
    }


def _reference_to_unknown_collection(d: Data) -> None:
    _dangling_reference(d)
    d["datastores"]["shop"]["collections"]["orders"]["fields"]["customer_id"]["references"][
        "collection"
    ] = "customer"


def _kept_without_hold(d: Data) -> None:
    _dangling_reference(d)
    orders = d["datastores"]["shop"]["collections"]["orders"]
    orders["fields"]["customer_id"]["references"]["field"] = "id"
    orders["fields"]["amount"] = {"erasure": "keep"}


def _hold_on_unknown_anchor(d: Data) -> None:
    _kept_without_hold(d)
    d["datastores"]["shop"]["collections"]["orders"]["legal_hold"] = {
        "reason": {"fr": "Code de commerce", "en": "Commercial Code"},
        "duration": "10 years",
        "anchor": "issued",
    }


def _undeclared_subject(d: Data) -> None:
    d["purposes"]["service"]["subjects"].append("supplier")


def _undeclared_recipient(d: Data) -> None:
    d["purposes"]["service"]["recipients"].append("hostng")


def _unknown_data_use(d: Data) -> None:
    d["purposes"]["service"]["data_use"] = "essential.servise"


def _cookie_unknown_purpose(d: Data) -> None:
    d["cookies"]["session"]["purpose"] = "services"


def _empty_controller_name(d: Data) -> None:
    d["controller"]["name"] = " "


def _controller_outside_eea(d: Data) -> None:
    d["controller"]["country"] = "US"


# (id, mutation, severity, expected message fragment, text on the line it points at)
CASES: list[tuple[str, Callable[[Data], None], str, str, str]] = [
    (
        "legitimate-interest-named",
        _drop_legitimate_interest,
        "error",
        'purpose "security": legal basis is legitimate interest but the interest pursued is not named',
        "legal_basis: legitimate_interest",
    ),
    (
        "consent-wording",
        _drop_consent,
        "error",
        'purpose "newsletter": legal basis is consent but no consent wording is given',
        "legal_basis: consent",
    ),
    (
        "consent-wording-both-languages",
        _consent_wording_only_fr,
        "error",
        'purposes.newsletter.consent.wording: no "en" text, and the notice is published in fr, '
        "en (notice.languages); add en: … to this text, or remove en from notice.languages",
        "wording:",
    ),
    (
        "category-declared",
        _undeclared_category,
        "error",
        "category 'user.contact.phone_number' is used but not declared under data_categories",
        "- user.contact.phone_number",
    ),
    (
        "store-category-declared",
        _undeclared_store_category,
        "error",
        "category 'user.contact.emial' is used but not declared under data_categories (did you mean \"user.contact.email\"?)",
        "- user.contact.emial",
    ),
    (
        "taxonomy-key",
        _unknown_taxonomy_key,
        "error",
        "category 'user.contact.emial' is not in the Fides taxonomy (did you mean \"user.contact.email\"?)",
        "user.contact.emial:",
    ),
    (
        "custom-category-parent",
        _custom_category_under_unknown_parent,
        "error",
        "category 'acme.loyalty': parent 'acme' is neither in the Fides taxonomy nor declared here",
        "parent: acme",
    ),
    (
        "transfer-safeguard",
        _us_without_safeguard,
        "error",
        'recipient "payments" is in US, outside the EEA',
        "country: US",
    ),
    (
        "adequacy-exists",
        _india_under_adequacy,
        "error",
        'recipient "payments": IN has no adequacy decision',
        "safeguard: adequacy_decision",
    ),
    (
        "retention-present",
        _no_retention,
        "error",
        'purpose "security": no retention rule',
        "security:",
    ),
    (
        "retention-declared",
        _unknown_retention,
        "error",
        "retention rule 'log' is not declared under retention (did you mean \"logs\"?)",
        "retention: log",
    ),
    (
        "cookie-13-months",
        _long_cookie,
        "error",
        'cookie "session": lifetime 14 months exceeds the CNIL maximum of 13 months',
        "lifetime: 14 months",
    ),
    (
        "special-category-condition",
        _health_without_condition,
        "error",
        'purpose "service" processes special categories (health): name the Art. 9(2) condition',
        "categories:",
    ),
    (
        "custom-special-category",
        _custom_special_without_condition,
        "error",
        'purpose "service" processes special categories (trade_union_membership)',
        "categories:",
    ),
    (
        "explicit-consent-needs-consent",
        _explicit_consent_on_contract,
        "error",
        'purpose "service": explicit consent (Art. 9(2)(a)) needs legal_basis: consent',
        "special_category_condition",
    ),
    (
        "marketing-objection",
        _marketing_without_objection,
        "error",
        'purpose "newsletter" is direct marketing: people may always object to it (Art. 21(2))',
        "objection: false",
    ),
    (
        "deadline-one-month",
        _long_deadline,
        "error",
        "rights.response_deadline is 2 months: Art. 12(3) allows one month at most",
        "response_deadline",
    ),
    (
        "extension-two-months",
        _long_extension,
        "error",
        "rights.extension is 3 months: Art. 12(3) allows two further months at most",
        "extension: 3 months",
    ),
    (
        "reference-field",
        _dangling_reference,
        "error",
        "datastores.shop: orders.customer_id references customers.uid, which is not a declared field",
        "references:",
    ),
    (
        "reference-collection",
        _reference_to_unknown_collection,
        "error",
        "references collection 'customer', which is not declared (did you mean \"customers\"?)",
        "references:",
    ),
    (
        "kept-needs-hold",
        _kept_without_hold,
        "error",
        "datastores.shop: orders keeps amount when a person asks for erasure: declare `legal_hold`",
        "orders:",
    ),
    (
        "hold-anchor",
        _hold_on_unknown_anchor,
        "error",
        "datastores.shop: orders's legal hold runs from 'issued', which is not a declared field",
        "anchor: issued",
    ),
    (
        "subject-declared",
        _undeclared_subject,
        "error",
        "purpose \"service\": subject 'supplier' is not declared under subjects",
        "- supplier",
    ),
    (
        "recipient-declared",
        _undeclared_recipient,
        "error",
        "recipient 'hostng' is not declared under recipients (did you mean \"hosting\"?)",
        "- hostng",
    ),
    (
        "data-use-known",
        _unknown_data_use,
        "error",
        "data_use 'essential.servise' is not in the Fides taxonomy (did you mean \"essential.service\"?)",
        "data_use: essential.servise",
    ),
    (
        "cookie-purpose",
        _cookie_unknown_purpose,
        "error",
        'cookie "session": purpose \'services\' is not declared (did you mean "service"?)',
        "purpose: services",
    ),
    (
        "controller-named",
        _empty_controller_name,
        "error",
        "controller.name is empty: the notice must name the controller (Art. 13(1)(a))",
        "name: ' '",
    ),
    (
        "eu-representative",
        _controller_outside_eea,
        "error",
        "controller.country is US, outside the EEA: designate a representative in the EU (Art. 27)",
        "country: US",
    ),
]


@pytest.mark.parametrize(
    ("case", "mutate", "severity", "expected", "line_text"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_reports_its_message_at_its_line(
    write_declaration: Callable[..., Path],
    case: str,
    mutate: Callable[[Data], None],
    severity: str,
    expected: str,
    line_text: str,
) -> None:
    path = write_declaration(mutate)
    report = validate(path)
    matching = [p for p in report.problems if expected in p.message]
    assert matching, f"{case}: {expected!r} not in {[str(p) for p in report.problems]}"
    problem: Problem = matching[0]
    assert problem.severity == severity
    assert problem.file == str(path)
    assert problem.line == _line_of(path, line_text)
    assert report.ok is (severity != "error")


def test_starter_is_valid_with_no_problem(write_declaration: Callable[..., Path]) -> None:
    report = validate(write_declaration())
    assert report.ok and report.problems == ()


def test_problems_of_several_rules_come_together(write_declaration: Callable[..., Path]) -> None:
    def many(d: Data) -> None:
        _long_cookie(d)
        _long_deadline(d)
        _no_retention(d)

    report = validate(write_declaration(many))
    assert len(report.errors) == 3
    assert [p.line for p in report.errors] == sorted(p.line for p in report.errors)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["controller"].pop("dpo"), "no dpo given"),
        (lambda d: d["recipients"]["payments"].pop("safeguard"), None),
        (
            lambda d: d["purposes"]["service"].update(
                consent={"wording": {"fr": "Oui", "en": "Yes"}}
            ),
            "consent wording is given but the legal basis is contract",
        ),
        (
            lambda d: d["purposes"]["invoicing"].pop("legal_reference"),
            "legal obligation without legal_reference",
        ),
        (
            lambda d: d["recipients"].update(
                unused={
                    "name": "X",
                    "role": "processor",
                    "service": {"fr": "X", "en": "X"},
                    "country": "FR",
                }
            ),
            'recipient "unused" is not named by any purpose',
        ),
        (
            lambda d: d["retention"].update(spare={"duration": "1 year"}),
            'retention rule "spare" is used by no purpose',
        ),
        (lambda d: d["recipients"]["payments"].update(safeguard=None), None),
    ],
)
def test_warnings_do_not_fail(
    write_declaration: Callable[..., Path], mutate: Callable[[Data], None], expected: str | None
) -> None:
    report = validate(write_declaration(mutate))
    if expected is None:
        # Removing a needed safeguard is an error, not a warning: the negative control.
        assert not report.ok
        return
    assert report.ok, [str(p) for p in report.errors]
    assert any(expected in w.message for w in report.warnings), [str(w) for w in report.warnings]


def test_us_recipient_under_dpf_adequacy_gets_scope_warning(
    write_declaration: Callable[..., Path],
) -> None:
    report = validate(write_declaration(lambda d: d["recipients"]["payments"].pop("safeguard")))
    assert any("outside the EEA" in e.message for e in report.errors)
    report = validate(
        write_declaration(
            lambda d: d["recipients"]["payments"].update(safeguard="adequacy_decision")
        )
    )
    assert report.ok


def test_every_rule_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "declaration.md").read_text("utf-8")
    for rule in RULES:
        assert f"`{rule.code}`" in docs, f"rule {rule.code} is missing from docs/declaration.md"


def test_continued_browsing_is_not_consent(write_declaration: Callable[..., Path]) -> None:
    path = write_declaration(
        lambda d: d["purposes"]["newsletter"]["consent"].update(mechanism="continued_browsing")
    )
    report = validate(path)
    [error] = report.errors
    assert error.line == _line_of(path, "mechanism: continued_browsing")
    assert 'purpose "newsletter": continuing to browse is not consent' in error.message


def test_non_essential_cookie_needs_a_consent_purpose(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(lambda d: d["cookies"]["session"].pop("essential"))
    [error] = validate(path).errors
    assert error.line == _line_of(path, "purpose: service")
    assert 'cookie "session" is not strictly necessary, so it needs consent' in error.message
    ok = write_declaration(
        lambda d: d["cookies"]["session"].update(essential=False, purpose="newsletter"),
        name="ok.yaml",
    )
    assert validate(ok).ok


def test_automated_decision_needs_an_art22_exception(
    write_declaration: Callable[..., Path],
) -> None:
    decision = {
        "logic": {"fr": "Score", "en": "Score"},
        "significance": {"fr": "Refus", "en": "Refusal"},
    }
    path = write_declaration(lambda d: d["purposes"]["service"].update(automated_decision=decision))
    [error] = validate(path).errors
    assert error.line == _line_of(path, "automated_decision:")
    assert "only under an Art. 22(2) exception" in error.message
    fixed = write_declaration(
        lambda d: d["purposes"]["service"].update(
            automated_decision={**decision, "exception": "contract"}
        ),
        name="ok.yaml",
    )
    assert validate(fixed).ok


def test_joint_controller_without_arrangement_is_a_warning(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(lambda d: d["recipients"]["hosting"].update(role="joint_controller"))
    report = validate(path)
    assert report.ok
    assert any(
        "the essence of the arrangement must be made available" in w.message
        for w in report.warnings
    )
