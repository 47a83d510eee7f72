"""/api/v1/subjects: register, look up, read and erase data subjects."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response, status
from pydantic import BaseModel, Field

import gardien.web.paths  # noqa: F401  (the hex32 path convertor)
from gardien.auth import Permission
from gardien.web.api.common import Body, IdentityMap, RuntimeDep, threaded, transaction
from gardien.web.openapi import problems
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
    responses={
        200: {"description": "The identities belong to a subject already registered."},
        **problems(409),
    },
)
@threaded
def register_subject(
    body: SubjectIn,
    response: Response,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.SUBJECTS_WRITE))],
) -> SubjectRef:
    """Register a data subject; the same identity again returns the same subject."""
    with transaction(runtime) as conn:
        registration = runtime.vault.register(
            conn, body.identities, body.attributes, actor=runtime.actor(principal)
        )
    if not registration.created:
        response.status_code = status.HTTP_200_OK
    return SubjectRef(id=registration.subject_id, created=registration.created)


@router.post("/lookup", responses=problems(404, 409))
@threaded
def lookup_subject(
    body: LookupIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.SUBJECTS_LOOKUP))],
) -> SubjectRef:
    """Find a subject by identity (a POST: personal data never goes in a URL)."""
    with transaction(runtime) as conn:
        subject_id = runtime.vault.lookup(conn, body.identity, actor=runtime.actor(principal))
    return SubjectRef(id=subject_id, created=False)


@router.get("/{subject_id:hex32}", responses=problems(404, 409))
@threaded
def read_subject(
    subject_id: SubjectId,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.SUBJECTS_READ))],
) -> SubjectOut:
    """A subject's identities and attributes, decrypted."""
    with transaction(runtime) as conn:
        record = runtime.vault.read(conn, subject_id, actor=runtime.actor(principal))
    return SubjectOut(
        id=record.subject_id,
        created_at=record.created_at,
        erased_at=record.erased_at,
        identities=record.identities,
        attributes=record.attributes,
    )


@router.post("/{subject_id:hex32}/erase", responses=problems(404))
@threaded
def erase_subject(
    subject_id: SubjectId,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.SUBJECTS_ERASE))],
) -> ErasureOut:
    """Erase a subject: its data key is destroyed, so no copy of its data can be read."""
    with transaction(runtime) as conn:
        erased = runtime.vault.erase(conn, subject_id, actor=runtime.actor(principal))
    return ErasureOut(id=subject_id, erased=erased)
