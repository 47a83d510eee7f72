"""Staff's side over HTTP and the executor's contract: agent intake, the queue, decisions, the
marks of execution, every transition (and the illegal ones) recorded twice."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from request_helpers import Outbox
from sqlalchemy import select

from actors import actor_of
from gardien.auth import Role
from gardien.errors import IllegalTransitionError, RequestError
from gardien.jobs import jobs
from gardien.requests import (
    PersonMessage,
    RequestState,
    RequestType,
    execution_order,
    mark_blocked,
    mark_completed,
    mark_in_progress,
    shred_identities,
)
from gardien.requests.tables import request_events, requests

EMAIL = "bob@example.com"


def agent_request(client: TestClient, auth: Any, **body: Any) -> dict[str, Any]:
    payload = {"type": "erasure", "identities": {"email": EMAIL}, "language": "fr",
               "verification": {"method": "in_person", "note": "ID card seen"}, **body}  # fmt: skip
    response = client.post("/api/v1/requests", json=payload, headers=auth(Role.AGENT))
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_an_agent_records_the_verification_and_the_request_starts_verified(
    client: TestClient, auth: Any
) -> None:
    answer = agent_request(client, auth)
    assert answer["state"] == "verified"
    service = client.post("/api/v1/requests", json={"type": "access", "identities": {"email": EMAIL}},
                          headers=auth(Role.SERVICE))  # fmt: skip
    assert service.status_code == 403


def test_the_queue_and_the_detail(client: TestClient, auth: Any) -> None:
    answer = agent_request(client, auth)
    listed = client.get("/api/v1/requests", headers=auth(Role.DPO)).json()
    assert [entry["id"] for entry in listed] == [answer["id"]]
    assert EMAIL not in repr(listed)
    assert client.get("/api/v1/requests?overdue=true", headers=auth(Role.DPO)).json() == []
    detail = client.get(f"/api/v1/requests/{answer['id']}", headers=auth(Role.DPO)).json()
    assert detail["identities"] == {"email": EMAIL} and detail["verified"] == ["email"]
    assert [step["state"] for step in detail["timeline"]] == ["received", "verified"]


def test_approve_queues_one_execution(client: TestClient, auth: Any, store: Any) -> None:
    answer = agent_request(client, auth)
    path = f"/api/v1/requests/{answer['id']}/approve"
    assert client.post(path, json={}, headers=auth(Role.DPO)).json()["state"] == "approved"
    again = client.post(path, json={}, headers=auth(Role.DPO))
    assert again.status_code == 409
    assert client.post(path, json={}, headers=auth(Role.AGENT)).status_code == 403
    with store.engine.connect() as conn:
        queued = conn.execute(select(jobs).where(jobs.c.kind == "request.execute")).all()
    assert len(queued) == 1 and queued[0].dedupe_key == f"request:{answer['id']}"


def test_reject_and_extend_tell_the_person(client: TestClient, auth: Any, outbox: Outbox) -> None:
    answer = agent_request(client, auth)
    extended = client.post(f"/api/v1/requests/{answer['id']}/extend",
                           json={"reason": "Beaucoup de bases"}, headers=auth(Role.DPO))  # fmt: skip
    assert extended.status_code == 200 and extended.json()["extended_until"]
    twice = client.post(f"/api/v1/requests/{answer['id']}/extend",
                        json={"reason": "encore"}, headers=auth(Role.DPO))  # fmt: skip
    assert twice.status_code == 422 and "one extension" in twice.json()["detail"]
    rejected = client.post(f"/api/v1/requests/{answer['id']}/reject",
                           json={"reason": "Demande manifestement infondée"},
                           headers=auth(Role.DPO))  # fmt: skip
    assert rejected.json()["rejection_reason"] == "Demande manifestement infondée"
    subjects = [m["subject"] for m in outbox.to(EMAIL)]
    assert any("prolongé" in s for s in subjects) and any("refusée" in s for s in subjects)


def test_the_executor_contract(client: TestClient, auth: Any, store: Any, vault: Any,
                               outbox: Outbox) -> None:  # fmt: skip
    answer = agent_request(client, auth)
    client.post(f"/api/v1/requests/{answer['id']}/approve", json={}, headers=auth(Role.DPO))
    worker = actor_of(vault, "worker")
    request_id = answer["id"]
    with store.engine.begin() as conn:
        order = execution_order(conn, vault, request_id)
        assert order.type is RequestType.ERASURE and order.language == "fr"
        assert dict(order.identities) == {"email": (EMAIL,)}
        assert EMAIL not in repr(order)
        mark_in_progress(conn, request_id, actor=worker)
        mark_in_progress(conn, request_id, actor=worker)  # idempotent
        mark_blocked(conn, request_id, "datastore crm unreachable", actor=worker)
        with pytest.raises(RequestError, match="looks personal"):
            mark_blocked(conn, request_id, f"cannot reach {EMAIL}", actor=worker)
    with store.engine.begin() as conn:
        mark_in_progress(conn, request_id, actor=worker)
        mark_completed(conn, request_id, {"rows_erased": 3}, actor=worker,
                       message=PersonMessage("Fait", "Vos données sont effacées."))  # fmt: skip
        shred_identities(conn, request_id, actor=worker)
    with store.engine.connect() as conn:
        row = conn.execute(select(requests).where(requests.c.id == request_id)).one()
        states = conn.execute(
            select(request_events.c.state).where(request_events.c.request_id == request_id)
            .order_by(request_events.c.id)
        ).scalars().all()  # fmt: skip
    assert row.state == "completed" and row.identities_sealed is None and row.outcome
    assert states == ["received", "verified", "approved", "in_progress", "blocked",
                      "in_progress", "completed"]  # fmt: skip
    # The completion e-mail, queued before the shredding, still arrives.
    assert [m["subject"] for m in outbox.to(EMAIL)][-1] == "Fait"
    status = client.post(f"/api/v1/requests/{request_id}/status",
                         json={"status_token": answer["status_token"]}).json()  # fmt: skip
    assert status["state"] == "completed"
    with store.engine.begin() as conn, pytest.raises(IllegalTransitionError):
        mark_in_progress(conn, request_id, actor=worker)


def test_only_verified_identities_reach_the_executor() -> None:
    # A public request proves its e-mail only: another identity typed is a claim.
    from gardien.requests import RequestIdentities

    typed = RequestIdentities.normalised({"email": "Bob@Example.com", "user_id": "someone"})
    assert typed.verified_only() == {}
    assert typed.verifying("email").verified_only() == {"email": ("bob@example.com",)}
    assert "someone" not in repr(typed) and "bob" not in repr(typed)
    assert RequestState.APPROVED.value == "approved"


def test_post_mortem_directive_reaches_a_verified_trustee_after_release(
    client: TestClient, auth: Any, outbox: Outbox, store: Any
) -> None:
    from gardien.requests.tables import directives

    trustee = "sam@example.com"
    details = {
        "instructions": "Fermez mes comptes.",
        "trustees": [{"name": "Sam", "email": trustee}],
    }
    answer = agent_request(client, auth, type="post_mortem", details=details)
    approved = client.post(f"/api/v1/requests/{answer['id']}/approve", json={},
                           headers=auth(Role.DPO))  # fmt: skip
    assert approved.json()["state"] == "completed"
    with store.engine.connect() as conn:
        directive_id = conn.execute(select(directives.c.id)).scalar_one()
    asked = client.post("/api/v1/directives/retrieve", json={"email": trustee}).json()
    code = outbox.code_for(trustee)
    verified = client.post(f"/api/v1/directives/retrievals/{asked['id']}/verify",
                           json={"status_token": asked["status_token"], "code": code})  # fmt: skip
    assert verified.status_code == 200
    assert not any("Fermez" in m["body"] for m in outbox.to(trustee))
    released = client.post(f"/api/v1/directives/{directive_id}/release", json={},
                           headers=auth(Role.DPO))  # fmt: skip
    assert released.json()["sent"] == 1
    assert any("Fermez mes comptes." in m["body"] for m in outbox.to(trustee))
