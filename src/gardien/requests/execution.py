"""Executing an approved request over the company's datastores: a durable job of recorded steps.

Approval queues one ``request.execute`` job. Its handler splits the work into
named steps (``jobs.JobContext``), each recorded once done, so a worker
killed at any point resumes at the first step not recorded, on any worker:

1. ``identities``: the person's rows are located from the verified
   identities, and every identity the declaration names on the rows found
   (a user id found from an e-mail) is added, so that a datastore without the
   e-mail is reached by the user id. The result is sealed under the vault's
   ``request_identities`` secret: the queue never holds it in clear.
2. Per type:
   - access, portability: ``package`` builds the zip into an encrypted file;
     a portability request with a destination ``send``s it there (HTTPS);
     ``publish`` records the one-time link and tells the person;
   - erasure: ``erase:<datastore>`` for each datastore, one transaction each
     (children first, legal holds kept), then ``vault`` destroys the
     person's key in gardien's own vault;
   - rectification: ``rectify:<datastore>`` for each datastore;
   - restriction, objection, withdrawal: ``limit`` records them in the
     consent room, so that checks deny what they cover;
3. ``complete``: Art. 19 notices queued, the request completed with a
   non-personal outcome, and the person told what was done, what was kept
   and why.

Steps on the company's databases commit there, then are recorded here: a
crash between the two repeats the step, which finds what it already did
(an erased row is not found again, a rectified value is set again), so its
effect happens once. The audit entry of each step is written with its
record, once. A datastore that cannot be reached, or whose schema no longer
matches the declaration, marks the request ``blocked`` with the reason and
the job is retried with backoff; the next attempt puts it back in progress.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import secrets
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from gardien.audit import Actor, RequestStepDone
from gardien.audit.guard import PublicId, personal_reason
from gardien.connectors import (
    Connector,
    ErasureReport,
    ExportedCollection,
    Strategies,
    close_all,
    erase_person,
    locate,
    open_datastores,
    open_readers,
    plan_for,
    rectification_targets,
    rectify,
)
from gardien.connectors.webhooks import NoticeKind, check_url
from gardien.consent import Proof, record_consent, record_objection, record_restriction
from gardien.declaration import Declaration
from gardien.errors import (
    ConnectorError,
    DatastoreUnavailableError,
    GardienError,
    IdentityConflictError,
    JobError,
    PermanentJobError,
    RequestError,
    SchemaMismatchError,
    VaultError,
)
from gardien.jobs import JobContext, JsonValue
from gardien.requests.completion import completion_message
from gardien.requests.downloads import (
    PACKAGES_SECRET,
    PackageRecord,
    new_file_key,
    package_bytes,
    publish_package,
    wrap_key,
)
from gardien.requests.mailing import PersonMessage
from gardien.requests.package import BuiltPackage, Members, PackageKind, build_package
from gardien.requests.recipients import queue_notices
from gardien.requests.records import (
    ExecutionOrder,
    RequestType,
    execution_order,
    mark_blocked,
    mark_completed,
    mark_in_progress,
    shred_identities,
)
from gardien.requests.sealed_file import SealedWriter
from gardien.requests.tables import requests
from gardien.store import Store, utcnow
from gardien.vault import Vault, crypto

IDENTITIES_SECRET = "request_found_identities"
ERASURE_SECRET = "erasure"
_IDENTITIES_FIELD = "request-identities"

logger = logging.getLogger(__name__)

Identities = dict[str, list[str]]
TextRedactor = Callable[[str, Sequence[str]], str]


@dataclass(frozen=True)
class ExecutionSettings:
    """Where packages go, how long their links live, and the server's public URL."""

    packages_dir: Path
    package_lifetime: dt.timedelta
    public_url: str
    environ: Mapping[str, str]


def execution_handler(
    store: Store,
    vault: Vault,
    declaration: Declaration,
    actor: Actor,
    settings: ExecutionSettings,
    *,
    redactor: TextRedactor,
    members: Callable[[ExecutionOrder, Connection | None], Members] | None = None,
) -> Callable[[JobContext], None]:
    """The worker's handler for ``request.execute`` jobs.

    ``redactor(text, keep)`` replaces the personal data in free text except
    the words in ``keep`` (the redaction room); ``members`` builds the
    readable members of a package (summary, Art. 15 information).
    """

    datastores = OpenDatastores(declaration, settings.environ)
    if declaration.datastores:
        warming = threading.Thread(target=datastores.warm, name="datastores-warm", daemon=True)
        warming.start()

    def handle(context: JobContext) -> None:
        request_id = str(context.job.payload["request_id"])
        try:
            _run_request(context, request_id)
        except RequestError as exc:
            # Withdrawn (by the person or staff) or otherwise closed while it waited or ran:
            # what was done is done, nothing more is; retrying would not change that.
            raise PermanentJobError(f"request {request_id}: {exc.message}") from None

    def _run_request(context: JobContext, request_id: str) -> None:
        with store.engine.begin() as conn:
            order = execution_order(conn, vault, request_id)
            mark_in_progress(conn, request_id, actor=actor)
        run = _Run(store, vault, declaration, actor, settings, redactor, members, context, order)
        run.datastores = datastores  # shared by every request this worker runs
        try:
            run.execute()
        except (DatastoreUnavailableError, SchemaMismatchError) as exc:
            datastores.reset()  # reconnect, and read the schema again, next time
            with store.engine.begin() as conn:
                mark_blocked(conn, request_id, _shown_reason(exc), actor=actor)
            raise JobError(f"request {request_id} blocked: {exc.message}") from None
        except ConnectorError as exc:
            datastores.reset()
            with store.engine.begin() as conn:
                mark_blocked(conn, request_id, _shown_reason(exc), actor=actor)
            raise PermanentJobError(f"request {request_id}: {exc.message}") from None
        except VaultError as exc:
            # E.g. a rectified e-mail another subject already holds: a person must decide,
            # retrying will not; the request waits, blocked, with the reason.
            with store.engine.begin() as conn:
                mark_blocked(conn, request_id, _shown_reason(exc), actor=actor)
            raise PermanentJobError(f"request {request_id}: {exc.message}") from None

    return handle


def _shown_reason(exc: GardienError) -> str:
    """What the DPO reads of why a request is blocked: the error's own message, unless it
    looks personal (then its kind only: the audit and the timeline hold no values)."""
    if personal_reason(exc.message) is None:
        return exc.message
    return f"the change was refused ({type(exc).__name__}); ask the administrator"


class OpenDatastores:
    """The company's datastores, opened once per worker process and kept across requests.

    Opening a connector costs a connection pool and the reflection of the declared
    tables (about 100 ms for a demo company on PostgreSQL, measured by
    ``bench/requests.py``): paid once, when the worker starts (``warm``, in the
    background), not per request. ``reset`` closes them
    after a datastore was unreachable or its schema changed, so that the next
    request reconnects and reads the schema again.
    """

    def __init__(self, declaration: Declaration, environ: Mapping[str, str]) -> None:
        self._declaration = declaration
        self._environ = environ
        self._open: dict[str, Connector] | None = None
        self._lock = threading.Lock()

    def get(self) -> dict[str, Connector]:
        with self._lock:
            if self._open is None:
                self._open = open_datastores(self._declaration, self._environ)
            return self._open

    def warm(self) -> None:
        """Open the connectors and read their schemas now (the worker starts), so that the
        first request's execution does not pay for it. A datastore that cannot be
        reached, or whose schema does not match, is left for the first request: it
        reconnects, and is blocked with the reason if it still fails."""
        try:
            for connector in self.get().values():
                connector.warm()
        except GardienError as exc:
            logger.info("datastores not ready at start (retried per request): %s", exc.message)
            self.reset()

    def reset(self) -> None:
        with self._lock:
            if self._open is not None:
                close_all(self._open)
            self._open = None


class _Run:
    """One attempt at one request: the steps of its type, each done once."""

    def __init__(
        self,
        store: Store,
        vault: Vault,
        declaration: Declaration,
        actor: Actor,
        settings: ExecutionSettings,
        redactor: TextRedactor,
        members: Callable[[ExecutionOrder, Connection | None], Members] | None,
        context: JobContext,
        order: ExecutionOrder,
    ) -> None:
        self.store = store
        self.vault = vault
        self.declaration = declaration
        self.actor = actor
        self.settings = settings
        self.redactor = redactor
        self.members = members
        self.context = context
        self.order = order
        #: Replaced by the handler's shared instance; opens nothing until asked.
        self.datastores = OpenDatastores(declaration, settings.environ)

    # Plumbing -------------------------------------------------------------------------

    @property
    def connectors(self) -> dict[str, Connector]:
        return self.datastores.get()

    def audited(self, step: str) -> Callable[[Connection, JsonValue], None]:
        """The audit entry of an external step, written with its record."""

        def record(conn: Connection, result: JsonValue) -> None:
            collections = _summary(result).get("collections") or []
            fields = sorted({f for c in collections for f in c.get("fields", [])})
            self.actor.record(
                conn,
                RequestStepDone(
                    request_id=PublicId(self.order.request_id),
                    step=step,
                    collections=tuple(f"{c['collection']}={c['rows']}" for c in collections[:30]),
                    fields=tuple(fields[:60]),
                    rows=sum(int(c["rows"]) for c in collections),
                ),
            )

        return record

    def step_audit(self, conn: Connection, step: str, rows: int = 0) -> None:
        self.actor.record(
            conn, RequestStepDone(request_id=PublicId(self.order.request_id), step=step, rows=rows)
        )

    # The steps ------------------------------------------------------------------------

    def execute(self) -> None:
        kind = self.order.type
        if kind is RequestType.POST_MORTEM:
            raise PermanentJobError(
                "a post-mortem request is completed when approved (its directive stored): "
                "there is nothing to carry out"
            )
        identities = self.identities()
        if kind in (RequestType.ACCESS, RequestType.PORTABILITY):
            self.package(identities)
        elif kind is RequestType.ERASURE:
            self.erase(identities)
        elif kind is RequestType.RECTIFICATION:
            self.rectify(identities)
        elif kind in (RequestType.RESTRICTION, RequestType.OBJECTION, RequestType.WITHDRAWAL):
            self.limit(identities)
        else:  # pragma: no cover - RequestType is closed
            raise PermanentJobError(f"no executor for requests of type {kind}")

    def identities(self) -> Identities:
        """The verified identities, and those the declaration names on the rows found."""
        if len(self.declaration.datastores) <= 1:
            # One datastore: the locator carries identities within it by itself, and
            # nothing else is to be reached with them.
            return {kind: list(values) for kind, values in self.order.identities.items()}
        secret = self.vault.derived_secret(IDENTITIES_SECRET)
        request_id = self.order.request_id

        def find() -> Any:
            found: dict[str, set[str]] = {
                kind: set(values) for kind, values in self.order.identities.items()
            }
            fields = _identity_fields(self.declaration)

            def collect(plan: Any, row: Mapping[str, Any]) -> None:
                for name, kind in fields.get(plan.place, {}).items():
                    value = row.get(name)
                    if value is not None and str(value):
                        found.setdefault(kind, set()).add(str(value))

            # The locator carries identities across datastores itself; what it found
            # is kept so that each datastore's own step is seeded with all of them.
            with open_readers(self.connectors) as readers:
                locate(plan_for(self.declaration), readers, self.order.identities,
                       on_row=collect, lookup_only=True)  # fmt: skip
            plain = json.dumps({k: sorted(v) for k, v in sorted(found.items())}).encode()
            sealed = crypto.seal_field(secret, request_id, _IDENTITIES_FIELD, plain)
            return {"sealed": sealed.hex(), "kinds": sorted(found)}

        result = _summary(self.context.external_step("identities", find))
        plain = crypto.open_field(
            secret, request_id, _IDENTITIES_FIELD, bytes.fromhex(str(result["sealed"]))
        )
        opened: Identities = json.loads(plain)
        return opened

    def package(self, identities: Identities) -> None:
        order = self.order
        kind = PackageKind.ACCESS if order.type is RequestType.ACCESS else PackageKind.PORTABILITY
        secret = self.vault.derived_secret(PACKAGES_SECRET)
        directory = self.settings.packages_dir

        def build() -> Any:
            file_id = secrets.token_hex(16)
            key = new_file_key()
            with self.store.engine.connect() as conn:
                # The person's consents are in the package when gardien's vault knows
                # them, whether the request named their subject or only their e-mail.
                subject_id = self.subject(conn, identities, create=False)
                known = dataclasses.replace(order, subject_id=subject_id)
                members: Members = (
                    self.members(known, conn) if self.members is not None else _no_members
                )
                built = build_package(
                    kind=kind,
                    declaration=self.declaration,
                    connectors=self.connectors,
                    identities=identities,
                    directory=directory,
                    file_id=file_id,
                    open_writer=lambda path: SealedWriter(path, key, file_id),
                    members=members,
                    redact_others=self.redactor,
                )
            return {
                "package_id": file_id,
                "file_name": built.file_name,
                "size": built.size,
                "zip_size": built.zip_size,
                "sha256": built.sha256,
                "wrapped_key": wrap_key(secret, file_id, key).hex(),
                "collections": [
                    {"collection": name, "rows": rows} for name, rows in built.rows.items()
                ],
            }

        result = _summary(
            self.context.external_step("package", build, on_record=self.audited("package"))
        )
        package_id = str(result["package_id"])
        destination = order.details.get("destination")
        if kind is PackageKind.PORTABILITY and destination:
            self.context.external_step(
                "send", lambda: self.send(str(destination), package_id, result)
            )

        def publish(conn: Connection) -> Any:
            built = BuiltPackage(
                file_name=str(result["file_name"]),
                size=int(result["size"]),
                zip_size=int(result["zip_size"]),
                sha256=str(result["sha256"]),
                rows={},
            )
            now = utcnow()
            token = publish_package(
                conn,
                package_id=package_id,
                request_id=order.request_id,
                kind=kind,
                built=built,
                wrapped_key=bytes.fromhex(str(result["wrapped_key"])),
                lifetime=self.settings.package_lifetime,
                now=now,
            )
            expires = (now + self.settings.package_lifetime).date().isoformat()
            link = f"{self.settings.public_url}/downloads/{token}"
            collections = result["collections"]
            outcome: dict[str, Any] = {
                "package_id": package_id,
                "package_size": result["size"],
                "package_expires": expires,
                "collections": collections,
                "rows": sum(int(c["rows"]) for c in collections),
            }
            if destination:
                outcome["sent_to_destination"] = True
            self.finish(
                conn,
                outcome,
                completion_message(
                    self.declaration, order.language, order.type.value,
                    link=link, link_expires=expires,
                ),
            )  # fmt: skip
            return {"package_id": package_id}

        self.context.step("publish", publish)

    def send(self, destination: str, package_id: str, built: Mapping[str, Any]) -> Any:
        """POST the portability package to the controller the person named (Art. 20(2))."""
        url = check_url(destination)
        record = PackageRecord(
            id=package_id,
            request_id=self.order.request_id,
            kind=PackageKind.PORTABILITY,
            file_name=str(built["file_name"]),
            size=int(built["size"]),
            sha256=str(built["sha256"]),
            wrapped_key=bytes.fromhex(str(built["wrapped_key"])),
            expires_at=utcnow(),
            downloaded_at=None,
        )
        body: Iterator[bytes] = package_bytes(
            self.settings.packages_dir, record, self.vault.derived_secret(PACKAGES_SECRET)
        )
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/zip",
                "Content-Length": str(built["zip_size"]),
                "User-Agent": "gardien (GDPR Art. 20 transmission)",
                "Idempotency-Key": f"{self.order.request_id}:{package_id}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            status = int(exc.code)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise JobError(f"destination did not answer ({type(exc).__name__})") from None
        if not 200 <= status < 300:
            raise JobError(f"destination answered {status}")
        return {"status": status}

    def erase(self, identities: Identities) -> None:
        strategies = Strategies(
            secret=self.vault.derived_secret(ERASURE_SECRET),
            redact_text=lambda text: self.redactor(text, ()),
        )
        kept: list[dict[str, Any]] = []
        changed = 0
        for name in self.declaration.datastores:

            def erase_here(name: str = name) -> Any:
                report = erase_person(
                    self.declaration, self.connectors, identities, strategies,
                    now=utcnow(), datastores={name},
                )  # fmt: skip
                return _erasure_result(report)

            result = _summary(
                self.context.external_step(
                    f"erase:{name}", erase_here, on_record=self.audited(f"erase:{name}")
                )
            )
            kept.extend(result["held"])
            changed += int(result["rows"])

        def erase_vault(conn: Connection) -> Any:
            subject_id = self.subject(conn, identities, create=False)
            erased = subject_id is not None and self.vault.erase(conn, subject_id, actor=self.actor)
            self.step_audit(conn, "vault", rows=int(erased))
            return {"vault_subject_erased": erased}

        vault_result = _summary(self.context.step("vault", erase_vault))

        def complete(conn: Connection) -> Any:
            recipients = queue_notices(
                conn, self.vault, self.declaration, request_id=self.order.request_id,
                kind=NoticeKind.ERASURE, identities=identities,
            )  # fmt: skip
            self.finish(
                conn,
                {
                    "rows": changed,
                    "kept": kept,
                    "vault_subject_erased": vault_result["vault_subject_erased"],
                    "recipients_notified": recipients,
                },
                completion_message(
                    self.declaration, self.order.language, "erasure",
                    kept=kept, recipients=recipients, changed_rows=changed,
                ),
            )  # fmt: skip
            shred_identities(conn, self.order.request_id)
            return {"recipients": recipients}

        self.context.step("complete", complete)

    def rectify(self, identities: Identities) -> None:
        changes = dict(self.order.details.get("changes") or {})
        targets = rectification_targets(self.declaration, changes)
        total = 0
        self.check_new_identities(identities, targets)
        for name in self.declaration.datastores:
            if not any(target[0] == name for target in targets):
                continue

            def rectify_here(name: str = name) -> Any:
                with open_readers(self.connectors, {name}) as readers:
                    location = locate(
                        plan_for(self.declaration), readers, identities, datastores={name},
                        lookup_only=True,
                    )  # fmt: skip
                done = rectify(self.declaration, self.connectors, location, changes)
                return {
                    "collections": [
                        {"collection": f"{d.datastore}.{d.collection}", "rows": d.rows,
                         "fields": [d.field]}
                        for d in done if d.datastore == name
                    ],
                    "rows": sum(d.rows for d in done if d.datastore == name),
                }  # fmt: skip

            result = _summary(
                self.context.external_step(
                    f"rectify:{name}", rectify_here, on_record=self.audited(f"rectify:{name}")
                )
            )
            total += int(result["rows"])

        # A rectified identity (a new e-mail) is rectified in gardien's vault too, so that
        # the person is found, and written to, by the new value.
        kinds = {
            self.declaration.datastores[d].collections[c].fields[f].identity: value
            for (d, c, f), value in targets.items()
            if self.declaration.datastores[d].collections[c].fields[f].identity is not None
        }
        if kinds:

            def rectify_vault(conn: Connection) -> Any:
                subject_id = self.subject(conn, identities, create=False)
                changed = 0
                if subject_id is not None:
                    for kind, value in sorted(kinds.items(), key=lambda item: str(item[0])):
                        if kind is None:
                            continue
                        if isinstance(value, str) and value:
                            changed += self.vault.replace_identity(
                                conn, subject_id, kind, value, actor=self.actor
                            )
                        elif value is None:
                            # An identity the person asks to be removed (a phone number
                            # they no longer want kept): gone from the vault too.
                            changed += self.vault.remove_identity(
                                conn, subject_id, kind, actor=self.actor
                            )
                self.step_audit(conn, "vault", rows=changed)
                return {"identities_replaced": changed}

            self.context.step("vault", rectify_vault)

        def complete(conn: Connection) -> Any:
            recipients = queue_notices(
                conn, self.vault, self.declaration, request_id=self.order.request_id,
                kind=NoticeKind.RECTIFICATION, identities=identities, fields=sorted(changes),
            )  # fmt: skip
            self.finish(
                conn,
                {"rows": total, "fields": sorted(changes), "recipients_notified": recipients},
                completion_message(
                    self.declaration, self.order.language, "rectification",
                    recipients=recipients,
                ),
            )  # fmt: skip
            return {"recipients": recipients}

        self.context.step("complete", complete)

    def limit(self, identities: Identities) -> None:
        order = self.order
        version = order.declaration_version or self.actor.declaration_version or ""

        def record(conn: Connection) -> Any:
            subject_id = self.subject(conn, identities, create=True)
            channel = _consent_channel(conn, order.request_id)
            assert subject_id is not None
            purposes = list(order.details.get("purposes") or [])
            recipients: list[str] = []
            if order.type is RequestType.RESTRICTION:
                for purpose in purposes or [None]:
                    record_restriction(
                        conn, subject_id, purpose, version, channel=channel, actor=self.actor
                    )
                recipients = queue_notices(
                    conn, self.vault, self.declaration, request_id=order.request_id,
                    kind=NoticeKind.RESTRICTION, identities=identities,
                )  # fmt: skip
            elif order.type is RequestType.OBJECTION:
                for purpose in purposes or [None]:
                    record_objection(conn, subject_id, purpose, channel, version, actor=self.actor)
            else:
                for purpose in purposes:
                    record_consent(
                        conn, self.declaration, subject_id, purpose, "withdrawn",
                        channel=channel, proof=Proof.collect("form"),
                        lang=order.language, actor=self.actor,
                    )  # fmt: skip
            self.finish(
                conn,
                {"purposes": purposes, "recipients_notified": recipients},
                completion_message(
                    self.declaration, order.language, order.type.value, recipients=recipients
                ),
            )
            return {"purposes": purposes}

        self.context.step("complete", record)

    # Helpers --------------------------------------------------------------------------

    def check_new_identities(self, identities: Identities, targets: Mapping[Any, Any]) -> None:
        """Refuse, before any datastore changes, a new identity another subject holds."""
        with self.store.engine.connect() as conn:
            subject_id = self.subject(conn, identities, create=False)
            for (d, c, f), value in targets.items():
                kind = self.declaration.datastores[d].collections[c].fields[f].identity
                if kind is None or not isinstance(value, str) or not value:
                    continue
                try:
                    holder = self.vault.find(conn, kind, value)
                except VaultError:
                    continue  # not a value the vault can hold: nothing to conflict with
                if holder is not None and holder != subject_id:
                    raise IdentityConflictError(
                        f"the new {kind} belongs to another person known to gardien: nothing "
                        "was changed; check the request with the person"
                    )

    def finish(self, conn: Connection, outcome: Mapping[str, Any], message: PersonMessage) -> None:
        mark_completed(conn, self.order.request_id, outcome, actor=self.actor, message=message)

    def subject(self, conn: Connection, identities: Identities, *, create: bool) -> str | None:
        """The person's subject in gardien's vault: known, found, or (``create``) registered."""
        if self.order.subject_id is not None:
            return self.order.subject_id
        for kind, values in identities.items():
            for value in values:
                try:
                    found = self.vault.find(conn, kind, value)
                except Exception:  # a kind the vault does not normalise: not an identity there
                    continue
                if found is not None:
                    return found
        if not create:
            return None
        verified = {k: v[0] for k, v in self.order.identities.items() if v}
        return self.vault.register(conn, verified, actor=self.actor).subject_id


def _no_members(exported: Sequence[ExportedCollection]) -> Mapping[str, bytes]:
    return {}


def _consent_channel(conn: Connection, request_id: str) -> str:
    """The consent ledger's channel for a request: the privacy center for the person's own,
    ``system`` for one staff entered (received by post or at a desk)."""
    channel = conn.execute(
        select(requests.c.channel).where(requests.c.id == request_id)
    ).scalar_one()
    return "privacy_center" if channel == "public" else "system"


def _summary(result: JsonValue) -> dict[str, Any]:
    """A step's recorded result, as the dict every step here returns."""
    if not isinstance(result, dict):
        raise PermanentJobError(f"a recorded step returned {type(result).__name__}, not a dict")
    return result


def _identity_fields(declaration: Declaration) -> dict[tuple[str, str], dict[str, str]]:
    """Per collection, the fields the declaration marks as an identity, and their kind."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for sid, store in declaration.datastores.items():
        for cname, collection in store.collections.items():
            for fname, field in collection.fields.items():
                if field.identity is not None:
                    found.setdefault((sid, cname), {})[fname] = field.identity
    return found


def _erasure_result(report: ErasureReport) -> Any:
    collections: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    for outcome in report.collections:
        collections.append(
            {
                "collection": f"{outcome.datastore}.{outcome.collection}",
                "rows": outcome.found,
                "deleted": outcome.deleted,
                "changed": outcome.changed,
                "fields": sorted(outcome.strategies),
            }
        )
        if outcome.held is not None:
            held.append(
                {
                    "collection": f"{outcome.datastore}.{outcome.collection}",
                    "fields": list(outcome.held.fields),
                    "rows": outcome.held.rows,
                    "until": outcome.held.until.isoformat(),
                    "reason": {"fr": outcome.held.reason["fr"], "en": outcome.held.reason["en"]},
                }
            )
    return {
        "collections": collections,
        "held": held,
        "rows": report.deleted + report.changed,
    }
