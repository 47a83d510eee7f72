"""/api/v1/requests: data-subject requests, the person's side (no key) and staff's side.

Without a key, ``POST /requests`` is the person's own request (rate-limited per
client address); with a key holding ``requests:create``, an agent's, who may
record how they verified the person. The person's other calls (verify,
resend, status, withdraw) carry their status token in the body, never in the
URL; identities only ever travel in bodies.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

import gardien.web.paths  # noqa: F401  (the hex32 path convertor)
from gardien.audit import Actor
from gardien.auth import Permission, address_source, allows
from gardien.auth.throttle import FailureThrottle
from gardien.declaration.jurisdiction import authority_reference
from gardien.requests import Language, RequestChannel, RequestState, RequestType, VerificationMethod
from gardien.requests.answers import Receipt, Status
from gardien.requests.deadlines import QueueEntry
from gardien.requests.decisions import (
    Mailing,
    RequestDetail,
    approve,
    extend,
    list_requests,
    reject,
    request_detail,
)
from gardien.requests.intake import AgentVerification, CodePolicy, Submission, submit
from gardien.requests.verification import resend, verify, withdraw
from gardien.requests.verification import status as request_status
from gardien.web.api.common import Body, RuntimeDep, threaded, transaction
from gardien.web.openapi import problems
from gardien.web.problems import ProblemError
from gardien.web.runtime import Runtime
from gardien.web.security import Anonymous, KeyOptional, Principal, require

router = APIRouter(prefix="/requests", tags=["data-subject requests"])
RequestId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="A request id.")]
Token = Annotated[str, Field(min_length=1, max_length=100, description="The status token.")]

IdentityValues = Annotated[
    dict[str, Annotated[str, Field(min_length=1, max_length=320)]],
    Field(
        min_length=1,
        max_length=10,
        description="Identities by kind: email (required without a key) and the kinds the "
        "declaration's datastores name.",
        examples=[{"email": "alice@example.com"}],
    ),
]


class VerificationIn(Body):
    method: VerificationMethod
    note: str | None = Field(default=None, max_length=2000)


class RequestIn(Body):
    type: RequestType
    identities: IdentityValues
    language: Language = Language.FR
    details: dict[str, Any] = Field(default_factory=dict, max_length=20)
    verification: VerificationIn | None = Field(
        default=None, description="Staff only (with an API key): how the person was verified."
    )


class ReceiptOut(BaseModel):
    id: str
    status_token: str = Field(description="Shown once; keep it to verify, follow or withdraw.")
    state: RequestState
    due_at: dt.datetime

    @classmethod
    def of(cls, receipt: Receipt) -> ReceiptOut:
        return cls(
            id=receipt.id,
            status_token=receipt.status_token,
            state=receipt.state,
            due_at=receipt.due_at,
        )


class TokenIn(Body):
    status_token: Token


class VerifyIn(Body):
    status_token: Token
    code: Annotated[str, Field(min_length=1, max_length=12, description="The 6-digit code.")]


class StatusOut(BaseModel):
    id: str
    type: RequestType
    state: RequestState
    received_at: dt.datetime
    due_at: dt.datetime
    extended_until: dt.datetime | None
    next_step: str
    rejection_reason: str | None
    completed_at: dt.datetime | None

    @classmethod
    def of(cls, answer: Status) -> StatusOut:
        return cls(
            id=answer.id,
            type=answer.type,
            state=answer.state,
            received_at=answer.received_at,
            due_at=answer.due_at,
            extended_until=answer.extended_until,
            next_step=answer.next_step,
            rejection_reason=answer.rejection_reason,
            completed_at=answer.completed_at,
        )


class QueueOut(BaseModel):
    id: str
    type: RequestType
    state: RequestState
    channel: RequestChannel
    received_at: dt.datetime
    due_at: dt.datetime
    extended_until: dt.datetime | None

    @classmethod
    def of(cls, entry: QueueEntry) -> QueueOut:
        return cls(
            id=entry.id,
            type=entry.type,
            state=entry.state,
            channel=RequestChannel(entry.channel),
            received_at=entry.received_at,
            due_at=entry.effective_due,
            extended_until=entry.extended_until,
        )


class StepOut(BaseModel):
    at: dt.datetime
    state: str
    actor: str
    note: str | None


class DetailOut(StatusOut):
    channel: RequestChannel
    language: Language
    subject_id: str | None
    verification_method: str | None
    decided_at: dt.datetime | None
    decided_by: str | None
    extension_reason: str | None
    blocked_reason: str | None
    outcome: dict[str, Any] | None
    declaration_version: str | None
    timeline: list[StepOut]
    identities: dict[str, str] | None = Field(
        default=None, description="Only for a key that may read subjects (subjects:read)."
    )
    verified: list[str] | None = None
    details: dict[str, Any] | None = None
    verification_note: str | None = None

    @classmethod
    def of_detail(cls, detail: RequestDetail) -> DetailOut:
        return cls(
            **StatusOut.of(detail.status).model_dump(),
            channel=RequestChannel(detail.channel),
            language=Language(detail.language),
            subject_id=detail.subject_id,
            verification_method=detail.verification_method,
            decided_at=detail.decided_at,
            decided_by=detail.decided_by,
            extension_reason=detail.extension_reason,
            blocked_reason=detail.blocked_reason,
            outcome=detail.outcome,
            declaration_version=detail.declaration_version,
            timeline=[
                StepOut(at=s.at, state=s.state, actor=s.actor, note=s.note) for s in detail.timeline
            ],
            identities=detail.identities,
            verified=list(detail.verified) if detail.verified is not None else None,
            details=detail.details,
            verification_note=detail.verification_note,
        )


class ReasonIn(Body):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class ExtendIn(Body):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    until: dt.date | None = Field(
        default=None, description="The new due date; default: as far as the declaration allows."
    )


class EmptyIn(Body):
    pass


def code_policy(runtime: Runtime) -> CodePolicy:
    from gardien.notifications import sender_of

    return CodePolicy(
        lifetime=dt.timedelta(minutes=runtime.settings.request_code_minutes),
        sender=sender_of(runtime.settings, runtime.declaration),
        controller=runtime.declaration.controller.name,
    )


def mailing(runtime: Runtime) -> Mailing:
    from gardien.notifications import sender_of

    return Mailing(
        sender=sender_of(runtime.settings, runtime.declaration),
        controller=runtime.declaration.controller.name,
        authority=authority_reference(runtime.declaration),
    )


async def limit(runtime: Runtime, request: Request, throttle: FailureThrottle) -> None:
    """Count this call against the client address; 429 when over the budget."""
    address = address_source(runtime.clients.of(request))
    refusal = await run_in_threadpool(throttle.record_failure, address)
    if refusal is not None:
        raise ProblemError(
            "too-many-submissions",
            f"too many requests from this address; retry in {refusal.seconds} s",
            headers={"Retry-After": str(refusal.seconds)},
        )


def _submission(body: RequestIn) -> Submission:
    verification = (
        AgentVerification(body.verification.method, body.verification.note)
        if body.verification is not None
        else None
    )
    return Submission(body.type, body.identities, body.language, body.details, verification)


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=ReceiptOut)
async def make_request(
    body: RequestIn,
    request: Request,
    runtime: RuntimeDep,
    principal: Annotated[Principal | None, Depends(KeyOptional(Permission.REQUESTS_CREATE))],
) -> ReceiptOut:
    """Make a request: without a key, the person's own (a code is e-mailed); with a key, an
    agent's, who may record how the person was verified."""
    if principal is None:
        await limit(runtime, request, runtime.intake_throttle)
        actor, channel = runtime.subject_actor(), RequestChannel.PUBLIC
    else:
        actor, channel = runtime.actor(principal), RequestChannel.AGENT
    return await run_in_threadpool(_make, runtime, body, actor, channel)


def _make(runtime: Runtime, body: RequestIn, actor: Actor, channel: RequestChannel) -> ReceiptOut:
    with transaction(runtime) as conn:
        receipt = submit(
            conn, runtime.vault, runtime.declaration, _submission(body),
            channel=channel, actor=actor, codes=code_policy(runtime),
        )  # fmt: skip
    return ReceiptOut.of(receipt)


@router.post("/{request_id:hex32}/verify", responses=problems(403, 404, 410))
async def verify_request(
    request_id: RequestId,
    body: VerifyIn,
    request: Request,
    runtime: RuntimeDep,
    _: Annotated[None, Depends(Anonymous())],
) -> StatusOut:
    """Prove the e-mail with the code it received (the status token in the body)."""
    await limit(runtime, request, runtime.verify_throttle)

    def run() -> StatusOut:
        with transaction(runtime) as conn:
            outcome = verify(conn, runtime.vault, request_id, body.status_token, body.code,
                             actor=runtime.subject_actor())  # fmt: skip
        return StatusOut.of(outcome.check())  # the count of a wrong code is committed

    return await run_in_threadpool(run)


@router.post(
    "/{request_id:hex32}/resend",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problems(403, 404, 410),
)
async def resend_code(
    request_id: RequestId,
    body: TokenIn,
    request: Request,
    runtime: RuntimeDep,
    _: Annotated[None, Depends(Anonymous())],
) -> StatusOut:
    """A new code to the request's e-mail (three times at most); the old one stops working."""
    await limit(runtime, request, runtime.verify_throttle)

    def run() -> StatusOut:
        with transaction(runtime) as conn:
            answer = resend(conn, runtime.vault, request_id, body.status_token,
                            actor=runtime.subject_actor(), codes=code_policy(runtime))  # fmt: skip
        return StatusOut.of(answer)

    return await run_in_threadpool(run)


@router.post("/{request_id:hex32}/status", responses=problems(404))
async def request_status_for_person(
    request_id: RequestId,
    body: TokenIn,
    request: Request,
    runtime: RuntimeDep,
    _: Annotated[None, Depends(Anonymous())],
) -> StatusOut:
    """Where the request stands, what happens next, a refusal's reason."""
    await limit(runtime, request, runtime.verify_throttle)

    def run() -> StatusOut:
        with transaction(runtime) as conn:
            answer = request_status(conn, request_id, body.status_token,
                                    actor=runtime.subject_actor())  # fmt: skip
        return StatusOut.of(answer)

    return await run_in_threadpool(run)


@router.post("/{request_id:hex32}/withdraw", responses=problems(404, 409, 410))
async def withdraw_request(
    request_id: RequestId,
    body: TokenIn,
    request: Request,
    runtime: RuntimeDep,
    _: Annotated[None, Depends(Anonymous())],
) -> StatusOut:
    """Withdraw the request before it is completed."""
    await limit(runtime, request, runtime.verify_throttle)

    def run() -> StatusOut:
        with transaction(runtime) as conn:
            answer = withdraw(conn, request_id, token=body.status_token,
                              actor=runtime.subject_actor())  # fmt: skip
        return StatusOut.of(answer)

    return await run_in_threadpool(run)


@router.get("")
@threaded
def list_queue(
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REQUESTS_READ))],
    state: Annotated[RequestState | None, Query()] = None,
    overdue: Annotated[bool, Query()] = False,
    due_within_days: Annotated[int | None, Query(ge=0, le=366)] = None,
) -> list[QueueOut]:
    """Requests by due date (open ones unless ``state`` is given); nothing personal."""
    within = dt.timedelta(days=due_within_days) if due_within_days is not None else None
    with transaction(runtime) as conn:
        entries = list_requests(conn, actor=runtime.actor(principal), state=state,
                                overdue=overdue, due_within=within)  # fmt: skip
    return [QueueOut.of(entry) for entry in entries]


@router.get("/{request_id:hex32}", responses=problems(404))
@threaded
def read_request(
    request_id: RequestId,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REQUESTS_READ))],
) -> DetailOut:
    """A request, its timeline, and (for a key that may read subjects) its identities."""
    with_identities = allows(principal.role, Permission.SUBJECTS_READ)
    with transaction(runtime) as conn:
        detail = request_detail(conn, runtime.vault, request_id, actor=runtime.actor(principal),
                                with_identities=with_identities)  # fmt: skip
    return DetailOut.of_detail(detail)


@router.post("/{request_id:hex32}/approve", responses=problems(404, 409, 410))
@threaded
def approve_request(
    request_id: RequestId,
    body: EmptyIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REQUESTS_DECIDE))],
) -> StatusOut:
    """Approve a verified request: its execution is queued."""
    with transaction(runtime) as conn:
        answer = approve(conn, runtime.vault, request_id, actor=runtime.actor(principal),
                         mailing=mailing(runtime))  # fmt: skip
    return StatusOut.of(answer)


@router.post("/{request_id:hex32}/reject", responses=problems(404, 409, 410))
@threaded
def reject_request(
    request_id: RequestId,
    body: ReasonIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REQUESTS_DECIDE))],
) -> StatusOut:
    """Refuse a request, with the reason the person is told (by e-mail and status)."""
    with transaction(runtime) as conn:
        answer = reject(conn, request_id, body.reason, actor=runtime.actor(principal),
                        mailing=mailing(runtime))  # fmt: skip
    return StatusOut.of(answer)


@router.post("/{request_id:hex32}/extend", responses=problems(404))
@threaded
def extend_request(
    request_id: RequestId,
    body: ExtendIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REQUESTS_DECIDE))],
) -> StatusOut:
    """Extend the deadline once (Art. 12(3)), with the reason the person is told."""
    with transaction(runtime) as conn:
        answer = extend(conn, runtime.declaration, request_id, body.reason,
                        actor=runtime.actor(principal), until=body.until,
                        mailing=mailing(runtime))  # fmt: skip
    return StatusOut.of(answer)
