"""A valid request for every endpoint of the API, made against fresh state.

Shared by the role matrix (``tests/web/test_roles.py``) and the audit
coverage test (``tests/test_audit_coverage.py``): each endpoint of
``api_endpoints()`` must have one case here, and the tests fail otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient


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

    def consent(self, identity: dict[str, str]) -> str:
        """The receipt id of a newsletter consent given by ``identity``."""
        body = self._post(
            "/api/v1/consents",
            {"identity": identity, "purpose": "newsletter", "status": "given", "channel": "web"},
        )
        receipt_id: str = body["receipt_id"]
        return receipt_id

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
    "GET /api/v1/consents/{receipt_id}/receipt": _receipt,
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
