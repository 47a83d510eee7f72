"""A retention sweep killed with SIGKILL half-way, then resumed by another worker: exactly the
right rows are left, no batch is acted on or audited twice, and the audit chain verifies.

Real `gardien worker` processes over the CRM of ``tests/crm.py`` (on the store's own
backend, SQLite or PostgreSQL), one row per batch so
that the run has many steps. What "the right rows" are is what an uninterrupted run at the
same moment leaves on a second copy of the CRM.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, func, select, text

import crm
from company_databases import company_database
from gardien.audit import Actor, verify
from gardien.audit.tables import audit_log
from gardien.declaration import load_valid
from gardien.jobs import JobStatus, claim, job_steps, jobs, run_job
from gardien.requests.handlers import text_redactor
from gardien.retention import (
    RETENTION_SWEEP,
    RetentionSettings,
    record_event,
    retention_handler,
    schedule_retention,
)
from gardien.retention.tables import retention_events
from gardien.settings import Settings
from gardien.store import Store, make_engine, utcnow
from gardien.vault import Vault, load_master_key


@pytest.fixture
def crm_copies(store_urls: Any, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Two identical CRMs (the swept one and the reference), on the store's backend."""
    postgresql = store_urls.database_url.startswith("postgresql")
    with (
        company_database(crm.create, postgresql=postgresql, directory=tmp_path, name="crm")
        as swept,
        company_database(crm.create, postgresql=postgresql, directory=tmp_path,
                         name="reference") as reference,
    ):  # fmt: skip
        yield {"crm": swept, "reference": reference}


@pytest.fixture
def crm_env(store_urls: Any, crm_copies: dict[str, str], tmp_path: Path) -> dict[str, str]:
    starter = resources.files("gardien.declaration").joinpath("data", "starter.yaml")
    data = yaml.safe_load(starter.read_text("utf-8"))
    crm.with_crm(data)
    declaration = tmp_path / "privacy.yaml"
    declaration.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return {
        **os.environ,
        crm.URL_VARIABLE: crm_copies["crm"],
        "GARDIEN_CONFIG": str(declaration),
        "GARDIEN_DATABASE_URL": store_urls.database_url,
        "GARDIEN_KEYSTORE_URL": store_urls.keystore_url,
        "GARDIEN_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "GARDIEN_OUTBOX": str(tmp_path / "outbox.jsonl"),
        "GARDIEN_PACKAGES_DIR": str(tmp_path / "packages"),
        "GARDIEN_WORKER_POLL_SECONDS": "0.2",
        "GARDIEN_WORKER_LEASE_SECONDS": "3",
        "GARDIEN_REDACT_PRELOAD": "false",
        "GARDIEN_RETENTION_BATCH_ROWS": "1",
    }


def _worker(env: dict[str, str], log: Path, **extra: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "gardien", "worker"], env={**env, **extra},
            stdout=subprocess.DEVNULL, stderr=out,
        )  # fmt: skip


def _queue_a_run_now(env: dict[str, str]) -> None:
    """A worker plans its first sweep a day after it starts; this run is due now."""
    store, _vault = _store(env)
    try:
        schedule_retention(store)
    finally:
        store.dispose()


def _store(env: dict[str, str]) -> tuple[Store, Vault]:
    store = Store(
        make_engine(env["GARDIEN_DATABASE_URL"]), make_engine(env["GARDIEN_KEYSTORE_URL"])
    )
    return store, Vault(store, load_master_key(Settings.from_env(env)))


def _first_run(store: Store) -> Any:
    with store.engine.connect() as conn:
        return conn.execute(
            select(jobs).where(jobs.c.kind == RETENTION_SWEEP).order_by(jobs.c.id)
        ).first()


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {name}")))
                for name in crm.metadata.tables
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "kill_at",
    [
        # Carol's account and everything of hers deleted and committed; the batch unrecorded.
        "before-record:apply:crm.accounts:delete:1",
        # The invoice copied to the archive and deleted from invoices; unrecorded.
        "before-record:apply:crm.invoices:archive:0",
        # A batch recorded and audited; the next batch not claimed.
        "after-record:apply:crm.logins:delete:0",
        # PostgreSQL, one self-counting DELETE a batch: its count recorded, the company's
        # transaction not committed (the worker dies, PostgreSQL rolls it back).
        "after-record:count:crm.logins:delete:1:0",
        # PostgreSQL: the batch's DELETE committed, the batch itself unrecorded.
        "before-record:apply:crm.logins:delete:1",
    ],
)
def test_a_killed_sweep_resumes_and_ends_with_exactly_the_right_rows(
    crm_env: dict[str, str], crm_copies: dict[str, str], kill_at: str, tmp_path: Path
) -> None:
    postgresql = crm_env["GARDIEN_DATABASE_URL"].startswith("postgresql")
    if kill_at.startswith("after-record:count:") and not postgresql:
        pytest.skip("self-counting batches are PostgreSQL's (SQLite claims a window first)")
    upgrade = subprocess.run(
        [sys.executable, "-m", "gardien", "db", "upgrade"], env=crm_env, capture_output=True,
        text=True, check=False, timeout=120,
    )  # fmt: skip
    assert upgrade.returncode == 0, upgrade.stderr
    _queue_a_run_now(crm_env)
    crashing = _worker(crm_env, tmp_path / "crashing.log", GARDIEN_TEST_KILL_AT=kill_at)
    assert crashing.wait(timeout=120) == -9, (tmp_path / "crashing.log").read_text()
    store, vault = _store(crm_env)
    try:
        run = _first_run(store)
        assert run.status == JobStatus.RUNNING
        second = _worker(crm_env, tmp_path / "second.log")
        try:
            deadline = time.monotonic() + 90
            while _first_run(store).status != JobStatus.DONE:
                assert time.monotonic() < deadline, (tmp_path / "second.log").read_text()
                time.sleep(0.2)
        finally:
            second.terminate()
            second.wait(timeout=30)
        with store.engine.connect() as conn:
            steps = dict(
                conn.execute(
                    select(job_steps.c.name, func.count())
                    .where(job_steps.c.job_id == run.id)
                    .group_by(job_steps.c.name)
                ).all()
            )
            started = json.loads(
                conn.execute(
                    select(job_steps.c.result).where(
                        job_steps.c.job_id == run.id, job_steps.c.name == "start"
                    )
                ).scalar_one()
            )
            audited = [
                json.loads(details)
                for details in conn.execute(
                    select(audit_log.c.details).where(audit_log.c.action == "retention.batch")
                ).scalars()
            ]
            assert verify(conn).ok
        assert all(count == 1 for count in steps.values()), steps
        applied = sorted(name for name in _acted(store, run.id) if name.startswith("apply:"))
        batches = sorted(f"apply:{a['sweep']}:{a['batch']}" for a in audited)
        assert batches == applied  # each batch audited once, none missing
        # PostgreSQL deletes the logins a self-counting statement a batch.
        assert postgresql == any(name.startswith("count:crm.logins") for name in steps)
        # What an uninterrupted run at the same moment leaves on the other copy, and counts.
        reference = crm_copies["reference"]
        _run_in_process(store, vault, crm_env, reference, started["now"])
        assert _rows(crm_env[crm.URL_VARIABLE]) == _rows(reference)
        with store.engine.connect() as conn:
            both = _claimed_per_sweep(conn)
        resumed = _claimed_per_sweep(None, audited)
        uninterrupted = {sweep: both[sweep] - resumed.get(sweep, 0) for sweep in both}
        assert resumed == {s: n for s, n in uninterrupted.items() if n}  # none lost or twice
    finally:
        store.dispose()


def _acted(store: Store, job_id: int) -> list[str]:
    """The steps of the run that acted on rows (a last, empty batch is recorded too)."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(job_steps.c.name, job_steps.c.result).where(job_steps.c.job_id == job_id)
        ).all()
    return [name for name, result in found if (json.loads(result) or {}).get("claimed")]


def _claimed_per_sweep(conn: Any, audited: list[dict[str, Any]] | None = None) -> dict[str, int]:
    """Rows each sweep of the CRM's audited batches claimed, summed."""
    if audited is None:
        audited = [
            json.loads(details)
            for details in conn.execute(
                select(audit_log.c.details).where(audit_log.c.action == "retention.batch")
            ).scalars()
        ]
    totals: dict[str, int] = {}
    for batch in audited:
        if not batch["sweep"].startswith("crm."):
            continue  # gardien's own records: the two runs differ by the first's own jobs
        totals[batch["sweep"]] = totals.get(batch["sweep"], 0) + int(batch["claimed"])
    return totals


@pytest.mark.parametrize(
    "kill_at",
    [
        # Carol's rows deleted and committed; the batch (one event) unrecorded.
        "before-record:apply:crm.accounts:delete:0",
        # The first event's batch recorded, audited and the event done; the next not claimed.
        "after-record:apply:crm.accounts:delete:0",
    ],
)
def test_a_killed_sweep_from_recorded_events_resumes_and_nothing_is_done_twice(
    crm_env: dict[str, str], crm_copies: dict[str, str], kill_at: str, tmp_path: Path
) -> None:
    data = yaml.safe_load(Path(crm_env["GARDIEN_CONFIG"]).read_text("utf-8"))
    crm.by_event(data)
    Path(crm_env["GARDIEN_CONFIG"]).write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    upgrade = subprocess.run(
        [sys.executable, "-m", "gardien", "db", "upgrade"], env=crm_env, capture_output=True,
        text=True, check=False, timeout=120,
    )  # fmt: skip
    assert upgrade.returncode == 0, upgrade.stderr
    people = ({"email": "carol@example.com"}, {"user_id": "2"}, {"email": "dan@example.com"})
    _record_events(crm_env, people)
    _queue_a_run_now(crm_env)
    crashing = _worker(crm_env, tmp_path / "crashing.log", GARDIEN_TEST_KILL_AT=kill_at)
    assert crashing.wait(timeout=120) == -9, (tmp_path / "crashing.log").read_text()
    store, vault = _store(crm_env)
    try:
        run = _first_run(store)
        assert run.status == JobStatus.RUNNING
        second = _worker(crm_env, tmp_path / "second.log")
        try:
            deadline = time.monotonic() + 90
            while _first_run(store).status != JobStatus.DONE:
                assert time.monotonic() < deadline, (tmp_path / "second.log").read_text()
                time.sleep(0.2)
        finally:
            second.terminate()
            second.wait(timeout=30)
        with store.engine.connect() as conn:
            steps = dict(
                conn.execute(
                    select(job_steps.c.name, func.count())
                    .where(job_steps.c.job_id == run.id)
                    .group_by(job_steps.c.name)
                ).all()
            )
            started = json.loads(
                conn.execute(
                    select(job_steps.c.result).where(
                        job_steps.c.job_id == run.id, job_steps.c.name == "start"
                    )
                ).scalar_one()
            )
            audited = [
                json.loads(details)
                for details in conn.execute(
                    select(audit_log.c.details).where(audit_log.c.action == "retention.batch")
                ).scalars()
            ]
            events = conn.execute(select(retention_events)).all()
            assert verify(conn).ok
        assert all(count == 1 for count in steps.values()), steps
        applied = sorted(name for name in _acted(store, run.id) if name.startswith("apply:"))
        assert sorted(f"apply:{a['sweep']}:{a['batch']}" for a in audited) == applied
        by_events = [a for a in audited if a["sweep"] == "crm.accounts:delete"]
        assert len(by_events) == 3 and sum(a["events"] for a in by_events) == 3
        # Carol's and Bob's accounts deleted, each once: a batch replayed after the kill
        # counts the account it had deleted as gone (events are taken in id order, random:
        # the killed batch may be Dan's, whose account is emptied, his payment being held).
        gone = sum(a["gone"] for a in by_events)
        assert sum(a["deleted"] for a in by_events) + gone == 2
        assert gone <= (1 if kill_at.startswith("before-record") else 0)
        assert all(e.done_at is not None and e.identities_sealed is None for e in events)
        # What an uninterrupted run at the same moment leaves on the other copy: the same
        # people told again (their first events are done), swept in one go.
        _record_events(crm_env, people)
        reference = crm_copies["reference"]
        _run_in_process(store, vault, crm_env, reference, started["now"])
        assert _rows(crm_env[crm.URL_VARIABLE]) == _rows(reference)
    finally:
        store.dispose()


def _record_events(env: dict[str, str], people: tuple[dict[str, str], ...]) -> None:
    """Each person's account deleted 31 days ago, as the product would tell gardien."""
    store, vault = _store(env)
    declaration = load_valid(env["GARDIEN_CONFIG"])
    try:
        with store.engine.begin() as conn:
            for identities in people:
                record_event(
                    conn, vault, declaration, "account_deletion", identities,
                    actor=Actor("test", "admin", None, blind=vault.blind_id),
                    occurred_at=utcnow() - dt.timedelta(days=31),
                )  # fmt: skip
    finally:
        store.dispose()


def test_two_workers_on_one_postgresql_store_never_sweep_a_batch_twice(
    crm_env: dict[str, str], crm_copies: dict[str, str], store_urls: Any, tmp_path: Path
) -> None:
    if not store_urls.database_url.startswith("postgresql"):
        pytest.skip("workers share a queue on PostgreSQL; on SQLite one worker is enough")
    upgrade = subprocess.run(
        [sys.executable, "-m", "gardien", "db", "upgrade"], env=crm_env, capture_output=True,
        text=True, check=False, timeout=120,
    )  # fmt: skip
    assert upgrade.returncode == 0, upgrade.stderr
    _queue_a_run_now(crm_env)
    # A lease longer than any step (the first loads the redaction models): no worker dies
    # here, so none may take the run over from a live one.
    env = {**crm_env, "GARDIEN_WORKER_LEASE_SECONDS": "120"}
    workers = [_worker(env, tmp_path / f"worker-{n}.log") for n in range(2)]
    store, vault = _store(crm_env)
    try:
        deadline = time.monotonic() + 90
        while (run := _first_run(store)) is None or run.status != JobStatus.DONE:
            assert time.monotonic() < deadline, (tmp_path / "worker-0.log").read_text()
            time.sleep(0.2)
        with store.engine.connect() as conn:
            audited = [
                json.loads(details)
                for details in conn.execute(
                    select(audit_log.c.details).where(audit_log.c.action == "retention.batch")
                ).scalars()
            ]
            started = json.loads(
                conn.execute(
                    select(job_steps.c.result).where(
                        job_steps.c.job_id == run.id, job_steps.c.name == "start"
                    )
                ).scalar_one()
            )
        batches = [(a["sweep"], a["batch"]) for a in audited]
        assert len(batches) == len(set(batches)) >= 6
        assert all(a["gone"] == 0 for a in audited)  # no batch acted on twice
        _run_in_process(store, vault, crm_env, crm_copies["reference"], started["now"])
        assert _rows(crm_env[crm.URL_VARIABLE]) == _rows(crm_copies["reference"])
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
        store.dispose()


def _run_in_process(store: Store, vault: Vault, env: dict[str, str], url: str, now: str) -> None:
    declaration = load_valid(env["GARDIEN_CONFIG"])
    moment = dt.datetime.fromisoformat(now)
    redactor = text_redactor(declaration)  # the worker's own: the same redacted notes
    handler = retention_handler(
        store, vault, declaration, Actor("test", "admin", None, blind=vault.blind_id),
        RetentionSettings(batch_rows=1000, every=dt.timedelta(days=1),
                          environ={crm.URL_VARIABLE: url}),
        lambda text: redactor(text, ()), clock=lambda: moment,
    )  # fmt: skip
    lease = dt.timedelta(seconds=60)
    job = claim(store, "reference", [RETENTION_SWEEP], lease, now=moment + dt.timedelta(days=400))
    assert job is not None
    assert run_job(store, job, handler, lease=lease) == JobStatus.DONE
