"""Access and erasure of one person in a company database, against hand-written SQL.

    .venv/bin/python -m bench.requests [--people 1000000] [--postgres URL]
        [--schema NAME] [--keep] [--skip-fill] [--runs 7] [--sample 5]

The company is the AMIKEO demo (``gardien.demo.fill``, ``examples/amikeo.yaml``
as ``gardien demo`` writes it): ``--people`` people, about ten rows each, and
the known person (Sophie Lefèvre) with ``--known-person-rows`` activity events
(10,000 by default). On PostgreSQL (``--postgres``, else
``GARDIEN_TEST_POSTGRES_URL``) the company goes into the schema ``--schema``
(default ``bench_requests_<people>``), created, filled by COPY and dropped
at the end unless ``--keep``; ``--skip-fill`` reuses a schema a ``--keep``
run filled. Without a server, into a temporary SQLite file.

Timed, for a few ordinary people picked at random by e-mail (``--sample``)
and for the known person, each side in turn in the same process (the order
alternating from run to run), ``--runs`` times after two warm-up runs:

- **access**: gardien's ``build_package`` (``PackageKind.ACCESS``: ``locate``
  from the e-mail, ``RowsExport`` into JSON and CSV per collection, a zip
  sealed by ``SealedWriter``), as the worker's package step runs it, with no
  readable members and a ``redact_others`` that returns the text unchanged
  (redaction of free text excluded; ``--redaction`` adds one access of the
  known person with the real redaction room, models loaded beforehand).
  Against hand-written SQL: one indexed ``SELECT`` of the declared columns
  per table (accounts by e-mail, by the phone those hold and by their
  children as primary child, as the declaration's identities and references
  make them the person's; then by the ids found: children, devices of the
  accounts or with the same device UUID, sessions by child or device, their
  events, subscriptions, payments by subscription or billing e-mail, the
  payments archive by e-mail, support requests) on one connection, the
  rows written to the same JSON and CSV files, the same deflated zip with
  the same manifest, sealed the same way. Both packages are opened and
  compared once per person before timing: same files, same rows.
- **erasure**: gardien's ``erase_person`` for the datastore (which locates the
  rows inside its own transaction), as the worker's erase step runs it,
  against hand-written SQL in one transaction, children first: the cycle
  reference nulled, one set-based ``DELETE`` per table (sub-selects on the
  indexed references), the payments under their ten-year legal hold kept with
  their subscription link nulled (deleted once the hold is over). Both report
  how many rows they deleted and changed, compared once per person. Timed runs
  are rolled back at the end of the transaction instead of committed (so that
  both sides erase the same rows, run after run, and the heavy person exists
  once); then each side erases each person with a real commit
  (``--commit-runs`` times), the rows saved before and put back after, outside
  the timing.
- **memory**: one more run of each, with ``tracemalloc`` (the peak of
  Python's allocations during the operation) and, in a separate run, the
  growth of the process's peak resident set (``VmHWM``, reset through
  ``/proc/self/clear_refs`` before the operation).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import random
import secrets
import statistics
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import quote

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    bindparam,
    create_engine,
    delete,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url

from gardien.connectors import (
    Connector,
    Location,
    SqlConnector,
    Strategies,
    close_all,
    erase_person,
    locate,
    open_datastores,
    plan_for,
)
from gardien.declaration import Declaration, load
from gardien.demo import URL_VARIABLE, company_named, declaration_text, fill
from gardien.requests.package import PackageKind, build_package
from gardien.requests.sealed_file import SealedWriter, open_sealed

COMPANY = company_named("amikeo")
DATASTORE = COMPANY.datastore
KNOWN_EMAIL = COMPANY.known.email
Timed = Callable[[str], tuple[float, int]]


# -- the hand-written side --------------------------------------------------------------

#: The declared columns of each table (what gardien reads), written out by hand.
COLUMNS = {
    "accounts": "id, role, first_name, last_name, email, phone, password_hash, postal_code, "
    "primary_child_id, closed_at",
    "child_profiles": "id, account_id, first_name",
    "devices": "id, account_id, device_uuid, platform, model, ip_address, uninstalled_at",
    "sessions": "id, child_id, device_id, started_at, duration_s",
    "activity_events": "id, session_id, app, event",
    "subscriptions": "id, account_id, plan",
    "payments": "id, subscription_id, invoice_number, billing_name, billing_email, "
    "amount_cents, currency, paid_at, contract_ended_at",
    "payments_archive": "id, subscription_id, invoice_number, billing_name, billing_email, "
    "amount_cents, currency, paid_at, contract_ended_at",
    "support_requests": "id, account_id, subject, message",
}


def _in(sql: str, *names: str) -> Any:
    return text(sql).bindparams(*(bindparam(name, expanding=True) for name in names))


# What the declaration makes the person's, as gardien finds it: the accounts with their
# e-mail, and with the phone one of those holds (a phone is an identity), and those whose
# primary child is one of their children (the reference is followed both ways); the
# devices of their accounts, and those with the same device UUID (an identity too).
# Each is a UNION of indexed lookups inside one statement: no more round trips.
_ACCOUNTS = (
    "SELECT id FROM accounts WHERE email = :email "
    "UNION SELECT a.id FROM accounts a JOIN accounts p ON a.phone = p.phone "
    "WHERE p.email = :email "
    "UNION SELECT a.id FROM accounts a JOIN child_profiles c ON a.primary_child_id = c.id "
    "JOIN accounts p ON c.account_id = p.id WHERE p.email = :email"
)
_DEVICES = (
    "SELECT id FROM devices WHERE account_id IN :accounts "
    "UNION SELECT d.id FROM devices d JOIN devices p ON d.device_uuid = p.device_uuid "
    "WHERE p.account_id IN :accounts"
)

READS = {
    "accounts": text(
        f"SELECT {COLUMNS['accounts']} FROM accounts WHERE id IN ({_ACCOUNTS})"
    ).columns(closed_at=DateTime),
    "child_profiles": _in(
        f"SELECT {COLUMNS['child_profiles']} FROM child_profiles WHERE account_id IN :accounts",
        "accounts",
    ),
    "devices": _in(
        f"SELECT {COLUMNS['devices']} FROM devices WHERE id IN ({_DEVICES})", "accounts"
    ).columns(uninstalled_at=DateTime),
    "sessions": _in(
        f"SELECT {COLUMNS['sessions']} FROM sessions "
        "WHERE child_id IN :children OR device_id IN :devices",
        "children",
        "devices",
    ).columns(started_at=DateTime),  # SQLite keeps it as text
    "activity_events": _in(
        f"SELECT {COLUMNS['activity_events']} FROM activity_events WHERE session_id IN :sessions",
        "sessions",
    ),
    "subscriptions": _in(
        f"SELECT {COLUMNS['subscriptions']} FROM subscriptions WHERE account_id IN :accounts",
        "accounts",
    ),
    "payments": _in(
        f"SELECT {COLUMNS['payments']} FROM payments "
        "WHERE billing_email = :email OR subscription_id IN :subscriptions",
        "subscriptions",
    ).columns(paid_at=DateTime, contract_ended_at=DateTime),
    "payments_archive": text(
        f"SELECT {COLUMNS['payments_archive']} FROM payments_archive WHERE billing_email = :email"
    ).columns(paid_at=DateTime, contract_ended_at=DateTime),
    "support_requests": _in(
        f"SELECT {COLUMNS['support_requests']} FROM support_requests WHERE account_id IN :accounts",
        "accounts",
    ),
}

# The person's sessions and payments, each reached two ways: a UNION of two indexed
# lookups (an OR of the two sub-selects makes PostgreSQL scan the whole table).
_SESSIONS = (
    "SELECT id FROM sessions WHERE child_id IN "
    "(SELECT id FROM child_profiles WHERE account_id IN :accounts) "
    "UNION ALL SELECT id FROM sessions WHERE device_id IN "
    f"({_DEVICES})"
)
_PAYMENTS = (
    "id IN (SELECT id FROM payments WHERE billing_email = :email "
    "UNION ALL SELECT id FROM payments WHERE subscription_id IN "
    "(SELECT id FROM subscriptions WHERE account_id IN :accounts))"
)
#: Children first; the payments' ten-year hold is counted from their ``paid_at``.
ERASURE = (
    ("accounts", _in("UPDATE accounts SET primary_child_id = NULL WHERE id IN :accounts",
                     "accounts"), False),
    ("activity_events", _in(f"DELETE FROM activity_events WHERE session_id IN ({_SESSIONS})",
                            "accounts"), True),
    ("sessions", _in(f"DELETE FROM sessions WHERE id IN ({_SESSIONS})", "accounts"), True),
    ("payments", _in(f"UPDATE payments SET subscription_id = NULL WHERE {_PAYMENTS} "
                     "AND paid_at >= :hold_start", "accounts"), False),
    ("payments", _in(f"DELETE FROM payments WHERE {_PAYMENTS} AND paid_at < :hold_start",
                     "accounts"), True),
    ("payments_archive", text("UPDATE payments_archive SET subscription_id = NULL "
                              "WHERE billing_email = :email AND paid_at >= :hold_start"), False),
    ("payments_archive", text("DELETE FROM payments_archive WHERE billing_email = :email "
                              "AND paid_at < :hold_start"), True),
    ("child_profiles", _in("DELETE FROM child_profiles WHERE account_id IN :accounts",
                           "accounts"), True),
    ("devices", _in(f"DELETE FROM devices WHERE id IN ({_DEVICES})", "accounts"), True),
    ("subscriptions", _in("DELETE FROM subscriptions WHERE account_id IN :accounts",
                          "accounts"), True),
    ("support_requests", _in("DELETE FROM support_requests WHERE account_id IN :accounts",
                             "accounts"), True),
    ("accounts", _in("DELETE FROM accounts WHERE id IN :accounts", "accounts"), True),
)  # fmt: skip


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


class HandWritten:
    """What an engineer writes for this schema: the same reads, files and zip as gardien's
    package, and an erasure as set-based statements in one transaction."""

    def __init__(self, engine: Engine, declaration: Declaration) -> None:
        self.engine = engine
        collections = declaration.datastores[DATASTORE].collections
        self.headers = {
            name: json.dumps(
                {
                    "collection": f"{DATASTORE}.{name}",
                    "fields": {f: list(d.categories) for f, d in collections[name].fields.items()},
                },
                ensure_ascii=False,
                indent=1,
            )[:-2]
            for name in COLUMNS
        }

    def access(self, email: str, directory: Path, writer: IO[bytes]) -> dict[str, int]:
        counts: dict[str, int] = {}
        ids: dict[str, list[Any]] = {}

        def read(conn: Connection, name: str, **parameters: Any) -> None:
            result = conn.execute(READS[name], parameters)
            names = list(result.keys())
            count = 0
            found = []
            json_path, csv_path = (
                directory / f"{DATASTORE}.{name}.json",
                directory / f"{DATASTORE}.{name}.csv",
            )
            with (
                json_path.open("w", encoding="utf-8") as out_json,
                csv_path.open("w", encoding="utf-8", newline="") as out_csv,
            ):
                out = csv.writer(out_csv)
                out.writerow(names)
                out_json.write(self.headers[name] + ',\n "rows": [')
                for row in result:
                    values = [_plain(value) for value in row]
                    found.append(values[0])
                    out_json.write(
                        ("\n  " if count == 0 else ",\n  ")
                        + json.dumps(dict(zip(names, values, strict=True)), ensure_ascii=False)
                    )
                    out.writerow(["" if value is None else value for value in values])
                    count += 1
                out_json.write("\n ]\n}\n")
            if count:
                counts[name] = count
            else:
                json_path.unlink()
                csv_path.unlink()
            ids[name] = found

        with self.engine.connect() as conn:
            read(conn, "accounts", email=email)
            read(conn, "child_profiles", accounts=ids["accounts"])
            read(conn, "devices", accounts=ids["accounts"])
            read(conn, "sessions", children=ids["child_profiles"], devices=ids["devices"])
            read(conn, "activity_events", sessions=ids["sessions"])
            read(conn, "subscriptions", accounts=ids["accounts"])
            read(conn, "payments", email=email, subscriptions=ids["subscriptions"])
            read(conn, "payments_archive", email=email)
            read(conn, "support_requests", accounts=ids["accounts"])
        manifest: list[dict[str, object]] = []
        with zipfile.ZipFile(writer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(counts):
                for suffix in ("json", "csv"):
                    path = directory / f"{DATASTORE}.{name}.{suffix}"
                    archive.write(path, f"records/{path.name}")
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                    manifest.append(
                        {"name": f"records/{path.name}", "size": path.stat().st_size,
                         "sha256": digest, "rows": counts[name]}
                    )  # fmt: skip
                    path.unlink()
            archive.writestr(
                "manifest.json",
                json.dumps({"files": manifest}, ensure_ascii=False, indent=1).encode("utf-8"),
            )
        return counts

    def erase(self, email: str, now: dt.datetime, *, commit: bool) -> tuple[int, int]:
        """(rows deleted, rows changed), in one transaction, committed or rolled back."""
        # Held while paid_at's date + 10 years is after today: paid since this day - 10 years.
        today = now.date()
        try:
            ten_years_ago = today.replace(year=today.year - 10)
        except ValueError:  # 29 February
            ten_years_ago = today.replace(year=today.year - 10, day=28)
        hold_start = dt.datetime.combine(ten_years_ago, dt.time()) + dt.timedelta(days=1)
        deleted = changed = 0
        with self.engine.connect() as conn:
            transaction = conn.begin()
            accounts = list(
                conn.execute(text(_ACCOUNTS), {"email": email})
                .scalars()
            )  # fmt: skip
            parameters = {"accounts": accounts, "email": email, "hold_start": hold_start}
            for table, statement, deletes in ERASURE:
                count = conn.execute(statement, parameters).rowcount
                if table == "accounts" and not deletes:
                    continue  # the cycle reference, nulled before the deletes
                if deletes:
                    deleted += count
                else:
                    changed += count
            if commit:
                transaction.commit()
            else:
                transaction.rollback()
        return deleted, changed


# -- gardien's side ---------------------------------------------------------------------


class _RollbackError(Exception):
    """Raised out of a transaction's block to end it in ROLLBACK."""


class RollingBackConnector(SqlConnector):
    """gardien's SQL connector, but its transactions end in ROLLBACK instead of COMMIT."""

    @contextmanager
    def transaction(self) -> Iterator[Any]:  # the writer of SqlConnector.transaction
        try:
            with super().transaction() as writer:
                yield writer
                raise _RollbackError
        except _RollbackError:
            pass


@dataclass
class Bench:
    engine: Engine
    url: str
    declaration: Declaration
    connectors: dict[str, Connector]
    rolling_back: dict[str, Connector]
    hand: HandWritten
    packages: Path
    key: bytes
    strategies: Strategies

    def gardien_access(self, email: str, redact: Callable[[str, Sequence[str]], str] | None = None
                       ) -> tuple[float, int]:  # fmt: skip
        file_id = secrets.token_hex(16)
        started = time.perf_counter()
        built = build_package(
            kind=PackageKind.ACCESS,
            declaration=self.declaration,
            connectors=self.connectors,
            identities={"email": [email]},
            directory=self.packages,
            file_id=file_id,
            open_writer=lambda path: SealedWriter(path, self.key, file_id),
            members=lambda exported: {},
            redact_others=redact or (lambda text, keep: text),
        )
        elapsed = time.perf_counter() - started
        (self.packages / built.file_name).unlink()
        return elapsed, sum(built.rows.values())

    def hand_access(self, email: str) -> tuple[float, int]:
        file_id = secrets.token_hex(16)
        path = self.packages / f"{file_id}.zip.sealed"
        started = time.perf_counter()
        work = self.packages / f".work-{file_id}"
        work.mkdir(mode=0o700)
        writer = SealedWriter(path, self.key, file_id)
        counts = self.hand.access(email, work, cast(IO[bytes], writer))
        writer.close()
        work.rmdir()
        elapsed = time.perf_counter() - started
        path.unlink()
        return elapsed, sum(counts.values())

    def gardien_erase(self, email: str, *, commit: bool = False) -> tuple[float, int]:
        connectors = self.connectors if commit else self.rolling_back
        identities = {"email": [email]}
        started = time.perf_counter()
        report = erase_person(
            self.declaration, connectors, identities, self.strategies,
            now=dt.datetime.now(dt.UTC), datastores={DATASTORE},
        )  # fmt: skip
        return time.perf_counter() - started, report.deleted + report.changed

    def gardien_access_fresh(self, email: str) -> tuple[float, int]:
        """As the worker runs it today: the connectors opened for the request, then closed."""
        kept = self.connectors
        started = time.perf_counter()
        self.connectors = open_datastores(self.declaration, {URL_VARIABLE: self.url})
        try:
            _, count = self.gardien_access(email)
        finally:
            close_all(self.connectors)
            self.connectors = kept
        return time.perf_counter() - started, count

    def gardien_erase_fresh(self, email: str) -> tuple[float, int]:
        kept = self.rolling_back
        started = time.perf_counter()
        self.rolling_back = rolling_back_connectors(self.url, self.declaration)
        try:
            _, count = self.gardien_erase(email)
        finally:
            close_all(self.rolling_back)
            self.rolling_back = kept
        return time.perf_counter() - started, count

    def hand_erase(self, email: str, *, commit: bool = False) -> tuple[float, int]:
        started = time.perf_counter()
        deleted, changed = self.hand.erase(email, dt.datetime.now(dt.UTC), commit=commit)
        return time.perf_counter() - started, deleted + changed

    # -- checks, outside the timing -----------------------------------------------------

    def packages_agree(self, email: str) -> int:
        """Both packages hold the same files with the same rows; how many rows."""
        contents = []
        for build in (self._sealed_gardien, self._sealed_hand):
            file_id, path = build(email)
            plain = b"".join(open_sealed(path, self.key, file_id))
            path.unlink()
            with zipfile.ZipFile(io.BytesIO(plain)) as archive:
                files: dict[str, tuple[Any, ...]] = {}
                for name in archive.namelist():
                    if name.endswith(".json") and name.startswith("records/"):
                        document = json.loads(archive.read(name))
                        rows = sorted(json.dumps(row, sort_keys=True) for row in document["rows"])
                        files[name] = (document["fields"], rows)
                    elif name.endswith(".csv"):
                        lines = archive.read(name).decode("utf-8").splitlines()
                        files[name] = (lines[0], sorted(lines[1:]))
                    else:
                        files[name] = (
                            [e["name"] for e in json.loads(archive.read(name))["files"]],
                        )
            contents.append(files)
        if contents[0] != contents[1]:
            differing = sorted(
                name
                for name in contents[0].keys() | contents[1].keys()
                if contents[0].get(name) != contents[1].get(name)
            )
            raise SystemExit(
                f"the two access packages of {email} differ ({', '.join(differing)}): "
                "the baseline is wrong"
            )
        return sum(
            len(v[1])
            for k, v in contents[0].items()
            if k.endswith(".json") and k != "manifest.json"
        )

    def _sealed_gardien(self, email: str) -> tuple[str, Path]:
        file_id = secrets.token_hex(16)
        built = build_package(
            kind=PackageKind.ACCESS, declaration=self.declaration, connectors=self.connectors,
            identities={"email": [email]}, directory=self.packages, file_id=file_id,
            open_writer=lambda path: SealedWriter(path, self.key, file_id),
            members=lambda exported: {}, redact_others=lambda text, keep: text,
        )  # fmt: skip
        return file_id, self.packages / built.file_name

    def _sealed_hand(self, email: str) -> tuple[str, Path]:
        file_id = secrets.token_hex(16)
        path = self.packages / f"{file_id}.zip.sealed"
        work = self.packages / f".work-{file_id}"
        work.mkdir(mode=0o700)
        writer = SealedWriter(path, self.key, file_id)
        self.hand.access(email, work, cast(IO[bytes], writer))
        writer.close()
        work.rmdir()
        return file_id, path

    def erasures_agree(self, email: str) -> None:
        now = dt.datetime.now(dt.UTC)
        identities = {"email": [email]}
        report = erase_person(self.declaration, self.rolling_back, identities, self.strategies,
                              now=now)  # fmt: skip
        hand = self.hand.erase(email, now, commit=False)
        if (report.deleted, report.changed) != hand:
            raise SystemExit(
                f"erasure of {email}: gardien deleted {report.deleted} and changed "
                f"{report.changed} rows, the baseline {hand[0]} and {hand[1]}"
            )

    def save(self, email: str) -> dict[str, list[dict[str, Any]]]:
        """The person's rows, every column, to be put back after a committed erasure."""
        location: Location = locate(plan_for(self.declaration), self.connectors,
                                    {"email": [email]})  # fmt: skip
        saved: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as conn:
            for (_, name), keys in location.keys.items():
                table = COMPANY.metadata.tables[name]
                saved[name] = [
                    dict(row._mapping)
                    for start in range(0, len(keys), 5000)
                    for row in conn.execute(
                        select(table).where(table.c.id.in_(keys[start : start + 5000]))
                    )
                ]
        return saved

    def restore(self, saved: Mapping[str, list[dict[str, Any]]]) -> None:
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Foreign keys unchecked while the rows go back (the role is a superuser).
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            for name, rows in saved.items():
                table = COMPANY.metadata.tables[name]
                keys = [row["id"] for row in rows]
                for start in range(0, len(keys), 5000):
                    conn.execute(delete(table).where(table.c.id.in_(keys[start : start + 5000])))
                if rows:
                    conn.execute(insert(table), rows)


# -- measuring --------------------------------------------------------------------------


def paired(first: Timed, second: Timed, email: str, runs: int, warmup: int = 2
           ) -> tuple[list[float], list[float], int, int]:  # fmt: skip
    """Each side ``runs`` times after ``warmup`` runs, taking turns, the order alternating."""
    times: tuple[list[float], list[float]] = ([], [])
    rows = [0, 0]
    for run in range(warmup + runs):
        order = ((0, first), (1, second)) if run % 2 == 0 else ((1, second), (0, first))
        for side, operation in order:
            seconds, rows[side] = operation(email)
            if run >= warmup:
                times[side].append(seconds)
    return times[0], times[1], rows[0], rows[1]


def _status(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def memory(operation: Callable[[], object]) -> tuple[float, float | None]:
    """(peak of Python's traced allocations, growth of the peak resident set) in MiB."""
    rss: float | None = None
    try:
        before = _status("VmRSS")
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")  # resets VmHWM to the current resident set (Linux 4.0+)
        operation()
        rss = (_status("VmHWM") - before) / 2**20
    except (OSError, KeyError):
        operation()
    tracemalloc.start()
    try:
        operation()
        traced = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return traced, rss


def ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


# -- the run ----------------------------------------------------------------------------


@contextmanager
def company_database(args: argparse.Namespace) -> Iterator[str]:
    """The URL of the filled company database (a PostgreSQL schema, or a SQLite file)."""
    if not args.postgres:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'amikeo.db'}"
            _fill(url, args)
            yield url
        return
    base = make_url(args.postgres)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    plain = base.render_as_string(hide_password=False)
    schema = args.schema or f"bench_requests_{args.people}"
    separator = "&" if "?" in plain else "?"
    url = f"{plain}{separator}options={quote(f'-csearch_path={schema}')}"
    admin = create_engine(base)
    try:
        if not args.skip_fill:
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            if not args.skip_fill:
                _fill(url, args)
            yield url
        finally:
            if not (args.keep or args.skip_fill):
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def _fill(url: str, args: argparse.Namespace) -> None:
    print(f"filling AMIKEO: {args.people:,} people, the known person with "
          f"{args.known_person_rows:,} activity events…", flush=True)  # fmt: skip
    report = fill(url, "amikeo", people=args.people, seed=1,
                  known_person_rows=args.known_person_rows)  # fmt: skip
    print(f"  {report.rows:,} rows in {report.seconds:.1f} s", flush=True)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        if engine.dialect.name == "postgresql":
            # As autovacuum leaves a database in service (and so that it does not run
            # during the timing): visibility map set, statistics fresh.
            started = time.perf_counter()
            with engine.connect() as conn:
                for table in sorted(COMPANY.metadata.tables):
                    conn.execute(text(f'VACUUM (ANALYZE) "{table}"'))
            print(f"  VACUUM (ANALYZE) in {time.perf_counter() - started:.1f} s", flush=True)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--known-person-rows", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("GARDIEN_TEST_POSTGRES_URL"),
                        help="a PostgreSQL database (postgresql+psycopg://…)")  # fmt: skip
    parser.add_argument("--schema", help="the schema the company goes in "
                        "(default bench_requests_<people>)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the schema for --skip-fill")
    parser.add_argument("--skip-fill", action="store_true",
                        help="reuse the schema a --keep run filled")  # fmt: skip
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--commit-runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=5, help="ordinary people timed")
    parser.add_argument(
        "--redaction",
        action="store_true",
        help="also time the known person's access with the real redaction room",
    )
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    with company_database(args) as url, open_bench(url) as bench:
        measure(bench, args)


def rolling_back_connectors(url: str, declaration: Declaration) -> dict[str, Connector]:
    tables = tuple(declaration.datastores[DATASTORE].collections)
    return {DATASTORE: RollingBackConnector(url, name=DATASTORE, tables=tables)}


@contextmanager
def open_bench(url: str) -> Iterator[Bench]:
    """Both sides, ready on the company database at ``url``."""
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        source, _ = declaration_text(COMPANY, url)  # as `gardien demo` writes it
        (scratch / "privacy.yaml").write_text(source, "utf-8")
        declaration = load(scratch / "privacy.yaml")
        engine = create_engine(url)
        connectors = open_datastores(declaration, {URL_VARIABLE: url})
        rolling_back = rolling_back_connectors(url, declaration)
        bench = Bench(
            engine, url, declaration, connectors, rolling_back, HandWritten(engine, declaration),
            scratch / "packages", secrets.token_bytes(32),
            Strategies(secrets.token_bytes(32), lambda text: text),
        )  # fmt: skip
        bench.packages.mkdir(mode=0o700)
        try:
            yield bench
        finally:
            close_all(bench.connectors)
            close_all(bench.rolling_back)
            engine.dispose()


def memory_probe(url: str, operation: str, email: str, warm: str) -> tuple[float, float | None]:
    """In a process of its own (so that no earlier operation has grown its heap): the
    operation run twice on ``warm``, then measured on ``email``."""
    with open_bench(url) as bench:
        run: Callable[[str], object] = getattr(bench, operation)
        run(warm)
        run(warm)
        return memory(partial(run, email))


def measure(bench: Bench, args: argparse.Namespace) -> None:
    with bench.engine.connect() as conn:
        people = int(conn.execute(text("SELECT max(id) FROM accounts")).scalar_one())
        draw = random.Random(20261207)
        emails = [
            str(conn.execute(text("SELECT email FROM accounts WHERE id = :id"),
                             {"id": draw.randrange(2, people + 1)}).scalar_one())
            for _ in range(args.sample)
        ]  # fmt: skip
    print(f"{people:,} people; ordinary people timed: {len(emails)}; runs: {args.runs} "
          f"(+2 warm-up), the two sides taking turns", flush=True)  # fmt: skip
    rows: dict[str, int] = {}
    for email in [*emails, KNOWN_EMAIL]:
        rows[email] = bench.packages_agree(email)
        bench.erasures_agree(email)
    print("checked: both sides export the same rows and erase the same rows", flush=True)

    results: list[tuple[str, str, float, float, int]] = []

    def compare(operation: str, first: Timed, second: Timed) -> None:
        ordinary: list[tuple[float, float]] = []
        for email in emails:
            mine, theirs, _, _ = paired(first, second, email, args.runs)
            ordinary.append((ms(mine), ms(theirs)))
        results.append((
            operation, f"ordinary (median of {len(emails)})",
            statistics.median(m for m, _ in ordinary), statistics.median(t for _, t in ordinary),
            int(statistics.median(rows[e] for e in emails)),
        ))  # fmt: skip
        mine, theirs, _, _ = paired(first, second, KNOWN_EMAIL, args.runs)
        results.append((operation, "known person", ms(mine), ms(theirs), rows[KNOWN_EMAIL]))
        for line in results[-2:]:
            _print_result(line)

    _print_header()
    compare("access", bench.gardien_access, bench.hand_access)
    compare("access, fresh connectors", bench.gardien_access_fresh, bench.hand_access)
    compare("erasure (rolled back)", bench.gardien_erase, bench.hand_erase)
    compare("erasure, fresh connectors", bench.gardien_erase_fresh, bench.hand_erase)

    def committed(side: Callable[..., tuple[float, int]]) -> Timed:
        def once(email: str) -> tuple[float, int]:
            saved = bench.save(email)
            try:
                return side(email, commit=True)
            finally:
                bench.restore(saved)

        return once

    if args.commit_runs:
        saved_runs = args.runs
        args.runs = args.commit_runs
        try:
            compare("erasure (committed)", committed(bench.gardien_erase),
                    committed(bench.hand_erase))  # fmt: skip
        finally:
            args.runs = saved_runs

    print("\nmemory during one operation, each in a new process (MiB): Python's traced peak "
          "/ growth of the peak resident set")  # fmt: skip
    spawn = multiprocessing.get_context("spawn")
    for operation in ("access", "erase"):
        for label, email in (("ordinary", emails[0]), ("known person", KNOWN_EMAIL)):
            figures = []
            for side in ("gardien", "hand"):
                with ProcessPoolExecutor(1, mp_context=spawn) as child:
                    probe = child.submit(
                        memory_probe, bench.url, f"{side}_{operation}", email, emails[-1]
                    )
                    figures.append(probe.result())
            (mine, mine_rss), (theirs, theirs_rss) = figures
            print(f"{operation:<8} {label:<14} {rows[email]:>7,} rows   gardien {mine:6.2f} / "
                  f"{_mib(mine_rss)}   hand-written {theirs:6.2f} / {_mib(theirs_rss)}",
                  flush=True)  # fmt: skip

    if args.redaction:
        with_room, without = redaction_cost(bench, args.runs)
        print(f"\nknown person's access with the redaction room: {with_room:.1f} ms, "
              f"without: {without:.1f} ms (taking turns)")  # fmt: skip


def redaction_cost(bench: Bench, runs: int) -> tuple[float, float]:
    """The known person's access with the real redaction room, and without, in turn (ms)."""
    from gardien.requests.handlers import text_redactor

    redactor = text_redactor(bench.declaration)
    redactor("Bonjour, je suis Marie Curie.", ())  # loads the models
    mine, theirs, _, _ = paired(
        partial(bench.gardien_access, redact=redactor), bench.gardien_access, KNOWN_EMAIL, runs
    )
    return ms(mine), ms(theirs)


def _mib(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.2f}"


def _print_header() -> None:
    print(f"\n{'operation':<26} {'person':<24} {'rows':>7} {'gardien ms':>11} "
          f"{'hand-written ms':>16} {'ratio':>6}")  # fmt: skip


def _print_result(line: tuple[str, str, float, float, int]) -> None:
    operation, person, mine, theirs, count = line
    print(f"{operation:<26} {person:<24} {count:>7,} {mine:>11.1f} {theirs:>16.1f} "
          f"{mine / theirs:>6.2f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
