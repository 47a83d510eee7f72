"""/api/v1/subjects through the in-process client, on both backends."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gardien.audit import audit_log
from gardien.auth import Role
from gardien.store import Store

Auth = Callable[[Role], dict[str, str]]


def _count(store: Store, table: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_register_then_same_identity_returns_same_subject(client: TestClient, auth: Auth) -> None:
    first = client.post(
        "/api/v1/subjects",
        json={"identities": {"email": "Alice@Example.com"}, "attributes": {"plan": "pro"}},
        headers=auth(Role.SERVICE),
    )
    assert first.status_code == 201
    assert first.json()["created"] is True
    again = client.post(
        "/api/v1/subjects",
        json={"identities": {"email": "alice@example.com"}},
        headers=auth(Role.SERVICE),
    )
    assert again.status_code == 200
    assert again.json() == {"id": first.json()["id"], "created": False}


def test_read_subject_decrypts_and_is_audited(client: TestClient, auth: Auth, store: Store) -> None:
    subject_id = client.post(
        "/api/v1/subjects",
        json={
            "identities": {"email": "bob@example.com", "user_id": "u-42"},
            "attributes": {"plan": "free"},
        },
        headers=auth(Role.SERVICE),
    ).json()["id"]
    response = client.get(f"/api/v1/subjects/{subject_id}", headers=auth(Role.DPO))
    assert response.status_code == 200
    body = response.json()
    assert body["identities"] == {"email": ["bob@example.com"], "user_id": ["u-42"]}
    assert body["attributes"] == {"plan": "free"}
    with store.engine.connect() as conn:
        actions = [
            row.action for row in conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq))
        ]
        details = " ".join(row.details for row in conn.execute(select(audit_log.c.details)))
        blind_ids = {
            row.subject_blind_id for row in conn.execute(select(audit_log.c.subject_blind_id))
        }
    # Before them: the declaration applied by the server, the test keys created.
    assert [a for a in actions if a.startswith("subject.")] == ["subject.create", "subject.read"]
    assert "bob@example.com" not in details
    assert subject_id not in blind_ids


def test_lookup_by_identity_is_a_post(client: TestClient, auth: Auth) -> None:
    subject_id = client.post(
        "/api/v1/subjects",
        json={"identities": {"phone": "+33 6 12 34 56 78"}},
        headers=auth(Role.SERVICE),
    ).json()["id"]
    found = client.post(
        "/api/v1/subjects/lookup",
        json={"identity": {"phone": "+33612345678"}},
        headers=auth(Role.AGENT),
    )
    assert found.status_code == 200
    assert found.json()["id"] == subject_id
    missing = client.post(
        "/api/v1/subjects/lookup",
        json={"identity": {"email": "nobody@example.com"}},
        headers=auth(Role.AGENT),
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert "nobody@example.com" not in missing.text


def test_unknown_subject_is_404_problem(client: TestClient, auth: Auth) -> None:
    response = client.get("/api/v1/subjects/" + "0" * 32, headers=auth(Role.DPO))
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


def test_erase_makes_subject_unreadable(client: TestClient, auth: Auth) -> None:
    subject_id = client.post(
        "/api/v1/subjects",
        json={"identities": {"email": "carol@example.com"}, "attributes": {"x": 1}},
        headers=auth(Role.SERVICE),
    ).json()["id"]
    erased = client.post(f"/api/v1/subjects/{subject_id}/erase", headers=auth(Role.DPO))
    assert erased.status_code == 200
    assert erased.json() == {"id": subject_id, "erased": True}
    after = client.get(f"/api/v1/subjects/{subject_id}", headers=auth(Role.DPO)).json()
    assert after["erased_at"] is not None
    assert after["identities"] == {} and after["attributes"] == {}
    lookup = client.post(
        "/api/v1/subjects/lookup",
        json={"identity": {"email": "carol@example.com"}},
        headers=auth(Role.DPO),
    )
    assert lookup.status_code == 404


def test_bad_input_writes_nothing(client: TestClient, auth: Auth, store: Store) -> None:
    before = _count(store, audit_log)
    cases = [
        (
            {
                "content": b'{"identities": {"email": "x@y.z"',
                "headers": {"content-type": "application/json"},
            },
            400,
            "malformed-request",
        ),
        ({"json": {"identities": {}}}, 422, "invalid-request"),
        ({"json": {"identities": {"email": "not-an-email"}}}, 422, "invalid-request"),
        ({"json": {"identities": {"email": "a@b.fr"}, "unexpected": 1}}, 422, "invalid-request"),
        (
            {
                "content": b"email=a@b.fr",
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            },
            415,
            "unsupported-media-type",
        ),
        (
            {
                "content": b'{"identities": {"email": "a@b.fr"}, "attributes": {"blob": "'
                + b"x" * 70_000
                + b'"}}',
                "headers": {"content-type": "application/json"},
            },
            413,
            "payload-too-large",
        ),
    ]
    for kwargs, status, slug in cases:
        headers = {**auth(Role.SERVICE), **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        response = client.post("/api/v1/subjects", headers=headers, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == status, response.text
        assert response.json()["type"] == f"/problems/{slug}"
        assert response.headers["content-type"] == "application/problem+json"
    assert _count(store, audit_log) == before
