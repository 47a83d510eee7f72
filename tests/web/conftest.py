"""A gardien app on a fresh store (each backend), with one API key per role."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from actors import ACTOR
from api_cases import event_binding
from gardien.auth import Role, create_key
from gardien.settings import Settings
from gardien.store import Store
from gardien.web import build_runtime, create_app


@pytest.fixture
def settings(
    tmp_path: Path, store_urls: object, write_declaration: Callable[..., Path]
) -> Settings:
    # With a binding to an event, so that /retention-events has something to record for.
    config = write_declaration(event_binding(tmp_path))
    return Settings(
        config=config,
        database_url=store_urls.database_url,  # type: ignore[attr-defined]
        keystore_url=store_urls.keystore_url,  # type: ignore[attr-defined]
        master_key=base64.b64encode(os.urandom(32)).decode(),
        max_body_bytes=64 * 1024,
        auth_failure_limit=5,
        # Setups make many keyless requests from one address; tests/requests covers the limit.
        request_intake_limit=10_000,
        request_verify_limit=10_000,
        # The models are loaded on first use here; tests/e2e covers preloading.
        redact_preload=False,
    )


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    app = create_app(settings, build_runtime(settings, store))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def tokens(store: Store) -> dict[Role, str]:
    with store.engine.begin() as conn:
        return {
            role: create_key(conn, role, f"test {role.value}", actor=ACTOR).token for role in Role
        }


@pytest.fixture
def auth(tokens: dict[Role, str]) -> Callable[[Role], dict[str, str]]:
    def headers(role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    return headers
