"""``own_records:``: the defaults hold without a word, a declared period replaces them, and the
rule `own-records` refuses a zero period and warns when the audit trail would go first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gardien.declaration import load, validate


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def test_the_defaults_need_no_declaration(write_declaration: Callable[..., Path]) -> None:
    declared = load(write_declaration()).own_records
    assert (str(declared.consent_proofs), str(declared.closed_requests)) == ("5 years", "5 years")
    assert (str(declared.audit_entries), str(declared.finished_jobs)) == ("5 years", "7 days")


def test_a_declared_period_replaces_the_default(write_declaration: Callable[..., Path]) -> None:
    path = write_declaration(lambda d: d.update(own_records={"finished_jobs": "2 days"}))
    assert validate(path).ok
    assert str(load(path).own_records.finished_jobs) == "2 days"


def test_a_zero_period_for_a_proof_is_refused_on_its_line(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(lambda d: d.update(own_records={"consent_proofs": "0 days"}))
    [error] = validate(path).errors
    assert error.line == _line_of(path, "consent_proofs: 0 days")
    assert "own_records.consent_proofs is 0 days" in error.message


def test_an_audit_trail_kept_shorter_than_the_proofs_is_a_warning(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(lambda d: d.update(own_records={"audit_entries": "1 year"}))
    report = validate(path)
    assert report.ok
    messages = [w.message for w in report.warnings]
    assert any("shorter than own_records.consent_proofs (5 years)" in m for m in messages)
    assert any("shorter than own_records.closed_requests (5 years)" in m for m in messages)


def test_an_unknown_record_kind_is_refused(write_declaration: Callable[..., Path]) -> None:
    path = write_declaration(lambda d: d.update(own_records={"consent_proof": "3 years"}))
    report = validate(path)
    assert not report.ok
    assert any("consent_proofs" in e.message for e in report.errors)
