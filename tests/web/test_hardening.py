"""What an attacker and a careless client found (issue 11), each pinned by a test.

Personal data where it must not be (proof text, attribute names in the audit
trail, values echoed in errors, orphan data keys), access beyond a role
(enumerating receipts, a service key reading identities), and statuses the
API documents but did not return.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gardien.audit import audit_log
from gardien.auth import Role
from gardien.consent.tables import consent_events
from gardien.store import Store
from gardien.vault.tables import data_keys

Auth = Callable[[Role], dict[str, str]]
HORTENSE = "hortense.x@example.org"


def _deep(levels: int) -> Any:
    """A JSON value nested ``levels`` lists deep."""
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def _consent(client: TestClient, auth: Auth, **proof: Any) -> Any:
    return client.post(
        "/api/v1/consents",
        json={
            "identity": {"email": HORTENSE},
            "purpose": "newsletter",
            "status": "given",
            "channel": "web",
            "proof": proof,
        },
        headers=auth(Role.SERVICE),
    )


def _everything_stored(store: Store) -> str:
    """Every row of the store, as text: where a planted value must not be found."""
    dump = []
    with store.engine.connect() as conn:
        for table in (consent_events, audit_log):
            dump += [repr(tuple(row)) for row in conn.execute(select(table))]
    return "\n".join(dump)


# Personal data where it must not be --------------------------------------------------


def test_free_text_is_refused_as_a_collection_method(client: TestClient, auth: Auth) -> None:
    response = _consent(client, auth, collection_method="signed by Hortense X")
    assert response.status_code == 422
    assert "Hortense" not in response.text
    assert response.json()["errors"][0]["field"] == "proof.collection_method"


def test_proof_values_are_sealed_and_shredded_with_the_person(
    client: TestClient, auth: Auth, store: Store
) -> None:
    recorded = _consent(
        client, auth, collection_method="checkbox", extra={"witness": "Hortense X", "v": 3}
    )
    assert recorded.status_code == 201, recorded.text
    assert "Hortense" not in _everything_stored(store)
    with store.engine.connect() as conn:
        row = conn.execute(select(consent_events.c.proof, consent_events.c.proof_sealed)).one()
    assert json.loads(row.proof) == {} and row.proof_sealed is not None

    from gardien.web.api.consents import PROOF_EXTRA_FIELD

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    subject = recorded.json()["subject_id"]
    with store.engine.connect() as conn:
        opened = runtime.vault.open_for(conn, subject, PROOF_EXTRA_FIELD, bytes(row.proof_sealed))
    assert json.loads(opened) == {"witness": "Hortense X", "v": 3}

    erased = client.post(f"/api/v1/subjects/{subject}/erase", headers=auth(Role.DPO))
    assert erased.status_code == 200
    with store.engine.connect() as conn:
        sealed = bytes(row.proof_sealed)
        assert runtime.vault.open_for(conn, subject, PROOF_EXTRA_FIELD, sealed) is None
    # Even a vault whose cache still holds the key opens nothing of an erased subject.
    runtime.vault._keys.cache.put(subject, b"\0" * 32)
    with store.engine.connect() as conn:
        assert runtime.vault.open_for(conn, subject, PROOF_EXTRA_FIELD, sealed) is None
    receipt = client.get(recorded.json()["receipt"], headers=auth(Role.DPO))
    assert receipt.status_code == 200 and "Hortense" not in receipt.text
    assert "box ticked by the person (web)" in receipt.json()["collectionMethod"]


def test_attribute_names_never_reach_the_audit_trail(
    client: TestClient, auth: Auth, store: Store
) -> None:
    for value in ("x", "y"):  # the second call updates the subject
        response = client.post(
            "/api/v1/subjects",
            json={"identities": {"email": HORTENSE}, "attributes": {"Hortense Name": value}},
            headers=auth(Role.SERVICE),
        )
        assert response.status_code in (200, 201)
    assert "Hortense" not in _everything_stored(store)
    with store.engine.connect() as conn:
        details = conn.execute(
            select(audit_log.c.details).where(audit_log.c.action == "subject.update")
        ).scalar_one()
    assert json.loads(details) == {"fields": ["attributes"]}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/unsubscribe-links", {"identity": {"email": "a@b.fr"}, "purpose": HORTENSE}),
        (
            "/api/v1/consents",
            {
                "identity": {"email": "a@b.fr"},
                "purpose": "newsletter",
                "status": "given",
                "channel": HORTENSE,
            },
        ),
        ("/api/v1/subjects", {"identities": {HORTENSE: ""}}),
        (
            "/api/v1/subjects",
            {"identities": {"email": "a@b.fr"}, "attributes": {HORTENSE: _deep(70)}},
        ),
        ("/api/v1/checks", {"identity": {"email": "a@b.fr"}, "purpose": HORTENSE}),
        ("/api/v1/objections", {"identity": {"email": "a@b.fr"}, "purpose": HORTENSE}),
        ("/api/v1/redact", {"text": "hi", "recipient": HORTENSE}),
    ],
)
def test_errors_never_echo_what_the_client_sent(
    client: TestClient, auth: Auth, path: str, body: dict[str, Any]
) -> None:
    response = client.post(path, json=body, headers=auth(Role.ADMIN))
    assert 400 <= response.status_code < 500, response.text
    assert "hortense" not in response.text.lower()
    assert response.headers["content-type"] == "application/problem+json"


def test_a_refused_consent_leaves_no_data_key_behind(
    client: TestClient, auth: Auth, store: Store
) -> None:
    def keys() -> int:
        with store.keystore.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(data_keys)).scalar_one())

    before = keys()
    for purpose, status in (("service", "given"), ("nope", "given")):
        response = client.post(
            "/api/v1/consents",
            json={"identity": {"email": f"new-{purpose}@example.org"}, "purpose": purpose,
                  "status": status, "channel": "web"},
            headers=auth(Role.SERVICE),
        )  # fmt: skip
        assert response.status_code == 422
    assert keys() == before


# Access beyond the role -------------------------------------------------------------


def test_a_service_key_cannot_enumerate_receipts_or_read_identities(
    client: TestClient, auth: Auth
) -> None:
    recorded = _consent(client, auth).json()
    service = auth(Role.SERVICE)
    for guess in range(1, 5):
        assert client.get(f"/api/v1/consents/{guess}/receipt", headers=service).status_code == 404
    assert client.get(recorded["receipt"], headers=service).status_code == 200
    assert recorded["receipt_id"] not in {str(recorded["event_id"])}
    read = client.get(f"/api/v1/subjects/{recorded['subject_id']}", headers=service)
    assert read.status_code == 403
    assert HORTENSE not in read.text
    lookup = client.post(
        "/api/v1/subjects/lookup", json={"identity": {"email": HORTENSE}}, headers=service
    )
    assert lookup.status_code == 200 and set(lookup.json()) == {"id", "created"}


def test_only_the_dpo_and_the_admin_lift_a_restriction(client: TestClient, auth: Auth) -> None:
    _consent(client, auth)
    body = {"identity": {"email": HORTENSE}}
    assert client.post("/api/v1/restrictions", json=body, headers=auth(Role.SERVICE)).is_success
    for role, status in ((Role.SERVICE, 403), (Role.AGENT, 403), (Role.DPO, 200)):
        response = client.post("/api/v1/restrictions/lift", json=body, headers=auth(role))
        assert response.status_code == status, (role, response.text)


# Errors and limits ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/audit?after=9223372036854775808", 422),
        ("GET", "/api/v1/audit?after=99999999999999999999999", 422),
        ("GET", "/api/v1/consents/9223372036854775808/receipt", 404),
        ("GET", "/api/v1/consents/" + "0" * 32 + "/receipt", 404),
        ("GET", "/api/v1/subjects/lookup", 405),
        ("GET", "/api/v1/subjects/not-an-id", 404),
        ("POST", "/api/v1/subjects/" + "0" * 32 + "/erase", 404),
        ("DELETE", "/api/v1/subjects", 405),
    ],
)
def test_documented_statuses_for_odd_requests(
    client: TestClient, auth: Auth, method: str, path: str, status: int
) -> None:
    response = client.request(method, path, headers=auth(Role.ADMIN))
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_unsubscribing_an_erased_person_is_409_and_records_nothing(
    client: TestClient, auth: Auth, store: Store
) -> None:
    subject = _consent(client, auth).json()["subject_id"]
    link = client.post(
        "/api/v1/unsubscribe-links",
        json={"identity": {"email": HORTENSE}, "purpose": "newsletter"},
        headers=auth(Role.SERVICE),
    ).json()["url"]
    assert client.post(f"/api/v1/subjects/{subject}/erase", headers=auth(Role.DPO)).is_success
    with store.engine.connect() as conn:
        entries = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    page = "/unsubscribe/" + link.rsplit("/", 1)[-1]
    response = client.post(page, data={"List-Unsubscribe": "One-Click"})
    # A mail provider's one-click POST names no language: the page is in French.
    assert response.status_code == 409 and "Vos données ont été effacées" in response.text
    english = client.post(
        page, data={"List-Unsubscribe": "One-Click"}, headers={"Accept-Language": "en"}
    )
    assert english.status_code == 409 and "Your data has been erased" in english.text
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == entries
