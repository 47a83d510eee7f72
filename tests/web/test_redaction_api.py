"""/api/v1/redact: anonymise before an AI provider, restore its answer; nothing personal kept."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from gardien.audit import audit_log
from gardien.auth import Role
from gardien.store import Store

Auth = Callable[[Role], dict[str, str]]
TICKET = (
    "Bonjour, je suis Marie Dubois, écrivez-moi à marie.dubois@example.fr ou au 06 12 34 56 78."
)


def test_placeholders_by_default(client: TestClient, auth: Auth, store: Store) -> None:
    response = client.post(
        "/api/v1/redact", json={"text": TICKET, "lang": "fr"}, headers=auth(Role.SERVICE)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "marie.dubois@example.fr" not in body["text"] and "06 12 34 56 78" not in body["text"]
    assert "<EMAIL_1>" in body["text"] and "<PHONE_1>" in body["text"]
    labels = {e["label"] for e in body["entities"]}
    assert {"EMAIL", "PHONE"} <= labels
    for entity in body["entities"]:
        assert 0 <= entity["start"] < entity["end"] <= len(TICKET)
    assert body["mapping"] is None
    with store.engine.connect() as conn:
        details = [row.details for row in conn.execute(select(audit_log.c.details))]
    assert "marie" not in " ".join(details).lower()


def test_reversible_round_trip_through_an_ai_answer(client: TestClient, auth: Auth) -> None:
    sent = client.post(
        "/api/v1/redact",
        json={"text": TICKET, "lang": "fr", "operator": "reversible"},
        headers=auth(Role.SERVICE),
    ).json()
    assert sent["mapping"] and "marie.dubois@example.fr" not in sent["mapping"]
    answer = f"Nous avons répondu à {'<EMAIL_1>'} et appellerons le {'<PHONE_1>'}."
    restored = client.post(
        "/api/v1/redact/restore",
        json={"text": answer, "mapping": sent["mapping"]},
        headers=auth(Role.SERVICE),
    )
    assert restored.status_code == 200
    assert (
        restored.json()["text"]
        == "Nous avons répondu à marie.dubois@example.fr et appellerons le 06 12 34 56 78."
    )


def test_tampered_mapping_is_refused(client: TestClient, auth: Auth) -> None:
    sent = client.post(
        "/api/v1/redact",
        json={"text": TICKET, "operator": "reversible"},
        headers=auth(Role.SERVICE),
    ).json()
    mapping = sent["mapping"]
    broken = mapping[:-4] + ("AAAA" if not mapping.endswith("AAAA") else "BBBB")
    response = client.post(
        "/api/v1/redact/restore",
        json={"text": "<EMAIL_1>", "mapping": broken},
        headers=auth(Role.SERVICE),
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/invalid-request"


def test_pseudonyms_are_stable_across_calls(client: TestClient, auth: Auth) -> None:
    first, second = (
        client.post(
            "/api/v1/redact",
            json={"text": "Contact: marie.dubois@example.fr", "operator": "pseudonymize"},
            headers=auth(Role.SERVICE),
        ).json()["text"]
        for _ in range(2)
    )
    assert first == second and "marie.dubois" not in first


def test_unknown_operator_and_label_are_422(client: TestClient, auth: Auth) -> None:
    for body in ({"text": "x", "operator": "shred"}, {"text": "x", "labels": ["SECRET"]}):
        assert (
            client.post("/api/v1/redact", json=body, headers=auth(Role.SERVICE)).status_code == 422
        )


def test_batch_redacts_each_text_and_audits_one_entry(
    client: TestClient, auth: Auth, store: Store
) -> None:
    texts = [TICKET, "Call Grace Miller at +1 (212) 555-0198.", "Rien à signaler."]
    response = client.post(
        "/api/v1/redact/batch", json={"texts": texts}, headers=auth(Role.SERVICE)
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 3
    single = client.post("/api/v1/redact", json={"text": TICKET}, headers=auth(Role.SERVICE)).json()
    assert results[0] == single
    assert "555-0198" not in results[1]["text"] and "<PHONE_1>" in results[1]["text"]
    assert results[2] == {"text": "Rien à signaler.", "entities": [], "mapping": None}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.details).where(audit_log.c.action == "text.redact")
        ).all()
    entries = [json.loads(row.details) for row in rows]
    assert sorted(e["texts"] for e in entries) == [1, 3]  # the batch, then the single call
    batch_entry = next(e for e in entries if e["texts"] == 3)
    assert batch_entry["count"] == sum(len(r["entities"]) for r in results)
    assert "grace" not in " ".join(row.details for row in rows).lower()


def test_batch_reversible_gives_one_mapping_per_text(client: TestClient, auth: Auth) -> None:
    texts = ["Écrire à a.b@example.fr.", "Écrire à c.d@example.fr."]
    results = client.post(
        "/api/v1/redact/batch",
        json={"texts": texts, "lang": "fr", "operator": "reversible"},
        headers=auth(Role.SERVICE),
    ).json()["results"]
    restored = [
        client.post(
            "/api/v1/redact/restore",
            json={"text": "<EMAIL_1>", "mapping": r["mapping"]},
            headers=auth(Role.SERVICE),
        ).json()["text"]
        for r in results
    ]
    assert restored == ["a.b@example.fr", "c.d@example.fr"]


def test_batch_bad_input_is_a_problem_and_audits_nothing(
    client: TestClient, auth: Auth, store: Store
) -> None:
    for body in (
        {"texts": []},
        {"texts": ["x"] * 1001},
        {"texts": ["x", 3]},
        {"texts": ["x"], "operator": "shred"},
        {"text": "x"},
    ):
        response = client.post("/api/v1/redact/batch", json=body, headers=auth(Role.SERVICE))
        assert response.status_code == 422, body
        assert response.headers["content-type"].startswith("application/problem+json")
    with store.engine.connect() as conn:
        actions = [row.action for row in conn.execute(select(audit_log.c.action))]
    assert "text.redact" not in actions
