"""Every request type, end to end, over each demo company: the real `gardien serve` and
`gardien worker`, the company's own database, HTTP only.

Each company's known person asks, through an agent, for access, portability,
rectification, restriction, objection, consent withdrawal, post-mortem directives and,
last, erasure; the DPO approves; the worker carries each out. The five companies run
with their databases on SQLite; one runs with gardien's store and its database on
PostgreSQL. After the erasure, a scan of every table and column of the company database
finds none of the person's identities or values except under the declared legal holds,
and every other person's rows are byte for byte what they were.
"""

from __future__ import annotations

import base64
import io
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from gardien.connectors import close_all, locate, open_datastores, plan_for
from gardien.declaration import Declaration, load
from gardien.declaration.models import LegalBasis
from gardien.demo import COMPANIES, DemoResult, build

POSTGRES_URL = os.environ.get("GARDIEN_TEST_POSTGRES_URL")
#: The company that also runs on PostgreSQL (store and company database).
ON_POSTGRES = "komin"


@pytest.fixture
def company_database(request: pytest.FixtureRequest, store_urls: Any) -> Iterator[str | None]:
    """None for a SQLite company database; a fresh PostgreSQL database when the store is."""
    if not store_urls.database_url.startswith("postgresql"):
        yield None
        return
    assert POSTGRES_URL is not None
    name = f"gardien_e2e_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("company_name", sorted(COMPANIES))
def test_every_request_type_runs_on_the_demo_company(
    company_name: str,
    store_urls: Any,
    company_database: str | None,
    server_factory: Callable[[dict[str, str], Path], Any],
    tmp_path: Path,
) -> None:
    if company_database is not None and company_name != ON_POSTGRES:
        pytest.skip(f"on PostgreSQL, one company runs end to end: {ON_POSTGRES}")
    demo = build(tmp_path / "demo", company_name, people=30, seed=11, url=company_database)
    declaration = load(demo.declaration)
    outbox = tmp_path / "outbox.jsonl"
    env = {
        **os.environ,
        **demo.environment,
        "DEMO_DATABASE_URL": demo.database_url,
        "GARDIEN_CONFIG": str(demo.declaration),
        "GARDIEN_DATABASE_URL": store_urls.database_url,
        "GARDIEN_KEYSTORE_URL": store_urls.keystore_url,
        "GARDIEN_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "GARDIEN_PACKAGES_DIR": str(tmp_path / "packages"),
        "GARDIEN_OUTBOX": str(outbox),
        "GARDIEN_WORKER_POLL_SECONDS": "0.1",
        "GARDIEN_REDACT_PRELOAD": "false",
    }
    server = server_factory(env, tmp_path)
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "gardien", "worker"], env=env, cwd=tmp_path,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        agent = {"Authorization": f"Bearer {server.new_key('agent')}"}
        dpo = {"Authorization": f"Bearer {server.new_key('dpo')}"}
        run = _Runner(server, agent, dpo, tmp_path)
        identities = dict(demo.identities)
        before = _rows(demo)
        mine = _person_keys(declaration, demo)

        access = run.request("access", identities)
        archive = run.download(_link(outbox, access["id"]))
        assert "manifest.json" in archive.namelist()
        found = {n for n in archive.namelist() if n.startswith("records/") and n.endswith(".json")}
        assert found, "the access package holds the person's records"
        assert demo.known_person.email in repr([archive.read(n) for n in found])

        portability = run.request("portability", identities, language="en")
        assert run.download(_link(outbox, portability["id"])).namelist()

        change = _rectifiable(declaration)
        rectified = run.request(
            "rectification", identities, details={"changes": {change: "Rectifié"}}
        )
        assert rectified["outcome"]["rows"] >= 1

        run.request("restriction", identities, details={"ground": "accuracy_contested"})
        objection = [n for n, p in declaration.purposes.items() if p.objection_allowed][:1]
        run.request("objection", identities, details={"purposes": objection})
        consent = [
            n for n, p in declaration.purposes.items() if p.legal_basis is LegalBasis.CONSENT
        ]
        run.request("withdrawal", identities, details={"purposes": consent[:1]})
        run.request(
            "post_mortem",
            identities,
            details={
                "instructions": "Supprimer mon compte et prévenir ma sœur.",
                "trustees": [{"name": "Camille Martin", "email": "camille.martin@example.org"}],
            },
        )

        erased = run.request("erasure", identities)
        held = {entry["collection"].split(".", 1)[1] for entry in erased["outcome"]["kept"]}
        after = _rows(demo)
        for table, rows in before.items():
            theirs = mine.get(table, set())
            for key, row in rows.items():
                if key not in theirs:
                    assert after[table].get(key) == row, (
                        f"{table} {key}: another person's row changed"
                    )
        person = demo.known_person
        unique = [person.email, person.phone, *(v for k, v in identities.items() if k != "user_id")]
        for table, rows in after.items():
            if table in held:
                continue
            for value in unique:
                assert value not in repr(rows), f"{company_name}: {table} still holds {value!r}"
            for key in mine.get(table, set()):
                assert key not in rows or person.last_name not in repr(rows[key]), (table, key)
    finally:
        worker.terminate()
        server.process.terminate()
        server.process.wait(timeout=30)
        _stopped(worker, tmp_path / "worker.log")


def _stopped(worker: subprocess.Popen[bytes], log: Path) -> None:
    """The worker ends within a minute of SIGTERM; if not, it is killed (a process left
    behind would fail the next test) and the test fails with what the worker logged."""
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.send_signal(signal.SIGUSR1)  # the worker prints its threads' stacks
        time.sleep(2)
        worker.kill()
        worker.wait(timeout=30)
        tail = log.read_text(errors="replace")[-3000:]
        raise AssertionError(
            f"gardien worker did not stop within 60 s of SIGTERM:\n{tail}"
        ) from None


class _Runner:
    """Files a request through an agent, approves it as the DPO, waits for the worker."""

    def __init__(
        self, server: Any, agent: dict[str, str], dpo: dict[str, str], directory: Path
    ) -> None:
        self.server = server
        self.agent = agent
        self.dpo = dpo
        self.directory = directory

    def request(
        self,
        kind: str,
        identities: dict[str, str],
        *,
        details: dict[str, Any] | None = None,
        language: str = "fr",
    ) -> dict[str, Any]:
        filed = self.server.request(
            "POST",
            "/api/v1/requests",
            {
                "type": kind,
                "identities": identities,
                "language": language,
                "details": details or {},
                "verification": {"method": "id_document", "note": "pièce d'identité vue"},
            },
            self.agent,
        )
        assert filed.status == 202, filed.body
        request_id = filed.json()["id"]
        approved = self.server.request(
            "POST", f"/api/v1/requests/{request_id}/approve", {}, self.dpo
        )
        assert approved.status == 200, approved.body
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            detail = self.server.request("GET", f"/api/v1/requests/{request_id}", None, self.dpo)
            assert detail.status == 200, detail.body
            state = detail.json()["state"]
            if state == "completed":
                return dict(detail.json())
            assert state in ("approved", "in_progress"), (
                kind, detail.json(), (self.directory / "worker.log").read_text()[-3000:]
            )  # fmt: skip
            time.sleep(0.2)
        raise AssertionError(
            f"{kind} request not completed in 90 s: "
            + (self.directory / "worker.log").read_text()[-3000:]
        )

    def download(self, link: str) -> zipfile.ZipFile:
        path = "/" + link.split("/", 3)[3]
        page = self.server.request("GET", path)
        assert page.status == 200 and b"<form" in page.body
        taken = self.server.request("POST", path)
        assert taken.status == 200, taken.body[:500]
        assert taken.headers["content-type"] == "application/zip"
        again = self.server.request("POST", path)
        assert again.status == 410, "a download link works once"
        return zipfile.ZipFile(io.BytesIO(taken.body))


_GIVEN: set[str] = set()


def _link(outbox: Path, request_id: str) -> str:
    """The download link of the newest package e-mail not read yet."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if outbox.exists():
            for line in outbox.read_text("utf-8").splitlines():
                body = json.loads(line).get("body", "")
                for word in body.split():
                    if "/downloads/" in word and word not in _GIVEN:
                        _GIVEN.add(word)
                        return str(word)
        time.sleep(0.2)
    raise AssertionError(f"no download link sent for request {request_id}")


def _rectifiable(declaration: Declaration) -> str:
    """A data category of a plain text field of the person's records."""
    for wanted in ("user.name.last", "user.name.first", "user.account.username"):
        for store in declaration.datastores.values():
            for collection in store.collections.values():
                for field in collection.fields.values():
                    if wanted in field.categories and not field.primary_key:
                        return wanted
    raise AssertionError("no name or username field to rectify")


def _rows(demo: DemoResult) -> dict[str, dict[Any, tuple[Any, ...]]]:
    engine = create_engine(demo.database_url)
    try:
        with engine.connect() as conn:
            return {
                table.name: {
                    next(row._mapping[c.name] for c in table.primary_key.columns): tuple(row)
                    for row in conn.execute(select(table))
                }
                for table in demo.company.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _person_keys(declaration: Declaration, demo: DemoResult) -> dict[str, set[Any]]:
    connectors = open_datastores(declaration, {**os.environ, **demo.environment})
    try:
        found = locate(
            plan_for(declaration), connectors, {k: [v] for k, v in demo.identities.items()}
        )
    finally:
        close_all(connectors)
    return {collection: set(keys) for (_, collection), keys in found.keys.items()}
