"""The role matrix: every endpoint, every role; and the docs table is current.

Each endpoint is called by each role with a valid request (``CASES``), made
against state set up for that one call: a role the matrix allows must get the
status the endpoint documents for that request, a role it does not must get a
403 problem document. Anything else (a 4xx from a body the test got wrong, or
a 5xx) fails, so "allowed" cannot be a crash that happened after the role check.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gardien.auth import ROLE_PERMISSIONS, Role
from gardien.web.app import Endpoint, api_endpoints

ENDPOINTS = api_endpoints()
DOCS = (Path(__file__).parents[2] / "docs" / "roles.md").read_text("utf-8")
Auth = Callable[[Role], dict[str, str]]


@dataclass(frozen=True)
class Call:
    """One valid request to an endpoint, and the status the endpoint answers it with."""

    path: str
    body: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)
    status: int = 200


class Setup:
    """Fresh state for one call, made through the API with the admin's key."""

    def __init__(self, client: TestClient, admin: dict[str, str]) -> None:
        self.client = client
        self.admin = admin

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(path, json=body, headers=self.admin)
        assert response.status_code in (200, 201), f"setup {path}: {response.text}"
        answer: dict[str, Any] = response.json()
        return answer

    @staticmethod
    def identity() -> dict[str, str]:
        """An identity no one has yet."""
        return {"email": f"person-{uuid.uuid4().hex[:12]}@example.com"}

    def subject(self) -> tuple[str, dict[str, str]]:
        """A newly registered subject: its id and its identity."""
        identity = self.identity()
        body = self._post("/api/v1/subjects", {"identities": identity, "attributes": {"n": 1}})
        return body["id"], identity

    def consent(self, identity: dict[str, str]) -> int:
        """The event id of a newsletter consent given by ``identity``."""
        body = self._post(
            "/api/v1/consents",
            {"identity": identity, "purpose": "newsletter", "status": "given", "channel": "web"},
        )
        event_id: int = body["event_id"]
        return event_id

    def restriction(self, identity: dict[str, str]) -> None:
        self._post("/api/v1/restrictions", {"identity": identity, "purpose": "newsletter"})

    def mapping(self) -> str:
        """The sealed mapping of a reversible redaction of one e-mail address (``<EMAIL_1>``)."""
        body = self._post(
            "/api/v1/redact",
            {"text": "Write to jo@example.com", "lang": "en", "operator": "reversible"},
        )
        mapping: str = body["mapping"]
        return mapping


def _subjects(setup: Setup) -> Call:
    return Call("/api/v1/subjects", {"identities": setup.identity()}, status=201)


def _lookup(setup: Setup) -> Call:
    _, identity = setup.subject()
    return Call("/api/v1/subjects/lookup", {"identity": identity})


def _read_subject(setup: Setup) -> Call:
    subject_id, _ = setup.subject()
    return Call(f"/api/v1/subjects/{subject_id}")


def _erase(setup: Setup) -> Call:
    subject_id, _ = setup.subject()
    return Call(f"/api/v1/subjects/{subject_id}/erase", {})


def _record_consent(setup: Setup) -> Call:
    body = {
        "identity": setup.identity(),
        "purpose": "newsletter",
        "status": "given",
        "channel": "web",
    }
    return Call("/api/v1/consents", body, status=201)


def _subject_consents(setup: Setup) -> Call:
    subject_id, identity = setup.subject()
    setup.consent(identity)
    return Call(f"/api/v1/subjects/{subject_id}/consents")


def _receipt(setup: Setup) -> Call:
    _, identity = setup.subject()
    return Call(f"/api/v1/consents/{setup.consent(identity)}/receipt", params={"lang": "fr"})


def _check(setup: Setup) -> Call:
    _, identity = setup.subject()
    return Call("/api/v1/checks", {"identity": identity, "purpose": "newsletter"})


def _objection(setup: Setup) -> Call:
    _, identity = setup.subject()
    return Call("/api/v1/objections", {"identity": identity, "purpose": "newsletter"}, status=201)


def _restriction(setup: Setup) -> Call:
    _, identity = setup.subject()
    return Call("/api/v1/restrictions", {"identity": identity}, status=201)


def _lift(setup: Setup) -> Call:
    _, identity = setup.subject()
    setup.restriction(identity)
    return Call("/api/v1/restrictions/lift", {"identity": identity, "purpose": "newsletter"})


def _unsubscribe_link(setup: Setup) -> Call:
    _, identity = setup.subject()
    return Call("/api/v1/unsubscribe-links", {"identity": identity, "purpose": "newsletter"})


def _redact(setup: Setup) -> Call:
    return Call("/api/v1/redact", {"text": "Write to jo@example.com", "lang": "en"})


def _redact_batch(setup: Setup) -> Call:
    body = {"texts": ["Write to jo@example.com", "Nothing personal here"], "lang": "en"}
    return Call("/api/v1/redact/batch", body)


def _restore(setup: Setup) -> Call:
    body = {"text": "We answered <EMAIL_1>.", "mapping": setup.mapping()}
    return Call("/api/v1/redact/restore", body)


def _audit(setup: Setup) -> Call:
    return Call("/api/v1/audit", params={"limit": "10"})


#: A valid request for every endpoint of the API, keyed by "METHOD path".
CASES: dict[str, Callable[[Setup], Call]] = {
    "POST /api/v1/subjects": _subjects,
    "POST /api/v1/subjects/lookup": _lookup,
    "GET /api/v1/subjects/{subject_id}": _read_subject,
    "POST /api/v1/subjects/{subject_id}/erase": _erase,
    "POST /api/v1/consents": _record_consent,
    "GET /api/v1/subjects/{subject_id}/consents": _subject_consents,
    "GET /api/v1/consents/{event_id}/receipt": _receipt,
    "POST /api/v1/checks": _check,
    "POST /api/v1/objections": _objection,
    "POST /api/v1/restrictions": _restriction,
    "POST /api/v1/restrictions/lift": _lift,
    "POST /api/v1/unsubscribe-links": _unsubscribe_link,
    "POST /api/v1/redact": _redact,
    "POST /api/v1/redact/batch": _redact_batch,
    "POST /api/v1/redact/restore": _restore,
    "GET /api/v1/audit": _audit,
}


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
    assert _send(client, endpoint, call, {}).status_code == 401
    unknown_key = {"Authorization": "Bearer gdn_nothere1_" + "x" * 32}
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
