"""/api/v1/redact for a declared recipient: what may leave for an AI provider
declared to receive anonymised text, checked against privacy.yaml and audited."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from gardien.audit import audit_log
from gardien.auth import Role
from gardien.settings import Settings
from gardien.store import Store
from gardien.web import build_runtime, create_app

Auth = Callable[[Role], dict[str, str]]
TICKET = "Bonjour, je suis Marie Dubois, écrivez-moi à marie.dubois@example.fr."


def _client_for(config: Path, store_urls: Any, store: Store) -> TestClient:
    settings = Settings(
        config=config,
        database_url=store_urls.database_url,
        keystore_url=store_urls.keystore_url,
        master_key=base64.b64encode(os.urandom(32)).decode(),
        redact_preload=False,
    )
    return TestClient(
        create_app(settings, build_runtime(settings, store)), raise_server_exceptions=False
    )


@pytest.fixture
def ai_client(with_ai_recipients: Path, store_urls: Any, store: Store) -> Iterator[TestClient]:
    with _client_for(with_ai_recipients, store_urls, store) as client:
        yield client


def _redaction_entries(store: Store) -> list[tuple[str | None, dict[str, Any]]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.purpose, audit_log.c.details).where(
                audit_log.c.action == "text.redact"
            )
        ).all()
    return [(row.purpose, json.loads(row.details)) for row in rows]


def test_text_for_the_ai_provider_is_anonymised_and_the_disclosure_audited(
    ai_client: TestClient, auth: Auth, store: Store
) -> None:
    body = {"text": TICKET, "lang": "fr", "recipient": "ai_provider", "purpose": "service"}
    response = ai_client.post("/api/v1/redact", json=body, headers=auth(Role.SERVICE))
    assert response.status_code == 200, response.text
    assert response.json()["text"] == "Bonjour, je suis <PERSON_1>, écrivez-moi à <EMAIL_1>."
    [(purpose, details)] = _redaction_entries(store)
    assert purpose == "service"
    assert details["recipient"] == "ai_provider"
    assert details["recipient_receives"] == "anonymised"
    assert details["count"] == 2 and details["operator"] == "placeholder"


@pytest.mark.parametrize("operator", ["reversible", "pseudonymize"])
def test_a_way_back_to_the_values_is_refused_for_an_anonymised_recipient(
    ai_client: TestClient, auth: Auth, store: Store, operator: str
) -> None:
    body = {"text": TICKET, "operator": operator, "recipient": "ai_provider"}
    for path, payload in (
        ("/api/v1/redact", body),
        (
            "/api/v1/redact/batch",
            {**{k: v for k, v in body.items() if k != "text"}, "texts": [TICKET]},
        ),
    ):
        response = ai_client.post(path, json=payload, headers=auth(Role.SERVICE))
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"] == "/problems/operator-not-allowed"
        assert "declared to receive anonymised data" in problem["detail"]
        assert "marie" not in response.text.lower()
    assert _redaction_entries(store) == []


def test_a_pseudonymised_recipient_may_get_reversible_text(
    ai_client: TestClient, auth: Auth, store: Store
) -> None:
    body = {"text": TICKET, "operator": "reversible", "recipient": "translator"}
    response = ai_client.post("/api/v1/redact", json=body, headers=auth(Role.SERVICE))
    assert response.status_code == 200 and response.json()["mapping"]
    [(purpose, details)] = _redaction_entries(store)
    assert purpose is None and details["recipient_receives"] == "pseudonymised"


@pytest.mark.parametrize(
    ("body", "slug", "detail"),
    [
        ({"recipient": "ai_provder"}, "unknown-recipient", "did you mean 'ai_provider'"),
        ({"recipient": "ai_provider", "purpose": "servce"}, "unknown-purpose", "'servce'"),
        (
            {"recipient": "ai_provider", "purpose": "newsletter"},
            "undeclared-disclosure",
            "does not list",
        ),
        ({"purpose": "service"}, "invalid-request", "name the recipient as well"),
        (
            {"recipient": "ai_provider", "labels": ["EMAIL"]},
            "operator-not-allowed",
            "drop `labels`",
        ),
        ({"recipient": "not a name!"}, "invalid-request", "does not match"),
    ],
)
def test_a_disclosure_the_declaration_does_not_allow_is_a_problem(
    ai_client: TestClient, auth: Auth, store: Store, body: dict[str, Any], slug: str, detail: str
) -> None:
    response = ai_client.post(
        "/api/v1/redact", json={"text": TICKET, **body}, headers=auth(Role.SERVICE)
    )
    assert response.status_code == 422, response.text
    assert response.json()["type"] == f"/problems/{slug}"
    assert detail in response.text
    assert _redaction_entries(store) == []


def test_batch_for_the_ai_provider_names_it_in_one_entry(
    ai_client: TestClient, auth: Auth, store: Store
) -> None:
    body = {
        "texts": [TICKET, "Call Grace Miller."],
        "recipient": "ai_provider",
        "purpose": "service",
    }
    response = ai_client.post("/api/v1/redact/batch", json=body, headers=auth(Role.SERVICE))
    assert response.status_code == 200, response.text
    [(purpose, details)] = _redaction_entries(store)
    assert purpose == "service" and details["recipient"] == "ai_provider"
    assert details["texts"] == 2


SHIPPED = "Commande expédiée via Colissimo vers rue Brigitte Renault, 75718 Sainte Zoé."


@pytest.fixture
def keep_client(
    write_ai_declaration: Callable[..., Path], store_urls: Any, store: Store
) -> Iterator[TestClient]:
    """The AI recipients, and "Colissimo" declared under redaction.keep."""
    config = write_ai_declaration(lambda data: data.update(redaction={"keep": ["Colissimo"]}))
    with _client_for(config, store_urls, store) as client:
        yield client


def test_declared_terms_are_kept_even_for_the_ai_provider(
    keep_client: TestClient, auth: Auth
) -> None:
    for body in ({"text": SHIPPED}, {"text": SHIPPED, "recipient": "ai_provider"}):
        response = keep_client.post("/api/v1/redact", json=body, headers=auth(Role.SERVICE))
        assert response.status_code == 200, response.text
        assert response.json()["text"].startswith(
            "Commande expédiée via Colissimo vers <LOCATION_1>"
        )


def test_a_caller_keeps_its_own_terms_but_not_for_an_anonymised_recipient(
    ai_client: TestClient, auth: Auth, store: Store
) -> None:
    text = "Le livreur Kevin Durand a laissé le colis."
    own = ai_client.post(
        "/api/v1/redact", json={"text": text, "keep": ["Kevin Durand"]}, headers=auth(Role.SERVICE)
    )
    assert own.json()["text"] == text
    for recipient in ("ai_provider", "translator"):
        refused = ai_client.post(
            "/api/v1/redact",
            json={"text": text, "keep": ["Kevin Durand"], "recipient": recipient},
            headers=auth(Role.SERVICE),
        )
        assert refused.status_code == 422
        assert refused.json()["type"] == "/problems/operator-not-allowed"
        assert "redaction.keep" in refused.json()["detail"]
    assert (
        ai_client.post(
            "/api/v1/redact",
            json={"text": text, "keep": ["Kevin Durand"], "recipient": "hosting"},
            headers=auth(Role.SERVICE),
        ).json()["text"]
        == text
    )
    assert len(_redaction_entries(store)) == 2


@pytest.mark.parametrize("keep", [["  "], ["x" * 101], "Colissimo"])
def test_bad_terms_to_keep_are_a_problem_and_audit_nothing(
    ai_client: TestClient, auth: Auth, store: Store, keep: object
) -> None:
    response = ai_client.post(
        "/api/v1/redact", json={"text": TICKET, "keep": keep}, headers=auth(Role.SERVICE)
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _redaction_entries(store) == []
