"""The CRM on the store's own backend, its declaration, and a sweeper on a clock tests set."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

import crm
from gardien.audit import Actor
from gardien.declaration import Declaration, load_valid
from gardien.jobs import JobStatus, claim, run_job
from gardien.retention import RETENTION_SWEEP, RetentionSettings, retention_handler
from gardien.retention.run import schedule_retention
from gardien.store import Store
from gardien.vault import MasterKey, Vault

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
LEASE = dt.timedelta(seconds=60)


@pytest.fixture
def crm_url(store: Store, tmp_path: Path) -> Iterator[str]:
    """The CRM, filled, on the backend of the store under test."""
    if store.engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'crm.db'}"
        engine = create_engine(url)
        crm.create(engine)
        engine.dispose()
        yield url
        return
    assert POSTGRES_URL is not None
    schema = f"crm_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES_URL}?options={quote(f'-csearch_path={schema}')}"
    engine = create_engine(url)
    crm.create(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def write_crm(
    write_declaration: Callable[..., Path], crm_url: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Declaration]:
    monkeypatch.setenv(crm.URL_VARIABLE, crm_url)

    def write(change: Callable[[dict[str, Any]], None] | None = None) -> Declaration:
        def mutate(data: dict[str, Any]) -> None:
            crm.with_crm(data)
            if change is not None:
                change(data)

        return load_valid(write_declaration(mutate, name="crm.yaml"))

    return write


@pytest.fixture
def declared(write_crm: Callable[..., Declaration]) -> Declaration:
    return write_crm()


@pytest.fixture
def vault(store: Store) -> Vault:
    return Vault(store, MasterKey.generate())


class Sweeper:
    """Runs the retention job in this process, as a worker would, at a set moment."""

    def __init__(self, store: Store, vault: Vault, url: str) -> None:
        self.store, self.vault, self.url = store, vault, url
        self.actor = Actor("worker", "worker", None, blind=vault.blind_id)
        self.batches: list[tuple[str, int, dict[str, int]]] = []

    def run(
        self, declaration: Declaration, *, now: dt.datetime = crm.NOW, batch_rows: int = 1000
    ) -> str:
        settings = RetentionSettings(
            batch_rows=batch_rows, every=dt.timedelta(days=1),
            environ={crm.URL_VARIABLE: self.url},
        )  # fmt: skip
        handler = retention_handler(
            self.store, self.vault, declaration, self.actor, settings,
            lambda text: "[redacted]",
            on_batch=lambda sweep, n, counts: self.batches.append((sweep.name, n, counts)),
            clock=lambda: now,
        )  # fmt: skip
        schedule_retention(self.store, at=now)
        # The earliest retention job queued (this run, or the next one a run planned).
        job = claim(self.store, "test", [RETENTION_SWEEP], LEASE, now=now + dt.timedelta(days=400))
        assert job is not None
        outcome = run_job(self.store, job, handler, lease=LEASE)
        return str(outcome)

    def totals(self, sweep: str) -> dict[str, int]:
        summed: dict[str, int] = {}
        for name, _number, counts in self.batches:
            if name == sweep:
                for key, value in counts.items():
                    summed[key] = summed.get(key, 0) + value
        return summed


@pytest.fixture
def sweeper(store: Store, vault: Vault, crm_url: str) -> Sweeper:
    return Sweeper(store, vault, crm_url)


def tables(url: str) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Every row of every CRM table, by key."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: {row[0]: tuple(row) for row in conn.execute(text(f"SELECT * FROM {name}"))}
                for name in crm.metadata.tables
            }
    finally:
        engine.dispose()


DONE = str(JobStatus.DONE)
