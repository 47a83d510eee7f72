"""Registrations racing each other for the same identities end with one subject."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from actors import ACTOR
from gardien.store import Store
from gardien.vault import MasterKey, Registration, Vault
from gardien.vault.keys import KeyStore
from gardien.vault.tables import data_keys, subject_identities, subjects

IDENTITIES = {"email": "race@example.com", "user_id": "racer-1"}


def _count(store: Store) -> tuple[int, int, int]:
    with store.engine.connect() as conn:
        n_subjects = conn.execute(select(func.count()).select_from(subjects)).scalar_one()
        n_identities = conn.execute(
            select(func.count()).select_from(subject_identities)
        ).scalar_one()
    with store.keystore.connect() as conn:
        n_keys = conn.execute(select(func.count()).select_from(data_keys)).scalar_one()
    return n_subjects, n_identities, n_keys


def _wait_until_blocked(store: Store, pid: list[int]) -> None:
    """Return once B waits for A's transaction (PostgreSQL), or after a moment (SQLite)."""
    if not pid:
        time.sleep(0.5)
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with store.keystore.connect() as conn:
            waiting = conn.execute(
                text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted"),
                {"pid": pid[0]},
            ).scalar_one()
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("B never blocked behind A's uncommitted registration")


def test_second_registration_blocked_behind_the_first_joins_it(
    store: Store, master_key: MasterKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B starts while A's registration is written but not committed.

    On PostgreSQL, B sees nothing, inserts, waits on the unique index, gets
    the IntegrityError when A commits, and must join A's subject. On SQLite,
    B waits at BEGIN IMMEDIATE and then finds A's subject.
    """
    a_written, b_started = threading.Event(), threading.Event()
    results: dict[str, Registration] = {}
    errors: list[BaseException] = []
    created_keys: list[str] = []
    b_pid: list[int] = []
    original = KeyStore.create_data_key

    def counting(self: KeyStore, subject_id: str) -> bytes:
        created_keys.append(subject_id)
        return original(self, subject_id)

    monkeypatch.setattr(KeyStore, "create_data_key", counting)

    def first() -> None:
        try:
            vault = Vault(store, master_key)
            with store.engine.begin() as conn:
                results["a"] = vault.register(
                    conn, IDENTITIES, {"from": "a", "a": True}, actor=ACTOR
                )
                a_written.set()
                b_started.wait(10)
                _wait_until_blocked(store, b_pid)
        except BaseException as exc:
            errors.append(exc)
            a_written.set()

    def second() -> None:
        try:
            a_written.wait(10)
            vault = Vault(store, master_key)
            if store.engine.dialect.name == "sqlite":
                b_started.set()  # B's BEGIN IMMEDIATE below waits for A's commit
            with store.engine.begin() as conn:
                if store.engine.dialect.name == "postgresql":
                    b_pid.append(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
                    b_started.set()
                results["b"] = vault.register(
                    conn, {**IDENTITIES, "phone": "+3311"}, {"from": "b"}, actor=ACTOR
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert results["a"].created and not results["b"].created
    assert results["a"].subject_id == results["b"].subject_id
    # The loser's orphan data key was removed; its new identity joined the winner.
    assert _count(store) == (1, 3, 1)
    with store.engine.connect() as conn:
        record = Vault(store, master_key).read(conn, results["a"].subject_id, actor=ACTOR)
    assert record.attributes == {"from": "b", "a": True}
    assert record.identities["phone"] == ["+3311"]
    if store.engine.dialect.name == "postgresql":
        # B really lost the race on the unique constraint (not merely found A's rows).
        assert len(created_keys) == 2


def test_many_concurrent_registrations_one_subject(store: Store, master_key: MasterKey) -> None:
    workers = 8
    barrier = threading.Barrier(workers)

    def register(index: int) -> Registration:
        vault = Vault(store, master_key)  # one per "process": nothing shared in memory
        barrier.wait(10)
        with store.engine.begin() as conn:
            return vault.register(conn, IDENTITIES, {f"k{index}": index}, actor=ACTOR)

    with ThreadPoolExecutor(workers) as pool:
        registrations = list(pool.map(register, range(workers)))
    assert len({r.subject_id for r in registrations}) == 1
    assert sum(r.created for r in registrations) == 1
    assert _count(store) == (1, 2, 1)
    with store.engine.connect() as conn:
        attributes = (
            Vault(store, master_key).read(conn, registrations[0].subject_id, actor=ACTOR).attributes
        )
    assert attributes == {f"k{i}": i for i in range(workers)}
