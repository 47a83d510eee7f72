"""The role matrix: every endpoint, every role; and the docs table is current.

Each endpoint is called by each role with a valid request (``CASES``), made
against state set up for that one call: a role the matrix allows must get the
status the endpoint documents for that request, a role it does not must get a
403 problem document. Anything else (a 4xx from a body the test got wrong, or
a 5xx) fails, so "allowed" cannot be a crash that happened after the role check.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_cases import CASES, Call, Setup
from gardien.auth import ROLE_PERMISSIONS, Permission, Role
from gardien.web.app import Endpoint, api_endpoints

ENDPOINTS = api_endpoints()
DOCS = (Path(__file__).parents[2] / "docs" / "roles.md").read_text("utf-8")
Auth = Callable[[Role], dict[str, str]]


def _name(endpoint: Endpoint) -> str:
    return f"{endpoint.method} {endpoint.path}"


def _send(
    client: TestClient, endpoint: Endpoint, call: Call, headers: dict[str, str]
) -> Any:  # the test client's response
    if endpoint.method == "GET":
        assert call.body is None, f"{_name(endpoint)}: a GET takes no body"
        return client.get(call.path, params=call.params, headers=headers)
    assert endpoint.method == "POST", f"{_name(endpoint)}: add this method to _send"
    return client.post(call.path, json=call.body, params=call.params, headers=headers)


def test_every_endpoint_is_in_the_matrix() -> None:
    assert len(ENDPOINTS) >= 13
    for endpoint in ENDPOINTS:
        assert f"`{endpoint.method} {endpoint.path}`" in DOCS, (
            f"{endpoint} missing from docs/roles.md"
        )


def test_every_endpoint_has_a_valid_request() -> None:
    assert sorted(CASES) == sorted(_name(e) for e in ENDPOINTS), (
        "give each endpoint of api_endpoints() a valid request in CASES, and no other"
    )


def test_docs_table_matches_the_code() -> None:
    roles = list(Role)
    for endpoint in ENDPOINTS:
        cells = " | ".join(
            "yes" if endpoint.permission in ROLE_PERMISSIONS[r] else "no" for r in roles
        )
        row = f"| `{endpoint.method} {endpoint.path}` | `{endpoint.permission.value}` | {cells} |"
        assert row in DOCS, f"docs/roles.md row out of date: {row}"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_name)
def test_each_role_is_allowed_or_refused_as_the_matrix_says(
    client: TestClient, auth: Auth, endpoint: Endpoint
) -> None:
    setup = Setup(client, auth(Role.ADMIN))
    make_call = CASES[_name(endpoint)]
    call = make_call(setup)
    unknown_key = {"Authorization": "Bearer gdn_nothere1_" + "x" * 32}
    if endpoint.anonymous:
        # The person's side of a request: served without a key (never a 401), refused only
        # for what the body says.
        keyless = _send(client, endpoint, make_call(setup), {})
        assert keyless.status_code < 500 and keyless.status_code != 401, keyless.text
        if endpoint.permission is Permission.PUBLIC:
            assert _send(client, endpoint, make_call(setup), unknown_key).status_code != 401
        else:  # a key sent is checked like any other
            assert _send(client, endpoint, make_call(setup), unknown_key).status_code == 401
    else:
        assert _send(client, endpoint, call, {}).status_code == 401
        assert _send(client, endpoint, call, unknown_key).status_code == 401
    for role in Role:
        call = make_call(setup)
        response = _send(client, endpoint, call, auth(role))
        assert response.status_code < 500, f"{role.value} on {_name(endpoint)}: {response.text}"
        if endpoint.permission in ROLE_PERMISSIONS[role]:
            assert response.status_code == call.status, (
                f"{role.value} on {_name(endpoint)}: expected {call.status}, "
                f"got {response.status_code}: {response.text}"
            )
        else:
            assert response.status_code == 403, (
                f"{role.value} allowed on {_name(endpoint)}: {response.status_code}"
            )
            assert response.headers["content-type"] == "application/problem+json"
            problem = response.json()
            assert problem["type"] == "/problems/forbidden" and problem["status"] == 403


def test_only_the_persons_side_of_a_request_is_served_without_a_key() -> None:
    anonymous = {_name(e) for e in ENDPOINTS if e.anonymous}
    assert anonymous == {
        "POST /api/v1/requests",
        "POST /api/v1/requests/{request_id}/verify",
        "POST /api/v1/requests/{request_id}/resend",
        "POST /api/v1/requests/{request_id}/status",
        "POST /api/v1/requests/{request_id}/withdraw",
        "POST /api/v1/directives/retrieve",
        "POST /api/v1/directives/retrievals/{retrieval_id}/verify",
    }
    assert all(
        e.permission is Permission.PUBLIC
        for e in ENDPOINTS
        if e.anonymous and e.path != "/api/v1/requests"
    )


def test_repeated_failures_are_throttled(client: TestClient) -> None:
    bad = {"Authorization": "Bearer gdn_nothere1_" + "y" * 32}
    statuses = [client.post("/api/v1/checks", json={}, headers=bad).status_code for _ in range(7)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]
    limited = client.post("/api/v1/checks", json={}, headers=bad)
    assert int(limited.headers["retry-after"]) > 0
    assert limited.json()["type"] == "/problems/too-many-requests"


def test_openapi_names_permissions(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/checks"]["post"]
    assert operation["x-permission"] == "checks"
    assert operation["x-roles"] == ["admin", "service"]
