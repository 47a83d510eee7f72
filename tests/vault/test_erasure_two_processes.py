"""An erasure through one server reaches another server that still caches the person's key.

Two real `gardien serve` processes share one store (a SQLite file, or
PostgreSQL when ``GARDIEN_TEST_POSTGRES_URL`` is set). Server B reads the
person, which puts their data key in B's cache for five minutes, and seals a
consent proof under it; server A erases the person. B must then read only the
tombstone, find nobody by the old identities (404 ``not-found``), and show
nothing sealed for them: every decryption takes its key from the subject's
row as read in the request's transaction, never from the cache alone.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from actors import ACTOR
from gardien.auth import Role, create_key
from gardien.consent.tables import consent_events
from gardien.settings import Settings
from gardien.store import Store
from gardien.vault import Vault, load_master_key
from gardien.web.api.consents import PROOF_EXTRA_FIELD

EMAIL = "hortense.erased@example.com"
WITNESS = "Hortense Witness"
PROBLEM = "application/problem+json"


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def call(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, str, Any]:
        """(status, content type, decoded JSON body) of one request."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        kind = response.getheader("content-type", "")
        connection.close()
        return response.status, kind, json.loads(raw) if raw else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        healthy = connection.getresponse().status == 200
        connection.close()
        return healthy
    except OSError:
        return False


def _start(names: str, env: dict[str, str], directory: Path) -> list[Server]:
    """Start one server per letter of ``names`` at once, and wait until all answer."""
    servers = []
    for name in names:
        port = _free_port()
        log = directory / f"server-{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "gardien", "serve", "--port", str(port)],
                env=env,
                cwd=directory,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        servers.append(Server(name, port, process, log))
    deadline = time.monotonic() + 30
    for server in servers:
        while not _healthy(server.port):
            if server.process.poll() is not None or time.monotonic() > deadline:
                server.process.kill()
                raise AssertionError(server.log.read_text())
            time.sleep(0.05)
    return servers


@pytest.fixture
def two_servers(
    tmp_path: Path, store_urls: Any, write_declaration: Callable[..., Path]
) -> Iterator[tuple[Server, Server, dict[str, str]]]:
    env = {
        **os.environ,
        "GARDIEN_CONFIG": str(write_declaration()),
        "GARDIEN_DATABASE_URL": store_urls.database_url,
        "GARDIEN_KEYSTORE_URL": store_urls.keystore_url,
        "GARDIEN_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        # The NER models are not needed here, and cost seconds of CPU per server.
        "GARDIEN_REDACT_PRELOAD": "false",
    }
    servers = _start("ab", env, tmp_path)
    try:
        yield servers[0], servers[1], env
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()


def test_a_key_cached_by_another_server_opens_nothing_once_erased(
    two_servers: tuple[Server, Server, dict[str, str]], store: Store
) -> None:
    a, b, env = two_servers
    with store.engine.begin() as conn:
        token = create_key(conn, Role.ADMIN, "two servers", actor=ACTOR).token

    status, _, created = a.call(
        "POST",
        "/api/v1/subjects",
        token,
        {"identities": {"email": EMAIL, "user_id": "u-hortense"}, "attributes": {"n": WITNESS}},
    )
    assert status == 201
    subject = created["id"]
    # B reads the person (its cache now holds their data key) and seals a proof under it.
    status, _, read = b.call("GET", f"/api/v1/subjects/{subject}", token)
    assert status == 200 and read["identities"]["email"] == [EMAIL]
    assert read["attributes"] == {"n": WITNESS}
    status, _, consent = b.call(
        "POST",
        "/api/v1/consents",
        token,
        {
            "identity": {"email": EMAIL},
            "purpose": "newsletter",
            "status": "given",
            "channel": "web",
            "proof": {"extra": {"witness": WITNESS}},
        },
    )
    assert status == 201 and consent["subject_id"] == subject
    # A third holder of the key, in this process, as any room opening sealed values would be.
    vault = Vault(store, load_master_key(Settings(master_key=env["GARDIEN_MASTER_KEY"])))
    with store.engine.connect() as conn:
        sealed = conn.execute(
            select(consent_events.c.proof_sealed).where(consent_events.c.subject_id == subject)
        ).scalar_one()
        opened = vault.open_for(conn, subject, PROOF_EXTRA_FIELD, bytes(sealed))
    assert json.loads(opened or b"") == {"witness": WITNESS}

    status, _, erased = a.call("POST", f"/api/v1/subjects/{subject}/erase", token)
    assert (status, erased) == (200, {"id": subject, "erased": True})

    # B, key still cached, reads the tombstone only.
    status, _, tombstone = b.call("GET", f"/api/v1/subjects/{subject}", token)
    assert status == 200
    assert tombstone["erased_at"] is not None
    assert tombstone["identities"] == {} and tombstone["attributes"] == {}
    # Nobody is found by the old identities any more: the documented 404.
    for path, body in [
        ("/api/v1/subjects/lookup", {"identity": {"email": EMAIL}}),
        ("/api/v1/subjects/lookup", {"identity": {"user_id": "u-hortense"}}),
        ("/api/v1/objections", {"identity": {"email": EMAIL}, "purpose": "newsletter"}),
    ]:
        status, kind, problem = b.call("POST", path, token, body)
        assert (status, kind) == (404, PROBLEM), (path, problem)
        assert problem["type"].endswith("/not-found")
    # Nothing sealed for the person comes back through B either.
    for path in (f"/api/v1/subjects/{subject}/consents", consent["receipt"]):
        status, _, shown = b.call("GET", path, token)
        assert status == 200 and WITNESS not in json.dumps(shown)
    # The same e-mail through B is a new person: nothing joins the erased one.
    status, _, again = b.call("POST", "/api/v1/subjects", token, {"identities": {"email": EMAIL}})
    assert status == 201 and again["id"] != subject

    # The sealed proof outlives the erasure in the ledger; the key cached here (still
    # there, within its five minutes) opens none of it, because the row says erased.
    assert vault._keys.cache.get(subject) is not None
    with store.engine.connect() as conn:
        assert vault.open_for(conn, subject, PROOF_EXTRA_FIELD, bytes(sealed)) is None
        assert vault.read(conn, subject, actor=ACTOR).identities == {}
    for server in (a, b):
        assert "Traceback" not in server.log.read_text()
