"""End to end: a real `gardien serve` process, real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from typing import Any

Server = Any  # the fixture's class lives in this folder's conftest

ALICE = {"email": "alice@example.com"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _audit_actions(server: Server, admin: str) -> list[str]:
    reply = server.request("GET", "/api/v1/audit?limit=1000", headers=_bearer(admin))
    assert reply.status == 200
    return [e["action"] for e in reply.json()["entries"] if e["action"] != "audit.read"]


def test_every_endpoint_over_real_http(server: Server) -> None:
    service, dpo, agent, admin = (server.new_key(r) for r in ("service", "dpo", "agent", "admin"))

    created = server.request(
        "POST",
        "/api/v1/subjects",
        {"identities": ALICE, "attributes": {"lang": "fr"}},
        _bearer(service),
    )
    assert created.status == 201
    subject_id = created.json()["id"]
    assert (
        server.request("POST", "/api/v1/subjects", {"identities": ALICE}, _bearer(service)).json()[
            "id"
        ]
        == subject_id
    )
    assert (
        server.request(
            "POST", "/api/v1/subjects/lookup", {"identity": ALICE}, _bearer(agent)
        ).json()["id"]
        == subject_id
    )
    assert server.request("GET", f"/api/v1/subjects/{subject_id}", headers=_bearer(dpo)).json()[
        "identities"
    ] == {"email": ["alice@example.com"]}

    consent = server.request(
        "POST",
        "/api/v1/consents",
        {"identity": ALICE, "purpose": "newsletter", "status": "given", "channel": "web"},
        _bearer(service),
    )
    assert consent.status == 201
    assert (
        server.request("GET", consent.json()["receipt"], headers=_bearer(dpo)).json()["version"]
        == "KI-CR-v1.1.0"
    )
    assert [
        s["status"]
        for s in server.request(
            "GET", f"/api/v1/subjects/{subject_id}/consents", headers=_bearer(agent)
        ).json()["states"]
    ] == ["given"]
    check = server.request(
        "POST", "/api/v1/checks", {"identity": ALICE, "purpose": "newsletter"}, _bearer(service)
    )
    assert check.json()["allowed"] is True
    gpc = server.request(
        "POST",
        "/api/v1/checks",
        {"identity": ALICE, "purpose": "newsletter"},
        {**_bearer(service), "Sec-GPC": "1"},
    )
    assert gpc.json()["allowed"] is False

    assert (
        server.request(
            "POST", "/api/v1/objections", {"identity": ALICE, "purpose": "security"}, _bearer(agent)
        ).status
        == 201
    )
    assert (
        server.request("POST", "/api/v1/restrictions", {"identity": ALICE}, _bearer(dpo)).status
        == 201
    )
    assert (
        server.request(
            "POST", "/api/v1/restrictions/lift", {"identity": ALICE}, _bearer(dpo)
        ).json()["lifted"]
        == 1
    )

    link = server.request(
        "POST",
        "/api/v1/unsubscribe-links",
        {"identity": ALICE, "purpose": "newsletter"},
        _bearer(service),
    ).json()
    path = "/" + link["url"].split("/", 3)[3]
    one_click = server.request(
        "POST",
        path,
        b"List-Unsubscribe=One-Click",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status == 200
    assert (
        server.request(
            "POST", "/api/v1/checks", {"identity": ALICE, "purpose": "newsletter"}, _bearer(service)
        ).json()["allowed"]
        is False
    )

    erased = server.request("POST", f"/api/v1/subjects/{subject_id}/erase", headers=_bearer(dpo))
    assert erased.json()["erased"] is True
    assert (
        server.request("GET", f"/api/v1/subjects/{subject_id}", headers=_bearer(dpo)).json()[
            "identities"
        ]
        == {}
    )

    actions = _audit_actions(server, admin)
    # The operator's own steps come first: the declaration put in force at start-up,
    # then the four keys `gardien keys create` made.
    assert actions[:5] == ["declaration.apply"] + ["key.create"] * 4
    assert actions[5] == "subject.create"
    assert actions[-2:] == ["subject.erase", "subject.read"]
    assert {"consent.record", "check", "limit.record", "limit.lift", "consent.read"} <= set(actions)
    verify = server.cli("audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert server.request("GET", "/.well-known/gpc.json").json()["gpc"] is True
    assert server.request("GET", "/api/v1/openapi.json").json()["info"]["title"] == "gardien"


def test_bad_input_of_each_kind_is_answered_and_writes_nothing(server: Server) -> None:
    service, admin = server.new_key("service"), server.new_key("admin")
    before = _audit_actions(server, admin)
    json_headers = {**_bearer(service), "Content-Type": "application/json"}
    cases = [
        (
            "POST",
            "/api/v1/subjects",
            b'{"identities": {"email": "a@b.fr"',
            json_headers,
            400,
            "malformed-request",
        ),
        (
            "POST",
            "/api/v1/checks",
            json.dumps({"identity": ALICE, "purpose": "mystery"}).encode(),
            json_headers,
            422,
            "unknown-purpose",
        ),
        ("GET", "/api/v1/audit", None, _bearer(service), 403, "forbidden"),
        (
            "POST",
            "/api/v1/subjects",
            b'{"identities": {"email": "a@b.fr"}, "attributes": {"x": "' + b"y" * 70_000 + b'"}}',
            json_headers,
            413,
            "payload-too-large",
        ),
        ("GET", "/api/v1/subjects/" + "f" * 32, None, _bearer(admin), 404, "not-found"),
        (
            "POST",
            "/api/v1/subjects",
            b"email=a@b.fr",
            {**_bearer(service), "Content-Type": "text/plain"},
            415,
            "unsupported-media-type",
        ),
        (
            "POST",
            "/api/v1/subjects",
            json.dumps({"identities": ALICE}).encode(),
            {"Content-Type": "application/json"},
            401,
            "unauthenticated",
        ),
    ]
    for method, path, body, headers, status, slug in cases:
        reply = server.request(method, path, body, headers)
        assert reply.status == status, (path, reply.body)
        assert reply.headers["content-type"] == "application/problem+json"
        problem = reply.json()
        assert (
            problem["type"] == f"/problems/{slug}"
            and problem["status"] == status
            and problem["detail"]
        )
        assert b"Traceback" not in reply.body
    assert _audit_actions(server, admin) == before


def _model_states(server: Server) -> dict[str, str]:
    states: dict[str, str] = server.request("GET", "/healthz").json()["redaction"]
    return states


def test_redaction_over_real_http(server: Server) -> None:
    """The NER models load inside the server process on first use, each
    language's when a text needs it, and answer single and batched calls;
    the provider's answer comes back with the real values."""
    assert _model_states(server) == {"fr": "not loaded", "en": "not loaded"}
    service = server.new_key("service")
    ticket = "Bonjour, je suis Marie Dubois, écrivez-moi à marie.dubois@example.fr."
    one = server.request(
        "POST", "/api/v1/redact", {"text": ticket, "operator": "reversible"}, _bearer(service)
    )
    assert one.status == 200, one.body
    assert one.json()["text"] == "Bonjour, je suis <PERSON_1>, écrivez-moi à <EMAIL_1>."
    assert _model_states(server) == {"fr": "ready", "en": "not loaded"}
    batch = server.request(
        "POST",
        "/api/v1/redact/batch",
        {"texts": [ticket, "Call Grace Miller at +1 (212) 555-0198."]},
        _bearer(service),
    )
    assert batch.status == 200, batch.body
    first, second = batch.json()["results"]
    assert first["text"] == "Bonjour, je suis <PERSON_1>, écrivez-moi à <EMAIL_1>."
    assert second["text"] == "Call <PERSON_1> at <PHONE_1>."
    assert _model_states(server) == {"fr": "ready", "en": "ready"}
    restored = server.request(
        "POST",
        "/api/v1/redact/restore",
        {"text": "Réponse à <PERSON_1> (<EMAIL_1>).", "mapping": one.json()["mapping"]},
        _bearer(service),
    )
    assert restored.json()["text"] == "Réponse à Marie Dubois (marie.dubois@example.fr)."
    admin = server.new_key("admin")
    assert _audit_actions(server, admin).count("text.redact") == 2


def test_server_loads_the_redaction_models_in_the_background(
    server_env: dict[str, str], server_factory: Any, tmp_path: Any
) -> None:
    """With preloading on (the default), the server answers while the models
    load, and they are ready without any call having asked for them."""
    server = server_factory({**server_env, "GARDIEN_REDACT_PRELOAD": "true"}, tmp_path)
    try:
        seen = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            states = _model_states(server)
            seen.append(states)
            if states == {"fr": "ready", "en": "ready"}:
                break
            time.sleep(0.2)
        assert seen[-1] == {"fr": "ready", "en": "ready"}, seen[-1]
        assert all(set(s.values()) <= {"not loaded", "loading", "ready"} for s in seen)
        service = server.new_key("service")
        reply = server.request(
            "POST", "/api/v1/redact", {"text": "Call Grace Miller."}, _bearer(service)
        )
        assert reply.json()["text"] == "Call <PERSON_1>."
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)
