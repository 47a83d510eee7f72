"""Fixtures of the requests room's tests: a real app on a fresh store (each backend), keys
per role, and the e-mails the person receives, read from the outbox a real worker writes."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from actors import ACTOR
from gardien.auth import Role, create_key
from gardien.declaration import load_valid
from gardien.jobs import run_worker
from gardien.notifications import worker_handlers
from gardien.settings import Settings
from gardien.store import Store
from gardien.vault import Vault, load_master_key
from gardien.web import build_runtime, create_app

CODE = re.compile(r"\b(\d{6})\b")


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


class Outbox:
    """The person's mailbox: runs the real worker over queued jobs, reads the outbox file."""

    def __init__(self, settings: Settings, store: Store, vault: Vault) -> None:
        self.settings, self.store, self.vault = settings, store, vault

    def deliver(self) -> list[dict[str, Any]]:
        import threading

        handlers = worker_handlers(
            self.settings, self.store, self.vault, load_valid(self.settings.config)
        )
        run_worker(
            self.store, {k: v for k, v in handlers.items() if k.startswith(("mail.", "request.n"))},
            worker_id="test", poll_seconds=0.01, stop=threading.Event(), exit_when_idle=True,
        )  # fmt: skip
        path = self.settings.resolved_outbox
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]

    def to(self, address: str) -> list[dict[str, Any]]:
        return [m for m in self.deliver() if m["to"] == [address]]

    def code_for(self, address: str) -> str:
        messages = self.to(address)
        assert messages, f"no e-mail reached {address}"
        found = CODE.search(messages[-1]["subject"])
        assert found, messages[-1]["subject"]
        return found.group(1)


@pytest.fixture
def outbox(settings: Settings, store: Store, vault: Vault) -> Outbox:
    return Outbox(settings, store, vault)


def ago(**kwargs: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(**kwargs)
