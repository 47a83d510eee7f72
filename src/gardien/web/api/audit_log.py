"""/api/v1/audit: pages of the audit trail, for the DPO and the supervisory authority."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from gardien.audit import MAX_PAGE, read_page
from gardien.auth import Permission
from gardien.web.api.common import RuntimeDep, threaded, transaction
from gardien.web.security import Principal, require

router = APIRouter(prefix="/audit", tags=["audit"])
#: The largest sequence number a 64-bit column holds; a larger cursor is a client error.
MAX_SEQ = 2**63 - 1


class AuditPage(BaseModel):
    entries: list[dict[str, Any]]
    next_after: int | None


@router.get("")
@threaded
def read_audit(
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.AUDIT_READ))],
    after: Annotated[
        int | None, Query(ge=0, le=MAX_SEQ, description="Return entries after this seq.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    action: Annotated[str | None, Query(pattern=r"^[a-z][a-z_.]*$", max_length=64)] = None,
) -> AuditPage:
    """Entries in sequence order; follow ``next_after`` for the next page."""
    with transaction(runtime) as conn:
        page = read_page(
            conn, actor=runtime.actor(principal), limit=limit, after_seq=after, action=action
        )
    next_after = page[-1].seq if len(page) == limit else None
    return AuditPage(entries=[entry.to_json() for entry in page], next_after=next_after)
