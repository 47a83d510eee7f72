"""The rules that keep the notice truthful, each shown with its message at its line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gardien.declaration import load_valid, validate
from gardien.notice import render_notice

Data = dict[str, Any]


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip().startswith(text):
            return number
    raise AssertionError(f"{text!r} not in {path}")


def _cookie_category_without_cookie(d: Data) -> None:
    d.pop("cookies")
    d["data_categories"]["user.device.cookie"] = {}
    d["purposes"]["newsletter"]["categories"].append("user.device.cookie")


def _cookie_wording_without_cookie(d: Data) -> None:
    d.pop("cookies")
    d["purposes"]["newsletter"]["consent"]["wording"] = {
        "fr": "J'accepte les cookies de mesure d'audience.",
        "en": "I accept audience-measurement cookies.",
    }


def _hosted_in_eu_with_us_recipient(d: Data) -> None:
    d["notice"]["hosting"] = "eu"


def _hosted_in_eu_with_norway(d: Data) -> None:
    d["notice"]["hosting"] = "eu"
    d["recipients"]["payments"].update(country="NO", safeguard=None)


def _direct_with_third_party_source(d: Data) -> None:
    d["purposes"]["newsletter"]["sources"] = [
        {"kind": "third_party", "description": {"fr": "un annuaire", "en": "a directory"}}
    ]


def _no_requirement(d: Data) -> None:
    d["purposes"]["security"].pop("requirement")
    d["purposes"]["security"].pop("consequence_if_not_provided")


def _no_effective_date(d: Data) -> None:
    d["notice"].pop("effective_date")


def _no_cookies_section(d: Data) -> None:
    d.pop("cookies")


def _silent_on_sources(d: Data) -> None:
    d["notice"].pop("collected_directly")


def _archive_reason_noun_phrase(d: Data) -> None:
    d["retention"]["invoices"]["archive"]["reason"] = {
        "fr": "Obligation comptable.",
        "en": "accounting obligation",
    }


def _archive_reason_gerund(d: Data) -> None:
    d["retention"]["invoices"]["archive"]["reason"]["en"] = "Keeping proof of the contract."


def _consequence_as_clause(d: Data) -> None:
    d["purposes"]["service"]["consequence_if_not_provided"]["fr"] = (
        "nous ne pouvons pas créer votre compte"
    )


def _french_name(d: Data) -> None:
    d["recipients"]["hosting"]["name"] = "Hébergeur des données de la plateforme"


def _french_legal_form(d: Data) -> None:
    d["controller"]["legal_form"] = "Société coopérative de production"


CASES: list[tuple[str, Callable[[Data], None], str, str, str]] = [
    (
        "cookie-category",
        _cookie_category_without_cookie,
        "error",
        'purpose "newsletter" uses cookies or trackers, but no cookie is declared',
        "- user.device.cookie",
    ),
    (
        "cookie-wording",
        _cookie_wording_without_cookie,
        "error",
        'purpose "newsletter" uses cookies or trackers, but no cookie is declared',
        "fr: J'accepte les cookies",
    ),
    (
        "hosting-eu",
        _hosted_in_eu_with_us_recipient,
        "error",
        'recipient "payments" is in US, but notice.hosting says all data is hosted in the EU',
        "country: US",
    ),
    (
        "hosting-eu-not-eea",
        _hosted_in_eu_with_norway,
        "error",
        'recipient "payments" is in NO, but notice.hosting says all data is hosted in the EU',
        "country: 'NO'",
    ),
    (
        "collected-directly",
        _direct_with_third_party_source,
        "error",
        'purpose "newsletter" obtains data third party sources, but notice.collected_directly',
        "- kind: third_party",
    ),
    (
        "requirement",
        _no_requirement,
        "warning",
        'purpose "security": the notice must say whether providing the data is required',
        "security:",
    ),
    (
        "effective-date",
        _no_effective_date,
        "warning",
        "notice.effective_date is not declared",
        "notice:",
    ),
    (
        "cookies-silent",
        _no_cookies_section,
        "warning",
        "cookies are not declared",
        "controller:",
    ),
    (
        "sources-silent",
        _silent_on_sources,
        "warning",
        "the declaration does not say where the data comes from",
        "notice:",
    ),
    (
        "archive-reason-fr",
        _archive_reason_noun_phrase,
        "warning",
        'retention rule "invoices": the archive reason follows « pour »',
        "fr: Obligation comptable.",
    ),
    (
        "archive-reason-en",
        _archive_reason_gerund,
        "warning",
        'retention rule "invoices": the archive reason follows "to"',
        "en: Keeping proof",
    ),
    (
        "consequence-sentence",
        _consequence_as_clause,
        "warning",
        'purpose "service": consequence_if_not_provided is printed as a sentence of its own',
        "fr: nous ne pouvons pas",
    ),
    (
        "french-legal-form",
        _french_legal_form,
        "warning",
        "controller.legal_form 'Société coopérative de production' looks French",
        "legal_form: Société coopérative",
    ),
    (
        "french-name",
        _french_name,
        "warning",
        "recipient \"hosting\": its name 'Hébergeur des données de la plateforme' looks French",
        "name: Hébergeur",
    ),
]


@pytest.mark.parametrize(
    ("case", "mutate", "severity", "expected", "line_text"), CASES, ids=[c[0] for c in CASES]
)
def test_notice_rule_reports_its_message_at_its_line(
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
    problem = matching[0]
    assert problem.severity == severity
    assert problem.line == _line_of(path, line_text)
    assert report.ok is (severity != "error")


def test_a_bilingual_name_and_well_formed_texts_raise_nothing(
    write_declaration: Callable[..., Path],
) -> None:
    def bilingual(d: Data) -> None:
        d["recipients"]["hosting"]["name"] = {
            "fr": "Hébergeur des données de la plateforme",
            "en": "Platform data host",
        }

    report = validate(write_declaration(bilingual))
    assert report.problems == ()


def test_declared_none_cookies_is_not_silent(write_declaration: Callable[..., Path]) -> None:
    def none(d: Data) -> None:
        d["cookies"] = {}

    report = validate(write_declaration(none))
    assert not [p for p in report.problems if "cookies" in p.message]


def test_data_given_on_consent_is_voluntary_without_saying_so(
    write_declaration: Callable[..., Path],
) -> None:
    """Consent is free by law (Art. 7(4)): no warning, and the notice says it is voluntary."""

    def no_requirement(d: Data) -> None:
        d["purposes"]["newsletter"].pop("requirement")

    path = write_declaration(no_requirement)
    assert validate(path).problems == ()
    text = render_notice(load_valid(path), "fr", "md")
    assert "**Lettre d'information :** La fourniture de ces données est facultative." in text


@pytest.mark.parametrize(
    "legal_form",
    [
        "SAS au capital de 10 000 €",
        "SARL",
        {"fr": "Société coopérative de production", "en": "worker cooperative"},
    ],
)
def test_a_legal_form_the_english_notice_can_state_raises_nothing(
    write_declaration: Callable[..., Path], legal_form: str | dict[str, str]
) -> None:
    def declare(d: Data) -> None:
        d["controller"]["legal_form"] = legal_form

    report = validate(write_declaration(declare))
    assert report.problems == ()
