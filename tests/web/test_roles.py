"""The role matrix: every endpoint, every role; and the docs table is current."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gardien.auth import ROLE_PERMISSIONS, Role
from gardien.web.app import Endpoint, api_endpoints

ENDPOINTS = api_endpoints()
DOCS = (Path(__file__).parents[2] / "docs" / "roles.md").read_text("utf-8")


def _call(client: TestClient, endpoint: Endpoint, headers: dict[str, str]) -> int:
    path = re.sub(r"\{subject_id\}", "0" * 32, endpoint.path)
    path = re.sub(r"\{event_id\}", "1", path)
    if endpoint.method == "GET":
        return client.get(path, headers=headers).status_code
    return client.post(path, json={}, headers=headers).status_code


def test_every_endpoint_is_in_the_matrix() -> None:
    assert len(ENDPOINTS) >= 13
    for endpoint in ENDPOINTS:
        assert f"`{endpoint.method} {endpoint.path}`" in DOCS, (
            f"{endpoint} missing from docs/roles.md"
        )


def test_docs_table_matches_the_code() -> None:
    roles = list(Role)
    for endpoint in ENDPOINTS:
        cells = " | ".join(
            "yes" if endpoint.permission in ROLE_PERMISSIONS[r] else "no" for r in roles
        )
        row = f"| `{endpoint.method} {endpoint.path}` | `{endpoint.permission.value}` | {cells} |"
        assert row in DOCS, f"docs/roles.md row out of date: {row}"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{e.method} {e.path}" for e in ENDPOINTS])
def test_each_role_is_allowed_or_refused_as_the_matrix_says(
    client: TestClient, auth: Callable[[Role], dict[str, str]], endpoint: Endpoint
) -> None:
    assert _call(client, endpoint, {}) == 401
    assert _call(client, endpoint, {"Authorization": "Bearer gdn_nothere1_" + "x" * 32}) == 401
    for role in Role:
        status = _call(client, endpoint, auth(role))
        if endpoint.permission in ROLE_PERMISSIONS[role]:
            assert status not in (401, 403), f"{role.value} refused on {endpoint}"
        else:
            assert status == 403, f"{role.value} allowed on {endpoint}: {status}"


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
