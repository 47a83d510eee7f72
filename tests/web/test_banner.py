"""The cookie banner's endpoints: its script and configuration, and the recording of choices.

On both backends: the configuration a site reads, CORS as the declaration allows it,
choices written to the consent ledger with their proof, Global Privacy Control from
the header, the per-address limit, and bad input answered with a problem document
that writes nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from banner_declaration import SHOP, with_banner
from gardien.audit import audit_log
from gardien.auth import FailureThrottle, Role
from gardien.consent import banner as banner_room
from gardien.consent.tables import consent_events, consent_state
from gardien.declaration import load_valid
from gardien.errors import StoreError
from gardien.settings import Settings
from gardien.store import Store
from gardien.vault.tables import subject_identities, subjects
from gardien.web import build_runtime, create_app
from gardien.web.banner_config import banner_config

CHOICES = "/privacy-center/consent-choices"
EXAMPLES = Path(__file__).parents[2] / "examples"
CONFIG = "/privacy-center/consent-config.json"
LIMIT = 8
SIX_MONTHS = 180 * 86_400


@pytest.fixture
def settings(tmp_path: Path, store_urls: Any, write_declaration: Callable[..., Path]) -> Settings:
    return Settings(
        config=write_declaration(with_banner),
        database_url=store_urls.database_url,
        keystore_url=store_urls.keystore_url,
        master_key=base64.b64encode(os.urandom(32)).decode(),
        redact_preload=False,
        banner_choice_limit=LIMIT,
    )


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    app = create_app(settings, build_runtime(settings, store))
    # A visitor's address, so that the proof's truncation is seen.
    with TestClient(app, raise_server_exceptions=False, client=("203.0.113.77", 5000)) as test:
        yield test


def _version(client: TestClient) -> str:
    version: str = client.get(CONFIG).json()["version"]
    return version


def _choice(client: TestClient, **changes: Any) -> dict[str, Any]:
    body = {
        "visitor": secrets.token_hex(16),
        "version": _version(client),
        "lang": "fr",
        "method": "accept_all",
        "choices": {"analytics": True, "advertising": True},
    }
    body.update(changes)
    return body


def _post(client: TestClient, body: Any, origin: str | None = SHOP, **headers: str) -> Any:
    sent = {"Content-Type": "application/json", **headers}
    if origin is not None:
        sent["Origin"] = origin
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(CHOICES, content=data, headers=sent)


def _counts(store: Store) -> dict[str, int]:
    tables = {
        "events": consent_events, "state": consent_state, "subjects": subjects,
        "identities": subject_identities, "audit": audit_log,
    }  # fmt: skip
    with store.engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in tables.items()
        }


def _events(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(consent_events).order_by(consent_events.c.id)))


def _actions(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())


# The configuration and the script -----------------------------------------------------


def test_the_configuration_lists_what_the_banner_asks_about(client: TestClient) -> None:
    response = client.get(CONFIG, headers={"Origin": SHOP})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "public, max-age=300"
    config = response.json()
    assert [p["id"] for p in config["purposes"]] == ["analytics", "advertising"]
    assert {p["id"]: p["gpc"] for p in config["purposes"]} == {
        "analytics": False,
        "advertising": True,
    }
    analytics = config["purposes"][0]
    assert analytics["wording"]["fr"] == (
        "J'accepte qu'Example dépose un cookie de mesure d'audience."
    )
    assert analytics["cookies"][0]["name"] == "audience"
    assert analytics["cookies"][0]["lifetime"] == {"fr": "13\u00a0mois", "en": "13 months"}
    # Essential cookies are shown, never asked about: the banner's own first.
    assert [c["name"] for c in config["essential"]] == ["gardien_consent", "session"]
    assert config["cookie"] == {"name": "gardien_consent", "max_age": SIX_MONTHS}
    assert config["notice"] == {"fr": "/notice/fr", "en": "/notice/en"}
    assert "6\u00a0mois" in config["texts"]["fr"]["intro"]
    assert "Example SAS" in config["texts"]["en"]["intro"]
    again = client.get(CONFIG, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_reading_the_banner_changes_nothing(client: TestClient, store: Store) -> None:
    before = _counts(store)
    for path in (CONFIG, "/privacy-center/consent.js", "/privacy-center/consent.css"):
        response = client.get(path)
        assert response.status_code == 200 and "set-cookie" not in response.headers, path
    assert _counts(store) == before


def test_the_script_is_small_and_cacheable(client: TestClient) -> None:
    response = client.get("/privacy-center/consent.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert len(response.content) < 8 * 1024, "the script's budget is 8 kB (docs/banner.md)"
    style = client.get("/privacy-center/consent.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")


def test_a_shorter_consent_lifetime_shortens_the_cookie(
    tmp_path: Path, store: Store, store_urls: Any, write_declaration: Callable[..., Path]
) -> None:
    def three_months(data: dict[str, Any]) -> None:
        with_banner(data)
        data["purposes"]["advertising"]["consent"]["lifetime"] = "3 months"

    settings = Settings(
        config=write_declaration(three_months, name="short.yaml"),
        database_url=store_urls.database_url,
        keystore_url=store_urls.keystore_url,
        master_key=base64.b64encode(os.urandom(32)).decode(),
        redact_preload=False,
    )
    with TestClient(create_app(settings, build_runtime(settings, store))) as client:
        config = client.get(CONFIG).json()
    assert config["cookie"]["max_age"] == 90 * 86_400
    assert "3\u00a0mois" in config["texts"]["fr"]["intro"]


@pytest.mark.parametrize(
    "example", sorted(p.name for p in EXAMPLES.glob("*.yaml") if "as-published" not in p.name)
)
def test_every_example_company_gets_a_banner_it_can_show(example: str) -> None:
    declaration = load_valid(EXAMPLES / example)
    config = banner_config(declaration)
    for purpose in config["purposes"]:
        assert all(purpose["wording"][lang].strip() for lang in ("fr", "en")), purpose["id"]
        assert purpose["cookies"], purpose["id"]
    assert config["essential"][0]["name"] == "gardien_consent"
    assert 0 < config["cookie"]["max_age"] <= 390 * 86_400  # 13 months at most


# CORS -------------------------------------------------------------------------------


def test_only_a_declared_origin_passes_the_preflight(client: TestClient) -> None:
    asked = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    allowed = client.options(CHOICES, headers={"Origin": SHOP, **asked})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == SHOP
    assert allowed.headers["access-control-allow-methods"] == "POST"
    assert allowed.headers["access-control-allow-headers"] == "Content-Type"
    assert "Origin" in allowed.headers["vary"]
    other = client.options(CHOICES, headers={"Origin": "https://evil.example", **asked})
    assert other.status_code == 403
    assert "access-control-allow-origin" not in other.headers
    # The website's origin counts only when banner.origins names none.
    website = client.options(CHOICES, headers={"Origin": "https://www.example.com", **asked})
    assert website.status_code == 403


# Recording --------------------------------------------------------------------------


def test_accept_all_is_recorded_in_the_ledger_with_its_proof(
    client: TestClient, store: Store, auth: Callable[[Role], dict[str, str]]
) -> None:
    before = _actions(store)
    body = _choice(client)
    response = _post(client, body, **{"User-Agent": "Banner test browser"})
    assert response.status_code == 201, response.text
    assert response.headers["access-control-allow-origin"] == SHOP
    answer = response.json()
    assert answer["gpc"] is False and answer["gpc_refused"] == []
    assert [(c["purpose"], c["status"]) for c in answer["choices"]] == [
        ("analytics", "given"),
        ("advertising", "given"),
    ]
    events = _events(store)
    assert [e.public_id for e in events] == [c["receipt_id"] for c in answer["choices"]]
    for event in events:
        assert event.channel == "cookie_banner"
        assert event.collection_method == "button"
        assert event.ip_prefix == "203.0.113.0/24"  # never the address in clear
        assert len(event.user_agent_hash) == 64
        assert json.loads(event.proof) == {
            "banner_version": body["version"], "gpc": False, "origin": SHOP,
        }  # fmt: skip
        assert event.language == "fr"
        # Remembered 6 months (the CNIL's default), as the cookie is.
        lived = event.expires_at - event.occurred_at
        assert dt.timedelta(days=181) <= lived <= dt.timedelta(days=184)
    assert _actions(store)[len(before) :] == ["subject.create", "consent.record", "consent.record"]
    # The visitor is a pseudonymous subject: the company's server can check with its id.
    check = client.post(
        "/api/v1/checks",
        json={"identity": {"banner_visitor": body["visitor"]}, "purpose": "analytics"},
        headers=auth(Role.SERVICE),
    )
    assert check.status_code == 200 and check.json()["allowed"] is True
    receipt = client.get(f"/api/v1/consents/{events[0].public_id}/receipt", headers=auth(Role.DPO))
    assert receipt.status_code == 200
    assert receipt.json()["gardien"]["channel"] == "cookie_banner"


def test_refuse_all_then_a_change_of_mind_are_two_choices_of_one_visitor(
    client: TestClient, store: Store
) -> None:
    body = _choice(client, method="refuse_all", choices={"analytics": False, "advertising": False})
    refused = _post(client, body)
    assert refused.status_code == 201
    assert {c["status"] for c in refused.json()["choices"]} == {"refused"}
    before = _counts(store)
    changed = _post(client, {**body, "method": "choose", "choices": {"analytics": True}})
    assert changed.status_code == 201
    after = _counts(store)
    assert after["subjects"] == before["subjects"] == 1  # the same visitor
    assert after["events"] == before["events"] + 1
    last = _events(store)[-1]
    assert (last.purpose, last.kind, last.collection_method) == ("analytics", "given", "toggle")


def test_the_gpc_header_refuses_its_purposes_whatever_the_body_says(
    client: TestClient, store: Store
) -> None:
    response = _post(client, _choice(client), **{"Sec-GPC": "1"})
    assert response.status_code == 201
    answer = response.json()
    assert answer["gpc"] is True and answer["gpc_refused"] == ["advertising"]
    kinds = {e.purpose: (e.kind, e.collection_method) for e in _events(store)}
    assert kinds == {
        "analytics": ("given", "button"),
        "advertising": ("refused", "browser_signal"),
    }
    assert all(json.loads(e.proof)["gpc"] is True for e in _events(store))
    # Only the exact value "1" is a signal.
    other = _post(client, _choice(client), **{"Sec-GPC": "true"})
    assert other.json()["gpc"] is False


def test_a_gpc_choice_needs_the_signal(client: TestClient, store: Store) -> None:
    before = _counts(store)
    body = _choice(client, method="gpc", choices={"advertising": False})
    refused = _post(client, body)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert _counts(store) == before
    signalled = _post(client, {**body, "gpc": True})
    assert signalled.status_code == 201
    assert _events(store)[-1].collection_method == "browser_signal"


# Refusals: a problem document, the CORS headers, nothing written ---------------------


def _refusals(client: TestClient) -> list[tuple[str, Any, str | None, dict[str, str], int, str]]:
    good = _choice(client)
    return [
        ("unknown purpose", {**good, "choices": {"newsletter": True}}, SHOP, {}, 422,
         "invalid-request"),
        ("no purpose", {**good, "choices": {}}, SHOP, {}, 422, "invalid-request"),
        ("not a visitor id", {**good, "visitor": "alice@example.com"}, SHOP, {}, 422,
         "invalid-request"),
        ("unknown field", {**good, "email": "a@b.c"}, SHOP, {}, 422, "invalid-request"),
        ("stale banner", {**good, "version": "0" * 16}, SHOP, {}, 409, "conflict"),
        ("not JSON", b"{visitor", SHOP, {}, 400, "malformed-request"),
        ("form body", good, SHOP, {"Content-Type": "text/plain"}, 415,
         "unsupported-media-type"),
        ("other site", good, "https://evil.example", {}, 403, "origin-not-allowed"),
        ("no origin", good, None, {}, 403, "origin-not-allowed"),
    ]  # fmt: skip


def test_bad_input_is_a_problem_document_and_writes_nothing(
    client: TestClient, store: Store
) -> None:
    for name, body, origin, headers, status, slug in _refusals(client):
        before = _counts(store)
        response = _post(client, body, origin, **headers)
        assert response.status_code == status, (name, response.text)
        assert response.headers["content-type"] == "application/problem+json", name
        problem = response.json()
        assert problem["type"] == f"/problems/{slug}", name
        assert "alice@example.com" not in response.text, name  # values are never echoed
        if origin == SHOP:
            assert response.headers["access-control-allow-origin"] == SHOP, name
        else:
            assert "access-control-allow-origin" not in response.headers, name
        assert _counts(store) == before, f"{name}: a refused choice wrote something"


def test_a_fault_after_the_first_purpose_leaves_nothing_written(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The visitor and every purpose's event are one transaction: a fault on the second
    purpose (the store failing, here raised on purpose) takes back the first and the visitor."""
    real = banner_room.record_consent
    calls = []

    def second_fails(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3])
        if len(calls) == 2:
            raise StoreError("the store went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(banner_room, "record_consent", second_fails)
    before = _counts(store)
    response = _post(client, _choice(client))
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["access-control-allow-origin"] == SHOP
    assert calls == ["analytics", "advertising"]
    assert _counts(store) == before


def test_each_address_has_a_budget_of_choices(client: TestClient, store: Store) -> None:
    body = _choice(client)
    for _ in range(LIMIT):
        assert _post(client, body).status_code == 201
    before = _counts(store)
    over = _post(client, body)
    assert over.status_code == 429
    assert int(over.headers["retry-after"]) >= 1
    assert over.headers["access-control-allow-origin"] == SHOP
    assert over.json()["type"] == "/problems/too-many-submissions"
    assert _counts(store) == before


_PURPOSES = st.sampled_from(["analytics", "advertising", "newsletter", "service", "x" * 101])


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    choices=st.dictionaries(_PURPOSES, st.booleans(), max_size=4),
    method=st.sampled_from(["accept_all", "refuse_all", "choose", "gpc", "click"]),
    visitor=st.one_of(st.just(None), st.text(max_size=40)),
)
def test_a_choice_is_recorded_whole_or_not_at_all(
    client: TestClient, store: Store, choices: dict[str, bool], method: str, visitor: str | None
) -> None:
    body = _choice(client, choices=choices, method=method)
    if visitor is not None:
        body["visitor"] = visitor
    before = _counts(store)
    # A budget no example reaches: the limit is not what this test is about.
    client.app.state.banner_throttle = FailureThrottle(10_000)  # type: ignore[attr-defined]
    response = _post(client, body, **{"Sec-GPC": "1"})
    after = _counts(store)
    if response.status_code == 201:
        assert after["events"] == before["events"] + len(choices)
    else:
        assert response.status_code in (409, 422), response.text
        assert after == before
