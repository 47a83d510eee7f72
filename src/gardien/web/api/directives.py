"""/api/v1/directives: a trustee retrieves a post-mortem directive; staff release it.

A trustee proves their e-mail with a code (the same answer whether or not the
address is a trustee's); the directive goes to that address only once staff
with ``requests:decide`` have recorded the person's death (``release``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

import gardien.web.paths  # noqa: F401  (the hex32 path convertor)
from gardien.auth import Permission
from gardien.requests.directives import release, retrieve, verify_retrieval
from gardien.web.api.common import Body, RuntimeDep, threaded, transaction
from gardien.web.api.requests import EmptyIn, Token, code_policy, limit, mailing
from gardien.web.openapi import problems
from gardien.web.security import Anonymous, Principal, require

router = APIRouter(prefix="/directives", tags=["post-mortem directives"])
HexId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
NEXT_STEP = (
    "If a directive names this address, it is sent there once the person's death is recorded."
)


class RetrieveIn(Body):
    email: Annotated[str, Field(min_length=3, max_length=320)]


class RetrievalOut(BaseModel):
    id: str
    status_token: str
    next_step: str = "Enter the 6-digit code we sent to this address."


class RetrievalVerifyIn(Body):
    status_token: Token
    code: Annotated[str, Field(min_length=1, max_length=12)]


class RetrievalVerifiedOut(BaseModel):
    verified: bool
    next_step: str = NEXT_STEP


class ReleaseOut(BaseModel):
    id: str
    sent: int


@router.post("/retrieve", status_code=status.HTTP_202_ACCEPTED)
async def retrieve_directive(
    body: RetrieveIn,
    request: Request,
    runtime: RuntimeDep,
    _: Annotated[None, Depends(Anonymous())],
) -> RetrievalOut:
    """A trustee asks for a directive: a code goes to the address given."""
    await limit(runtime, request, runtime.intake_throttle)

    def run() -> RetrievalOut:
        with transaction(runtime) as conn:
            receipt = retrieve(conn, runtime.vault, body.email, actor=runtime.subject_actor(),
                               codes=code_policy(runtime))  # fmt: skip
        return RetrievalOut(id=receipt.id, status_token=receipt.status_token)

    return await run_in_threadpool(run)


@router.post("/retrievals/{retrieval_id:hex32}/verify", responses=problems(403, 404))
async def verify_directive_retrieval(
    retrieval_id: HexId,
    body: RetrievalVerifyIn,
    request: Request,
    runtime: RuntimeDep,
    _: Annotated[None, Depends(Anonymous())],
) -> RetrievalVerifiedOut:
    """Prove the address with its code; the same answer whether it is a trustee's or not."""
    await limit(runtime, request, runtime.verify_throttle)

    def run() -> RetrievalVerifiedOut:
        with transaction(runtime) as conn:
            refusal = verify_retrieval(conn, runtime.vault, retrieval_id, body.status_token,
                                       body.code, actor=runtime.subject_actor(),
                                       mailing=mailing(runtime))  # fmt: skip
        if refusal is not None:
            raise refusal  # once the attempt is counted
        return RetrievalVerifiedOut(verified=True)

    return await run_in_threadpool(run)


@router.post("/{directive_id:hex32}/release", responses=problems(404))
@threaded
def release_directive(
    directive_id: HexId,
    body: EmptyIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.REQUESTS_DECIDE))],
) -> ReleaseOut:
    """Record the person's death: the directive goes to each trustee who proved their address."""
    with transaction(runtime) as conn:
        sent = release(conn, runtime.vault, directive_id, actor=runtime.actor(principal),
                       mailing=mailing(runtime))  # fmt: skip
    return ReleaseOut(id=directive_id, sent=sent)
