"""/api/v1/subjects: register, look up, read and erase data subjects."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response, status
from pydantic import BaseModel, Field

from gardien.audit import SubjectCreated, SubjectErased, SubjectRead, SubjectUpdated
from gardien.auth import Permission
from gardien.web.api.common import (
    Body,
    IdentityMap,
    RuntimeDep,
    audit,
    audited_transaction,
    subject_or_404,
    threaded,
)
from gardien.web.security import Principal, require

router = APIRouter(prefix="/subjects", tags=["subjects"])
SubjectId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="A subject id.")]


class SubjectIn(Body):
    identities: IdentityMap
    attributes: dict[str, Any] = Field(default_factory=dict, max_length=200)


class SubjectRef(BaseModel):
    id: str
    created: bool


class LookupIn(Body):
    identity: IdentityMap


class SubjectOut(BaseModel):
    id: str
    created_at: datetime
    erased_at: datetime | None
    identities: dict[str, list[str]]
    attributes: dict[str, Any]


class ErasureOut(BaseModel):
    id: str
    erased: bool


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "The identities belong to a subject already registered."}},
)
@threaded
def register_subject(
    body: SubjectIn,
    response: Response,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.SUBJECTS_WRITE))],
) -> SubjectRef:
    """Register a data subject; the same identity again returns the same subject."""
    with audited_transaction(runtime) as conn:
        registration = runtime.vault.register(conn, body.identities, body.attributes)
        blind = runtime.vault.blind_id(registration.subject_id)
        event = (
            SubjectCreated(subject_blind_id=blind)
            if registration.created
            else SubjectUpdated(subject_blind_id=blind, fields=tuple(sorted(body.attributes)))
        )
        audit(conn, runtime, principal, event)
    if not registration.created:
        response.status_code = status.HTTP_200_OK
    return SubjectRef(id=registration.subject_id, created=registration.created)


@router.post("/lookup")
@threaded
def lookup_subject(
    body: LookupIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.SUBJECTS_READ))],
) -> SubjectRef:
    """Find a subject by identity (a POST: personal data never goes in a URL)."""
    with audited_transaction(runtime) as conn:
        subject_id = subject_or_404(conn, runtime, body.identity)
        audit(
            conn,
            runtime,
            principal,
            SubjectRead(subject_blind_id=runtime.vault.blind_id(subject_id), fields=("id",)),
        )
    return SubjectRef(id=subject_id, created=False)


@router.get("/{subject_id}")
@threaded
def read_subject(
    subject_id: SubjectId,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.SUBJECTS_READ))],
) -> SubjectOut:
    """A subject's identities and attributes, decrypted."""
    with audited_transaction(runtime) as conn:
        record = runtime.vault.read(conn, subject_id)
        audit(
            conn,
            runtime,
            principal,
            SubjectRead(
                subject_blind_id=runtime.vault.blind_id(subject_id),
                fields=("identities", "attributes"),
            ),
        )
    return SubjectOut(
        id=record.subject_id,
        created_at=record.created_at,
        erased_at=record.erased_at,
        identities=record.identities,
        attributes=record.attributes,
    )


@router.post("/{subject_id}/erase")
@threaded
def erase_subject(
    subject_id: SubjectId,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.SUBJECTS_ERASE))],
) -> ErasureOut:
    """Erase a subject: its data key is destroyed, so no copy of its data can be read."""
    with audited_transaction(runtime) as conn:
        erased = runtime.vault.erase(conn, subject_id)
        audit(
            conn,
            runtime,
            principal,
            SubjectErased(subject_blind_id=runtime.vault.blind_id(subject_id)),
        )
    return ErasureOut(id=subject_id, erased=erased)
