"""Every write path leaves an audit entry: each API route, each CLI command, each worker handler.

The paths are enumerated from the code (the app's routes, the Typer app's
commands, ``worker_handlers``), and each must have a scenario here or a
reason it writes nothing: a path added without either fails
``test_every_*_is_covered``. Each scenario runs the path for real against a
fresh store and compares the store before and after: a change to any table
that holds personal data or records a decision, without a new audit entry,
fails. Successful API calls must append an entry even when they change
nothing (a read of personal data is an access too); refused ones must
change nothing and record nothing, a refused disclosure excepted.

What "state" leaves out, and why: the audit trail itself; Alembic's version
tables; job bookkeeping (``jobs``, ``job_steps``: the record of work, whose
effects land in the other tables); and ``vault_keys``, the vault's own
secrets, derived once on first use.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import typer.main
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Engine, MetaData, create_engine, select, text, update

from actors import actor_of
from api_cases import CASES, Setup, event_binding
from gardien.audit import audit_log
from gardien.auth import Role, create_key
from gardien.cli import app as cli_app
from gardien.cli import main
from gardien.connectors.webhooks import NoticeKind
from gardien.consent import Proof, record_consent
from gardien.declaration import load_valid
from gardien.jobs import JobContext, enqueue, jobs
from gardien.jobs.queue import claim
from gardien.notifications import (
    EXPIRY_SWEEP,
    ORPHAN_PURGE,
    RENEWAL,
    REQUEST_EXPIRY,
    worker_handlers,
)
from gardien.requests import RequestChannel, RequestType, VerificationMethod
from gardien.requests.decisions import REQUEST_EXECUTE
from gardien.requests.downloads import PACKAGES_SECRET, new_file_key, publish_package, wrap_key
from gardien.requests.handlers import PACKAGE_PURGE
from gardien.requests.intake import CodePolicy, Submission, submit
from gardien.requests.package import BuiltPackage, PackageKind
from gardien.requests.recipients import RECIPIENT_NOTICE, queue_notices
from gardien.requests.sealed_file import SealedWriter
from gardien.retention import RETENTION_SWEEP
from gardien.settings import Settings
from gardien.store import Store
from gardien.store.types import utcnow
from gardien.vault import Vault, load_master_key
from gardien.vault.tables import data_keys
from gardien.web import build_runtime, create_app
from gardien.web.app import API_PREFIX, API_ROUTERS, PAGE_ROUTERS, api_endpoints
from request_orders import approved_request

NOT_STATE = {"audit_log", "alembic_version", "keystore_version", "jobs", "job_steps", "vault_keys"}


def _snapshot(engine: Engine) -> dict[str, str]:
    """A digest of each table's rows, in a stable order."""
    metadata = MetaData()
    metadata.reflect(engine)
    digests = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name in NOT_STATE:
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns or table.c))
            digests[name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return digests


@dataclass
class State:
    tables: dict[str, str]
    actions: list[str]

    @property
    def audit(self) -> int:
        return len(self.actions)

    def since(self, before: State) -> list[str]:
        """The actions of the entries appended after ``before``."""
        return self.actions[before.audit :]


def _state(store: Store) -> State:
    with store.engine.connect() as conn:
        actions = list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())
    return State({**_snapshot(store.engine), **_snapshot(store.keystore)}, actions)


def _changed(before: State, after: State) -> list[str]:
    return sorted(name for name in after.tables if after.tables[name] != before.tables.get(name))


@pytest.fixture
def settings(tmp_path: Path, store_urls: Any, write_declaration: Callable[..., Path]) -> Settings:
    return Settings(
        config=write_declaration(event_binding(tmp_path)),
        database_url=store_urls.database_url,
        keystore_url=store_urls.keystore_url,
        master_key=base64.b64encode(os.urandom(32)).decode(),
        redact_preload=False,
        outbox=tmp_path / "outbox.jsonl",
        # Setups make many keyless requests from one address; tests/requests covers the limit.
        request_intake_limit=10_000,
        request_verify_limit=10_000,
    )


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(settings, build_runtime(settings, store))) as test_client:
        yield test_client


@pytest.fixture
def admin(client: TestClient, store: Store, settings: Settings) -> dict[str, str]:
    vault = Vault(store, load_master_key(settings))
    with store.engine.begin() as conn:
        token = create_key(conn, Role.ADMIN, "coverage", actor=actor_of(vault)).token
    return {"Authorization": f"Bearer {token}"}


# API routes -------------------------------------------------------------------------


def _route_names(client: TestClient) -> set[str]:
    """Every route the app serves: its own (documentation), the pages, the API."""
    routes = [(route, "") for route in client.app.routes]  # type: ignore[attr-defined]
    routes += [(route, "") for router in PAGE_ROUTERS for route in router.routes]
    routes += [(route, API_PREFIX) for router in API_ROUTERS for route in router.routes]
    names = set()
    for route, prefix in routes:
        for method in getattr(route, "methods", None) or ():
            if method not in ("HEAD", "OPTIONS"):
                path = getattr(route, "path_format", route.path)
                names.add(f"{method} {prefix}{path}")
    return names


#: Routes outside the API that read or change nothing personal, and why.
PUBLIC_READS = {
    "GET /healthz": "liveness and the declaration version",
    "GET /.well-known/gpc.json": "a static support resource",
    "GET /notice/{lang}": "the published notice",
    "GET /problems/{slug}": "the description of a problem type",
    "GET /unsubscribe/{token}": "a confirmation page: GET never changes anything",
    "GET /downloads/{token}": "a confirmation page: GET never spends the one download",
    "GET /api/v1/openapi.json": "the API's description",
    "GET /api/v1/docs": "the API's interactive page",
    "GET /api/v1/docs/assets/{name}": "the interactive page's script and stylesheet",
    "GET /": "the front page: what runs and where to go",
    "GET /static/{name}": "the pages' stylesheet",
    "GET /privacy-center": "the request form (it sets the CSRF cookie, stores nothing)",
    "GET /privacy-center/consent.js": "the cookie banner's script",
    "GET /privacy-center/consent.css": "the cookie banner's stylesheet",
    "GET /privacy-center/consent-config.json": "what the banner shows, from the declaration",
    "GET /console/login": "the console's sign-in form (it sets the CSRF cookie, stores nothing)",
    "GET /console/register": "the Art. 30 register in force: the declaration, nothing personal",
    "GET /console/notice": "the notice in force, as /notice/{lang} publishes it",
    "GET /console/retention": "the retention plan: counts of due rows, as `retention plan`",
    "GET /console/keys": "key prefixes, roles and labels, as `keys list` (never a secret)",
}

#: What each console action appends to the trail, under the staff member's name (the same
#: room functions as the API and the CLI: the same entries).
CONSOLE_ACTIONS = {
    "POST /console/login": ["user.login"],
    "GET /console": ["request.list"],
    "GET /console/requests/{request_id}": ["request.read"],
    "POST /console/requests/{request_id}/verify": ["request.transition"],
    "POST /console/requests/{request_id}/approve": ["request.transition"],
    "POST /console/requests/{request_id}/extend": ["request.extend"],
    "POST /console/requests/{request_id}/reject": ["request.transition"],
    "GET /console/audit": ["audit.read"],
    "POST /console/audit/verify": ["audit.verify", "audit.read"],
    "POST /console/keys": ["key.create"],
    "POST /console/keys/{prefix}/revoke": ["key.revoke"],
    "POST /console/logout": ["user.logout"],
}

#: What each privacy-center action appends to the trail (the same room functions as the
#: API's keyless calls, so the same entries: a person's own request is sent its code).
PAGE_ACTIONS = {
    "POST /privacy-center/requests": ["request.receive", "request.transition", "request.code_send"],
    "GET /privacy-center/requests/{request_id}": ["request.read"],
    "POST /privacy-center/requests/{request_id}/resend": ["request.code_send"],
    "POST /privacy-center/requests/{request_id}/verify": ["request.transition"],
    "POST /privacy-center/requests/{request_id}/withdraw": ["request.transition"],
    # One consent.record per purpose chosen (tests/web/test_banner.py checks the trail).
    "POST /privacy-center/consent-choices": ["subject.create", "consent.record"],
}

#: The person's side of the privacy center: sign-in by code, consents, the notice.
PERSON_READS = {
    "GET /privacy-center/notice": "the published notice, inside the privacy center",
    "GET /privacy-center/brand.css": "the stylesheet of the declared colours",
}
PERSON_ACTIONS = {
    "POST /privacy-center/sign-in": ["person.signin_code"],
    "POST /privacy-center/sign-in/code": ["person.sign_in"],
    "POST /privacy-center/consents/{purpose}/give": ["subject.create", "consent.record"],
    "GET /privacy-center/consents": ["consent.read"],
    "GET /privacy-center/consents/receipts/{receipt_id}": ["consent.read"],
    "POST /privacy-center/consents/{purpose}/withdraw": ["consent.record"],
    "POST /privacy-center/consents/{purpose}/object": ["limit.record"],
    "POST /privacy-center/sign-in/restart": [],  # forgets the browser's sign-in cookie only
    "POST /privacy-center/sign-out": ["person.sign_out"],
}


#: What each API call appends to the trail, in order.
API_ACTIONS = {
    "POST /api/v1/subjects": ["subject.create"],
    "POST /api/v1/subjects/lookup": ["subject.read"],
    "GET /api/v1/subjects/{subject_id}": ["subject.read"],
    "POST /api/v1/subjects/{subject_id}/erase": ["subject.erase"],
    "POST /api/v1/consents": ["subject.create", "consent.record"],
    "GET /api/v1/subjects/{subject_id}/consents": ["consent.read"],
    "GET /api/v1/consents/{receipt_id}/receipt": ["consent.read"],
    "POST /api/v1/checks": ["check"],
    "POST /api/v1/objections": ["subject.read", "limit.record"],
    "POST /api/v1/restrictions": ["subject.read", "limit.record"],
    "POST /api/v1/restrictions/lift": ["subject.read", "limit.lift"],
    "POST /api/v1/unsubscribe-links": ["subject.read", "consent.unsubscribe_link"],
    "POST /api/v1/redact": ["text.redact"],
    "POST /api/v1/redact/batch": ["text.redact"],
    "POST /api/v1/redact/restore": ["text.restore"],
    "GET /api/v1/audit": ["audit.read"],
    "POST /api/v1/requests": ["request.receive", "request.transition"],
    "POST /api/v1/requests/{request_id}/verify": ["request.transition"],
    "POST /api/v1/requests/{request_id}/resend": ["request.code_send"],
    "POST /api/v1/requests/{request_id}/status": ["request.read"],
    "POST /api/v1/requests/{request_id}/withdraw": ["request.transition"],
    "GET /api/v1/requests": ["request.list"],
    "GET /api/v1/requests/{request_id}": ["request.read"],
    "POST /api/v1/requests/{request_id}/approve": ["request.transition"],
    "POST /api/v1/requests/{request_id}/reject": ["request.transition"],
    "POST /api/v1/requests/{request_id}/extend": ["request.extend"],
    "POST /api/v1/directives/retrieve": ["directive.retrieve"],
    "POST /api/v1/directives/retrievals/{retrieval_id}/verify": ["directive.retrieve"],
    "POST /api/v1/directives/{directive_id}/release": ["directive.release"],
    "POST /api/v1/retention-events": ["retention.event"],
}


def test_every_route_is_covered(client: TestClient) -> None:
    api = {f"{e.method} {e.path}" for e in api_endpoints()}
    assert set(CASES) == set(API_ACTIONS) == api
    covered = api | set(PUBLIC_READS) | set(PAGE_ACTIONS) | set(CONSOLE_ACTIONS)
    covered |= {"POST /unsubscribe/{token}", "POST /downloads/{token}"}
    covered |= set(PERSON_READS) | set(PERSON_ACTIONS)
    assert _route_names(client) == covered, "give the new route a scenario or a reason"


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_api_call_is_audited_and_bad_input_writes_nothing(
    client: TestClient, admin: dict[str, str], store: Store, name: str
) -> None:
    call = CASES[name](Setup(client, admin))
    method = name.split()[0]
    before = _state(store)
    if method == "GET":
        response = client.get(call.path, params=call.params, headers=admin)
    else:
        response = client.post(call.path, json=call.body, params=call.params, headers=admin)
    assert response.status_code == call.status, response.text
    after = _state(store)
    assert after.since(before) == API_ACTIONS[name]
    if method == "POST" and call.body:
        refused = client.post(call.path, json={"unexpected": 1}, headers=admin)
        assert refused.status_code == 422
        assert _state(store) == after, f"{name}: a refused request changed something"


def test_the_public_pages_change_nothing(client: TestClient, store: Store) -> None:
    before = _state(store)
    for path in ("/healthz", "/.well-known/gpc.json", "/notice/fr", "/problems/not-found"):
        assert client.get(path).status_code == 200
    assert client.get("/unsubscribe/not-a-token").status_code == 400
    assert _state(store) == before


def test_the_privacy_centers_actions_are_audited_and_a_forged_form_writes_nothing(
    client: TestClient, admin: dict[str, str], store: Store
) -> None:
    setup = Setup(client, admin)
    page = client.get("/privacy-center")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf is not None
    form = {"csrf": csrf.group(1), "type": "access", "email": "p.c@example.com"}
    before = _state(store)
    forged = client.post("/privacy-center/requests", data={**form, "csrf": "0" * 64})
    assert forged.status_code == 403 and _state(store) == before
    steps: list[tuple[str, Callable[[], Any]]] = []
    made = client.post("/privacy-center/requests", data=form, follow_redirects=False)
    path = urlsplit(made.headers["location"]).path
    steps.append(("POST /privacy-center/requests", lambda: made))
    steps.append(("GET /privacy-center/requests/{request_id}", lambda: client.get(path)))
    steps.append(("POST /privacy-center/requests/{request_id}/resend",
                  lambda: client.post(f"{path}/resend", data={"csrf": form["csrf"]}, follow_redirects=False)))  # fmt: skip
    steps.append(("POST /privacy-center/requests/{request_id}/verify",
                  lambda: client.post(f"{path}/verify",
                                      data={"csrf": form["csrf"], "code": setup.last_code()}, follow_redirects=False)))  # fmt: skip
    steps.append(("POST /privacy-center/requests/{request_id}/withdraw",
                  lambda: client.post(f"{path}/withdraw", data={"csrf": form["csrf"]}, follow_redirects=False)))  # fmt: skip
    trail = _state(store).since(before)
    assert trail == PAGE_ACTIONS["POST /privacy-center/requests"]
    for name, step in steps[1:]:
        before = _state(store)
        assert step().status_code in (200, 303), name
        assert _state(store).since(before) == PAGE_ACTIONS[name], name


def test_the_persons_privacy_center_is_audited_and_a_forged_form_writes_nothing(
    client: TestClient, store: Store
) -> None:
    page = client.get("/privacy-center/consents")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf is not None
    form = {"csrf": csrf.group(1)}
    before = _state(store)
    forged = client.post("/privacy-center/sign-in", data={"email": "p@example.com", "csrf": "0"})
    assert forged.status_code == 403 and _state(store) == before
    for path in PERSON_READS:
        assert client.get(path.split()[1]).status_code == 200
    assert _state(store) == before

    def code() -> str:
        with store.engine.connect() as conn:
            payload = conn.execute(
                select(jobs.c.payload).order_by(jobs.c.id.desc()).limit(1)
            ).scalar_one()
        found = re.search(r"\b(\d{6})\b", json.loads(payload)["subject"])
        assert found is not None
        return found.group(1)

    def receipt() -> Any:
        listed = client.get("/privacy-center/consents").text
        found = re.search(r"/privacy-center/consents/receipts/[0-9a-f]{32}", listed)
        assert found is not None
        return lambda: client.get(found.group(0))

    post = functools.partial(client.post, follow_redirects=False)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("POST /privacy-center/sign-in",
         lambda: post("/privacy-center/sign-in", data={**form, "email": "p@example.com"})),
        ("POST /privacy-center/sign-in/code",
         lambda: post("/privacy-center/sign-in/code", data={**form, "code": code()})),
        ("POST /privacy-center/consents/{purpose}/give",
         lambda: post("/privacy-center/consents/newsletter/give", data=form)),
        ("GET /privacy-center/consents", lambda: client.get("/privacy-center/consents")),
    ]  # fmt: skip
    for name, step in steps:
        before = _state(store)
        assert step().status_code in (200, 303), name
        assert _state(store).since(before) == PERSON_ACTIONS[name], name
    fetch = receipt()
    steps = [
        ("GET /privacy-center/consents/receipts/{receipt_id}", fetch),
        ("POST /privacy-center/consents/{purpose}/withdraw",
         lambda: post("/privacy-center/consents/newsletter/withdraw", data=form)),
        ("POST /privacy-center/consents/{purpose}/object",
         lambda: post("/privacy-center/consents/newsletter/object", data=form)),
        ("POST /privacy-center/sign-in/restart",
         lambda: post("/privacy-center/sign-in/restart", data=form)),
        ("POST /privacy-center/sign-out", lambda: post("/privacy-center/sign-out", data=form)),
    ]  # fmt: skip
    for name, step in steps:
        before = _state(store)
        assert step().status_code in (200, 303), name
        assert _state(store).since(before) == PERSON_ACTIONS[name], name


def test_the_consoles_actions_are_audited_and_a_forged_form_writes_nothing(
    client: TestClient, store: Store, settings: Settings
) -> None:
    from gardien.auth import create_user

    vault = Vault(store, load_master_key(settings))
    with store.engine.begin() as conn:
        create_user(conn, "admin@staff.example", "correct horse battery staple", Role.ADMIN,
                    actor=actor_of(vault))  # fmt: skip
    page = client.get("/console/login")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf is not None
    field = {"csrf": csrf.group(1)}
    login = {**field, "email": "admin@staff.example", "password": "correct horse battery staple"}
    before = _state(store)
    forged = client.post("/console/login", data={**login, "csrf": "0" * 64})
    assert forged.status_code == 403 and _state(store) == before
    verifiable = _verified_request(settings, store)
    extendable = _verified_request(settings, store)
    rejectable = _verified_request(settings, store)
    with store.engine.begin() as conn:
        submission = Submission(RequestType.ACCESS, {"email": "c.v@example.com"})
        waiting = submit(conn, vault, load_valid(settings.config), submission,
                         channel=RequestChannel.PUBLIC, actor=actor_of(vault),
                         codes=CodePolicy()).id  # fmt: skip
        prefix = create_key(conn, Role.AGENT, "to revoke", actor=actor_of(vault)).key.prefix
    base = "/console/requests"
    post = client.post
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("POST /console/login", lambda: post("/console/login", data=login, follow_redirects=False)),
        ("GET /console", lambda: client.get("/console")),
        ("GET /console/requests/{request_id}", lambda: client.get(f"{base}/{verifiable}")),
        ("POST /console/requests/{request_id}/verify",
         lambda: post(f"{base}/{waiting}/verify", data={**field, "method": "in_person",
                                                        "note": "Seen at the desk."},
                      follow_redirects=False)),
        ("POST /console/requests/{request_id}/approve",
         lambda: post(f"{base}/{verifiable}/approve", data=field, follow_redirects=False)),
        ("POST /console/requests/{request_id}/extend",
         lambda: post(f"{base}/{extendable}/extend", data={**field, "reason": "Busy."},
                      follow_redirects=False)),
        ("POST /console/requests/{request_id}/reject",
         lambda: post(f"{base}/{rejectable}/reject", data={**field, "reason": "No data."},
                      follow_redirects=False)),
        ("GET /console/audit", lambda: client.get("/console/audit")),
        ("POST /console/audit/verify", lambda: post("/console/audit/verify", data=field)),
        ("POST /console/keys", lambda: post("/console/keys", data={**field, "role": "service"})),
        ("POST /console/keys/{prefix}/revoke",
         lambda: post(f"/console/keys/{prefix}/revoke", data=field, follow_redirects=False)),
        ("POST /console/logout", lambda: post("/console/logout", data=field,
                                              follow_redirects=False)),
    ]  # fmt: skip
    assert [name for name, _ in steps] == list(CONSOLE_ACTIONS)
    for name, step in steps:
        before = _state(store)
        assert step().status_code in (200, 303), name
        assert _state(store).since(before) == CONSOLE_ACTIONS[name], name
    for path in ("/console/register", "/console/notice", "/console/retention", "/console/keys"):
        client.cookies.clear()
        post("/console/login", data=login, follow_redirects=False)
        before = _state(store)
        assert client.get(path).status_code == 200, path
        assert _state(store).since(before) == [], path


def test_one_click_unsubscribe_is_audited(
    client: TestClient, admin: dict[str, str], store: Store
) -> None:
    setup = Setup(client, admin)
    _, identity = setup.subject()
    link = client.post(
        "/api/v1/unsubscribe-links",
        json={"identity": identity, "purpose": "newsletter"},
        headers=admin,
    ).json()["url"]
    before = _state(store)
    page = urlsplit(link).path
    assert client.post(page, data={"List-Unsubscribe": "One-Click"}).is_success
    after = _state(store)
    assert _changed(before, after) == ["processing_limits"]
    assert after.since(before) == ["limit.record"]


def test_taking_a_package_is_audited(
    client: TestClient, store: Store, settings: Settings, tmp_path: Path
) -> None:
    token = _package(settings, store, expired=False)
    before = _state(store)
    assert client.post(f"/downloads/{token}").status_code == 200
    after = _state(store)
    assert _changed(before, after) == ["request_packages"]
    assert after.since(before) == ["request.package_download"]


def _package(settings: Settings, store: Store, *, expired: bool) -> str:
    """A published package, as the executor leaves one (a sealed zip and its row)."""
    vault = Vault(store, load_master_key(settings))
    package_id = uuid.uuid4().hex
    key = new_file_key()
    directory = settings.resolved_packages_dir
    directory.mkdir(parents=True, exist_ok=True)
    writer = SealedWriter(directory / f"{package_id}.zip.sealed", key, package_id)
    writer.write(b"PK not really a zip")
    writer.close()
    built = BuiltPackage(f"{package_id}.zip.sealed", writer.sealed_size, writer.tell(),
                         writer.sha256, {})  # fmt: skip
    with store.engine.begin() as conn:
        return publish_package(
            conn, package_id=package_id, request_id=uuid.uuid4().hex,
            kind=PackageKind.ACCESS, built=built,
            wrapped_key=wrap_key(vault.derived_secret(PACKAGES_SECRET), package_id, key),
            lifetime=dt.timedelta(days=7),
            now=utcnow() - (dt.timedelta(days=8) if expired else dt.timedelta(0)),
        )  # fmt: skip


# CLI commands -----------------------------------------------------------------------


def _command_names() -> set[str]:
    def walk(command: Any, prefix: str) -> Iterator[str]:
        if hasattr(command, "commands"):  # a group (typer vendors click: duck-typed)
            for name, sub in command.commands.items():
                yield from walk(sub, f"{prefix} {name}".strip())
        else:
            yield prefix

    return set(walk(typer.main.get_command(cli_app), ""))


#: Commands that change nothing in the store, and why.
NO_STORE_WRITES = {
    "init": "writes a starter privacy.yaml and a key file, no store",
    "validate": "reads a declaration",
    "notice": "renders a declaration",
    "register": "renders a declaration",
    "lint-policy": "reads a policy text",
    "redact": "filters text from files to standard output; opens no store",
    "keys list": "reads key prefixes and roles, no personal data; never migrates",
    "users list": "reads staff accounts (e-mail, role, state), never a password; never migrates",
    "datastores check": "reads the company's databases' schemas; opens no gardien store",
    "retention plan": "counts the company's due rows; opens no gardien store",
    "audit verify": "checks hashes; never migrates",
    "db upgrade": "the schema only",
    "serve": "its writes are the API routes' (above) and the declaration put in force, "
    "which is `declaration apply`'s room function",
    "worker": "its writes are the handlers' (below)",
}


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, settings: Settings, store: Store) -> Settings:
    monkeypatch.setenv("GARDIEN_CONFIG", str(settings.config))
    monkeypatch.setenv("GARDIEN_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("GARDIEN_KEYSTORE_URL", settings.resolved_keystore_url)
    assert settings.master_key is not None
    monkeypatch.setenv("GARDIEN_MASTER_KEY", settings.master_key.get_secret_value())
    return settings


def _run(*args: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    assert exited.value.code in (0, None), f"gardien {' '.join(args)} failed"


def _revoke(settings: Settings, store: Store) -> list[str]:
    vault = Vault(store, load_master_key(settings))
    with store.engine.begin() as conn:
        prefix = create_key(conn, Role.AGENT, "to revoke", actor=actor_of(vault)).key.prefix
    return ["keys", "revoke", prefix]


def _rotate(settings: Settings, store: Store) -> list[str]:
    Vault(store, load_master_key(settings)).derived_secret("unsubscribe")
    return ["keys", "rotate-master", "--new-key-file", str(settings.config.parent / "new.key")]


def _apply(settings: Settings, store: Store) -> list[str]:
    changed = settings.config.read_text("utf-8").replace("Newsletter", "Lettre", 1)
    other = settings.config.parent / "changed.yaml"
    other.write_text(changed, "utf-8")
    return ["declaration", "apply", str(other)]


def _demo(settings: Settings, _store: Store) -> list[str]:
    # The store of the environment (GARDIEN_DATABASE_URL) receives the demo's
    # declaration and its admin key; the company database is a file of its own.
    directory = settings.config.parent / "demo"
    return ["demo", "--dir", str(directory), "--subjects", "5", "--no-serve"]


def _verified_request(settings: Settings, store: Store, **details: Any) -> str:
    """A request an agent verified on an identity document: its id."""
    from gardien.requests.intake import AgentVerification

    vault = Vault(store, load_master_key(settings))
    kind = RequestType.POST_MORTEM if details else RequestType.ACCESS
    submission = Submission(
        kind,
        {"email": f"p{uuid.uuid4().hex[:8]}@example.com"},
        details=details,
        verification=AgentVerification(VerificationMethod.ID_DOCUMENT),
    )
    with store.engine.begin() as conn:
        receipt = submit(conn, vault, load_valid(settings.config), submission,
                         channel=RequestChannel.AGENT, actor=actor_of(vault), codes=CodePolicy())  # fmt: skip
    return receipt.id


def _staff(settings: Settings, store: Store) -> str:
    """A staff account's e-mail (made through the room, before the command runs)."""
    from gardien.auth import create_user

    vault = Vault(store, load_master_key(settings))
    with store.engine.begin() as conn:
        create_user(conn, "old@staff.example", "correct horse battery staple", Role.DPO,
                    actor=actor_of(vault))  # fmt: skip
    return "old@staff.example"


def _directive(settings: Settings, store: Store) -> list[str]:
    from gardien.requests.decisions import approve
    from gardien.requests.tables import directives

    details = {"instructions": "Close my accounts.",
               "trustees": [{"name": "Sam", "email": "sam@example.com"}]}  # fmt: skip
    request_id = _verified_request(settings, store, **details)
    vault = Vault(store, load_master_key(settings))
    with store.engine.begin() as conn:
        approve(conn, vault, request_id, actor=actor_of(vault))
        directive_id = conn.execute(select(directives.c.id)).scalar_one()
    return ["requests", "release-directive", directive_id]


def _logs_company(settings: Settings) -> None:
    """A company database with one log row long past its year, bound to the ``logs``
    rule of the settings' declaration: a retention run has exactly one batch to do."""
    database = settings.config.parent / "logs.db"
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, ip TEXT, at TIMESTAMP)"))
        conn.execute(text("CREATE INDEX ix_events_at ON events (at)"))
        conn.execute(text("INSERT INTO events VALUES (1, '192.0.2.1', '2000-01-01 00:00:00')"))
    engine.dispose()
    data = yaml.safe_load(settings.config.read_text("utf-8"))
    data["datastores"] = {"logs": {"url": f"sqlite:///{database}", "collections": {"events": {
        "retention": {"rule": "logs", "anchor": "at"},
        "fields": {"id": {"primary_key": True}, "ip": {"categories": ["user.device.ip_address"]},
                   "at": {}},
    }}}}  # fmt: skip
    settings.config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def _retention_event(settings: Settings, _store: Store) -> list[str]:
    identities = settings.config.parent / "who.json"
    identities.write_text('{"email": "gone@example.com"}', "utf-8")
    return ["retention", "event", "account_deletion", "--identities", str(identities)]


def _retention_run(settings: Settings, _store: Store) -> list[str]:
    _logs_company(settings)
    return ["retention", "run"]


#: A command line for each command that writes, built against the store, and
#: the actions it appends to the trail.
WRITING_COMMANDS: dict[str, tuple[Callable[[Settings, Store], list[str]], list[str]]] = {
    "keys create": (lambda _s, _st: ["keys", "create", "--role", "dpo"], ["key.create"]),
    "keys revoke": (_revoke, ["key.revoke"]),
    "keys rotate-master": (_rotate, ["key.rotate_master"]),
    "declaration apply": (_apply, ["declaration.apply"]),
    "demo": (_demo, ["declaration.apply", "key.create", "user.create"]),
    "users create": (
        lambda _s, _st: [
            "users",
            "create",
            "new@staff.example",
            "--role",
            "agent",
            "--password-stdin",
        ],
        ["user.create"],
    ),
    "users disable": (lambda s, st: ["users", "disable", _staff(s, st)], ["user.disable"]),
    "users reset-password": (
        lambda s, st: ["users", "reset-password", _staff(s, st), "--password-stdin"],
        ["user.reset_password"],
    ),
    "requests list": (lambda _s, _st: ["requests", "list", "--format", "json"], ["request.list"]),
    "requests show": (
        lambda s, st: ["requests", "show", _verified_request(s, st)],
        ["request.read"],
    ),
    "requests approve": (
        lambda s, st: ["requests", "approve", _verified_request(s, st)],
        ["request.transition"],
    ),
    "requests reject": (
        lambda s, st: ["requests", "reject", _verified_request(s, st), "--reason", "No data."],
        ["request.transition"],
    ),
    "requests extend": (
        lambda s, st: ["requests", "extend", _verified_request(s, st), "--reason", "Busy."],
        ["request.extend"],
    ),
    "requests release-directive": (_directive, ["directive.release"]),
    "retention run": (_retention_run, ["retention.batch"]),
    "retention event": (_retention_event, ["retention.event"]),
    "audit export": (
        lambda s, _st: ["audit", "export", "-o", str(s.config.parent / "a.jsonl")],
        ["audit.export"],
    ),
}


def test_every_command_is_covered() -> None:
    assert not set(WRITING_COMMANDS) & set(NO_STORE_WRITES)
    assert _command_names() == set(WRITING_COMMANDS) | set(NO_STORE_WRITES)


@pytest.mark.parametrize("name", sorted(WRITING_COMMANDS))
def test_each_writing_command_is_audited(
    cli_env: Settings, client: TestClient, store: Store, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_args, actions = WRITING_COMMANDS[name]
    args = make_args(cli_env, store)
    # What `--password-stdin` reads (the staff accounts' commands); others read nothing.
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    before = _state(store)
    _run(*args)
    assert _state(store).since(before) == actions


def test_the_read_only_commands_change_nothing(
    cli_env: Settings, client: TestClient, store: Store
) -> None:
    before = _state(store)
    _run("keys", "list")
    _run("users", "list")
    _run("audit", "verify")
    _run("db", "upgrade")
    assert _state(store) == before


# Worker handlers --------------------------------------------------------------------


#: Handlers that change nothing in the store, and why.
HANDLERS_WITHOUT_STATE = {
    "mail.send": "sends the message its payload holds; no subject, nothing stored",
    "request.notify": "sends a message to a request's e-mail, opened from the sealed copy its "
    "payload holds; nothing stored",
}


def _handlers(settings: Settings, store: Store) -> dict[str, Any]:
    vault = Vault(store, load_master_key(settings))
    return worker_handlers(settings, store, vault, load_valid(settings.config))


def _renewal(settings: Settings, store: Store, vault: Vault) -> dict[str, Any]:
    declaration = load_valid(settings.config)
    actor = actor_of(vault)
    with store.engine.begin() as conn:
        subject = vault.register(conn, {"email": "renew@example.com"}, actor=actor).subject_id
        record_consent(
            conn, declaration, subject, "newsletter", "given",
            channel="web", proof=Proof.collect("form"), actor=actor,
        )  # fmt: skip
    return {"subject_id": subject, "purpose": "newsletter"}


def _expiry(settings: Settings, store: Store, vault: Vault) -> dict[str, Any]:
    declaration = load_valid(settings.config)
    with store.engine.begin() as conn:
        subject = vault.register(conn, {"email": "old@example.com"}, actor=actor_of(vault))
        record_consent(
            conn, declaration, subject.subject_id, "newsletter", "given",
            channel="web", proof=Proof.collect("form"), actor=actor_of(vault),
            now=dt.datetime.now(dt.UTC) - dt.timedelta(days=800),
        )  # fmt: skip
    return {}


def _orphan(settings: Settings, store: Store, vault: Vault) -> dict[str, Any]:
    """A data key two days old whose subject never reached the store."""
    vault._keys.create_data_key(uuid.uuid4().hex)
    with store.keystore.begin() as conn:
        conn.execute(update(data_keys).values(created_at=utcnow() - dt.timedelta(days=2)))
    return {}


def _unverified(settings: Settings, store: Store, vault: Vault) -> dict[str, Any]:
    """A request made 8 days ago whose code was never entered."""
    with store.engine.begin() as conn:
        submit(
            conn, vault, load_valid(settings.config),
            Submission(RequestType.ACCESS, {"email": "late@example.com"}),
            channel=RequestChannel.PUBLIC, actor=actor_of(vault), codes=CodePolicy(),
            now=dt.datetime.now(dt.UTC) - dt.timedelta(days=8),
        )  # fmt: skip
    return {}


def _approved_access(settings: Settings, store: Store, vault: Vault) -> dict[str, Any]:
    """An approved access request (the starter declaration has no datastore: the package
    holds the Art. 15 information only)."""
    request_id = approved_request(
        store, vault, load_valid(settings.config), RequestType.ACCESS,
        {"email": "asks@example.com"},
    )  # fmt: skip
    with store.engine.begin() as conn:
        conn.execute(jobs.delete().where(jobs.c.kind == REQUEST_EXECUTE))
    return {"request_id": request_id}


def _expired_package(settings: Settings, store: Store, vault: Vault) -> dict[str, Any]:
    _package(settings, store, expired=True)
    return {}


class _Receiver:
    """A recipient's webhook on the loopback that accepts every notice."""

    url: str | None = None

    @classmethod
    def start(cls) -> str:
        if cls.url is None:

            class Accept(BaseHTTPRequestHandler):
                def do_POST(self) -> None:
                    self.rfile.read(int(self.headers["Content-Length"]))
                    self.send_response(204)
                    self.end_headers()

                def log_message(self, *args: Any) -> None:
                    pass

            server = ThreadingHTTPServer(("127.0.0.1", 0), Accept)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            cls.url = f"http://127.0.0.1:{server.server_address[1]}/notices"
        return cls.url


def _recipient_notice(settings: Settings, store: Store, vault: Vault) -> dict[str, Any]:
    """A recipient declaring a webhook, and an erasure's notice queued for it."""
    data = yaml.safe_load(settings.config.read_text("utf-8"))
    recipient = next(iter(data["recipients"]))
    data["recipients"][recipient]["webhook"] = {
        "url": _Receiver.start(),
        "secret": {"$env": "HOME"},
    }
    settings.config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    declaration = load_valid(settings.config)
    with store.engine.begin() as conn:
        queue_notices(
            conn, vault, declaration, request_id=uuid.uuid4().hex, kind=NoticeKind.ERASURE,
            identities={"email": ["gone@example.com"]},
        )  # fmt: skip
        payload = conn.execute(
            select(jobs.c.payload).where(jobs.c.kind == RECIPIENT_NOTICE)
        ).scalar_one()
        conn.execute(jobs.delete().where(jobs.c.kind == RECIPIENT_NOTICE))
    return dict(json.loads(payload))


#: Each handler that writes: how to set up its job's payload, and the actions it appends.
WRITING_HANDLERS: dict[
    str, tuple[Callable[[Settings, Store, Vault], dict[str, Any]], list[str]]
] = {
    RENEWAL: (_renewal, ["subject.read", "subject.notify"]),
    EXPIRY_SWEEP: (_expiry, ["consent.expire"]),
    ORPHAN_PURGE: (_orphan, ["key.purge_orphans"]),
    REQUEST_EXPIRY: (_unverified, ["request.transition"]),
    REQUEST_EXECUTE: (
        _approved_access,
        ["request.transition", "request.step", "request.transition"],
    ),
    PACKAGE_PURGE: (_expired_package, ["request.packages_purge"]),
    RECIPIENT_NOTICE: (_recipient_notice, ["request.recipient_notice"]),
    RETENTION_SWEEP: (
        lambda settings, _store, _vault: _logs_company(settings) or {},
        ["retention.batch"],
    ),
}

#: Handlers whose writes land outside the store (their audit entries are still checked).
WRITES_ELSEWHERE = {
    RENEWAL: "sends an e-mail",
    RETENTION_SWEEP: "deletes in the company's own databases",
}


def test_every_handler_is_covered(settings: Settings, store: Store) -> None:
    assert set(_handlers(settings, store)) == set(WRITING_HANDLERS) | set(HANDLERS_WITHOUT_STATE)


@pytest.mark.parametrize("kind", sorted(WRITING_HANDLERS))
def test_each_handler_is_audited(settings: Settings, store: Store, kind: str) -> None:
    vault = Vault(store, load_master_key(settings))
    make_payload, actions = WRITING_HANDLERS[kind]
    payload = make_payload(settings, store, vault)
    with store.engine.begin() as conn:
        enqueue(conn, kind, payload)
    job = claim(store, "coverage", [kind], dt.timedelta(minutes=1))
    assert job is not None
    before = _state(store)
    _handlers(settings, store)[kind](JobContext(store, job, dt.timedelta(minutes=1)))
    after = _state(store)
    assert _changed(before, after) or kind in WRITES_ELSEWHERE
    assert after.since(before) == actions
