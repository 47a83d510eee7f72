"""The worker: handler registry, stopping, SKIP LOCKED, signals, and safe error records."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from gardien.jobs import (
    JobContext,
    JobError,
    claim,
    default_handlers,
    describe_error,
    enqueue,
    jobs,
    main_loop,
    run_worker,
)
from gardien.settings import Settings
from gardien.store import Store, is_postgresql


def queue_many(store: Store, n: int, kind: str = "demo.run") -> list[int]:
    with store.engine.begin() as conn:
        return [enqueue(conn, kind, {"n": i}) for i in range(n)]


def test_worker_runs_registered_kinds_and_leaves_the_rest(store: Store) -> None:
    ids = queue_many(store, 3)
    [other] = queue_many(store, 1, kind="not.handled")
    seen: list[int] = []
    ran = run_worker(
        store,
        {"demo.run": lambda c: seen.append(c.job.id)},
        worker_id="w",
        poll_seconds=0.01,
        stop=threading.Event(),
        exit_when_idle=True,
    )
    assert ran == 3 and seen == ids
    with store.engine.connect() as conn:
        statuses = dict(conn.execute(select(jobs.c.id, jobs.c.status)).all())
    assert statuses[other] == "queued"


def test_max_jobs_and_stop(store: Store) -> None:
    queue_many(store, 5)
    assert (
        run_worker(
            store,
            {"demo.run": lambda c: None},
            worker_id="w",
            poll_seconds=0.01,
            stop=threading.Event(),
            max_jobs=2,
        )
        == 2
    )
    stop = threading.Event()
    stop.set()
    assert (
        run_worker(store, {"demo.run": lambda c: None}, worker_id="w", poll_seconds=0.01, stop=stop)
        == 0
    )


def test_idle_worker_polls_until_stopped(store: Store) -> None:
    stop = threading.Event()
    seen: list[int] = []
    worker = threading.Thread(
        target=run_worker,
        args=(store, {"demo.run": lambda c: seen.append(c.job.id)}),
        kwargs={"worker_id": "w", "poll_seconds": 0.02, "stop": stop},
    )
    worker.start()
    time.sleep(0.1)
    [job_id] = queue_many(store, 1)
    deadline = time.monotonic() + 5
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    worker.join(5)
    assert not worker.is_alive() and seen == [job_id]


def test_a_worker_needs_handlers(store: Store) -> None:
    with pytest.raises(JobError, match="no handlers"):
        run_worker(store, {}, worker_id="w", poll_seconds=0.01, stop=threading.Event())


def test_two_workers_drain_200_jobs_each_exactly_once(store: Store) -> None:
    ids = queue_many(store, 200)
    done: Counter[int] = Counter()
    by_worker: Counter[str] = Counter()
    lock = threading.Lock()

    def handler(context: JobContext) -> None:
        with lock:
            done[context.job.id] += 1
            by_worker[context.job.locked_by or ""] += 1

    def work(name: str) -> None:
        run_worker(
            store,
            {"demo.run": handler},
            worker_id=name,
            poll_seconds=0.01,
            stop=threading.Event(),
            exit_when_idle=True,
        )

    workers = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sorted(done) == ids and set(done.values()) == {1}
    assert sum(by_worker.values()) == 200
    with store.engine.connect() as conn:
        rows = conn.execute(select(jobs.c.status, jobs.c.attempts)).all()
    assert {(r.status, r.attempts) for r in rows} == {("done", 1)}


def test_claim_skips_rows_locked_by_another_claimer(store: Store) -> None:
    if not is_postgresql(store.engine):
        pytest.skip("row locks and SKIP LOCKED are PostgreSQL's; SQLite serializes writers")
    first, second = queue_many(store, 2)
    with store.engine.connect() as other:
        other.execute(select(jobs.c.id).where(jobs.c.id == first).with_for_update())
        started = time.monotonic()
        job = claim(store, "w2", ["demo.run"], dt.timedelta(seconds=30))
        assert job is not None and job.id == second
        assert time.monotonic() - started < 2  # skipped, not waited for
        other.rollback()


def test_last_error_masks_addresses_and_numbers() -> None:
    error = RuntimeError("recipient jean.dupont@example.fr rejected, call +33 6 12 34 56 78")
    assert describe_error(error) == "RuntimeError: recipient [email] rejected, call [number]"
    assert describe_error(KeyError()) == "KeyError"


def test_handler_exception_is_one_failed_attempt(store: Store) -> None:
    [job_id] = queue_many(store, 1)

    def boom(_context: JobContext) -> None:
        raise ValueError("processor said no for jean@example.fr")

    run_worker(
        store,
        {"demo.run": boom},
        worker_id="w",
        poll_seconds=0.01,
        stop=threading.Event(),
        exit_when_idle=True,
    )
    with store.engine.connect() as conn:
        row = conn.execute(select(jobs).where(jobs.c.id == job_id)).one()
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.last_error == "ValueError: processor said no for [email]"


def test_main_loop_stops_gracefully_on_sigterm(
    store: Store, store_urls: object, tmp_path: Path
) -> None:
    settings = Settings(
        config=tmp_path / "privacy.yaml",
        database_url=store_urls.database_url,
        keystore_url=store_urls.keystore_url,
        worker_poll_seconds=0.01,
    )  # type: ignore[attr-defined]
    [job_id] = queue_many(store, 1)
    before = signal.getsignal(signal.SIGTERM)
    finished: list[int] = []

    def handler(context: JobContext) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-job: the job still finishes
        finished.append(context.job.id)

    assert main_loop(settings, handlers={"demo.run": handler}) == 0
    assert finished == [job_id]
    assert signal.getsignal(signal.SIGTERM) is before
    with store.engine.connect() as conn:
        assert conn.execute(select(jobs.c.status).where(jobs.c.id == job_id)).scalar_one() == "done"


def test_default_registry_has_mail(tmp_path: Path) -> None:
    assert set(default_handlers(Settings(config=tmp_path / "privacy.yaml"))) == {"mail.send"}


def test_main_loop_on_an_unmigrated_store(tmp_path: Path) -> None:
    settings = Settings(config=tmp_path / "privacy.yaml")
    with pytest.raises(JobError, match="gardien db upgrade"):
        main_loop(settings)
