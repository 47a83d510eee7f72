"""Every console route refuses an anonymous browser and a role without its permission.

The routes are read from the app (``web.console.router``), each with the
``StaffRequirement`` it declares: a route added without one, or missing from
``EXPECTED``, fails here, so none can be forgotten. Each route is then called
anonymously (a page is sent to the sign-in page, a form gets 401), and by a
signed-in admin, DPO and agent: a role without the permission gets 403 and
nothing is written; a role with it is not refused (what it then does is the
other tests' business).
"""

from __future__ import annotations

import hashlib
import uuid

import pytest
from console_staff import (
    signed_in,
)
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from gardien.audit import audit_log
from gardien.auth import Permission, Role, allows
from gardien.store import Store
from gardien.web.console import router as console_router
from gardien.web.console.access import route_requirement

#: Each console route and what it requires (None: any staff member signed in).
EXPECTED: dict[str, Permission | None] = {
    "POST /console/logout": None,
    "GET /console": Permission.REQUESTS_READ,
    "GET /console/requests/{request_id}": Permission.REQUESTS_READ,
    "POST /console/requests/{request_id}/verify": Permission.REQUESTS_CREATE,
    "POST /console/requests/{request_id}/approve": Permission.REQUESTS_DECIDE,
    "POST /console/requests/{request_id}/reject": Permission.REQUESTS_DECIDE,
    "POST /console/requests/{request_id}/extend": Permission.REQUESTS_DECIDE,
    "GET /console/register": Permission.REQUESTS_READ,
    "GET /console/notice": Permission.REQUESTS_READ,
    "GET /console/retention": Permission.AUDIT_READ,
    "GET /console/audit": Permission.AUDIT_READ,
    "POST /console/audit/verify": Permission.AUDIT_READ,
    "GET /console/keys": Permission.KEYS_MANAGE,
    "POST /console/keys": Permission.KEYS_MANAGE,
    "POST /console/keys/{prefix}/revoke": Permission.KEYS_MANAGE,
}
#: The only console routes open without a session.
OPEN = {"GET /console/login", "POST /console/login"}


def _routes() -> dict[str, APIRoute]:
    found = {}
    for route in console_router.routes:
        assert isinstance(route, APIRoute)
        for method in route.methods or ():
            found[f"{method} {route.path_format}"] = route
    return found


def test_every_console_route_declares_its_permission() -> None:
    routes = _routes()
    assert set(routes) == set(EXPECTED) | OPEN, "add the new console route to EXPECTED"
    for name, route in routes.items():
        requirement = route_requirement(route)
        if name in OPEN:
            assert requirement is None, name
        else:
            assert requirement is not None, f"{name} has no StaffRequirement"
            assert requirement.permission == EXPECTED[name], name


def _path(template: str) -> str:
    return template.replace("{request_id}", uuid.uuid4().hex).replace("{prefix}", "Ab12Cd34")


def _state(store: Store) -> str:
    """A digest of every table but the trail and the sessions (signing in writes those)."""
    metadata = MetaData()
    metadata.reflect(store.engine)
    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name in ("audit_log", "staff_sessions", "staff_users"):
                continue
            digest.update(repr(conn.execute(select(table)).all()).encode())
    return digest.hexdigest()


def _call(client: TestClient, name: str, csrf: str = "") -> int:
    method, template = name.split(" ", 1)
    path = _path(template) + "?lang=en"
    if method == "GET":
        return client.get(path, follow_redirects=False).status_code
    data = {"csrf": csrf, "reason": "r", "note": "n", "method": "in_person", "role": "service"}
    return client.post(path, data=data, follow_redirects=False).status_code


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_console_route_refuses_anonymous_browsers_and_roles_without_its_permission(
    client: TestClient, store: Store, staff_accounts: dict[Role, str], name: str
) -> None:
    method = name.split()[0]
    before = _state(store)
    anonymous = _call(client, name)
    assert anonymous == (303 if method == "GET" else 401), name
    if method == "GET":
        page = client.get(_path(name.split(" ", 1)[1]) + "?lang=fr", follow_redirects=False)
        assert page.headers["location"] == "/console/login?lang=fr"
    assert _state(store) == before
    permission = EXPECTED[name]
    for role in (Role.ADMIN, Role.DPO, Role.AGENT):
        client.cookies.clear()
        csrf = signed_in(client, role)
        entries, state = _entries(store), _state(store)
        status = _call(client, name, csrf)
        if permission is not None and not allows(role, permission):
            assert status == 403, f"{role.value} was let through {name}"
            assert _state(store) == state and _entries(store) == entries
        else:
            assert status not in (401, 403), f"{role.value} was refused {name}"


def _entries(store: Store) -> int:
    with store.engine.connect() as conn:
        return len(conn.execute(select(audit_log.c.seq)).all())


def test_an_agent_works_requests_but_decides_nothing_and_manages_no_key() -> None:
    """The console's roles, as docs/console.md states them."""
    assert allows(Role.AGENT, Permission.REQUESTS_READ)
    assert allows(Role.AGENT, Permission.REQUESTS_CREATE)  # records a verification
    for denied in (Permission.REQUESTS_DECIDE, Permission.KEYS_MANAGE, Permission.AUDIT_READ):
        assert not allows(Role.AGENT, denied)
    assert allows(Role.DPO, Permission.REQUESTS_DECIDE) and allows(Role.DPO, Permission.AUDIT_READ)
    assert not allows(Role.DPO, Permission.KEYS_MANAGE)
    assert [role for role in Role if allows(role, Permission.KEYS_MANAGE)] == [Role.ADMIN]
