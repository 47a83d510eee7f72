"""A worker killed with SIGKILL in the middle of an erasure: another one finishes it, with no
step done twice and none skipped, on SQLite and on PostgreSQL.

Real `gardien worker` processes over a demo company's database. The first worker kills
itself at a chosen point of a step (``GARDIEN_TEST_KILL_AT``); a second worker, started
after it died, takes the job over once its lease has passed and completes it.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from gardien.audit.tables import audit_log
from gardien.declaration import load
from gardien.demo import DemoResult, build
from gardien.jobs import job_steps, jobs
from gardien.requests.decisions import REQUEST_EXECUTE
from gardien.requests.tables import requests
from gardien.requests.vocabulary import RequestState, RequestType
from gardien.settings import Settings
from gardien.store import Store, make_engine
from gardien.vault import Vault, load_master_key
from request_orders import approved_request


@pytest.fixture
def company(tmp_path: Path) -> DemoResult:
    return build(tmp_path / "demo", "amikeo", people=40, seed=5)


@pytest.fixture
def worker_env(company: DemoResult, store_urls: Any, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        **company.environment,
        "DEMO_DATABASE_URL": company.database_url,
        "GARDIEN_CONFIG": str(company.declaration),
        "GARDIEN_DATABASE_URL": store_urls.database_url,
        "GARDIEN_KEYSTORE_URL": store_urls.keystore_url,
        "GARDIEN_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "GARDIEN_PACKAGES_DIR": str(tmp_path / "packages"),
        "GARDIEN_OUTBOX": str(tmp_path / "outbox.jsonl"),
        "GARDIEN_WORKER_POLL_SECONDS": "0.2",
        "GARDIEN_WORKER_LEASE_SECONDS": "3",
        "GARDIEN_REDACT_PRELOAD": "false",
    }


def _gardien(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gardien", *args], env=env, capture_output=True, text=True,
        check=False, timeout=120,
    )  # fmt: skip


def _store(env: dict[str, str]) -> tuple[Store, Vault]:
    settings = Settings.from_env(env)
    store = Store(
        make_engine(env["GARDIEN_DATABASE_URL"]), make_engine(env["GARDIEN_KEYSTORE_URL"])
    )
    return store, Vault(store, load_master_key(settings))


def _wait(predicate: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds} s")


@pytest.mark.parametrize(
    "kill_at",
    [
        # The company database committed the erasure; the step's record was never written.
        "before-record:erase:amikeo_app",
        # The step is recorded; the next one (the vault's key) has not begun.
        "after-record:erase:amikeo_app",
        # gardien's own vault erased and recorded; completion not yet done.
        "after-record:vault",
    ],
)
def test_a_killed_erasure_is_finished_by_the_next_worker_once_step_by_step(
    company: DemoResult, worker_env: dict[str, str], kill_at: str, tmp_path: Path
) -> None:
    upgrade = _gardien(worker_env, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    store, vault = _store(worker_env)
    try:
        declaration = load(company.declaration)
        with store.engine.begin() as conn:
            vault.register(conn, {"email": company.known_person.email}, actor=_actor(vault))
        request_id = approved_request(
            store, vault, declaration, RequestType.ERASURE, company.identities
        )
        with (tmp_path / "crashing.log").open("wb") as log:
            crashing = subprocess.Popen(
                [sys.executable, "-m", "gardien", "worker"],
                env={**worker_env, "GARDIEN_TEST_KILL_AT": kill_at},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        assert crashing.wait(timeout=120) == -9, (tmp_path / "crashing.log").read_text()
        assert _state(store, request_id) == RequestState.IN_PROGRESS.value
        done_before = _steps(store)
        with (tmp_path / "second.log").open("wb") as log:
            second = subprocess.Popen(
                [sys.executable, "-m", "gardien", "worker"], env=worker_env,
                stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        try:
            _wait(
                lambda: _state(store, request_id) == RequestState.COMPLETED.value,
                60,
                "the second worker did not complete the request",
            )
        finally:
            second.terminate()
            second.wait(timeout=30)
        steps = _steps(store)
        assert all(count == 1 for count in steps.values()), steps
        assert set(steps) == {"erase:amikeo_app", "vault", "complete"}
        assert set(done_before) < set(steps)
        # One audit entry per step of the execution, whatever the crash.
        with store.engine.connect() as conn:
            audited = conn.execute(
                select(audit_log.c.details).where(audit_log.c.action == "request.step")
            ).scalars().all()  # fmt: skip
        audited_steps = sorted(json.loads(d)["step"] for d in audited)
        assert audited_steps == ["erase:amikeo_app", "vault"]
        # The company database: none of the person but under the legal hold.
        engine = create_engine(company.database_url)
        try:
            with engine.connect() as conn:
                for table in company.company.metadata.sorted_tables:
                    if table.name == "payments":
                        continue
                    text = repr(conn.execute(select(table)).all())
                    assert company.known_person.email not in text, table.name
        finally:
            engine.dispose()
        with store.engine.connect() as conn:
            assert vault.find(conn, "email", company.known_person.email) is None
    finally:
        store.dispose()


def _actor(vault: Vault) -> Any:
    from gardien.audit import Actor

    return Actor("test", "admin", None, blind=vault.blind_id)


def _state(store: Store, request_id: str) -> str:
    with store.engine.connect() as conn:
        return str(
            conn.execute(select(requests.c.state).where(requests.c.id == request_id)).scalar_one()
        )


def _steps(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        job_id = conn.execute(select(jobs.c.id).where(jobs.c.kind == REQUEST_EXECUTE)).scalar_one()
        rows = conn.execute(
            select(job_steps.c.name, func.count()).where(job_steps.c.job_id == job_id)
            .group_by(job_steps.c.name)
        ).all()  # fmt: skip
    return {str(name): int(count) for name, count in rows}


def test_several_workers_on_one_postgresql_store_share_the_requests(
    company: DemoResult, worker_env: dict[str, str], store_urls: Any, tmp_path: Path
) -> None:
    if not store_urls.database_url.startswith("postgresql"):
        pytest.skip("workers share a queue on PostgreSQL; on SQLite one worker is enough")
    assert _gardien(worker_env, "db", "upgrade").returncode == 0
    store, vault = _store(worker_env)
    try:
        declaration = load(company.declaration)
        ids = [
            approved_request(store, vault, declaration, RequestType.ACCESS, company.identities)
            for _ in range(6)
        ]
        workers = []
        for n in range(2):
            with (tmp_path / f"worker-{n}.log").open("wb") as log:
                workers.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "gardien", "worker"],
                        # The default lease: a 3-second one would rightly be taken over
                        # while a worker loads the redaction models.
                        env={**worker_env, "GARDIEN_WORKER_LEASE_SECONDS": "300"},
                        stdout=subprocess.DEVNULL,
                        stderr=log,
                    )
                )
        try:
            _wait(
                lambda: all(_state(store, r) == RequestState.COMPLETED.value for r in ids),
                90,
                "two workers did not complete six requests",
            )
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
        with store.engine.connect() as conn:
            ran = conn.execute(
                select(jobs.c.attempts, jobs.c.last_error).where(jobs.c.kind == REQUEST_EXECUTE)
            ).all()
            attempts = [row.attempts for row in ran]
            repeated = conn.execute(
                select(job_steps.c.job_id, job_steps.c.name)
                .group_by(job_steps.c.job_id, job_steps.c.name)
                .having(func.count() > 1)
            ).all()
        # No job was run twice, no step recorded twice, although two workers raced for them.
        assert attempts == [1] * 6, ran
        assert repeated == []
    finally:
        store.dispose()
