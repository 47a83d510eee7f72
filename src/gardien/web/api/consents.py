"""/api/v1/consents and /api/v1/checks: record choices, read them, and ask before processing."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, status
from pydantic import BaseModel, Field

import gardien.web.paths  # noqa: F401  (the hex32 path convertor)
from gardien.auth import Permission
from gardien.consent import (
    Channel,
    CollectionMethod,
    Explanation,
    Proof,
    check,
    check_choice,
    consent_overview,
    receipt_in_force,
    record_consent,
)
from gardien.web.api.common import Body, IdentityMap, RuntimeDep, threaded, transaction
from gardien.web.openapi import problems
from gardien.web.security import Principal, require

router = APIRouter(tags=["consents"])
#: The vault field a consent's sealed proof values are bound to.
PROOF_EXTRA_FIELD = "consent.proof.extra"
SubjectId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
PurposeId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


class ProofIn(Body):
    """What shows the choice was made: never a raw IP (it is truncated) nor a raw user agent."""

    collection_method: CollectionMethod = Field(
        default=CollectionMethod.API,
        description="How the choice was collected, from a closed list: free text is refused "
        "(it is kept for years and could name the person).",
    )
    user_agent: str | None = Field(default=None, max_length=1000)
    ip: str | None = Field(default=None, max_length=64)
    extra: dict[str, str | int | float | bool] = Field(
        default_factory=dict,
        max_length=16,
        description="Small references (a form version, a confirmation message id), sealed "
        "under the person's own key: erasing the person shreds them.",
    )


class ConsentIn(Body):
    identity: IdentityMap
    purpose: PurposeId
    status: Literal["given", "refused", "withdrawn"]
    channel: Channel
    lang: Literal["fr", "en"] = "fr"
    proof: ProofIn | None = None


class ConsentOut(BaseModel):
    event_id: int
    receipt_id: str
    subject_id: str
    purpose: str
    status: str
    occurred_at: datetime
    expires_at: datetime | None
    receipt: str


class StateOut(BaseModel):
    purpose: str
    status: str
    event_id: int
    occurred_at: datetime
    expires_at: datetime | None
    needs_renewal: bool


class EventOut(BaseModel):
    id: int
    receipt_id: str
    purpose: str
    status: str
    channel: str
    occurred_at: datetime
    declaration_version: str
    wording_hash: str
    language: str


class ConsentsOut(BaseModel):
    subject_id: str
    states: list[StateOut]
    events: list[EventOut]


class CheckIn(Body):
    identity: IdentityMap
    purpose: PurposeId
    operation: Literal["process", "store"] = "process"


class ExplanationOut(BaseModel):
    """Which rule decided, under which article and declaration entry, on what evidence."""

    rule: str
    article: str
    purpose: str
    declaration_entry: str
    declaration_version: str
    legal_basis: str
    operation: str
    gpc: bool
    evidence: dict[str, int | str | bool | list[int] | None]

    @classmethod
    def of(cls, explanation: Explanation) -> ExplanationOut:
        return cls.model_validate(explanation.as_json())


class CheckOut(BaseModel):
    allowed: bool
    legal_basis: str
    reason: str
    explanation: ExplanationOut


@router.post("/consents", status_code=status.HTTP_201_CREATED, responses=problems(409))
@threaded
def record(
    body: ConsentIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.CONSENTS_WRITE))],
) -> ConsentOut:
    """Record a consent, refusal or withdrawal; the person is registered if new."""
    proof_in = body.proof or ProofIn()
    # Everything that can be refused is refused before the person is registered, so
    # that a refused choice leaves no subject and no data key behind.
    check_choice(
        runtime.declaration, body.purpose, body.status, channel=body.channel, lang=body.lang
    )
    proof = Proof.collect(
        proof_in.collection_method,
        user_agent=proof_in.user_agent,
        ip=proof_in.ip,
        extra=proof_in.extra,
    )
    actor = runtime.actor(principal)
    with transaction(runtime) as conn:
        subject_id = runtime.vault.register(conn, body.identity, actor=actor).subject_id
        sealed = proof.sealed(
            lambda data: runtime.vault.seal_for(subject_id, PROOF_EXTRA_FIELD, data)
        )
        event = record_consent(
            conn, runtime.declaration, subject_id, body.purpose, body.status,
            channel=body.channel, proof=sealed, lang=body.lang, actor=actor,
        )  # fmt: skip
    return ConsentOut(
        event_id=event.id,
        receipt_id=event.public_id,
        subject_id=subject_id,
        purpose=event.purpose,
        status=event.kind.value,
        occurred_at=event.occurred_at,
        expires_at=event.expires_at,
        receipt=f"/api/v1/consents/{event.public_id}/receipt",
    )


@router.get("/subjects/{subject_id:hex32}/consents", responses=problems(404))
@threaded
def subject_consents(
    subject_id: SubjectId,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.CONSENTS_READ))],
) -> ConsentsOut:
    """A subject's current choice per purpose, and the whole history of events."""
    with transaction(runtime) as conn:
        runtime.vault.require(conn, subject_id)  # 404 for an unknown subject
        overview = consent_overview(
            conn, runtime.declaration, subject_id, actor=runtime.actor(principal)
        )
    return ConsentsOut(
        subject_id=subject_id,
        states=[
            StateOut(
                purpose=choice.purpose, status=choice.status.value, event_id=choice.event_id,
                occurred_at=choice.occurred_at, expires_at=choice.expires_at,
                needs_renewal=choice.needs_renewal,
            )
            for choice in overview.choices
        ],
        events=[
            EventOut(
                id=e.id, receipt_id=e.public_id, purpose=e.purpose, status=e.kind.value,
                channel=e.channel, occurred_at=e.occurred_at,
                declaration_version=e.declaration_version, wording_hash=e.wording_hash,
                language=e.language,
            )
            for e in overview.events
        ],
    )  # fmt: skip


@router.get("/consents/{receipt_id:hex32}/receipt", responses=problems(404))
@threaded
def consent_receipt(
    receipt_id: Annotated[
        str, Path(pattern=r"^[0-9a-f]{32}$", description="The receipt id a recording returned.")
    ],
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.CONSENTS_READ))],
    lang: Annotated[Literal["fr", "en"], Query()] = "en",
) -> dict[str, Any]:
    """The Kantara Consent Receipt v1.1 of one event, under the declaration then in force."""
    with transaction(runtime) as conn:
        return receipt_in_force(
            conn, receipt_id, runtime.declaration, lang, actor=runtime.actor(principal)
        )


@router.post("/checks", responses=problems(409))
@threaded
def check_processing(
    body: CheckIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.CHECKS))],
    sec_gpc: Annotated[str | None, Header(alias="Sec-GPC")] = None,
) -> CheckOut:
    """May this person's data be processed for this purpose now? With the reason why."""
    # Global Privacy Control: only the exact value "1" is a signal (privacycg/gpc-spec).
    gpc = sec_gpc == "1"
    with transaction(runtime, durable=False) as conn:
        subject_id = runtime.vault.find_any(conn, body.identity)
        decision = check(
            conn, runtime.declaration, subject_id, body.purpose, gpc,
            operation=body.operation, actor=runtime.actor(principal),
        )  # fmt: skip
    return CheckOut(
        allowed=decision.allowed,
        legal_basis=decision.legal_basis,
        reason=decision.reason,
        explanation=ExplanationOut.of(decision.explanation),
    )
