"""/api/v1/objections, /api/v1/restrictions, /api/v1/unsubscribe-links."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from gardien.auth import Permission
from gardien.consent import (
    Channel,
    ProcessingLimit,
    lift_restriction,
    policy_for,
    record_objection,
    record_restriction,
    unsubscribe_link,
)
from gardien.web.api.common import Body, IdentityMap, RuntimeDep, threaded, transaction
from gardien.web.openapi import problems
from gardien.web.runtime import Runtime
from gardien.web.security import Principal, require

router = APIRouter(tags=["objections and restrictions"])
OptionalPurpose = Annotated[
    str | None,
    Field(
        default=None, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$",
        description="A declared purpose; omitted or null: every purpose.",
    ),
]  # fmt: skip


class LimitIn(Body):
    identity: IdentityMap
    purpose: OptionalPurpose = None
    channel: Channel = Channel.API


class LimitOut(BaseModel):
    id: int
    subject_id: str
    kind: str
    purpose: str | None
    created_at: datetime


class LiftOut(BaseModel):
    subject_id: str
    lifted: int


class LinkIn(Body):
    identity: IdentityMap
    purpose: Annotated[str, Field(min_length=1, max_length=64)]


class LinkOut(BaseModel):
    url: str
    headers: dict[str, str]


def _check_purpose(runtime: RuntimeDep, purpose: str | None) -> None:
    if purpose is not None:
        policy_for(runtime.declaration).purpose(purpose)  # UnknownPurpose → 422


def _out(limit: ProcessingLimit) -> LimitOut:
    return LimitOut(
        id=limit.id, subject_id=limit.subject_id, kind=limit.kind.value,
        purpose=limit.purpose, created_at=limit.created_at,
    )  # fmt: skip


def _record_limit(
    body: LimitIn, runtime: Runtime, principal: Principal, kind: Literal["objection", "restriction"]
) -> LimitOut:
    _check_purpose(runtime, body.purpose)
    actor = runtime.actor(principal)
    with transaction(runtime) as conn:
        subject_id = runtime.vault.lookup(conn, body.identity, actor=actor)
        version = runtime.declaration_version
        if kind == "objection":
            limit = record_objection(
                conn, subject_id, body.purpose, body.channel, version, actor=actor
            )
        else:
            limit = record_restriction(
                conn, subject_id, body.purpose, version, channel=body.channel, actor=actor
            )
    return _out(limit)


@router.post("/objections", status_code=status.HTTP_201_CREATED, responses=problems(404, 409))
@threaded
def object_to_processing(
    body: LimitIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.LIMITS_WRITE))],
) -> LimitOut:
    """Record an objection (Art. 21): stops legitimate-interest processing and marketing."""
    return _record_limit(body, runtime, principal, "objection")


@router.post("/restrictions", status_code=status.HTTP_201_CREATED, responses=problems(404, 409))
@threaded
def restrict_processing(
    body: LimitIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.LIMITS_WRITE))],
) -> LimitOut:
    """Record a restriction (Art. 18): the data may be stored, not otherwise processed."""
    return _record_limit(body, runtime, principal, "restriction")


@router.post("/restrictions/lift", responses=problems(404, 409))
@threaded
def lift_restrictions(
    body: LimitIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.LIMITS_LIFT))],
) -> LiftOut:
    """Lift restrictions (on one purpose, or all); tell the person first (Art. 18(3))."""
    _check_purpose(runtime, body.purpose)
    actor = runtime.actor(principal)
    with transaction(runtime) as conn:
        subject_id = runtime.vault.lookup(conn, body.identity, actor=actor)
        lifted = lift_restriction(conn, subject_id, body.purpose, actor=actor)
    return LiftOut(subject_id=subject_id, lifted=lifted)


@router.post("/unsubscribe-links", responses=problems(404, 409))
@threaded
def issue_unsubscribe_link(
    body: LinkIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.CONSENTS_WRITE))],
) -> LinkOut:
    """The one-click unsubscribe link and RFC 8058 headers for a marketing e-mail."""
    actor = runtime.actor(principal)
    policy_for(runtime.declaration).purpose(body.purpose)  # an unknown purpose reads nothing
    with transaction(runtime) as conn:
        subject_id = runtime.vault.lookup(conn, body.identity, actor=actor)
        link = unsubscribe_link(
            conn,
            runtime.declaration,
            subject_id,
            body.purpose,
            runtime.vault.derived_secret("unsubscribe"),
            runtime.settings.resolved_public_url,
            actor=actor,
        )
    return LinkOut(url=link.url, headers=link.headers)
