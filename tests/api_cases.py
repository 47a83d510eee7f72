"""A valid request for every endpoint of the API, made against fresh state.

Shared by the role matrix (``tests/web/test_roles.py``) and the audit
coverage test (``tests/test_audit_coverage.py``): each endpoint of
``api_endpoints()`` must have one case here, and the tests fail otherwise.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from gardien.jobs import jobs


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

    # Data-subject requests -------------------------------------------------------------

    def request(self, *, verified: bool = False, **body: Any) -> dict[str, Any]:
        """A new request (the answer to intake): the person's own, or, ``verified``, an
        agent's who checked an identity document."""
        payload: dict[str, Any] = {"type": "access", "identities": self.identity(), **body}
        if verified:
            payload["verification"] = {"method": "id_document"}
        headers = self.admin if verified else {}
        response = self.client.post("/api/v1/requests", json=payload, headers=headers)
        assert response.status_code == 202, f"setup request: {response.text}"
        answer: dict[str, Any] = response.json()
        return answer

    def last_code(self) -> str:
        """The code of the last e-mail queued (read from its job, as the worker would)."""
        store = self.client.app.state.runtime.store  # type: ignore[attr-defined]
        with store.engine.connect() as conn:
            payload = conn.execute(
                select(jobs.c.payload)
                .where(jobs.c.kind == "request.notify")
                .order_by(jobs.c.id.desc())
                .limit(1)
            ).scalar_one()
        found = re.search(r"\b(\d{6})\b", json.loads(payload)["subject"])
        assert found is not None
        return found.group(1)

    def directive(self) -> str:
        """The id of a stored post-mortem directive."""
        trustee = self.identity()["email"]
        details = {"instructions": "Close my accounts.",
                   "trustees": [{"name": "Sam", "email": trustee}]}  # fmt: skip
        answer = self.request(verified=True, type="post_mortem", details=details)
        self._post(f"/api/v1/requests/{answer['id']}/approve", {})
        store = self.client.app.state.runtime.store  # type: ignore[attr-defined]
        from gardien.requests.tables import directives

        with store.engine.connect() as conn:
            directive_id: str = conn.execute(
                select(directives.c.id).where(directives.c.request_id == answer["id"])
            ).scalar_one()
        return directive_id


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


def _make_request(setup: Setup) -> Call:
    # With the admin's key: an agent's request, verified on an identity document.
    body = {"type": "access", "identities": setup.identity(),
            "verification": {"method": "id_document", "note": "passport seen"}}  # fmt: skip
    return Call("/api/v1/requests", body, status=202)


def _verify(setup: Setup) -> Call:
    answer = setup.request()
    body = {"status_token": answer["status_token"], "code": setup.last_code()}
    return Call(f"/api/v1/requests/{answer['id']}/verify", body)


def _resend(setup: Setup) -> Call:
    answer = setup.request()
    return Call(
        f"/api/v1/requests/{answer['id']}/resend",
        {"status_token": answer["status_token"]},
        status=202,
    )


def _status(setup: Setup) -> Call:
    answer = setup.request()
    return Call(f"/api/v1/requests/{answer['id']}/status", {"status_token": answer["status_token"]})


def _withdraw(setup: Setup) -> Call:
    answer = setup.request()
    return Call(
        f"/api/v1/requests/{answer['id']}/withdraw", {"status_token": answer["status_token"]}
    )


def _list_requests(setup: Setup) -> Call:
    setup.request()
    return Call("/api/v1/requests", params={"due_within_days": "40"})


def _read_request(setup: Setup) -> Call:
    return Call(f"/api/v1/requests/{setup.request()['id']}")


def _approve(setup: Setup) -> Call:
    return Call(f"/api/v1/requests/{setup.request(verified=True)['id']}/approve", {})


def _reject(setup: Setup) -> Call:
    answer = setup.request(verified=True)
    return Call(f"/api/v1/requests/{answer['id']}/reject", {"reason": "We hold no data about you."})


def _extend(setup: Setup) -> Call:
    answer = setup.request(verified=True)
    body = {"reason": "Many datastores to search."}
    return Call(f"/api/v1/requests/{answer['id']}/extend", body)


def _retrieve_directive(setup: Setup) -> Call:
    return Call("/api/v1/directives/retrieve", {"email": setup.identity()["email"]}, status=202)


def _verify_retrieval(setup: Setup) -> Call:
    response = setup.client.post(
        "/api/v1/directives/retrieve", json={"email": setup.identity()["email"]}
    )
    assert response.status_code == 202, response.text
    answer = response.json()
    body = {"status_token": answer["status_token"], "code": setup.last_code()}
    return Call(f"/api/v1/directives/retrievals/{answer['id']}/verify", body)


def _release(setup: Setup) -> Call:
    return Call(f"/api/v1/directives/{setup.directive()}/release", {})


#: A valid request for every endpoint of the API, keyed by "METHOD path".
def event_binding(directory: Path) -> Callable[[dict[str, Any]], None]:
    """The declaration the API is tested under: the starter, plus a product database (made
    in ``directory``) whose accounts go when the product tells gardien they were deleted
    (``/retention-events``)."""
    database = directory / "product.db"
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, email TEXT)"))
    engine.dispose()

    def mutate(data: dict[str, Any]) -> None:
        data.setdefault("datastores", {})["product"] = {
            "url": f"sqlite:///{database}",
            "collections": {"accounts": {
                "retention": {"rule": "account", "event": "account_deletion"},
                "fields": {"id": {"primary_key": True, "identity": "user_id"},
                           "email": {"categories": ["user.contact.email"], "identity": "email"}},
            }},
        }  # fmt: skip

    return mutate


def _retention_event(setup: Setup) -> Call:
    body = {"event": "account_deletion", "identity": setup.identity()}
    return Call("/api/v1/retention-events", body, status=201)


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
    "POST /api/v1/requests": _make_request,
    "POST /api/v1/requests/{request_id}/verify": _verify,
    "POST /api/v1/requests/{request_id}/resend": _resend,
    "POST /api/v1/requests/{request_id}/status": _status,
    "POST /api/v1/requests/{request_id}/withdraw": _withdraw,
    "GET /api/v1/requests": _list_requests,
    "GET /api/v1/requests/{request_id}": _read_request,
    "POST /api/v1/requests/{request_id}/approve": _approve,
    "POST /api/v1/requests/{request_id}/reject": _reject,
    "POST /api/v1/requests/{request_id}/extend": _extend,
    "POST /api/v1/directives/retrieve": _retrieve_directive,
    "POST /api/v1/directives/retrievals/{retrieval_id}/verify": _verify_retrieval,
    "POST /api/v1/directives/{directive_id}/release": _release,
    "POST /api/v1/retention-events": _retention_event,
}
