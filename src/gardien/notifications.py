"""What crosses rooms in the background: renewals, expiry sweeps, orphan keys, requests.

The consent room knows which consents need renewal or have expired, the vault
knows where to write to the person, the jobs room runs the work. This module
wires them: the hook that queues renewals when a new declaration version is
applied, and the job handlers the worker runs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection

from gardien.audit import WORKER_NAME, Actor, SubjectNotified
from gardien.consent import expire_due, queue_renewals
from gardien.declaration import Declaration, declaration_version
from gardien.jobs import JobContext, Mailer, Message, enqueue
from gardien.settings import Settings
from gardien.store import DeclarationRecord, Store
from gardien.store.types import utcnow
from gardien.vault import SubjectNotFound, Vault, purge_orphan_keys

RENEWAL = "consent.renewal"
EXPIRY_SWEEP = "consent.expire"
SWEEP_EVERY = dt.timedelta(hours=1)
ORPHAN_PURGE = "vault.purge_orphans"
PURGE_EVERY = dt.timedelta(days=1)
REQUEST_EXPIRY = "request.expire_unverified"

_RENEWAL_TEXT = {
    "fr": (
        "Votre consentement doit être renouvelé : {purpose}",
        "Bonjour,\n\nNous avons modifié la façon dont nous traitons vos données pour la "
        "finalité « {purpose} ». Le consentement que vous aviez donné ne vaut plus pour ce "
        "nouveau traitement : tant que vous ne l'avez pas renouvelé, nous ne traitons plus "
        "vos données pour cette finalité.\n\nVous pouvez donner ou refuser votre consentement "
        "depuis votre compte, ou en répondant à ce message. Notre politique de confidentialité : "
        "{url}\n\n{controller}\n",
    ),
    "en": (
        "Your consent needs renewing: {purpose}",
        'Hello,\n\nWe have changed how we process your data for "{purpose}". The consent you '
        "gave no longer covers the new processing: until you renew it, we no longer process "
        "your data for this purpose.\n\nYou can give or refuse your consent from your account, "
        "or by replying to this e-mail. Our privacy notice: {url}\n\n{controller}\n",
    ),
}


def sender_of(settings: Settings, declaration: Declaration) -> str:
    return settings.mail_from or declaration.rights.contact_email or declaration.controller.email


def renewals_on_new_version(
    declaration: Declaration,
) -> Callable[[Connection, DeclarationRecord], int]:
    """An ``on_new`` hook for ``apply_declaration`` that queues one renewal job per consent."""

    def hook(conn: Connection, record: DeclarationRecord) -> int:
        def enqueue_once(conn: Connection, kind: str, payload: Mapping[str, Any]) -> int:
            key = f"{kind}:{payload['subject_id']}:{payload['purpose']}:{record.version[:16]}"
            return enqueue(conn, kind, payload, dedupe_key=key)

        return len(queue_renewals(conn, declaration, enqueue_once))

    return hook


def worker_actor(vault: Vault, version: str | None) -> Actor:
    """The worker as the audit trail records it."""
    return Actor(WORKER_NAME, WORKER_NAME, version, blind=vault.blind_id)


def renewal_handler(
    store: Store, vault: Vault, declaration: Declaration, mailer: Mailer, settings: Settings
) -> Callable[[JobContext], None]:
    """Write to the person whose consent needs renewing, if an e-mail is known.

    Reading the person's address is audited (``subject.read`` for the purpose,
    at each attempt: each reads it), and the message sent is audited once
    (``subject.notify``, a recorded step after the sending one).
    """
    actor = worker_actor(vault, declaration_version(declaration))

    def handle(context: JobContext) -> None:
        subject_id = str(context.job.payload["subject_id"])
        purpose_id = str(context.job.payload["purpose"])
        purpose = declaration.purposes.get(purpose_id)
        if purpose is None:
            return
        try:
            with store.engine.begin() as conn:
                record = vault.read(conn, subject_id, actor=actor, purpose=purpose_id)
        except SubjectNotFound:
            return
        emails = record.identities.get("email", [])
        if record.erased or not emails:
            return
        lang = "fr" if str(record.attributes.get("lang", "fr")).startswith("fr") else "en"
        subject_line, body = _RENEWAL_TEXT[lang]
        url = (
            declaration.notice.url or declaration.controller.website or settings.resolved_public_url
        )
        message = Message(
            sender=sender_of(settings, declaration),
            to=(emails[0],),
            subject=subject_line.format(purpose=purpose.name[lang]),
            body=body.format(
                purpose=purpose.name[lang], url=url, controller=declaration.controller.name
            ),
            message_id=f"<renewal-{context.job.id}@gardien>",
        )

        def send() -> None:
            mailer.send(message)

        def audit_sent(conn: Connection) -> None:
            actor.record(
                conn,
                SubjectNotified(
                    subject_blind_id=actor.subject(subject_id),
                    purpose=purpose_id,
                    reason="consent_renewal",
                ),
            )

        context.external_step("send", send)
        context.step("audit", audit_sent)

    return handle


def expiry_sweep_handler(store: Store, actor: Actor) -> Callable[[JobContext], None]:
    """Append ``expired`` events for choices past their lifetime, then plan the next sweep."""

    def handle(context: JobContext) -> None:
        def sweep(conn: Connection) -> int:
            count = expire_due(conn, actor=actor)
            next_run = utcnow() + SWEEP_EVERY
            enqueue(conn, EXPIRY_SWEEP, {}, run_after=next_run, dedupe_key=_sweep_key(next_run))
            return count

        context.step("sweep", sweep)

    return handle


def orphan_purge_handler(store: Store, actor: Actor) -> Callable[[JobContext], None]:
    """Delete data keys whose subject was never stored, then plan tomorrow's purge."""

    def handle(context: JobContext) -> None:
        def plan_next(conn: Connection) -> None:
            next_run = utcnow() + PURGE_EVERY
            enqueue(conn, ORPHAN_PURGE, {}, run_after=next_run, dedupe_key=_day_key(next_run))

        context.external_step("purge", lambda: purge_orphan_keys(store, actor=actor))
        context.step("plan", plan_next)

    return handle


def request_expiry_handler(store: Store, actor: Actor) -> Callable[[JobContext], None]:
    """Expire requests left unverified for 7 days, then plan tomorrow's sweep."""
    from gardien.requests.verification import expire_unverified

    def handle(context: JobContext) -> None:
        def sweep(conn: Connection) -> int:
            count = expire_unverified(conn, actor=actor)
            next_run = utcnow() + PURGE_EVERY
            enqueue(conn, REQUEST_EXPIRY, {}, run_after=next_run, dedupe_key=_request_key(next_run))
            return count

        context.step("sweep", sweep)

    return handle


def _request_key(run_at: dt.datetime) -> str:
    return f"{REQUEST_EXPIRY}:{run_at:%Y%m%d}"


def _sweep_key(run_at: dt.datetime) -> str:
    # One key per hour: sweeps planned by several workers for the same hour merge.
    return f"{EXPIRY_SWEEP}:{run_at:%Y%m%d%H}"


def _day_key(run_at: dt.datetime) -> str:
    return f"{ORPHAN_PURGE}:{run_at:%Y%m%d}"


def schedule_expiry_sweep(store: Store) -> None:
    """Make sure this hour's expiry sweep, today's orphan-key purge and today's sweep of
    unverified requests are queued (called when a worker starts)."""
    now = utcnow()
    with store.engine.begin() as conn:
        enqueue(conn, EXPIRY_SWEEP, {}, dedupe_key=_sweep_key(now))
        enqueue(conn, ORPHAN_PURGE, {}, dedupe_key=_day_key(now))
        enqueue(conn, REQUEST_EXPIRY, {}, dedupe_key=_request_key(now))


def worker_handlers(
    settings: Settings, store: Store, vault: Vault, declaration: Declaration
) -> dict[str, Callable[[JobContext], None]]:
    """Every handler ``gardien worker`` runs, keyed by job kind."""
    from gardien.jobs import default_handlers, mailer_from_settings
    from gardien.requests import REQUEST_NOTIFY, notify_handler
    from gardien.requests.sealing import Sealer

    mailer = mailer_from_settings(settings.smtp_url, settings.resolved_outbox)
    actor = worker_actor(vault, declaration_version(declaration))
    from gardien.requests.handlers import request_handlers, text_redactor
    from gardien.retention import RETENTION_SWEEP, RetentionSettings, retention_handler

    redactor = text_redactor(declaration)
    retention = RetentionSettings(
        batch_rows=settings.retention_batch_rows,
        every=dt.timedelta(hours=settings.retention_every_hours),
        environ=os.environ,
    )
    return {
        **default_handlers(settings),
        **request_handlers(settings, store, vault, declaration, actor),
        RETENTION_SWEEP: retention_handler(
            store, vault, declaration, actor, retention, lambda text: redactor(text, ())
        ),
        RENEWAL: renewal_handler(store, vault, declaration, mailer, settings),
        EXPIRY_SWEEP: expiry_sweep_handler(store, actor),
        ORPHAN_PURGE: orphan_purge_handler(store, actor),
        REQUEST_EXPIRY: request_expiry_handler(store, actor),
        REQUEST_NOTIFY: notify_handler(
            Sealer(vault), mailer, sender=sender_of(settings, declaration)
        ),
    }
