"""Approved requests carried out over a demo company's database, step by step, by the worker's
handler: access packages, erasure, rectification, restriction, objection, withdrawal.

The company database is a real SQLite file built by ``gardien demo``; gardien's own store runs
on SQLite and on PostgreSQL. Requests are put in the approved state directly here (the
workflow's intake and approval have tests of their own); the handler is the worker's.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import threading
import zipfile
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import MetaData, create_engine, func, select, text

from gardien.audit import Actor
from gardien.connectors import close_all, locate, open_datastores, plan_for
from gardien.connectors.webhooks import SIGNATURE_HEADER, verify_signature
from gardien.consent import Proof, active_limits, consent_overview, record_consent
from gardien.declaration import Declaration, declaration_version, load
from gardien.demo import DemoResult, build
from gardien.jobs import DEFAULT_LEASE, claim, jobs, run_job
from gardien.jobs.tables import JobStatus
from gardien.requests import withdraw
from gardien.requests.decisions import REQUEST_EXECUTE
from gardien.requests.downloads import (
    PACKAGES_SECRET,
    PackageState,
    package_bytes,
    package_state,
    purge_packages,
    take_package,
)
from gardien.requests.execution import ExecutionSettings, execution_handler
from gardien.requests.handlers import package_members
from gardien.requests.mailing import REQUEST_NOTIFY
from gardien.requests.recipients import RECIPIENT_NOTICE, deliveries, notice_handler
from gardien.requests.tables import requests
from gardien.requests.vocabulary import RequestState, RequestType
from gardien.store import Store, utcnow
from gardien.vault import MasterKey, Vault
from request_orders import approved_request

RECEIVED = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _redactor(text: str, keep: Any) -> str:
    # The redaction room has tests of its own; here, anything redacted is visibly so.
    return "[redacted]"


@pytest.fixture
def vault(store: Store) -> Vault:
    return Vault(store, MasterKey.generate())


@pytest.fixture
def demo(tmp_path: Path) -> DemoResult:
    """A fresh copy of the demo company's database for each test (erasures change it)."""
    return build(tmp_path / "demo", "amikeo", people=30, seed=3)


def _declaration(demo: DemoResult) -> Declaration:
    return load(demo.declaration)


class Harness:
    """An approved request in gardien's store and the worker's handler to run it."""

    def __init__(self, store: Store, vault: Vault, demo: DemoResult, tmp_path: Path) -> None:
        self.store = store
        self.vault = vault
        self.demo = demo
        self.declaration = _declaration(demo)
        self.actor = Actor(
            "worker", "admin", declaration_version(self.declaration), blind=vault.blind_id
        )
        self.packages = tmp_path / "packages"
        self.settings = ExecutionSettings(
            packages_dir=self.packages,
            package_lifetime=dt.timedelta(days=7),
            public_url="https://privacy.example.test",
            environ=dict(demo.environment),
        )

    def approved(
        self,
        kind: RequestType,
        identities: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
        language: str = "fr",
    ) -> str:
        return approved_request(
            self.store, self.vault, self.declaration, kind,
            identities or self.demo.identities, details=details, language=language,
        )  # fmt: skip

    def handler(self) -> Callable[[Any], None]:
        return execution_handler(
            self.store, self.vault, self.declaration, self.actor, self.settings,
            redactor=_redactor,
            members=package_members(self.declaration, self.vault, self.actor),
        )  # fmt: skip

    def run(self) -> JobStatus | str:
        job = claim(self.store, "w1", [REQUEST_EXECUTE], DEFAULT_LEASE)
        assert job is not None, "no request.execute job queued"
        return run_job(self.store, job, self.handler(), lease=DEFAULT_LEASE)

    def row(self, request_id: str) -> Any:
        with self.store.engine.connect() as conn:
            return conn.execute(select(requests).where(requests.c.id == request_id)).one()

    def completion_body(self, request_id: str) -> str:
        with self.store.engine.connect() as conn:
            payloads = conn.execute(select(jobs.c.payload).where(jobs.c.kind == REQUEST_NOTIFY))
            for payload in payloads.scalars():
                decoded = json.loads(payload)
                if decoded["request_id"] == request_id:
                    return str(decoded["body"])
        raise AssertionError("no completion e-mail queued")

    def company_rows(self) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
        """Every row of the company database, by table and primary key."""
        engine = create_engine(self.demo.database_url)
        live = MetaData()  # the live schema: a test may have changed it
        live.reflect(engine)
        try:
            with engine.connect() as conn:
                return {
                    table.name: {
                        tuple(row._mapping[c.name] for c in table.primary_key.columns): tuple(row)
                        for row in conn.execute(select(table))
                    }
                    for table in live.tables.values()
                }
        finally:
            engine.dispose()


@pytest.fixture
def harness(store: Store, vault: Vault, demo: DemoResult, tmp_path: Path) -> Harness:
    return Harness(store, vault, demo, tmp_path)


def _token(body: str) -> str:
    line = next(part for part in body.split() if "/downloads/" in part)
    return line.rsplit("/", 1)[1]


def _zip(harness: Harness, token: str) -> zipfile.ZipFile:
    with harness.store.engine.begin() as conn:
        state, record = take_package(conn, token, actor=harness.actor)
    assert state is PackageState.READY and record is not None
    data = b"".join(
        package_bytes(harness.packages, record, harness.vault.derived_secret(PACKAGES_SECRET))
    )
    return zipfile.ZipFile(io.BytesIO(data))


def test_an_access_request_gives_every_record_once_through_a_link_that_works_once(
    harness: Harness,
) -> None:
    request_id = harness.approved(RequestType.ACCESS)
    assert harness.run() == JobStatus.DONE
    row = harness.row(request_id)
    assert row.state == RequestState.COMPLETED.value
    outcome = json.loads(row.outcome)
    assert outcome["rows"] > 5
    body = harness.completion_body(request_id)
    assert body.startswith("Bonjour")
    token = _token(body)
    archive = _zip(harness, token)
    names = archive.namelist()
    assert names[:3] == ["summary.html", "article15.json", "consents.json"]
    assert "manifest.json" in names
    page = archive.read("summary.html").decode("utf-8")
    assert '<html lang="fr"' in page and "amikeo_app" in page
    information = json.loads(archive.read("article15.json"))
    assert information["format"] == "gardien.article15/1"
    accounts = json.loads(archive.read("records/amikeo_app.accounts.json"))
    assert [r["email"] for r in accounts["rows"]] == [harness.demo.known_person.email]
    # Each collection the outcome counts is in the zip with as many rows.
    for counted in outcome["collections"]:
        data = json.loads(archive.read(f"records/{counted['collection']}.json"))
        assert len(data["rows"]) == counted["rows"]
    # The manifest's digests are those of the members.
    manifest = json.loads(archive.read("manifest.json"))
    assert {f["name"] for f in manifest["files"]} == set(names) - {"manifest.json"}
    # Once taken, the link gives nothing more; the file goes at the next purge.
    with harness.store.engine.begin() as conn:
        assert take_package(conn, token, actor=harness.actor)[0] is PackageState.TAKEN
        assert package_state(conn, "not-a-token")[0] is PackageState.UNKNOWN


def test_an_access_package_holds_the_persons_consents_with_their_receipts(
    harness: Harness,
) -> None:
    purpose = next(
        name for name, p in harness.declaration.purposes.items() if p.consent is not None
    )
    with harness.store.engine.begin() as conn:
        subject = harness.vault.register(
            conn, {"email": harness.demo.known_person.email}, actor=harness.actor
        ).subject_id
        record_consent(
            conn, harness.declaration, subject, purpose, "given", channel="web",
            proof=Proof.collect("checkbox"), actor=harness.actor,
        )  # fmt: skip
    request_id = harness.approved(RequestType.ACCESS)
    assert harness.run() == JobStatus.DONE
    archive = _zip(harness, _token(harness.completion_body(request_id)))
    consents = json.loads(archive.read("consents.json"))
    assert [(c["purpose"], c["choice"]) for c in consents] == [(purpose, "given")]
    assert consents[0]["receipt"]["consentReceiptID"]
    information = json.loads(archive.read("article15.json"))
    assert [c["purpose"] for c in information["consents"]["current"]] == [purpose]


def test_the_package_on_disk_is_encrypted_and_holds_no_value_in_clear(harness: Harness) -> None:
    harness.approved(RequestType.ACCESS)
    harness.run()
    files = [p for p in harness.packages.iterdir() if p.is_file()]
    assert len(files) == 1
    raw = files[0].read_bytes()
    person = harness.demo.known_person
    for value in (person.email, person.last_name, person.phone):
        assert value.encode() not in raw
    # And no working file is left beside it.
    assert [p.name for p in harness.packages.iterdir()] == [files[0].name]


def test_a_portability_package_holds_only_the_collections_declared_portable(
    harness: Harness,
) -> None:
    # Derived data is not the person's to carry away: say so of one collection.
    data = yaml.safe_load(harness.demo.declaration.read_text("utf-8"))
    data["datastores"]["amikeo_app"]["collections"]["activity_events"]["portable"] = False
    harness.demo.declaration.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    harness.declaration = load(harness.demo.declaration)
    request_id = harness.approved(RequestType.PORTABILITY, language="en")
    assert harness.run() == JobStatus.DONE
    body = harness.completion_body(request_id)
    assert body.startswith("Hello")
    names = _zip(harness, _token(body)).namelist()
    records = {n for n in names if n.startswith("records/") and n.endswith(".json")}
    assert "records/amikeo_app.accounts.json" in records
    assert "records/amikeo_app.activity_events.json" not in records


def test_an_erasure_leaves_the_person_only_under_legal_hold_and_nobody_else_touched(
    harness: Harness,
) -> None:
    before = harness.company_rows()
    connectors = open_datastores(harness.declaration, harness.demo.environment or None)
    try:
        identities = {k: [v] for k, v in harness.demo.identities.items()}
        mine = locate(plan_for(harness.declaration), connectors, identities).keys
    finally:
        close_all(connectors)
    person = harness.demo.known_person
    request_id = harness.approved(RequestType.ERASURE)
    assert harness.run() == JobStatus.DONE
    after = harness.company_rows()
    outcome = json.loads(harness.row(request_id).outcome)
    held = {entry["collection"].split(".")[1] for entry in outcome["kept"]}
    assert held == {"payments"}, "AMIKEO keeps its payments ten years (Code de commerce)"
    for table, rows in before.items():
        theirs = set(mine.get(("amikeo_app", table), []))
        for key, row in rows.items():
            if key[0] not in theirs:
                assert after[table].get(key) == row, f"{table} {key}: another person's row changed"
    for table, rows in after.items():
        if table in held:
            continue
        # The e-mail and phone are the person's alone: nowhere in the table. A surname
        # may be another person's too: not in the person's own rows.
        for value in (person.email, person.phone):
            assert value not in repr(rows), f"{table} still holds {value!r}"
        for key in mine.get(("amikeo_app", table), []):
            assert person.last_name not in repr(rows.get((key,))), f"{table} {key}"
    row = harness.row(request_id)
    assert row.state == RequestState.COMPLETED.value
    assert row.identities_sealed is None, "the request's identities are shredded"
    assert outcome["rows"] > 0
    # The person is told what was kept, why and until when, in words.
    body = harness.completion_body(request_id)
    assert "Code de commerce" in body and "Nous conservons les données suivantes" in body
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body), "dates in words, not ISO"


def test_an_erasure_killed_after_a_datastore_step_finishes_without_doing_it_twice(
    harness: Harness,
) -> None:
    """The external step committed in the company database but was not recorded: the retry
    finds nothing left to erase there, records the step once, and completes."""
    request_id = harness.approved(RequestType.ERASURE)
    handler = harness.handler()
    job = claim(harness.store, "w1", [REQUEST_EXECUTE], DEFAULT_LEASE)
    assert job is not None

    from gardien.jobs import JobContext

    class CrashAfterErase(JobContext):
        def external_step(self, name: str, run: Any, *, on_record: Any = None) -> Any:
            if name.startswith("erase:"):
                run()  # the company database commits…
                raise RuntimeError("worker died")  # …and the record never happens
            return super().external_step(name, run, on_record=on_record)

    with pytest.raises(RuntimeError):
        handler(CrashAfterErase(store=harness.store, job=job, lease=DEFAULT_LEASE))
    # The retry, on another worker.
    status = run_job(harness.store, job, handler, lease=DEFAULT_LEASE)
    assert status == JobStatus.DONE
    with harness.store.engine.connect() as conn:
        from gardien.jobs import job_steps

        steps = conn.execute(
            select(job_steps.c.name, func.count()).where(job_steps.c.job_id == job.id)
            .group_by(job_steps.c.name)
        ).all()  # fmt: skip
    assert all(count == 1 for _, count in steps)
    assert {name for name, _ in steps} == {"erase:amikeo_app", "vault", "complete"}
    assert harness.row(request_id).state == RequestState.COMPLETED.value


def test_a_rectification_sets_the_new_value_on_every_row_that_holds_it(harness: Harness) -> None:
    request_id = harness.approved(
        RequestType.RECTIFICATION, details={"changes": {"user.name.last": "Rectifiée"}}
    )
    assert harness.run() == JobStatus.DONE
    after = harness.company_rows()
    assert "Rectifiée" in repr(after["accounts"])
    assert harness.demo.known_person.last_name not in repr(after["accounts"])
    assert json.loads(harness.row(request_id).outcome)["rows"] >= 1


def test_a_new_email_is_rectified_in_the_company_database_and_in_gardiens_vault(
    harness: Harness,
) -> None:
    old = harness.demo.known_person.email
    with harness.store.engine.begin() as conn:
        subject = harness.vault.register(conn, {"email": old}, actor=harness.actor).subject_id
    harness.approved(
        RequestType.RECTIFICATION,
        details={"changes": {"amikeo_app.accounts.email": "nouvelle.adresse@example.org"}},
    )
    assert harness.run() == JobStatus.DONE
    assert "nouvelle.adresse@example.org" in repr(harness.company_rows()["accounts"])
    with harness.store.engine.connect() as conn:
        assert harness.vault.find(conn, "email", "nouvelle.adresse@example.org") == subject
        assert harness.vault.find(conn, "email", old) is None


def test_a_restriction_is_recorded_so_that_checks_deny(harness: Harness) -> None:
    harness.approved(RequestType.RESTRICTION, details={"ground": "accuracy_contested"})
    assert harness.run() == JobStatus.DONE
    with harness.store.engine.connect() as conn:
        subject = harness.vault.find(conn, "email", harness.demo.known_person.email)
        assert subject is not None
        limits = active_limits(conn, subject)
    assert [limit.kind.value for limit in limits] == ["restriction"]


def test_an_objection_and_a_withdrawal_are_recorded_for_the_purposes_named(
    harness: Harness,
) -> None:
    purposes = harness.declaration.purposes
    objected = next(n for n, p in purposes.items() if p.objection_allowed)
    withdrawn = next(n for n, p in purposes.items() if p.consent is not None)
    harness.approved(RequestType.OBJECTION, details={"purposes": [objected]})
    assert harness.run() == JobStatus.DONE
    harness.approved(RequestType.WITHDRAWAL, details={"purposes": [withdrawn]})
    assert harness.run() == JobStatus.DONE
    with harness.store.engine.connect() as conn:
        subject = harness.vault.find(conn, "email", harness.demo.known_person.email)
        assert subject is not None
        limits = active_limits(conn, subject)
        overview = consent_overview(conn, harness.declaration, subject, actor=harness.actor)
    assert [(limit.kind.value, limit.purpose) for limit in limits] == [("objection", objected)]
    assert [(c.purpose, c.status.value) for c in overview.choices] == [(withdrawn, "withdrawn")]


def test_a_request_withdrawn_before_the_worker_reaches_it_is_not_carried_out(
    harness: Harness,
) -> None:
    before = harness.company_rows()
    request_id = harness.approved(RequestType.ERASURE)
    with harness.store.engine.begin() as conn:
        withdraw(conn, request_id, actor=harness.actor)
    assert harness.run() == JobStatus.FAILED  # at once: retrying would not change it
    assert harness.company_rows() == before
    assert harness.row(request_id).state == RequestState.WITHDRAWN.value


def test_a_column_that_disappeared_blocks_the_request_naming_it_and_changes_nothing(
    harness: Harness,
) -> None:
    engine = create_engine(harness.demo.database_url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE support_requests DROP COLUMN subject"))
    engine.dispose()
    before = harness.company_rows()
    request_id = harness.approved(RequestType.ERASURE)
    assert harness.run() == JobStatus.QUEUED  # retried: the schema may be put right
    row = harness.row(request_id)
    assert row.state == RequestState.BLOCKED.value
    assert "subject" in row.blocked_reason and "support_requests" in row.blocked_reason
    assert harness.company_rows() == before


def test_a_new_email_another_subject_holds_blocks_the_rectification_with_the_reason(
    harness: Harness,
) -> None:
    with harness.store.engine.begin() as conn:
        harness.vault.register(
            conn, {"email": harness.demo.known_person.email}, actor=harness.actor
        )
        harness.vault.register(conn, {"email": "taken@example.org"}, actor=harness.actor)
    request_id = harness.approved(
        RequestType.RECTIFICATION,
        details={"changes": {"amikeo_app.accounts.email": "taken@example.org"}},
    )
    assert harness.run() == JobStatus.FAILED  # a person must decide: not retried
    row = harness.row(request_id)
    assert row.state == RequestState.BLOCKED.value
    assert "taken@example.org" not in row.blocked_reason
    assert "another person" in row.blocked_reason
    # Refused before any datastore changed.
    assert harness.demo.known_person.email in repr(harness.company_rows()["accounts"])


def test_an_unreachable_datastore_blocks_the_request_with_its_reason_then_it_resumes(
    harness: Harness,
) -> None:
    request_id = harness.approved(RequestType.ACCESS)
    database = Path(harness.demo.database_url.removeprefix("sqlite:///"))
    hidden = database.with_suffix(".away")
    database.rename(hidden)
    try:
        database.mkdir()  # a directory where the database was: SQLite cannot open it
        assert harness.run() == JobStatus.QUEUED
        row = harness.row(request_id)
        assert row.state == RequestState.BLOCKED.value
        assert row.blocked_reason
    finally:
        database.rmdir()
        hidden.rename(database)
    with harness.store.engine.begin() as conn:
        conn.execute(jobs.update().values(run_after=utcnow()))
    assert harness.run() == JobStatus.DONE
    assert harness.row(request_id).state == RequestState.COMPLETED.value


class Receiver:
    """A recipient's webhook endpoint on the loopback: answers from a script, keeps what came."""

    def __init__(self, answers: list[int]) -> None:
        self.answers = answers
        self.received: list[tuple[bytes, str]] = []
        self.headers: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((body, self.headers.get(SIGNATURE_HEADER, "")))
                outer.headers.append(dict(self.headers))
                self.send_response(outer.answers.pop(0) if outer.answers else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/gardien"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_recipients_with_a_webhook_are_told_of_an_erasure_signed_retried_and_logged(
    harness: Harness,
) -> None:
    receiver = Receiver([503])  # the first attempt meets an outage
    try:
        data = yaml.safe_load(harness.demo.declaration.read_text("utf-8"))
        data["recipients"]["brevo"]["webhook"] = {
            "url": receiver.url, "secret": {"$env": "BREVO_WEBHOOK_SECRET"},
        }  # fmt: skip
        harness.demo.declaration.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        harness.declaration = load(harness.demo.declaration)
        request_id = harness.approved(RequestType.ERASURE)
        assert harness.run() == JobStatus.DONE
        outcome = json.loads(harness.row(request_id).outcome)
        assert outcome["recipients_notified"] == ["brevo"]
        assert "Brevo (Sendinblue SAS)" in harness.completion_body(request_id)
        # The queue holds the identities sealed, never in clear.
        with harness.store.engine.connect() as conn:
            payload = conn.execute(
                select(jobs.c.payload).where(jobs.c.kind == RECIPIENT_NOTICE)
            ).scalar_one()
        assert harness.demo.known_person.email not in payload
        handler = notice_handler(
            harness.store, harness.vault, harness.declaration, harness.actor,
            environ={"BREVO_WEBHOOK_SECRET": "brevo-secret"},
        )  # fmt: skip
        statuses = []
        for _ in range(2):
            with harness.store.engine.begin() as conn:
                conn.execute(jobs.update().values(run_after=utcnow()))
            job = claim(harness.store, "w1", [RECIPIENT_NOTICE], DEFAULT_LEASE)
            assert job is not None
            statuses.append(run_job(harness.store, job, handler, lease=DEFAULT_LEASE))
        assert statuses == [JobStatus.QUEUED, JobStatus.DONE]
        body, signature = receiver.received[-1]
        assert verify_signature(body, signature, b"brevo-secret")
        notice = json.loads(body)
        assert notice["type"] == "gardien.erasure" and notice["request_id"] == request_id
        assert harness.demo.known_person.email in notice["identities"]["email"]
        with harness.store.engine.connect() as conn:
            log = deliveries(conn, request_id)
        assert [(d["attempt"], d["status"], d["delivered"]) for d in log] == [
            (1, 503, False),
            (2, 204, True),
        ]
    finally:
        receiver.close()


def test_the_purge_deletes_packages_taken_or_expired_and_files_no_package_names(
    harness: Harness,
) -> None:
    request_id = harness.approved(RequestType.ACCESS)
    harness.run()
    token = _token(harness.completion_body(request_id))
    harness.packages.joinpath("abandoned.zip.sealed").write_bytes(b"x")
    harness.packages.joinpath(".work-abandoned").mkdir()
    old = (utcnow() - dt.timedelta(days=2)).timestamp()
    for stray in ("abandoned.zip.sealed", ".work-abandoned"):
        os.utime(harness.packages / stray, (old, old))
    # Not yet taken, not expired: it stays; the strays go.
    assert purge_packages(harness.store, harness.packages, actor=harness.actor) == 2
    assert len(list(harness.packages.iterdir())) == 1
    _zip(harness, token)
    assert purge_packages(harness.store, harness.packages, actor=harness.actor) == 1
    assert list(harness.packages.iterdir()) == []


def test_a_portability_package_is_sent_to_the_controller_the_person_names(
    harness: Harness,
) -> None:
    receiver = Receiver([503])  # the other controller is down at first: retried
    try:
        request_id = harness.approved(
            RequestType.PORTABILITY, details={"destination": receiver.url}
        )
        assert harness.run() == JobStatus.QUEUED
        with harness.store.engine.begin() as conn:
            conn.execute(jobs.update().values(run_after=utcnow()))
        assert harness.run() == JobStatus.DONE
        body, _ = receiver.received[-1]
        headers = receiver.headers[-1]
        assert headers["Content-Type"] == "application/zip"
        assert headers["Idempotency-Key"].startswith(request_id)
        sent = zipfile.ZipFile(io.BytesIO(body))
        accounts = json.loads(sent.read("records/amikeo_app.accounts.json"))
        assert [r["email"] for r in accounts["rows"]] == [harness.demo.known_person.email]
        # Sent once, recorded; the person also gets their own link.
        assert len(receiver.received) == 2
        outcome = json.loads(harness.row(request_id).outcome)
        assert outcome["sent_to_destination"] is True
        assert "/downloads/" in harness.completion_body(request_id)
    finally:
        receiver.close()
