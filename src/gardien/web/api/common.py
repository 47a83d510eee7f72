"""What every API router shares: the runtime, the body base, the thread hop, the transaction.

Endpoints only parse, call a room and shape the answer: the rooms record
their own audit entries, given the ``Actor`` that ``Runtime.actor`` builds
from the authenticated key.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from gardien.store import relax_durability
from gardien.web.runtime import Runtime, runtime_of


async def _runtime(request: Request) -> Runtime:
    # async: a sync dependency would cost a hop through the thread pool per request.
    return runtime_of(request)


RuntimeDep = Annotated[Runtime, Depends(_runtime)]

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


P = ParamSpec("P")
R = TypeVar("R")


def threaded(endpoint: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run a blocking endpoint in the thread pool in one hop.

    FastAPI runs a plain ``def`` endpoint in the thread pool and then its response
    validation in the thread pool again: two hops per request on the hot path.
    Wrapped this way the endpoint is a coroutine to FastAPI (one hop for the work,
    validation inline), and ``functools.wraps`` keeps the signature it reads.
    """

    @functools.wraps(endpoint)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


@contextmanager
def transaction(runtime: Runtime, *, durable: bool = True) -> Iterator[Connection]:
    """One transaction for a room's change and the audit entries the room records with it.

    ``durable=False`` is for reads whose only write is their audit entry (the
    consent check): see ``gardien.store.relax_durability``.
    """
    with runtime.store.engine.begin() as conn:
        if not durable:
            relax_durability(conn)
        yield conn


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
