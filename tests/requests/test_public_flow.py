"""The person's own request, over HTTP: intake, the code by e-mail, verification, status,
withdrawal; and the refusals, each saying what to do next."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from conftest import Outbox

EMAIL = "alice@example.com"


def make(client: TestClient, email: str = EMAIL, **body: Any) -> Any:
    payload = {"type": "access", "identities": {"email": email}, "language": "en", **body}
    return client.post("/api/v1/requests", json=payload)


def test_a_request_is_verified_by_the_code_it_receives(client: TestClient, outbox: Outbox) -> None:
    made = make(client)
    assert made.status_code == 202, made.text
    answer = made.json()
    assert set(answer) == {"id", "status_token", "state", "due_at"}
    assert answer["state"] == "awaiting_verification"
    code = outbox.code_for(EMAIL)
    verified = client.post(
        f"/api/v1/requests/{answer['id']}/verify",
        json={"status_token": answer["status_token"], "code": code},
    )
    assert verified.status_code == 200, verified.text
    assert verified.json()["state"] == "verified"
    status = client.post(
        f"/api/v1/requests/{answer['id']}/status", json={"status_token": answer["status_token"]}
    ).json()
    assert status["state"] == "verified" and "staff" in status["next_step"]
