"""Two `gardien serve` processes on one PostgreSQL store, writing consent events at once."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from gardien.audit import audit_log
from gardien.consent.tables import consent_events, consent_state
from gardien.settings import Settings
from gardien.store import Store
from gardien.vault import Vault, load_master_key
from gardien.web.api.consents import PROOF_EXTRA_FIELD

EVENTS_PER_WRITER = 1000
SUBJECTS = 50

pytestmark = pytest.mark.skipif(
    not os.environ.get("GARDIEN_TEST_POSTGRES_URL"),
    reason="needs PostgreSQL: .ci/run sets GARDIEN_TEST_POSTGRES_URL",
)


@pytest.mark.parametrize("store_urls", ["postgresql"], indirect=True)
def test_two_servers_lose_and_duplicate_nothing(
    server_env: dict[str, str], tmp_path: Path, store: Store, server_factory: Any
) -> None:
    servers = [server_factory(server_env, tmp_path) for _ in range(2)]
    try:
        token = servers[0].new_key("service")
        failures: list[str] = []

        def write(name: str, server: Any) -> None:
            for n in range(EVENTS_PER_WRITER):
                body = {
                    # Both writers cycle through the same subjects: every subject is shared.
                    "identity": {"email": f"person{n % SUBJECTS}@example.com"},
                    "purpose": "newsletter",
                    "status": "given" if (n // SUBJECTS) % 2 == 0 else "withdrawn",
                    "channel": "web",
                    "proof": {"extra": {"writer": name, "n": n}},
                }
                reply = server.request(
                    "POST", "/api/v1/consents", body, {"Authorization": f"Bearer {token}"}
                )
                if reply.status != 201:
                    failures.append(f"{name} {n}: {reply.status} {reply.body[:200]!r}")

        threads = [
            threading.Thread(target=write, args=(name, server))
            for name, server in zip("ab", servers, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
    finally:
        for server in servers:
            server.process.terminate()
            server.process.wait(timeout=10)

    # Each proof's values are sealed under its person's key: open them as the servers would.
    vault = Vault(store, load_master_key(Settings(master_key=server_env["GARDIEN_MASTER_KEY"])))
    with store.engine.connect() as conn:
        proofs = [
            json.loads(
                vault.open_for(conn, row.subject_id, PROOF_EXTRA_FIELD, row.proof_sealed) or b""
            )
            for row in conn.execute(
                select(consent_events.c.subject_id, consent_events.c.proof_sealed)
            )
        ]
        latest = dict(
            conn.execute(
                select(consent_events.c.subject_id, func.max(consent_events.c.id)).group_by(
                    consent_events.c.subject_id
                )
            ).all()
        )
        states = dict(
            conn.execute(select(consent_state.c.subject_id, consent_state.c.event_id)).all()
        )
        recorded = conn.execute(
            select(func.count())
            .select_from(audit_log)
            .where(audit_log.c.action == "consent.record")
        ).scalar_one()
    written = sorted((p["writer"], p["n"]) for p in proofs)
    assert written == sorted((w, n) for w in "ab" for n in range(EVENTS_PER_WRITER))
    assert len(latest) == SUBJECTS
    assert states == latest
    assert recorded == 2 * EVENTS_PER_WRITER
    verify = servers[0].cli("audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert f"{2 * EVENTS_PER_WRITER}" in verify.stdout or "intact" in verify.stdout
