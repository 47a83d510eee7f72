"""Consents, checks, objections and restrictions through the API, on both backends."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gardien.audit import audit_log
from gardien.auth import Role
from gardien.consent.tables import consent_events
from gardien.store import Store

Auth = Callable[[Role], dict[str, str]]
ALICE = {"email": "alice@example.com"}
STANDARDS = Path(__file__).parents[1] / "standards"


def _kantara_schema() -> dict[str, object]:
    text = (STANDARDS / "kantara-consent-receipt-v1_1-schema.json").read_text("utf-8")
    without_comments = re.sub(r"(?m)^\s*//.*$|(?<=[,{\[\s])//[^\n\"]*$", "", text)
    schema: dict[str, object] = json.loads(without_comments)
    return schema


def _count(store: Store, table: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _consent(
    client: TestClient, auth: Auth, status: str, purpose: str = "newsletter"
) -> dict[str, object]:
    response = client.post(
        "/api/v1/consents",
        json={
            "identity": ALICE,
            "purpose": purpose,
            "status": status,
            "channel": "web",
            "proof": {
                "collection_method": "checkbox",
                "ip": "203.0.113.77",
                "user_agent": "Firefox",
            },
        },
        headers=auth(Role.SERVICE),
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _check(
    client: TestClient,
    auth: Auth,
    purpose: str,
    headers: dict[str, str] | None = None,
    **extra: str,
) -> dict[str, object]:
    response = client.post(
        "/api/v1/checks",
        json={"identity": ALICE, "purpose": purpose, **extra},
        headers={**auth(Role.SERVICE), **(headers or {})},
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_consent_lifecycle_drives_the_check(client: TestClient, auth: Auth) -> None:
    assert _check(client, auth, "newsletter")["allowed"] is False
    given = _consent(client, auth, "given")
    answer = _check(client, auth, "newsletter")
    assert answer["allowed"] is True and answer["legal_basis"] == "consent"
    assert answer["reason"]
    _consent(client, auth, "withdrawn")
    assert _check(client, auth, "newsletter")["allowed"] is False
    states = client.get(
        f"/api/v1/subjects/{given['subject_id']}/consents", headers=auth(Role.DPO)
    ).json()
    assert [s["status"] for s in states["states"]] == ["withdrawn"]
    assert [e["status"] for e in states["events"]] == ["given", "withdrawn"]


def test_receipt_validates_against_kantara_schema(client: TestClient, auth: Auth) -> None:
    event = _consent(client, auth, "given")
    receipt = client.get(str(event["receipt"]), headers=auth(Role.DPO))
    assert receipt.status_code == 200
    document = receipt.json()
    jsonschema.validate(document, _kantara_schema())
    assert document["services"][0]["purposes"]
    assert "alice@example.com" not in json.dumps(document)


def test_receipt_of_an_unknown_event_is_404(client: TestClient, auth: Auth) -> None:
    response = client.get("/api/v1/consents/999/receipt", headers=auth(Role.DPO))
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


def test_refusal_is_recorded_with_proof(client: TestClient, auth: Auth, store: Store) -> None:
    _consent(client, auth, "refused")
    with store.engine.connect() as conn:
        row = conn.execute(select(consent_events)).one()
    assert row.kind == "refused"
    assert "203.0.113.77" not in json.dumps([str(v) for v in row])


def test_objection_stops_legitimate_interest_but_not_contract(
    client: TestClient, auth: Auth
) -> None:
    client.post("/api/v1/subjects", json={"identities": ALICE}, headers=auth(Role.SERVICE))
    assert _check(client, auth, "security")["allowed"] is True
    objection = client.post(
        "/api/v1/objections",
        json={"identity": ALICE, "purpose": "security"},
        headers=auth(Role.AGENT),
    )
    assert objection.status_code == 201
    assert _check(client, auth, "security")["allowed"] is False
    assert _check(client, auth, "service")["allowed"] is True


def test_restriction_allows_storage_only(client: TestClient, auth: Auth) -> None:
    client.post("/api/v1/subjects", json={"identities": ALICE}, headers=auth(Role.SERVICE))
    client.post("/api/v1/restrictions", json={"identity": ALICE}, headers=auth(Role.DPO))
    assert _check(client, auth, "service")["allowed"] is False
    assert _check(client, auth, "service", operation="store")["allowed"] is True
    lifted = client.post(
        "/api/v1/restrictions/lift", json={"identity": ALICE}, headers=auth(Role.DPO)
    )
    assert lifted.json()["lifted"] == 1
    assert _check(client, auth, "service")["allowed"] is True


def test_gpc_exactly_1_opts_out_of_marketing(client: TestClient, auth: Auth) -> None:
    _consent(client, auth, "given")
    assert _check(client, auth, "newsletter", {"Sec-GPC": "1"})["allowed"] is False
    assert _check(client, auth, "newsletter", {"Sec-GPC": "true"})["allowed"] is True
    assert _check(client, auth, "service", {"Sec-GPC": "1"})["allowed"] is True


def test_unknown_purpose_is_422_and_writes_nothing(
    client: TestClient, auth: Auth, store: Store
) -> None:
    before = _count(store, audit_log)
    for path, body in (
        ("/api/v1/checks", {"identity": ALICE, "purpose": "mystery"}),
        (
            "/api/v1/consents",
            {"identity": ALICE, "purpose": "mystery", "status": "given", "channel": "web"},
        ),
    ):
        response = client.post(path, json=body, headers=auth(Role.SERVICE))
        assert response.status_code == 422
        assert response.json()["type"] == "/problems/unknown-purpose"
        assert "newsletter" in response.json()["detail"]
    assert _count(store, audit_log) == before
    assert _count(store, consent_events) == 0


def test_consent_on_a_non_consent_purpose_is_refused(client: TestClient, auth: Auth) -> None:
    response = client.post(
        "/api/v1/consents",
        json={"identity": ALICE, "purpose": "service", "status": "given", "channel": "web"},
        headers=auth(Role.SERVICE),
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/not-consent-based"


def test_one_click_unsubscribe_records_objection_without_login(
    client: TestClient, auth: Auth
) -> None:
    _consent(client, auth, "given")
    link = client.post(
        "/api/v1/unsubscribe-links",
        json={"identity": ALICE, "purpose": "newsletter"},
        headers=auth(Role.SERVICE),
    )
    assert link.status_code == 200
    headers = link.json()["headers"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.json()["url"].split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200 and "<form" in page.text
    assert _check(client, auth, "newsletter")["allowed"] is True  # GET changes nothing
    done = client.post(
        f"/{path}",
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200
    assert _check(client, auth, "newsletter")["allowed"] is False
    tampered = client.post(
        f"/{path[:-2]}xx",
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert tampered.status_code == 400


def test_unsubscribe_link_only_for_marketing(client: TestClient, auth: Auth) -> None:
    client.post("/api/v1/subjects", json={"identities": ALICE}, headers=auth(Role.SERVICE))
    response = client.post(
        "/api/v1/unsubscribe-links",
        json={"identity": ALICE, "purpose": "service"},
        headers=auth(Role.SERVICE),
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/not-direct-marketing"
