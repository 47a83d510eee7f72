"""Fixtures of the requests room's tests: a real app on a fresh store (each backend), keys
per role, and the e-mails the person receives, read from the outbox a real worker writes."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from request_helpers import Outbox

from actors import ACTOR
from gardien.auth import Role, create_key
from gardien.settings import Settings
from gardien.store import Store
from gardien.vault import Vault, load_master_key
from gardien.web import build_runtime, create_app


@pytest.fixture
def settings(tmp_path: Path, store_urls: Any, write_declaration: Callable[..., Path]) -> Settings:
    return Settings(
        config=write_declaration(),
        database_url=store_urls.database_url,
        keystore_url=store_urls.keystore_url,
        master_key=base64.b64encode(os.urandom(32)).decode(),
        redact_preload=False,
        outbox=tmp_path / "outbox.jsonl",
        request_intake_limit=50,
        request_verify_limit=200,
    )


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    app = create_app(settings, build_runtime(settings, store))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def vault(settings: Settings, store: Store) -> Vault:
    return Vault(store, load_master_key(settings))


@pytest.fixture
def auth(store: Store) -> Callable[[Role], dict[str, str]]:
    with store.engine.begin() as conn:
        tokens = {
            role: create_key(conn, role, f"t {role.value}", actor=ACTOR).token for role in Role
        }
    return lambda role: {"Authorization": f"Bearer {tokens[role]}"}


@pytest.fixture
def outbox(settings: Settings, store: Store, vault: Vault) -> Outbox:
    return Outbox(settings, store, vault)
