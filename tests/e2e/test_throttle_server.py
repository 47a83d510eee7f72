"""The failed-key throttle in real `gardien serve` processes (GARDIEN_AUTH_FAILURE_LIMIT=5)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gardien.store import Store

LIMIT = 5
CHECK = {"identity": {"email": "nobody@example.com"}, "purpose": "newsletter"}


def bad_key(n: int) -> dict[str, str]:
    return {"Authorization": f"Bearer gdn_guess{n:03d}_{n:032d}"}


# uvicorn rewrites the client address from X-Forwarded-For itself when the peer is
# 127.0.0.1 or ::1 (its default proxy_headers=True), before gardien sees the request;
# `gardien serve` passes proxy_headers=False so that only GARDIEN_TRUSTED_PROXIES decides.
def test_rotating_forwarded_headers_does_not_escape_the_limit(server: Any) -> None:
    """The test client connects from 127.0.0.1, which no setting trusts as a proxy."""
    replies = [
        server.request(
            "POST",
            "/api/v1/checks",
            CHECK,
            {**bad_key(n), "X-Forwarded-For": f"192.0.2.{n}", "Forwarded": f"for=192.0.2.{n}"},
        )
        for n in range(3 * LIMIT)
    ]
    assert [reply.status for reply in replies] == [401] * LIMIT + [429] * (2 * LIMIT)
    assert int(replies[-1].headers["retry-after"]) >= 1
    assert replies[-1].headers["content-type"] == "application/problem+json"
    service = server.new_key("service")
    valid = server.request("POST", "/api/v1/checks", CHECK, {"Authorization": f"Bearer {service}"})
    assert valid.status == 200, valid.body


@pytest.mark.skipif(
    not os.environ.get("GARDIEN_TEST_POSTGRES_URL"),
    reason="needs PostgreSQL: .ci/run sets GARDIEN_TEST_POSTGRES_URL",
)
@pytest.mark.parametrize("store_urls", ["postgresql"], indirect=True)
def test_two_servers_on_one_store_share_the_budget(
    server_env: dict[str, str], tmp_path: Path, store: Store, server_factory: Any
) -> None:
    servers = [server_factory(server_env, tmp_path) for _ in range(2)]
    try:
        replies = [
            servers[n % 2].request("POST", "/api/v1/checks", CHECK, bad_key(n)).status
            for n in range(LIMIT + 3)
        ]
        assert replies == [401] * LIMIT + [429] * 3
    finally:
        for server in servers:
            server.process.terminate()
            server.process.wait(timeout=10)
