"""Contradictions inside a declaration that `validate` used to accept silently (issue 17):
a purpose not based on consent kept until consent is withdrawn, periods of zero, a rule
that ends when it starts, data given on consent declared required. Each is reported with
its rule's code in the registry, its message and its line; the starter stays clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gardien.declaration import RULES, validate
from gardien.errors import Problem

Data = dict[str, Any]


def line_of(path: Path, text: str, after: str = "") -> int:
    """The first line starting with ``text`` (after the first line starting with ``after``)."""
    lines = path.read_text("utf-8").splitlines()
    start = line_of(path, after) if after else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip().startswith(text):
            return number
    raise AssertionError(f"{text!r} not in {path}")


def only_problem(path: Path, severity: str = "error") -> Problem:
    report = validate(path)
    assert report.declaration is not None, [str(p) for p in report.problems]
    found = [p for p in report.problems if p.severity == severity]
    assert len(found) == 1, [str(p) for p in report.problems]
    return found[0]


def test_the_new_rules_are_registered_with_codes() -> None:
    codes = {r.code for r in RULES}
    assert {"retention-basis", "zero-period", "retention-events", "consent-requirement"} <= codes


def test_the_starter_has_none_of_these_contradictions(
    write_declaration: Callable[..., Path],
) -> None:
    report = validate(write_declaration())
    assert report.ok and not report.warnings, [str(p) for p in report.problems]


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        ("legitimate_interest", "after: last_contact"),
        ("legal_obligation", "the period the law sets"),
        ("contract", "a period after an event such as contract_end"),
    ],
)
@pytest.mark.parametrize("field", ["until", "after"])
def test_a_purpose_not_based_on_consent_is_not_kept_until_consent_is_withdrawn(
    write_declaration: Callable[..., Path], basis: str, expected: str, field: str
) -> None:
    def mutate(d: Data) -> None:
        purpose = d["purposes"]["security"]
        purpose["legal_basis"] = basis
        if basis == "legal_obligation":
            purpose["legal_reference"] = {"fr": "Loi", "en": "Law"}
        d["retention"]["logs"] = (
            {"until": "consent_withdrawal"}
            if field == "until"
            else {"duration": "1 year", "after": "consent_withdrawal"}
        )

    path = write_declaration(mutate)
    problem = only_problem(path)
    assert f'purpose "security" rests on {basis.replace("_", " ")}, not consent' in problem.message
    assert f"runs {'until' if field == 'until' else 'from'} consent_withdrawal" in problem.message
    assert expected in problem.message
    # At the purpose's retention line (the one that picked the rule).
    assert problem.line == line_of(path, "retention: logs")


def test_a_consent_purpose_may_be_kept_until_its_consent_is_withdrawn(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(
        lambda d: d["retention"]["prospects"].update(
            {"until": "consent_withdrawal", "duration": "3 years"}
        )
    )
    assert validate(path).ok


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(unit=st.sampled_from(["day", "days", "week", "weeks", "month", "months", "year", "years"]))
def test_a_retention_of_zero_in_any_unit_is_an_error(
    write_declaration: Callable[..., Path], unit: str
) -> None:
    path = write_declaration(lambda d: d["retention"]["logs"].update({"duration": f"0 {unit}"}))
    problem = only_problem(path)
    assert 'retention rule "logs" lasts 0 ' in problem.message
    assert "nothing can be kept for no time" in problem.message
    assert "until: EVENT" in problem.message
    assert problem.line == line_of(path, "duration: 0")


@pytest.mark.parametrize(
    ("mutate", "what", "at"),
    [
        (
            lambda d: d["retention"]["invoices"]["archive"].update({"duration": "0 years"}),
            'retention rule "invoices": its archive phase lasts 0 years',
            "duration: 0 years",
        ),
        (
            lambda d: d["purposes"]["newsletter"]["consent"].update({"lifetime": "0 months"}),
            'purpose "newsletter": its consent lasts 0 months',
            "lifetime: 0 months",
        ),
        (
            lambda d: d["cookies"]["session"].update({"lifetime": "0 days"}),
            'cookie "session" lasts 0 days',
            "lifetime: 0 days",
        ),
    ],
    ids=["archive", "consent-lifetime", "cookie"],
)
def test_every_other_period_of_zero_is_an_error_at_its_line(
    write_declaration: Callable[..., Path], mutate: Callable[[Data], None], what: str, at: str
) -> None:
    path = write_declaration(mutate)
    problem = only_problem(path)
    assert what in problem.message
    assert problem.line == line_of(path, at)


def test_a_rule_that_runs_from_and_until_the_same_event_is_an_error(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(
        lambda d: d["retention"]["account"].update({"after": "account_deletion"})
    )
    problem = only_problem(path)
    assert "runs from account_deletion until account_deletion" in problem.message
    assert problem.line == line_of(path, "until: account_deletion")


@pytest.mark.parametrize("requirement", ["statutory", "contractual", "contract_prerequisite"])
def test_data_given_on_consent_declared_required_is_a_warning(
    write_declaration: Callable[..., Path], requirement: str
) -> None:
    path = write_declaration(
        lambda d: d["purposes"]["newsletter"].update({"requirement": requirement})
    )
    problem = only_problem(path, "warning")
    assert f'purpose "newsletter" rests on consent but declares its data {requirement}' in (
        problem.message
    )
    assert "requirement: voluntary" in problem.message
    assert problem.line == line_of(path, f"requirement: {requirement}", after="newsletter:")
    assert validate(path).ok
