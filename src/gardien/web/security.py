"""Authentication of API calls and the role check of each endpoint.

Each endpoint depends on ``require(Permission.X)``, a ``Requirement``: the bearer key is
authenticated, then its role is checked against the role matrix of
``gardien.auth.roles``. Successful authentications are cached for a few
seconds per process, so the hot path (consent checks) does not read the key
table on every call; a revoked key therefore stops working within
``KEY_CACHE_SECONDS``.

Failures are throttled (``gardien.auth.throttle``) in this order: a key is
authenticated first, whatever the address sent before, so a valid key is
never refused for others' failures and costs the throttle nothing; only a
key that fails (malformed, unknown, wrong secret, revoked) is counted,
against the client address (``gardien.web.clients``) and the key's prefix,
and answered 429 with ``Retry-After`` instead of 401 once either is over its
budget. A request without a key is answered 401 and not counted: it makes
no guess.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from gardien.auth import (
    ApiKey,
    AuthError,
    Permission,
    Role,
    Source,
    SourceKind,
    address_source,
    allows,
    authenticate,
    key_source,
    parse_token,
    roles_with,
)
from gardien.web.problems import ProblemError
from gardien.web.runtime import Runtime, runtime_of

KEY_CACHE_SECONDS = 5.0
_bearer = HTTPBearer(auto_error=False, description="An API key from `gardien keys create`.")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's public prefix and its role."""

    key_prefix: str
    role: Role

    @property
    def actor(self) -> str:
        return f"key:{self.key_prefix}"


class KeyCache:
    def __init__(self, ttl: float = KEY_CACHE_SECONDS) -> None:
        self.ttl = ttl
        self._entries: dict[bytes, tuple[float, ApiKey]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> ApiKey | None:
        digest = hashlib.sha256(token.encode()).digest()
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None or entry[0] < time.monotonic():
                self._entries.pop(digest, None)
                return None
            return entry[1]

    def put(self, token: str, key: ApiKey) -> None:
        digest = hashlib.sha256(token.encode()).digest()
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[digest] = (time.monotonic() + self.ttl, key)


def _unauthenticated(detail: str) -> ProblemError:
    return ProblemError("unauthenticated", detail, headers={"WWW-Authenticate": "Bearer"})


class Requirement:
    """A route's dependency: an authenticated key whose role holds ``permission``.

    Typed, so that the role matrix (``gardien.web.app.api_endpoints``), the
    OpenAPI document and ``docs/roles.md`` read each route's permission from
    it, instead of from an attribute set on a function.
    """

    #: Whether a call without a key is served (``Anonymous``, ``KeyOptional``).
    anonymous = False

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def __repr__(self) -> str:
        return f"Requirement({self.permission.value})"

    # async, so that it runs on the event loop instead of a thread-pool hop; it only
    # touches the database when a key is not in the short-lived cache.
    async def __call__(
        self,
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
    ) -> Principal:
        runtime: Runtime = runtime_of(request)
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise _unauthenticated(
                "send an API key as `Authorization: Bearer gdn_…` (create one with "
                "`gardien keys create --role ROLE`)"
            )
        token = credentials.credentials
        key = runtime.key_cache.get(token)
        if key is None:
            try:
                parse_token(token)  # a malformed key costs no connection
                with runtime.store.engine.connect() as conn:
                    key = authenticate(conn, token)
            except AuthError as exc:
                await _count_failure(runtime, request, token)
                raise _unauthenticated(exc.message) from None
            runtime.key_cache.put(token, key)
        if not allows(key.role, self.permission):
            allowed = ", ".join(role.value for role in roles_with(self.permission))
            raise ProblemError(
                "forbidden",
                f"role {key.role.value} may not use this endpoint ({self.permission.value}); "
                f"it needs one of: {allowed}",
            )
        return Principal(key.prefix, key.role)


async def _count_failure(runtime: Runtime, request: Request, token: str) -> None:
    """Count a failed key; raise the 429 problem if it is beyond a budget."""
    address = address_source(runtime.clients.of(request))
    try:
        key: Source | None = key_source(parse_token(token)[0])
    except AuthError:
        key = None  # malformed: counted against the address only
    # A thread: on PostgreSQL the counters are a table (failures only, never the hot path).
    refusal = await run_in_threadpool(runtime.throttle.record_failure, address, key)
    if refusal is not None:
        by_address = refusal.source.kind is SourceKind.ADDRESS
        where = "from this address" if by_address else "with this key prefix"
        raise ProblemError(
            "too-many-requests",
            f"too many failed authentications {where}; retry in {refusal.seconds} s",
            headers={"Retry-After": str(refusal.seconds)},
        )


class Anonymous(Requirement):
    """A route anyone may call without a key (the person's side of a request); a key sent is
    not looked at. Its permission, ``public``, is every role's, so the role matrix lists it."""

    anonymous = True

    def __init__(self) -> None:
        super().__init__(Permission.PUBLIC)

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


class KeyOptional(Requirement):
    """A route served without a key (as the public), or with a key whose role holds
    ``permission`` (as staff): a key sent is authenticated and checked like any other."""

    anonymous = True

    async def __call__(  # type: ignore[override]
        self,
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
    ) -> Principal | None:
        if credentials is None:
            return None
        return await super().__call__(request, credentials)


def require(permission: Permission) -> Requirement:
    """The dependency that lets through only keys whose role holds ``permission``."""
    return Requirement(permission)
