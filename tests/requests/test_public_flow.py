"""The person's own request, over HTTP: intake, the code by e-mail, verification, status,
withdrawal; and the refusals, each saying what to do next."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from request_helpers import Outbox

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


def _token(answer: dict[str, Any]) -> dict[str, str]:
    return {"status_token": answer["status_token"]}


def test_an_unknown_person_gets_the_same_answer_as_a_known_one(
    client: TestClient, auth: Any, outbox: Outbox
) -> None:
    from gardien.auth import Role

    client.post("/api/v1/subjects", json={"identities": {"email": EMAIL}}, headers=auth(Role.ADMIN))
    known, unknown = make(client, EMAIL), make(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.headers.keys() == unknown.headers.keys()
    a, b = known.json(), unknown.json()
    assert a.keys() == b.keys()
    assert a["state"] == b["state"] == "awaiting_verification"
    assert len(a["id"]) == len(b["id"]) == 32 and len(a["status_token"]) == len(b["status_token"])
    assert a["due_at"][:10] == b["due_at"][:10]
    # The same work: one code e-mail each, the same words around the code.
    mine, theirs = outbox.to(EMAIL), outbox.to("nobody@example.com")
    assert len(mine) == len(theirs) == 1
    assert (
        mine[0]["body"].replace(a["id"], "ID")[:60] == theirs[0]["body"].replace(b["id"], "ID")[:60]
    )


def test_wrong_codes_are_counted_then_the_code_is_spent(client: TestClient, outbox: Outbox) -> None:
    answer = make(client).json()
    code = outbox.code_for(EMAIL)
    wrong = "000000" if code != "000000" else "111111"
    path = f"/api/v1/requests/{answer['id']}/verify"
    for left in (4, 3, 2, 1):
        refused = client.post(path, json={**_token(answer), "code": wrong})
        assert refused.status_code == 403
        assert refused.json()["type"] == "/problems/verification-failed"
        assert f"{left} attempt(s) left" in refused.json()["detail"]
    last = client.post(path, json={**_token(answer), "code": wrong}).json()
    assert "resend" in last["detail"]
    spent = client.post(path, json={**_token(answer), "code": code})
    assert spent.status_code == 403 and "no longer" in spent.json()["detail"]
    # A new code works.
    assert (
        client.post(f"/api/v1/requests/{answer['id']}/resend", json=_token(answer)).status_code
        == 202
    )
    fresh = outbox.code_for(EMAIL)
    assert client.post(path, json={**_token(answer), "code": fresh}).json()["state"] == "verified"


def test_resend_is_limited(client: TestClient) -> None:
    answer = make(client).json()
    path = f"/api/v1/requests/{answer['id']}/resend"
    assert [client.post(path, json=_token(answer)).status_code for _ in range(4)] == [
        202,
        202,
        202,
        403,
    ]


def test_an_expired_code_says_to_ask_for_another(
    client: TestClient, outbox: Outbox, store: Any
) -> None:
    from request_helpers import ago
    from sqlalchemy import update

    from gardien.requests.tables import requests

    answer = make(client).json()
    code = outbox.code_for(EMAIL)
    with store.engine.begin() as conn:
        conn.execute(update(requests).values(code_expires_at=ago(minutes=1)))
    refused = client.post(
        f"/api/v1/requests/{answer['id']}/verify", json={**_token(answer), "code": code}
    )
    assert refused.status_code == 403 and "expired" in refused.json()["detail"]


def test_a_wrong_token_or_id_is_the_same_404(client: TestClient) -> None:
    answer = make(client).json()
    wrong_token = client.post(
        f"/api/v1/requests/{answer['id']}/status", json={"status_token": "x" * 43}
    )
    wrong_id = client.post(f"/api/v1/requests/{'0' * 32}/status", json=_token(answer))
    assert wrong_token.status_code == wrong_id.status_code == 404
    assert wrong_token.json()["detail"] == wrong_id.json()["detail"]


def test_a_double_submission_answers_with_the_open_request(
    client: TestClient, outbox: Outbox
) -> None:
    first = make(client).json()
    second = make(client).json()
    assert second["id"] == first["id"] and second["status_token"] != first["status_token"]
    # The second token opens nothing until a code proves the e-mail.
    status = f"/api/v1/requests/{first['id']}/status"
    assert client.post(status, json=_token(first)).status_code == 200
    assert (
        client.post(f"/api/v1/requests/{first['id']}/withdraw", json=_token(second)).status_code
        == 404
    )
    code = outbox.code_for(EMAIL)
    verified = client.post(
        f"/api/v1/requests/{first['id']}/verify", json={**_token(second), "code": code}
    )
    assert verified.json()["state"] == "verified"
    assert client.post(status, json=_token(second)).status_code == 200
    # Another type is another request.
    assert make(client, type="erasure").json()["id"] != first["id"]


def test_a_double_submission_learns_nothing_of_the_open_request_before_the_code(
    client: TestClient, outbox: Outbox
) -> None:
    """Whoever types someone's address must not learn that they asked, when, or how far
    their request went: the unproven token shows what a new request would."""
    first = make(client).json()
    status = f"/api/v1/requests/{first['id']}/status"
    client.post(
        f"/api/v1/requests/{first['id']}/verify",
        json={**_token(first), "code": outbox.code_for(EMAIL)},
    )
    owner_view = client.post(status, json=_token(first)).json()
    assert owner_view["state"] == "verified"
    second = make(client).json()
    assert second["id"] == first["id"] and second["state"] == "awaiting_verification"
    stranger_view = client.post(status, json=_token(second)).json()
    assert stranger_view["state"] == "awaiting_verification"
    assert stranger_view["due_at"] == second["due_at"]
    assert stranger_view["received_at"] > owner_view["received_at"]
    resent = client.post(f"/api/v1/requests/{first['id']}/resend", json=_token(second))
    assert resent.status_code == 202 and resent.json()["state"] == "awaiting_verification"
    # Once the code proves the e-mail, the same token opens the request as it is.
    verified = client.post(
        f"/api/v1/requests/{first['id']}/verify",
        json={**_token(second), "code": outbox.code_for(EMAIL)},
    ).json()
    assert verified["state"] == "verified"
    assert (
        client.post(status, json=_token(second)).json()["received_at"]
        == (owner_view["received_at"])
    )


def test_withdrawn_then_gone(client: TestClient) -> None:
    answer = make(client).json()
    withdrawn = client.post(f"/api/v1/requests/{answer['id']}/withdraw", json=_token(answer))
    assert withdrawn.json()["state"] == "withdrawn"
    again = client.post(f"/api/v1/requests/{answer['id']}/withdraw", json=_token(answer))
    assert again.status_code == 410 and again.json()["type"] == "/problems/gone"


def test_bad_input_is_422_with_a_clear_message(client: TestClient) -> None:
    cases = [
        ({"type": "teleport", "identities": {"email": EMAIL}}, "type"),
        ({"type": "access", "identities": {"email": "not-an-address"}}, "e-mail"),
        ({"type": "access", "identities": {"email": EMAIL, "shoe_size": "42"}}, "shoe_size"),
        ({"type": "access", "identities": {"phone": "+33 6 12 34 56 78"}}, "email"),
        ({"type": "withdrawal", "identities": {"email": EMAIL},
          "details": {"purposes": ["service"]}}, "consent"),
        ({"type": "rectification", "identities": {"email": EMAIL},
          "details": {"changes": {"nowhere": "x"}}}, "declared"),
        ({"type": "portability", "identities": {"email": EMAIL},
          "details": {"destination": "http://example.com/in"}}, "https"),
        ({"type": "restriction", "identities": {"email": EMAIL}, "details": {}}, "18(1)"),
        ({"type": "access", "identities": {"email": EMAIL},
          "verification": {"method": "id_document"}}, "staff"),
        ({"type": "post_mortem", "identities": {"email": EMAIL},
          "details": {"instructions": "x" * 10_001, "trustees": []}}, "10000"),
    ]  # fmt: skip
    for body, words in cases:
        response = client.post("/api/v1/requests", json=body)
        assert response.status_code == 422, (body, response.text)
        assert words in response.text, (words, response.text)
        assert "not-an-address" not in response.json()["detail"]


def test_the_audit_trail_holds_no_email_and_no_code(
    client: TestClient, outbox: Outbox, store: Any
) -> None:
    from sqlalchemy import select

    from gardien.audit import audit_log

    answer = make(client).json()
    code = outbox.code_for(EMAIL)
    client.post(
        f"/api/v1/requests/{answer['id']}/verify", json={**_token(answer), "code": "999999"}
    )
    client.post(f"/api/v1/requests/{answer['id']}/verify", json={**_token(answer), "code": code})
    with store.engine.connect() as conn:
        text = repr([tuple(row) for row in conn.execute(select(audit_log))])
    assert "request.receive" in text and "request.verify_fail" in text
    assert EMAIL not in text and code not in text and answer["status_token"] not in text


def test_public_intake_is_rate_limited_per_address(settings: Any, store: Any) -> None:
    from gardien.web import build_runtime, create_app

    limited = settings.model_copy(update={"request_intake_limit": 2})
    with TestClient(create_app(limited, build_runtime(limited, store))) as small:
        statuses = [make(small, f"p{i}@example.com").status_code for i in range(3)]
    assert statuses == [202, 202, 429]
