"""The failed-key throttle seen from the API: valid keys pass, forwarded clients, shared budget.

The ``settings`` fixture allows 5 failures a minute per source.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gardien.auth import Role
from gardien.settings import Settings
from gardien.store import Store
from gardien.web import build_runtime, create_app

Auth = Callable[[Role], dict[str, str]]
CHECK = {"identity": {"email": "nobody@example.com"}, "purpose": "newsletter"}
LIMIT = 5


def bad_key(n: int = 0, prefix: str = "nothere1") -> dict[str, str]:
    return {"Authorization": f"Bearer gdn_{prefix}_{n:032d}"}


def statuses(client: TestClient, count: int, **headers: Any) -> list[int]:
    return [
        client.post("/api/v1/checks", json=CHECK, headers={**bad_key(n), **headers}).status_code
        for n in range(count)
    ]


@pytest.fixture
def app(settings: Settings, store: Store) -> Iterator[FastAPI]:
    application = create_app(settings, build_runtime(settings, store))
    with TestClient(application):  # runs the lifespan once
        yield application


def from_address(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(address, 40000))


def test_a_valid_key_passes_from_an_address_that_only_failed(
    client: TestClient, auth: Auth, tokens: dict[Role, str]
) -> None:
    assert statuses(client, 3 * LIMIT)[LIMIT:] == [429] * (2 * LIMIT)
    # Malformed keys, then guesses at the service key's own prefix: still only failures.
    assert (
        client.post("/api/v1/checks", headers={"Authorization": "Bearer nope"}).status_code == 429
    )
    prefix = tokens[Role.SERVICE].split("_")[1]
    assert statuses(client, 2 * LIMIT, **bad_key(prefix=prefix)) == [429] * (2 * LIMIT)
    for _ in range(3):
        response = client.post("/api/v1/checks", json=CHECK, headers=auth(Role.SERVICE))
        assert response.status_code == 200, response.text
    # A key the cache has never seen is authenticated too, not refused.
    assert client.get("/api/v1/audit", headers=auth(Role.DPO)).status_code == 200


def test_a_prefix_guessed_from_many_addresses_gets_a_429_problem(
    app: FastAPI, tokens: dict[Role, str], auth: Auth
) -> None:
    prefix = tokens[Role.SERVICE].split("_")[1]
    replies = [
        from_address(app, f"198.51.100.{n}").post(
            "/api/v1/checks", json=CHECK, headers=bad_key(n, prefix)
        )
        for n in range(LIMIT + 2)
    ]
    assert [reply.status_code for reply in replies] == [401] * LIMIT + [429] * 2
    refused = replies[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 120
    problem = refused.json()
    assert problem["type"] == "/problems/too-many-requests"
    assert problem["status"] == 429
    assert "key prefix" in problem["detail"]
    assert problem["detail"].endswith(f"retry in {refused.headers['retry-after']} s")
    assert prefix not in refused.text, "the refusal does not echo what the client sent"
    # The owner of the key is not locked out.
    owner = from_address(app, "198.51.100.200")
    assert owner.post("/api/v1/checks", json=CHECK, headers=auth(Role.SERVICE)).status_code == 200


def test_forwarded_headers_from_an_untrusted_peer_are_ignored(app: FastAPI) -> None:
    attacker = from_address(app, "203.0.113.9")
    replies = [
        attacker.post(
            "/api/v1/checks",
            json=CHECK,
            headers={
                **bad_key(n, f"guess{n:03d}"),
                "X-Forwarded-For": f"192.0.2.{n}",
                "Forwarded": f"for=192.0.2.{n}",
            },
        ).status_code
        for n in range(4 * LIMIT)
    ]
    assert replies[LIMIT:] == [429] * (3 * LIMIT)


@pytest.fixture
def behind_proxy(settings: Settings, store: Store) -> Iterator[FastAPI]:
    proxied = settings.model_copy(update={"trusted_proxies": (ipaddress.ip_network("10.0.0.0/8"),)})
    application = create_app(proxied, build_runtime(proxied, store))
    with TestClient(application):
        yield application


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(
    behind_proxy: FastAPI, auth: Auth
) -> None:
    proxy = from_address(behind_proxy, "10.1.2.3")

    def via_proxy(client: str, count: int, chain: str = "") -> list[int]:
        return [
            proxy.post(
                "/api/v1/checks",
                json=CHECK,
                headers={**bad_key(n, f"pre{n:05d}"), "X-Forwarded-For": f"{chain}{client}"},
            ).status_code
            for n in range(count)
        ]

    assert via_proxy("192.0.2.7", 2 * LIMIT)[LIMIT:] == [429] * LIMIT
    # What the client wrote left of the address the proxy appended changes nothing.
    assert via_proxy("192.0.2.7", 3, chain="1.2.3.4, ") == [429] * 3
    # Another client behind the same proxy is counted on its own.
    assert via_proxy("192.0.2.8", LIMIT) == [401] * LIMIT
    # And a Forwarded header (RFC 7239) is read the same way.
    forwarded = proxy.post(
        "/api/v1/checks", json=CHECK, headers={**bad_key(), "Forwarded": 'for="192.0.2.7:4711"'}
    )
    assert forwarded.status_code == 429
    valid = proxy.post(
        "/api/v1/checks", json=CHECK, headers={**auth(Role.SERVICE), "X-Forwarded-For": "192.0.2.7"}
    )
    assert valid.status_code == 200


@pytest.mark.skipif(
    not os.environ.get("GARDIEN_TEST_POSTGRES_URL"),
    reason="needs PostgreSQL: .ci/run sets GARDIEN_TEST_POSTGRES_URL",
)
@pytest.mark.parametrize("store_urls", ["postgresql"], indirect=True)
def test_two_apps_on_one_postgresql_store_share_the_budget(
    settings: Settings, store: Store, auth: Auth
) -> None:
    apps = [create_app(settings, build_runtime(settings, store)) for _ in range(2)]
    clients = [TestClient(app, raise_server_exceptions=False) for app in apps]
    replies = [
        clients[n % 2].post("/api/v1/checks", json=CHECK, headers=bad_key(n)).status_code
        for n in range(LIMIT + 3)
    ]
    assert replies == [401] * LIMIT + [429] * 3
    for client in clients:
        assert (
            client.post("/api/v1/checks", json=CHECK, headers=auth(Role.SERVICE)).status_code == 200
        )
