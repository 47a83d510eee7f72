"""The processing check: may this purpose run for this person, now?

``decide`` is a pure function of the declaration, the stored state and the
limits in force; ``check`` reads those two in one statement (one round trip,
each table through its index) and calls it. The rules apply in this order,
the first that speaks decides:

1. an unknown purpose raises ``UnknownPurpose`` (a caller mistake, not a "no");
2. a restriction (Art. 18) allows storage only;
3. an objection (Art. 21) stops legitimate-interest and public-task
   processing, and any direct marketing;
4. a Global Privacy Control signal opts out of sale, sharing and marketing;
5. the legal basis: consent needs a given, unexpired consent to the current
   wording and purpose; the other bases need nothing from the person.

Every ``Decision`` says why in one sentence (``reason``) and, for the audit
trail and the console, names the rule, the article, the declaration entry
and the evidence (``explanation``, an ``Explanation``). ``check`` records
each decision in the audit trail, with its rule and reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, Row, and_, bindparam, literal_column, or_, select

from gardien.audit import Actor, ProcessingChecked
from gardien.consent.ledger import ConsentState, EventKind, check_now
from gardien.consent.limits import LimitKind, ProcessingLimit
from gardien.consent.policy import PurposePolicy, policy_for
from gardien.consent.tables import consent_state, processing_limits
from gardien.declaration import Declaration
from gardien.declaration.models import LegalBasis
from gardien.errors import ConsentError

Operation = Literal["process", "store"]

_BASIS_WORDS = {
    LegalBasis.CONTRACT: "the contract with the person",
    LegalBasis.LEGAL_OBLIGATION: "a legal obligation",
    LegalBasis.VITAL_INTEREST: "the vital interests of a person",
    LegalBasis.PUBLIC_TASK: "a task in the public interest",
    LegalBasis.LEGITIMATE_INTEREST: "the company's legitimate interest",
}


class _Answer(Protocol):
    def __call__(
        self, allowed: bool, rule: str, article: str, why: str, **evidence: EvidenceValue
    ) -> Decision: ...


#: What evidence holds: ids of events and limits, statuses, ISO dates.
EvidenceValue = int | str | bool | None | tuple[int, ...]


@dataclass(frozen=True)
class Explanation:
    """Why a check answered as it did: the rule that decided, and everything it looked at."""

    rule: str
    article: str
    purpose: str
    declaration_entry: str
    declaration_version: str
    legal_basis: str
    operation: str
    gpc: bool
    evidence: Mapping[str, EvidenceValue] = field(default_factory=lambda: MappingProxyType({}))

    def as_json(self) -> dict[str, Any]:
        """The explanation as plain JSON values (tuples become lists)."""
        return {
            "rule": self.rule,
            "article": self.article,
            "purpose": self.purpose,
            "declaration_entry": self.declaration_entry,
            "declaration_version": self.declaration_version,
            "legal_basis": self.legal_basis,
            "operation": self.operation,
            "gpc": self.gpc,
            "evidence": {
                key: list(value) if isinstance(value, tuple) else value
                for key, value in self.evidence.items()
            },
        }


@dataclass(frozen=True)
class Decision:
    """The answer of a check, with its reason and the evidence behind it."""

    allowed: bool
    legal_basis: str
    reason: str
    explanation: Explanation = field(compare=False)


def _day(moment: dt.datetime) -> str:
    return moment.date().isoformat()


def decide(
    declaration: Declaration,
    purpose_id: str,
    state: ConsentState | None,
    limits: Sequence[ProcessingLimit],
    *,
    gpc: bool,
    operation: Operation = "process",
    now: dt.datetime,
) -> Decision:
    """Decide whether ``operation`` may run for ``purpose_id`` (see the module docstring)."""
    if operation not in ("process", "store"):
        raise ConsentError(f"operation {operation!r} is not known: use 'process' or 'store'")
    policy = policy_for(declaration)
    purpose = policy.purpose(purpose_id)
    verb = "Storing data" if operation == "store" else "Processing"
    subject = f"{verb} for purpose {purpose_id!r}"

    def answer(
        allowed: bool, rule: str, article: str, why: str, **evidence: EvidenceValue
    ) -> Decision:
        explanation = Explanation(
            rule=rule,
            article=article,
            purpose=purpose_id,
            declaration_entry=f"purposes.{purpose_id}",
            declaration_version=policy.version,
            legal_basis=purpose.legal_basis.value,
            operation=operation,
            gpc=gpc,
            evidence=MappingProxyType(evidence),
        )
        verdict = "is allowed" if allowed else "is not allowed"
        return Decision(
            allowed, purpose.legal_basis.value, f"{subject} {verdict}: {why}.", explanation
        )

    covering = [limit for limit in limits if limit.covers(purpose_id) and limit.lifted_at is None]
    restriction = next((x for x in covering if x.kind is LimitKind.RESTRICTION), None)
    if restriction is not None:
        since = _day(restriction.created_at)
        if operation == "store":
            return answer(
                True, "restriction.storage", "GDPR Art. 18(2)",
                f"processing is restricted since {since}, and storage is the one operation "
                "a restriction still permits",
                limit_id=restriction.id,
            )  # fmt: skip
        return answer(
            False, "restriction.processing", "GDPR Art. 18(2)",
            f"the person obtained a restriction of processing on {since}; only storage "
            "is permitted until it is lifted",
            limit_id=restriction.id,
        )  # fmt: skip

    objection = next((x for x in covering if x.kind is LimitKind.OBJECTION), None)
    if objection is not None and purpose.objection_allowed:
        article = "GDPR Art. 21(3)" if purpose.direct_marketing else "GDPR Art. 21(1)"
        what = (
            "direct marketing"
            if purpose.direct_marketing
            else _BASIS_WORDS.get(purpose.legal_basis, purpose.legal_basis.value)
        )
        return answer(
            False, "objection", article,
            f"the person objected on {_day(objection.created_at)} to processing based on {what}",
            limit_id=objection.id,
        )  # fmt: skip
    ignored = (objection.id,) if objection is not None else ()

    if gpc and purpose.gpc_sensitive:
        return answer(
            False, "gpc", "GPC (Sec-GPC: 1); GDPR Art. 21(5)",
            "the request carries a Global Privacy Control signal, an opt-out of sale, "
            "sharing and marketing, and this purpose is one of those",
            ignored_limits=ignored,
        )  # fmt: skip

    if not purpose.consent_based:
        no_objection = "; no objection is recorded" if purpose.objection_allowed else ""
        return answer(
            True, f"basis.{purpose.legal_basis.value}", purpose.legal_basis.article,
            f"its legal basis is {_BASIS_WORDS[purpose.legal_basis]}, which needs no "
            f"consent{no_objection}",
            ignored_limits=ignored,
        )  # fmt: skip
    return _consent(purpose, state, now, answer, ignored)


def _consent(
    purpose: PurposePolicy,
    state: ConsentState | None,
    now: dt.datetime,
    answer: _Answer,
    ignored: tuple[int, ...],
) -> Decision:
    article = LegalBasis.CONSENT.article
    if state is None:
        return answer(
            False, "consent.missing", article,
            "the person has not given consent; ask for it with the declared wording",
            event_id=None, ignored_limits=ignored,
        )  # fmt: skip
    evidence: dict[str, EvidenceValue] = {
        "event_id": state.event_id,
        "status": state.status.value,
        "occurred_at": state.occurred_at.isoformat(),
        "expires_at": state.expires_at.isoformat() if state.expires_at else None,
        "ignored_limits": ignored,
    }
    status = state.status_at(now)
    when = _day(state.occurred_at)
    verdicts: dict[EventKind, tuple[str, str]] = {
        EventKind.REFUSED: ("consent.refused", f"the person refused consent on {when}"),
        EventKind.WITHDRAWN: ("consent.withdrawn", f"the person withdrew consent on {when}"),
    }
    if status in verdicts:
        rule, why = verdicts[status]
        return answer(False, rule, article, why, **evidence)
    if status is EventKind.EXPIRED:
        lapsed = "refusal" if state.status is EventKind.REFUSED else "choice"
        why = (
            f"the person's {lapsed} of {when} has expired"
            if state.status is not EventKind.EXPIRED
            else f"the person's consent expired on {when}"
        )
        return answer(False, "consent.expired", article, f"{why}; ask again", **evidence)
    if state.wording_hash not in purpose.current_hashes:
        return answer(
            False, "consent.outdated_wording", article,
            f"the consent of {when} was given to an earlier wording; ask the person to "
            "renew it with the current one",
            **evidence,
        )  # fmt: skip
    if state.purpose_hash != purpose.purpose_hash:
        return answer(
            False, "consent.purpose_changed", article,
            f"the consent of {when} was given before the purpose changed its data, use or "
            "recipients; ask the person to renew it",
            **evidence,
        )  # fmt: skip
    until = f", valid until {_day(state.expires_at)}" if state.expires_at else ""
    return answer(
        True, "consent.given", article,
        f"the person gave consent on {when} to the current wording{until}",
        **evidence,
    )  # fmt: skip


def check(
    conn: Connection,
    declaration: Declaration,
    subject_id: str | None,
    purpose_id: str,
    gpc: bool = False,
    now: dt.datetime | None = None,
    *,
    operation: Operation = "process",
    actor: Actor,
) -> Decision:
    """Read the subject's state and limits, then ``decide``; ``None`` is an unknown person.

    An unknown person has no consent and no limits: consent purposes are
    refused, the other bases allowed (GPC still applies). The decision is
    recorded as a ``check`` audit entry with its rule and reason (an unknown
    person's entry names no subject).
    """
    moment = check_now(now)
    purpose = policy_for(declaration).purpose(purpose_id)  # raises before any read
    state: ConsentState | None = None
    limits: list[ProcessingLimit] = []
    if subject_id is not None:
        state, limits = _state_and_limits(conn, subject_id, purpose_id)
        if not purpose.consent_based:
            state = None
    decision = decide(
        declaration, purpose_id, state, limits, gpc=gpc, operation=operation, now=moment
    )
    actor.record(
        conn,
        ProcessingChecked(
            subject_blind_id=actor.subject(subject_id) if subject_id is not None else None,
            purpose=purpose_id,
            allowed=decision.allowed,
            rule=decision.explanation.rule,
            reason=decision.reason[:200],
        ),
    )
    return decision


# The state row (if any) joined with each limit in force covering the purpose (if
# any), from a one-row anchor so that neither missing drops the other: one row per
# limit, or one row of NULL limit columns. Built once, like every statement of
# the check's path.
_STATE = consent_state.c
_LIMIT = processing_limits.c
_STATE_COLUMNS = (
    "event_id",
    "status",
    "declaration_version",
    "wording_hash",
    "purpose_hash",
    "occurred_at",
    "expires_at",
)
_LIMIT_COLUMNS = ("id", "purpose", "kind", "channel", "declaration_version", "created_at")
_ANCHOR = select(literal_column("1").label("one")).subquery("anchor")
_STATE_AND_LIMITS = (
    select(
        *(_STATE[name].label(f"state_{name}") for name in _STATE_COLUMNS),
        *(_LIMIT[name].label(f"limit_{name}") for name in _LIMIT_COLUMNS),
    )
    .select_from(
        _ANCHOR.outerjoin(
            consent_state,
            and_(
                _STATE.subject_id == bindparam("subject_id"),
                _STATE.purpose == bindparam("purpose"),
            ),
        ).outerjoin(
            processing_limits,
            and_(
                _LIMIT.subject_id == bindparam("subject_id"),
                _LIMIT.lifted_at.is_(None),
                or_(_LIMIT.purpose == bindparam("purpose"), _LIMIT.purpose.is_(None)),
            ),
        )
    )
    .order_by(_LIMIT.id)
)


def _state_and_limits(
    conn: Connection, subject_id: str, purpose_id: str
) -> tuple[ConsentState | None, list[ProcessingLimit]]:
    """The subject's state for the purpose and the limits in force covering it, oldest first."""
    rows = conn.execute(_STATE_AND_LIMITS, {"subject_id": subject_id, "purpose": purpose_id}).all()
    first = rows[0]
    state = (
        ConsentState(
            subject_id=subject_id,
            purpose=purpose_id,
            event_id=first.state_event_id,
            status=EventKind(first.state_status),
            declaration_version=first.state_declaration_version,
            wording_hash=first.state_wording_hash,
            purpose_hash=first.state_purpose_hash,
            occurred_at=first.state_occurred_at,
            expires_at=first.state_expires_at,
        )
        if first.state_event_id is not None
        else None
    )
    return state, [_limit(subject_id, row) for row in rows if row.limit_id is not None]


def _limit(subject_id: str, row: Row[Any]) -> ProcessingLimit:
    return ProcessingLimit(
        id=row.limit_id,
        subject_id=subject_id,
        purpose=row.limit_purpose,
        kind=LimitKind(row.limit_kind),
        channel=row.limit_channel,
        declaration_version=row.limit_declaration_version,
        created_at=row.limit_created_at,
        lifted_at=None,
    )
