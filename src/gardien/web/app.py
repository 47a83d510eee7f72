"""The ASGI application: ``create_app(settings)`` builds everything, nothing at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute

from gardien import __version__
from gardien.auth import Permission, roles_with
from gardien.settings import Settings
from gardien.web.api import (
    audit_log,
    consents,
    directives,
    limits,
    redaction,
    requests,
    retention_events,
    subjects,
)
from gardien.web.api_docs import router as api_docs_router
from gardien.web.banner import router as banner_router
from gardien.web.center_notice import router as center_notice_router
from gardien.web.consents_page import router as consents_page_router
from gardien.web.console import install_console
from gardien.web.console import router as console_router
from gardien.web.downloads import router as downloads_router
from gardien.web.faults import ContainFaults
from gardien.web.front import router as front_router
from gardien.web.headers import SecurityHeaders
from gardien.web.limits import BodyLimits
from gardien.web.media import RequireJson
from gardien.web.openapi import install_openapi
from gardien.web.person import router as person_router
from gardien.web.privacy_center import router as privacy_center_router
from gardien.web.problems import install_problem_handlers
from gardien.web.public import router as public_router
from gardien.web.runtime import Runtime, build_runtime
from gardien.web.security import Requirement
from gardien.web.static_files import router as static_router
from gardien.web.unsubscribe import router as unsubscribe_router
from gardien.web.warmup import start_redaction_preload

API_PREFIX = "/api/v1"
#: Pages and documents served without an API key.
PAGE_ROUTERS = (
    front_router,
    api_docs_router,
    privacy_center_router,
    static_router,
    public_router,
    unsubscribe_router,
    downloads_router,
    # The person's consents, sign-in and the notice in the company's colours.
    person_router,
    consents_page_router,
    center_notice_router,
    banner_router,
    console_router,
)
API_ROUTERS = (
    subjects.router,
    consents.router,
    limits.router,
    redaction.router,
    audit_log.router,
    requests.router,
    directives.router,
    retention_events.router,
)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    permission: Permission
    #: Served without a key too (the person's side of a request).
    anonymous: bool = False


def api_endpoints() -> list[Endpoint]:
    """Every API endpoint with the permission it requires (the role matrix's rows)."""
    found = []
    for router in API_ROUTERS:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            requirement = route_requirement(route)
            for method in sorted(route.methods or ()):
                found.append(
                    Endpoint(
                        method,
                        API_PREFIX + route.path_format,
                        requirement.permission,
                        requirement.anonymous,
                    )
                )
    return found


def route_permission(route: APIRoute) -> Permission:
    """The permission ``route`` requires: exactly one ``Requirement`` among its dependencies."""
    return route_requirement(route).permission


def route_requirement(route: APIRoute) -> Requirement:
    """The one ``Requirement`` among ``route``'s dependencies."""
    requirements = [
        dependency.call
        for dependency in route.dependant.dependencies
        if isinstance(dependency.call, Requirement)
    ]
    if len(requirements) != 1:
        raise RuntimeError(
            f"route {route.path} must depend on exactly one require(Permission.X); "
            f"it has {len(requirements)}"
        )
    return requirements[0]


def _document_permissions() -> None:
    """Show each endpoint's permission and roles in the OpenAPI document."""
    for router in API_ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute):
                permission = route_permission(route)
                route.openapi_extra = {
                    "x-permission": permission.value,
                    "x-roles": [role.value for role in roles_with(permission)],
                }


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    """The gardien server for ``settings``; its store must already be migrated."""
    runtime = runtime or build_runtime(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.redact_preload:
            start_redaction_preload()
        yield
        runtime.close()

    app = FastAPI(
        title="gardien",
        version=__version__,
        description="Privacy engine API: subjects, consents, processing checks, audit trail.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        # Served by web/api_docs.py from the installed bundle, not FastAPI's CDN page.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    install_console(app)
    install_openapi(app, runtime.declaration)
    _document_permissions()
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.add_middleware(RequireJson, prefix=API_PREFIX)
    # Added after RequireJson, so it runs before: a body too large or stalled is refused
    # before anything reads it, and RequireJson reads the body through it.
    app.add_middleware(
        BodyLimits,
        max_bytes=settings.max_body_bytes,
        timeout_seconds=settings.body_timeout_seconds,
    )
    # Outside every other: an unexpected exception is answered here and never re-raised
    # to the server, which would log its text.
    app.add_middleware(ContainFaults)
    # Outermost: the problem documents of ContainFaults get the headers too.
    app.add_middleware(SecurityHeaders)
    return app
