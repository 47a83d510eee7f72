"""A retention sweep over a large table, against one hand-written bulk DELETE doing the same.

    .venv/bin/python -m bench.retention [--rows 10000000] [--expired 0.3]
        [--postgres URL] [--batch-rows 5000]

Two identical tables, in PostgreSQL (``--postgres``, else ``GARDIEN_TEST_POSTGRES_URL``;
a schema ``bench_retention`` created and dropped; else a SQLite file) of ``--rows`` log events
(``id``, ``account_id``, ``ip``, ``created_at`` indexed), filled by COPY, of
which ``--expired`` are more than a year old, the rest younger, interleaved
by id; ``VACUUM (ANALYZE)`` after the fill. Timed, each once on its own table:

- **gardien**: the ``retention.sweep`` job as ``gardien retention run`` runs it
  in this process (``logs``: 1 year, ``then: delete``, bound with ``anchor:
  created_at``), its first batch ``--batch-rows`` rows, the next ones sized
  by time; on PostgreSQL one self-counting ``DELETE`` a range of pages
  (``retention/row_ranges.py``), elsewhere a window of keys claimed then acted
  on; each batch recorded and audited, gardien's store a SQLite file as in
  the embedded default;
- **hand-written**: ``DELETE FROM events WHERE created_at <= :cutoff`` in one
  transaction.

Both must leave the same rows (counted, and the ids summed). Memory of the
gardien side: how much the process's resident memory grew during the sweep,
at its peak (sampled from ``/proc``, not ``tracemalloc``, which would slow the
timed side), to compare across table sizes: it must not follow the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gardien.audit import Actor
from gardien.declaration import load_valid
from gardien.jobs import JobStatus, claim, run_job
from gardien.retention import RETENTION_SWEEP, RetentionSettings, retention_handler
from gardien.retention.run import schedule_retention
from gardien.store import Store, make_engine, upgrade
from gardien.vault import MasterKey, Vault

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
SCHEMA = "bench_retention"
URL_VARIABLE = "BENCH_DATABASE_URL"
_TABLE = """CREATE TABLE {name} (
    id bigint PRIMARY KEY,
    account_id integer NOT NULL,
    ip varchar(45),
    created_at timestamp NOT NULL
)"""


def _rows(rows: int, expired: float, start: int, stop: int) -> list[tuple[object, ...]]:
    naive = NOW.replace(tzinfo=None)
    old, young = naive - dt.timedelta(days=700), naive - dt.timedelta(days=200)
    step = 1 / expired if expired > 0 else rows + 1
    out = []
    for n in range(start, stop):
        is_old = int(n / step) != int((n - 1) / step)
        moment = (old if is_old else young) + dt.timedelta(seconds=n % 86_400)
        out.append((n, n % 100_000, f"192.0.2.{n % 250}", moment))
    return out


def fill(url: str, rows: int, expired: float) -> None:
    """Both tables, the same rows: an expired share spread over the ids (PostgreSQL by
    COPY, SQLite by batched inserts)."""
    engine = create_engine(url)
    started = time.perf_counter()
    chunk = 200_000
    with engine.begin() as conn:
        for name in ("events", "events_bulk"):
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
            conn.execute(text(_TABLE.format(name=name)))
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy("COPY events (id, account_id, ip, created_at) FROM STDIN") as copy:
                for first in range(1, rows + 1, chunk):
                    for row in _rows(rows, expired, first, min(first + chunk, rows + 1)):
                        copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
    else:
        insert = text("INSERT INTO events VALUES (:id, :account_id, :ip, :created_at)")
        with engine.begin() as conn:
            for first in range(1, rows + 1, chunk):
                conn.execute(
                    insert,
                    [
                        {"id": r[0], "account_id": r[1], "ip": r[2], "created_at": r[3]}
                        for r in _rows(rows, expired, first, min(first + chunk, rows + 1))
                    ],
                )
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO events_bulk SELECT * FROM events"))
        for name in ("events", "events_bulk"):
            conn.execute(text(f"CREATE INDEX ix_{name}_created_at ON {name} (created_at)"))
    engine.dispose()
    vacuum = create_engine(url, isolation_level="AUTOCOMMIT")
    with vacuum.connect() as conn:
        analyse = "VACUUM (ANALYZE) {}" if vacuum.dialect.name == "postgresql" else "ANALYZE {}"
        for name in ("events", "events_bulk"):
            conn.execute(text(analyse.format(name)))
    vacuum.dispose()
    print(f"filled 2 x {rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)


def declaration_file(directory: Path) -> Path:
    from importlib import resources

    starter = resources.files("gardien.declaration").joinpath("data", "starter.yaml")
    data = yaml.safe_load(starter.read_text("utf-8"))
    data["datastores"] = {
        "logs": {
            "url": {"$env": URL_VARIABLE},
            "collections": {
                "events": {
                    "retention": {"rule": "logs", "anchor": "created_at"},
                    "fields": {
                        "id": {"primary_key": True},
                        "account_id": {"identity": "user_id"},
                        "ip": {"categories": ["user.device.ip_address"]},
                        "created_at": {},
                    },
                }
            },
        }
    }
    path = directory / "privacy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def left(url: str, table: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count, total = conn.execute(
                text(f"SELECT count(*), coalesce(sum(id), 0) FROM {table}")
            ).one()
        return int(count), int(total)
    finally:
        engine.dispose()


def bulk(url: str) -> float:
    cutoff = (NOW - dt.timedelta(days=365)).replace(tzinfo=None)
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM events_bulk WHERE created_at <= :c"), {"c": cutoff})
        return time.perf_counter() - started
    finally:
        engine.dispose()


def sweep(url: str, batch_rows: int, directory: Path) -> tuple[float, float, list[int]]:
    """(seconds, traced peak MiB, rows claimed by each batch)."""
    declaration = load_valid(declaration_file(directory))
    store = Store(
        make_engine(f"sqlite:///{directory / 'gardien.db'}"),
        make_engine(f"sqlite:///{directory / 'gardien-keys.db'}"),
    )
    upgrade(store)
    vault = Vault(store, MasterKey.generate())
    sizes: list[int] = []

    def count(_sweep: object, _number: int, counts: Mapping[str, int]) -> None:
        sizes.append(counts.get("claimed", 0))

    handler = retention_handler(
        store, vault, declaration, Actor("bench", "admin", None, blind=vault.blind_id),
        RetentionSettings(batch_rows=batch_rows, every=dt.timedelta(days=1),
                          environ={URL_VARIABLE: url}),
        lambda text: text, on_batch=count, clock=lambda: NOW,
    )  # fmt: skip
    lease = dt.timedelta(minutes=10)
    schedule_retention(store, at=NOW)
    job = claim(store, "bench", [RETENTION_SWEEP], lease, now=NOW + dt.timedelta(days=400))
    assert job is not None
    with _resident() as grown:
        started = time.perf_counter()
        outcome = run_job(store, job, handler, lease=lease)
        elapsed = time.perf_counter() - started
    store.dispose()
    if outcome != JobStatus.DONE:
        sys.exit(f"the sweep did not finish: {outcome}")
    return elapsed, grown[0] / 2**20, sizes


@contextmanager
def _resident(every: float = 0.02) -> Iterator[list[int]]:
    """How much the process's resident memory grew above where it stood at the start, at
    its peak (sampled from /proc every ``every`` seconds by a thread: unlike tracemalloc,
    which slows every allocation, it costs the timed sweep nothing)."""
    page = os.sysconf("SC_PAGE_SIZE")

    def rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * page

    base, peak = rss(), [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(every):
            peak[0] = max(peak[0], rss() - base)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()
        peak[0] = max(peak[0], rss() - base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--expired", type=float, default=0.3)
    parser.add_argument("--batch-rows", type=int, default=5000)
    parser.add_argument("--postgres", default=os.environ.get("GARDIEN_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, _company(args.postgres, Path(scratch)) as url:
        fill(url, args.rows, args.expired)
        before = left(url, "events")[0]
        hand = bulk(url)
        mine, peak, sizes = sweep(url, args.batch_rows, Path(scratch))
        kept, kept_bulk = left(url, "events"), left(url, "events_bulk")
        if kept != kept_bulk:
            sys.exit(f"the two sides left different rows: {kept} against {kept_bulk}")
        deleted = before - kept[0]
        where = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"{where}: {args.rows:,} rows, {deleted:,} expired and deleted by each side "
              f"(gardien in {len(sizes)} batches, from {args.batch_rows:,} rows, sized by "
              f"time: largest {max(sizes, default=0):,})")  # fmt: skip
        print(f"{'side':<14}{'seconds':>10}{'rows/s':>14}")
        for side, seconds in (("gardien", mine), ("hand-written", hand)):
            print(f"{side:<14}{seconds:>10.2f}{deleted / seconds:>14,.0f}")
        print(f"ratio gardien / hand-written: {mine / hand:.2f}")
        print(f"gardien's resident memory, peak growth during the sweep: {peak:.1f} MiB")


@contextmanager
def _company(postgres: str | None, scratch: Path) -> Iterator[str]:
    """The company database: a schema of the PostgreSQL database, else a SQLite file."""
    if not postgres:
        yield f"sqlite:///{scratch / 'company.db'}"
        return
    base = make_url(postgres).render_as_string(hide_password=False)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={SCHEMA}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
