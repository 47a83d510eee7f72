"""Processing checks per second and their latency, in-process and over HTTP.

Fills a fresh store with N subjects (each with a newsletter consent), then
times ``POST /api/v1/checks``:

- baseline: the same answer read with hand-written SQL (blind index → state row),
  no framework, no audit entry: the floor any implementation pays;
- in-process: ``vault.find_any`` + ``consent.check`` + audit entry, one transaction;
- HTTP: a real ``gardien serve`` (one uvicorn worker), one keep-alive connection
  from this Python process; then, when ``wrk`` is installed (Debian package), wrk
  with 1 and 8 connections.

    .venv/bin/python -m bench.checks --subjects 100000 --checks 5000 [--postgres URL]

``--keep DIR`` keeps the declaration and the master key in DIR, so that a second
run with the same DIR reuses the store the first one filled (on PostgreSQL,
filling 20,000 subjects takes minutes) instead of needing an empty one.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from gardien.audit import Actor
from gardien.consent import Proof, check, record_consent
from gardien.declaration import load
from gardien.settings import Settings
from gardien.store import apply_declaration, open_store, relax_durability, upgrade
from gardien.vault import Vault, load_master_key
from gardien.vault.identities import normalise
from gardien.vault.tables import subjects as subjects_table

STARTER = Path(__file__).parents[1] / "src/gardien/declaration/data/starter.yaml"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, samples: list[float], elapsed: float) -> dict[str, float]:
    figures = {
        "per_second": len(samples) / elapsed,
        "p50_ms": statistics.median(samples) * 1000,
        "p99_ms": percentile(samples, 0.99) * 1000,
    }
    print(
        f"{name:<12} {figures['per_second']:>9.0f} checks/s   "
        f"p50 {figures['p50_ms']:6.2f} ms   p99 {figures['p99_ms']:6.2f} ms"
    )
    return figures


def timed(run: Callable[[int], None], count: int) -> tuple[list[float], float]:
    samples = []
    start = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        run(i)
        samples.append(time.perf_counter() - t0)
    return samples, time.perf_counter() - start


def populate(vault: Vault, store: object, declaration: object, subjects: int, actor: Actor) -> None:
    engine = store.engine  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    batch = 500
    for start in range(0, subjects, batch):
        with engine.begin() as conn:
            for n in range(start, min(subjects, start + batch)):
                identity = {"email": f"person{n}@example.com"}
                subject_id = vault.register(conn, identity, actor=actor).subject_id
                record_consent(
                    conn, declaration, subject_id, "newsletter", "given",  # type: ignore[arg-type]
                    channel="web", proof=Proof.collect("api"), actor=actor,
                )  # fmt: skip
        done = min(subjects, start + batch)
        if done % 10_000 == 0 or done == subjects:
            rate = done / (time.perf_counter() - t0)
            print(f"  populated {done} subjects ({rate:.0f}/s)", file=sys.stderr)


_WRK_SCRIPT = """wrk.method = "POST"
wrk.body = '{"identity": {"email": "%s"}, "purpose": "newsletter"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
"""


def run_wrk(directory: Path, port: int, token: str, email: str, connections: int) -> None:
    """The same endpoint under wrk (a C client): latency without Python on the client side."""
    script = directory / "check.lua"
    script.write_text(_WRK_SCRIPT % (email, token), "utf-8")
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", "-d10s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}/api/v1/checks"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    rate = re.search(r"Requests/sec:\s+(\S+)", output)
    print(
        f"wrk c={connections:<6} {float(rate.group(1)) if rate else 0:>9.0f} checks/s   "
        f"p50 {figures.get('50', '?'):>8}   p99 {figures.get('99', '?'):>8}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--checks", type=int, default=5_000)
    parser.add_argument(
        "--postgres", help="URL of an empty PostgreSQL database (postgresql+psycopg://…)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep the declaration and master key in DIR and reuse the store a former run "
        "with the same DIR filled with the same number of subjects",
    )
    args = parser.parse_args()

    if args.keep:
        directory = args.keep
        directory.mkdir(parents=True, exist_ok=True)
    else:
        directory = Path(tempfile.mkdtemp(prefix="gardien-bench-"))
    config = directory / "privacy.yaml"
    if not config.exists():
        config.write_text(STARTER.read_text("utf-8"), "utf-8")
    key_file = directory / "bench-master-key"
    if not key_file.exists():
        key_file.write_text(base64.b64encode(os.urandom(32)).decode(), "utf-8")
        key_file.chmod(0o600)
    env = {
        **os.environ,
        "GARDIEN_CONFIG": str(config),
        "GARDIEN_MASTER_KEY": key_file.read_text("utf-8").strip(),
    }
    if args.postgres:
        # The key store goes to a schema of its own in the same database.
        admin = create_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text("CREATE SCHEMA IF NOT EXISTS gardien_keys"))
        admin.dispose()
        separator = "&" if "?" in args.postgres else "?"
        env["GARDIEN_DATABASE_URL"] = args.postgres
        env["GARDIEN_KEYSTORE_URL"] = (
            f"{args.postgres}{separator}options=-csearch_path%3Dgardien_keys"
        )
    settings = Settings.from_env(env)
    store = open_store(settings)
    upgrade(store)
    declaration = load(config)
    version = apply_declaration(
        store, declaration, str(config), actor=Actor("bench", "admin", None)
    ).version
    vault = Vault(store, load_master_key(settings))
    actor = Actor("key:bench0001", "service", version, blind=vault.blind_id)
    print(f"backend: {store.engine.dialect.name}, {args.subjects} subjects, {args.checks} checks")
    with store.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(subjects_table)).scalar_one()
    if stored == 0:
        populate(vault, store, declaration, args.subjects, actor)
    elif not (args.keep and stored == args.subjects):
        sys.exit(
            f"the store already holds {stored} subjects: give an empty database, or the "
            f"--keep directory of the run that filled it with --subjects {stored}"
        )
    emails = [f"person{(i * 7919) % args.subjects}@example.com" for i in range(args.checks)]

    # Baseline: hand-written SQL for the same answer, no audit entry.
    def baseline(i: int) -> None:
        identity = normalise("email", emails[i])
        # The same index the vault computes, read through its internal helper.
        blind = vault._blind_index(identity)
        with store.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT s.status, s.expires_at FROM subject_identities i JOIN consent_state s "
                    "ON s.subject_id = i.subject_id WHERE i.kind = :k AND i.blind_index = :b "
                    "AND s.purpose = 'newsletter'"
                ),
                {"k": identity.kind, "b": blind},
            ).first()
        assert row is not None and row.status == "given"

    def in_process(i: int) -> None:
        with store.engine.begin() as conn:
            relax_durability(conn)  # as the API does for checks
            subject_id = vault.find_any(conn, {"email": emails[i]})
            # check() appends its own audit entry, as the API's does.
            decision = check(conn, declaration, subject_id, "newsletter", actor=actor)
        assert decision.allowed

    results = {}
    for name, run in (("baseline-sql", baseline), ("in-process", in_process)):
        for i in range(200):  # warm caches
            run(i)
        samples, elapsed = timed(run, args.checks)
        results[name] = report(name, samples, elapsed)

    with store.engine.begin() as conn:
        from gardien.auth import Role, create_key

        token = create_key(conn, Role.SERVICE, "bench", actor=actor).token
    store.dispose()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gardien", "serve", "--port", str(port)],
        env=env, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(300):
            try:
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                break
            except OSError:
                connection.close()
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        def over_http(i: int) -> None:
            body = json.dumps({"identity": {"email": emails[i]}, "purpose": "newsletter"})
            connection.request("POST", "/api/v1/checks", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            assert response.status == 200 and b'"allowed":true' in payload, payload

        for i in range(200):
            over_http(i)
        samples, elapsed = timed(over_http, args.checks)
        results["http"] = report("http", samples, elapsed)
        if shutil.which("wrk"):
            for connections in (1, 8):
                run_wrk(directory, port, token, emails[0], connections)
    finally:
        server.terminate()
        server.wait(timeout=10)
    base = results["baseline-sql"]["per_second"]
    print(
        f"ratios: in-process = {results['in-process']['per_second'] / base:.2f}x baseline, "
        f"http = {results['http']['per_second'] / base:.2f}x baseline"
    )


if __name__ == "__main__":
    main()
