"""/api/v1/retention-events: the company's systems tell gardien an event happened for a person.

A retention binding ``{rule, event: account_deletion}`` runs from the event
recorded here. The person's identities travel in the body (never in the
URL), are sealed in the store and never echoed back; the answer is the
event's random id, what happened and when.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import AwareDatetime, BaseModel, Field

from gardien.auth import Permission
from gardien.retention import record_event
from gardien.web.api.common import Body, IdentityMap, RuntimeDep, threaded, transaction
from gardien.web.openapi import problems
from gardien.web.security import Principal, require

router = APIRouter(tags=["retention"])


class EventIn(Body):
    event: Annotated[
        str,
        Field(
            min_length=1, max_length=64,
            description="What happened: an event a retention binding of privacy.yaml runs "
            "from (`account_deletion`, `contract_end`, `end_of_relationship`, "
            "`employment_end`, `app_uninstall`).",
            examples=["account_deletion"],
        ),
    ]  # fmt: skip
    identity: IdentityMap
    occurred_at: AwareDatetime | None = Field(
        default=None,
        description="When it happened, with a time zone (default: now); not in the future.",
    )


class EventOut(BaseModel):
    id: str
    event: str
    occurred_at: datetime
    recorded_at: datetime
    #: The kinds of identity kept (those the bound collections are searched by).
    kinds: list[str]


@router.post("/retention-events", status_code=status.HTTP_201_CREATED, responses=problems(422))
@threaded
def record_retention_event(
    body: EventIn,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(require(Permission.RETENTION_EVENTS_WRITE))],
) -> EventOut:
    """Record that an event happened for a person (their account was deleted): the
    retention rules bound to it run from now (or ``occurred_at``), and the person's rows
    are deleted or anonymised by the retention run once their period is over."""
    actor = runtime.actor(principal)
    with transaction(runtime) as conn:
        recorded = record_event(
            conn, runtime.vault, runtime.declaration, body.event, body.identity,
            actor=actor, occurred_at=body.occurred_at,
        )  # fmt: skip
    return EventOut(
        id=recorded.id, event=recorded.event.value, occurred_at=recorded.occurred_at,
        recorded_at=recorded.recorded_at, kinds=list(recorded.kinds),
    )  # fmt: skip
