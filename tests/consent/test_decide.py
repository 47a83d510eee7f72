"""Every rule of the check, table-driven: ``decide`` is pure, ``check`` reads and decides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from consent_helpers import NOW, PROOF, new_subject

from actors import ACTOR
from gardien.consent import (
    ConsentError,
    ConsentState,
    EventKind,
    LimitKind,
    ProcessingLimit,
    UnknownPurpose,
    check,
    decide,
    policy_for,
    record_consent,
    record_objection,
    record_restriction,
    wording_hash,
)
from gardien.declaration import Declaration
from gardien.store import Store

SUBJECT = "0123456789abcdef0123456789abcdef"
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Case:
    purpose: str
    allowed: bool
    rule: str
    status: str | None = None  # consent state of the purpose, None: no state
    lang: str = "fr"
    expires: dt.timedelta | None = 30 * DAY  # from NOW
    wording: str | None = None  # a wording other than the declaration's
    purpose_hash: str | None = None  # a fingerprint other than the current one
    limits: tuple[tuple[str, str | None, bool], ...] = ()  # kind, purpose, lifted
    gpc: bool = False
    operation: str = "process"
    evidence: dict[str, Any] = field(default_factory=dict)


CASES = {
    # consent purposes
    "consent given": Case("newsletter", True, "consent.given", status="given"),
    "consent given in English": Case(
        "newsletter", True, "consent.given", status="given", lang="en"
    ),
    "no consent": Case("newsletter", False, "consent.missing"),
    "consent refused": Case("newsletter", False, "consent.refused", status="refused"),
    "consent withdrawn": Case(
        "newsletter", False, "consent.withdrawn", status="withdrawn", expires=None
    ),
    "consent past its lifetime": Case(
        "newsletter", False, "consent.expired", status="given", expires=-DAY
    ),
    "consent expired by the sweep": Case(
        "newsletter", False, "consent.expired", status="expired", expires=None
    ),
    "refusal lapsed": Case("newsletter", False, "consent.expired", status="refused", expires=-DAY),
    "consent to an old wording": Case(
        "newsletter",
        False,
        "consent.outdated_wording",
        status="given",
        wording="J'accepte la lettre.",
    ),
    "consent before the purpose changed": Case(
        "newsletter", False, "consent.purpose_changed", status="given", purpose_hash="0" * 64
    ),
    # restriction (Art. 18)
    "restriction stops processing": Case(
        "service", False, "restriction.processing", limits=(("restriction", "service", False),)
    ),
    "restriction on all purposes stops processing": Case(
        "security", False, "restriction.processing", limits=(("restriction", None, False),)
    ),
    "restriction allows storage": Case(
        "service",
        True,
        "restriction.storage",
        operation="store",
        limits=(("restriction", None, False),),
    ),
    "restriction allows storage without consent": Case(
        "newsletter",
        True,
        "restriction.storage",
        operation="store",
        limits=(("restriction", "newsletter", False),),
    ),
    "lifted restriction": Case(
        "service", True, "basis.contract", limits=(("restriction", "service", True),)
    ),
    "restriction of another purpose": Case(
        "service", True, "basis.contract", limits=(("restriction", "security", False),)
    ),
    "storage without restriction follows the basis": Case(
        "newsletter", False, "consent.missing", operation="store"
    ),
    # objection (Art. 21)
    "objection stops legitimate interest": Case(
        "security", False, "objection", limits=(("objection", "security", False),)
    ),
    "objection to all stops legitimate interest": Case(
        "security", False, "objection", limits=(("objection", None, False),)
    ),
    "objection stops public task": Case(
        "census", False, "objection", limits=(("objection", None, False),)
    ),
    "objection does not stop a contract": Case(
        "service", True, "basis.contract", limits=(("objection", None, False),)
    ),
    "objection does not stop a legal obligation": Case(
        "invoicing", True, "basis.legal_obligation", limits=(("objection", None, False),)
    ),
    "objection stops consented direct marketing": Case(
        "newsletter",
        False,
        "objection",
        status="given",
        limits=(("objection", "newsletter", False),),
    ),
    "objection stops direct marketing on legitimate interest": Case(
        "offers", False, "objection", limits=(("objection", "offers", False),)
    ),
    "lifted objection": Case(
        "security", True, "basis.legitimate_interest", limits=(("objection", "security", True),)
    ),
    # Global Privacy Control
    "GPC stops consented marketing": Case("newsletter", False, "gpc", status="given", gpc=True),
    "GPC stops direct marketing on legitimate interest": Case("offers", False, "gpc", gpc=True),
    "GPC stops third-party sharing": Case("partners", False, "gpc", gpc=True),
    "GPC stops profiling": Case("profiling", False, "gpc", status="given", gpc=True),
    "GPC does not stop a contract": Case("service", True, "basis.contract", gpc=True),
    "GPC does not stop a legal obligation": Case(
        "invoicing", True, "basis.legal_obligation", gpc=True
    ),
    "GPC does not stop security": Case("security", True, "basis.legitimate_interest", gpc=True),
    "GPC does not stop audience measurement": Case(
        "audience", True, "consent.given", status="given", gpc=True
    ),
    "without GPC, sharing follows its basis": Case("partners", True, "basis.legitimate_interest"),
}


def _state(declaration: Declaration, case: Case) -> ConsentState | None:
    if case.status is None:
        return None
    purpose = declaration.purposes[case.purpose]
    assert purpose.consent is not None
    return ConsentState(
        subject_id=SUBJECT,
        purpose=case.purpose,
        event_id=41,
        status=EventKind(case.status),
        declaration_version="v",
        wording_hash=wording_hash(case.wording or purpose.consent.wording[case.lang]),
        purpose_hash=case.purpose_hash
        or policy_for(declaration).purposes[case.purpose].purpose_hash,
        occurred_at=NOW - 60 * DAY,
        expires_at=NOW + case.expires if case.expires is not None else None,
    )


def _limits(case: Case) -> list[ProcessingLimit]:
    return [
        ProcessingLimit(
            id=100 + index,
            subject_id=SUBJECT,
            purpose=purpose,
            kind=LimitKind(kind),
            channel="web",
            declaration_version="v",
            created_at=NOW - 10 * DAY,
            lifted_at=NOW - DAY if lifted else None,
        )
        for index, (kind, purpose, lifted) in enumerate(case.limits)
    ]


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_decide(declaration: Declaration, case: Case) -> None:
    decision = decide(
        declaration,
        case.purpose,
        _state(declaration, case),
        _limits(case),
        gpc=case.gpc,
        operation=case.operation,  # type: ignore[arg-type]
        now=NOW,
    )
    assert (decision.allowed, decision.explanation.rule) == (case.allowed, case.rule)
    assert decision.legal_basis == declaration.purposes[case.purpose].legal_basis.value
    # One human sentence, and the evidence behind it.
    assert decision.reason.endswith(".") and decision.reason.count(". ") == 0
    assert repr(case.purpose) in decision.reason
    assert decision.explanation.declaration_entry == f"purposes.{case.purpose}"
    assert decision.explanation.article
    evidence = decision.explanation.evidence
    if case.rule.startswith(("restriction", "objection")):
        assert evidence["limit_id"] == 100
    if case.status is not None and case.rule.startswith("consent"):
        assert evidence["event_id"] == 41


def test_ignored_objection_is_named(declaration: Declaration) -> None:
    case = CASES["objection does not stop a contract"]
    decision = decide(declaration, "service", None, _limits(case), gpc=False, now=NOW)
    assert decision.explanation.evidence["ignored_limits"] == (100,)


def test_reasons_read_well(declaration: Declaration) -> None:
    refused = decide(
        declaration,
        "newsletter",
        _state(declaration, CASES["consent refused"]),
        [],
        gpc=False,
        now=NOW,
    )
    assert (
        refused.reason
        == "Processing for purpose 'newsletter' is not allowed: the person refused consent on 2026-01-14."
    )
    store = decide(
        declaration,
        "service",
        None,
        _limits(CASES["restriction allows storage"]),
        gpc=False,
        operation="store",
        now=NOW,
    )
    assert store.reason.startswith(
        "Storing data for purpose 'service' is allowed: processing is restricted since 2026-03-05"
    )


def test_unknown_purpose_raises_never_no(declaration: Declaration) -> None:
    with pytest.raises(
        UnknownPurpose, match="purpose 'ads' is not in the declaration: use one of audience, census"
    ):
        decide(declaration, "ads", None, [], gpc=False, now=NOW)


def test_unknown_operation(declaration: Declaration) -> None:
    with pytest.raises(ConsentError, match="use 'process' or 'store'"):
        decide(declaration, "service", None, [], gpc=False, operation="share", now=NOW)  # type: ignore[arg-type]


def test_check_reads_state_and_limits(store: Store, declaration: Declaration) -> None:
    subject = new_subject()
    version = policy_for(declaration).version
    with store.engine.begin() as conn:
        assert not check(conn, declaration, subject, "newsletter", now=NOW, actor=ACTOR).allowed
        given = record_consent(
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
        allowed = check(conn, declaration, subject, "newsletter", now=NOW, actor=ACTOR)
        assert allowed.allowed and allowed.explanation.evidence["event_id"] == given.id
        assert not check(
            conn, declaration, subject, "newsletter", gpc=True, now=NOW, actor=ACTOR
        ).allowed
        limit = record_restriction(conn, subject, None, version, now=NOW, actor=ACTOR)
        restricted = check(conn, declaration, subject, "service", now=NOW, actor=ACTOR)
        assert not restricted.allowed and restricted.explanation.evidence["limit_id"] == limit.id
        assert check(
            conn, declaration, subject, "service", now=NOW, operation="store", actor=ACTOR
        ).allowed
        objection = record_objection(
            conn, subject, "security", "web", version, now=NOW, actor=ACTOR
        )
        other = new_subject()
        record_objection(conn, other, "security", "web", version, now=NOW, actor=ACTOR)
        objected = check(conn, declaration, other, "security", now=NOW, actor=ACTOR)
        assert not objected.allowed and objected.explanation.evidence["limit_id"] != objection.id


def test_check_unknown_person(store: Store, declaration: Declaration) -> None:
    with store.engine.connect() as conn:
        assert not check(conn, declaration, None, "newsletter", now=NOW, actor=ACTOR).allowed
        assert check(conn, declaration, None, "service", now=NOW, actor=ACTOR).allowed
        assert not check(
            conn, declaration, None, "partners", gpc=True, now=NOW, actor=ACTOR
        ).allowed
        with pytest.raises(UnknownPurpose):
            check(conn, declaration, None, "ads", now=NOW, actor=ACTOR)


def test_check_reads_what_current_state_and_active_limits_read(
    store: Store, declaration: Declaration
) -> None:
    # check reads state and limits in one statement; it must see what the two
    # separate reads see, with several limits, lifted ones, and other purposes'.
    from gardien.consent import active_limits, current_state, lift_limit
    from gardien.consent.decision import _state_and_limits

    version = policy_for(declaration).version
    with_consent, without, bare = new_subject(), new_subject(), new_subject()
    with store.engine.begin() as conn:
        record_consent(
            conn, declaration, with_consent, "newsletter", "given", channel="web", proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )  # fmt: skip
        record_consent(
            conn, declaration, with_consent, "audience", "refused", channel="web", proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )  # fmt: skip
        for subject in (with_consent, without):
            record_objection(conn, subject, "newsletter", "web", version, now=NOW, actor=ACTOR)
            record_objection(conn, subject, "offers", "web", version, now=NOW, actor=ACTOR)
            lifted = record_restriction(conn, subject, "newsletter", version, now=NOW, actor=ACTOR)
            lift_limit(conn, lifted.id, now=NOW + DAY, actor=ACTOR)
            record_restriction(conn, subject, None, version, now=NOW + DAY, actor=ACTOR)
        for subject in (with_consent, without, bare):
            for purpose in ("newsletter", "audience", "offers", "service"):
                state, limits = _state_and_limits(conn, subject, purpose)
                assert state == current_state(conn, subject, purpose)
                assert limits == active_limits(conn, subject, purpose)
        state, limits = _state_and_limits(conn, with_consent, "newsletter")
        assert state is not None and state.status is EventKind.GIVEN
        assert [(x.kind, x.purpose) for x in limits] == [
            (LimitKind.OBJECTION, "newsletter"),
            (LimitKind.RESTRICTION, None),
        ]
        # The restriction in force outranks the consent given.
        restricted = check(
            conn, declaration, with_consent, "newsletter", now=NOW + 2 * DAY, actor=ACTOR
        )
        assert restricted.explanation.rule == "restriction.processing"
