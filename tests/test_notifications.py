"""Consent renewals queued on a new declaration version and mailed by the worker."""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from actors import ACTOR
from gardien.consent import Proof, record_consent
from gardien.declaration import load
from gardien.jobs import run_worker
from gardien.jobs.tables import jobs
from gardien.notifications import RENEWAL, renewals_on_new_version, worker_handlers
from gardien.settings import Settings
from gardien.store import Store, apply_declaration
from gardien.vault import MasterKey, Vault


def test_changed_wording_queues_one_renewal_and_mails_the_person(
    store: Store, tmp_path: Path, write_declaration: Callable[..., Path]
) -> None:
    first = load(write_declaration())
    vault = Vault(store, MasterKey.from_base64(base64.b64encode(os.urandom(32)).decode()))
    apply_declaration(store, first, "privacy.yaml", renewals_on_new_version(first), actor=ACTOR)
    with store.engine.begin() as conn:
        subject = vault.register(conn, {"email": "dana@example.com"}, actor=ACTOR).subject_id
        record_consent(
            conn,
            first,
            subject,
            "newsletter",
            "given",
            channel="web",
            proof=Proof.collect("form"),
            actor=ACTOR,
        )

    def reword(d: dict) -> None:  # type: ignore[type-arg]
        d["purposes"]["newsletter"]["consent"]["wording"]["fr"] = (
            "J'accepte la lettre et les offres partenaires."
        )

    second = load(write_declaration(reword, name="v2.yaml"))
    apply_declaration(store, second, "v2.yaml", renewals_on_new_version(second), actor=ACTOR)
    apply_declaration(
        store, second, "v2.yaml", renewals_on_new_version(second), actor=ACTOR
    )  # same version: nothing more
    with store.engine.connect() as conn:
        queued = conn.execute(
            select(jobs.c.kind, jobs.c.payload).where(jobs.c.kind == RENEWAL)
        ).all()
    assert len(queued) == 1
    assert "dana@example.com" not in str(queued[0].payload)

    settings = Settings(config=tmp_path / "v2.yaml", outbox=tmp_path / "outbox.jsonl")
    handlers = worker_handlers(settings, store, vault, second)
    run_worker(
        store, handlers, worker_id="test", poll_seconds=0.05, stop=threading.Event(), max_jobs=1
    )
    [line] = (tmp_path / "outbox.jsonl").read_text("utf-8").splitlines()
    mail = json.loads(line)
    assert mail["to"] == ["dana@example.com"]
    assert "renouvelé" in mail["subject"]
    assert mail["from"] == "privacy@example.com"
