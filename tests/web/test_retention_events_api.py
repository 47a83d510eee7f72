"""POST /api/v1/retention-events: the product tells gardien an account was deleted.

Identities travel in the body and are never echoed back; a refusal is an RFC 9457
problem and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from gardien.audit import audit_log
from gardien.auth import Role
from gardien.retention.tables import retention_events
from gardien.store import Store

PATH = "/api/v1/retention-events"


def _written(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        events = len(conn.execute(select(retention_events.c.id)).all())
        entries = len(conn.execute(select(audit_log.c.seq)).all())
    return events, entries


def test_the_service_key_records_a_deletion_and_the_answer_holds_no_identity(
    client: TestClient, auth: Callable[[Role], dict[str, str]], store: Store
) -> None:
    body = {
        "event": "account_deletion",
        "identity": {"email": "Alice@Example.com", "user_id": "42", "phone": "+33612345678"},
        "occurred_at": "2026-05-01T10:00:00+02:00",
    }
    response = client.post(PATH, json=body, headers=auth(Role.SERVICE))
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["event"] == "account_deletion"
    assert answer["occurred_at"].startswith("2026-05-01T08:00:00")
    assert answer["kinds"] == ["email", "user_id"]  # the phone is searched nowhere: not kept
    assert len(answer["id"]) == 32
    assert "alice" not in response.text.lower() and "42" not in answer["kinds"]
    with store.engine.connect() as conn:
        (row,) = conn.execute(select(retention_events)).all()
        action, details = conn.execute(
            select(audit_log.c.action, audit_log.c.details).order_by(audit_log.c.seq.desc())
        ).first()  # type: ignore[misc]
    assert row.id == answer["id"] and b"alice" not in bytes(row.identities_sealed).lower()
    assert action == "retention.event" and "alice" not in details.lower()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"event": "account_closed", "identity": {"email": "a@example.com"}},
         "unknown event 'account_closed'"),
        ({"event": "last_contact", "identity": {"email": "a@example.com"}},
         "not an event gardien records"),
        ({"event": "contract_end", "identity": {"email": "a@example.com"}},
         "no retention binding runs from 'contract_end'"),
        ({"event": "account_deletion", "identity": {"email": "not an address"}},
         "not an e-mail address"),
        ({"event": "account_deletion", "identity": {"phone": "+33612345678"}},
         "give email or user_id"),
        ({"event": "account_deletion", "identity": {"email": "a@example.com"},
          "occurred_at": "2999-01-01T00:00:00Z"}, "in the future"),
        ({"event": "account_deletion", "identity": {"email": "a@example.com"},
          "occurred_at": "2026-01-01T00:00:00"}, "timezone"),
        ({"event": "account_deletion", "identity": {}}, "identity"),
        ({"event": "account_deletion"}, "identity"),
    ],
)  # fmt: skip
def test_bad_input_is_a_problem_document_and_nothing_is_written(
    client: TestClient, auth: Callable[[Role], dict[str, str]], store: Store,
    body: dict[str, Any], says: str,
) -> None:  # fmt: skip
    before = _written(store)
    response = client.post(PATH, json=body, headers=auth(Role.SERVICE))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and problem["type"].startswith("/problems/")
    assert says in response.text
    assert "a@example.com" not in response.text and "not an address" not in response.text
    assert _written(store) == before


def test_no_key_or_a_role_that_may_not_is_refused_and_nothing_is_written(
    client: TestClient, auth: Callable[[Role], dict[str, str]], store: Store
) -> None:
    body = {"event": "account_deletion", "identity": {"email": "a@example.com"}}
    before = _written(store)
    keyless = client.post(PATH, json=body)
    assert keyless.status_code == 401
    assert keyless.json()["type"] == "/problems/unauthenticated"
    agent = client.post(PATH, json=body, headers=auth(Role.AGENT))
    assert agent.status_code == 403
    assert _written(store) == before
