"""What every API router shares: the runtime, the caller, audit in the same transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from gardien.audit import AuditEvent, append
from gardien.web.problems import ProblemError
from gardien.web.runtime import Runtime, runtime_of
from gardien.web.security import Principal

RuntimeDep = Annotated[Runtime, Depends(runtime_of)]

IDENTITY_EXAMPLE = {"email": "alice@example.com"}


class Body(BaseModel):
    """Base of request bodies: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


IdentityMap = Annotated[
    dict[str, Annotated[str, Field(min_length=1, max_length=320)]],
    Field(
        min_length=1,
        max_length=10,
        description="Identities by kind: email, user_id, phone, device_id or a custom kind.",
        examples=[IDENTITY_EXAMPLE],
    ),
]


@contextmanager
def audited_transaction(runtime: Runtime) -> Iterator[Connection]:
    """One transaction for a change and the audit entries that record it."""
    with runtime.store.engine.begin() as conn:
        yield conn


def audit(conn: Connection, runtime: Runtime, principal: Principal, event: AuditEvent) -> None:
    append(
        conn,
        event,
        actor=principal.actor,
        role=principal.role.value,
        declaration_version=runtime.declaration_version,
    )


def subject_or_404(conn: Connection, runtime: Runtime, identities: dict[str, str]) -> str:
    subject_id = runtime.vault.find_any(conn, identities)
    if subject_id is None:
        raise ProblemError("not-found", "no data subject has these identities")
    return subject_id


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
