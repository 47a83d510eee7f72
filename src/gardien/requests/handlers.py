"""The worker's side of requests: the handlers it runs and the jobs it plans.

Wires the execution of requests (``execution``), Art. 19 notices
(``recipients``) and the purge of packages taken or expired (``downloads``)
to the redaction room (free text), the consent room (the person's consents
and receipts in the access package) and the settings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from gardien.audit import Actor
from gardien.connectors import ExportedCollection
from gardien.consent import ConsentOverview, consent_overview, receipt
from gardien.declaration import Declaration
from gardien.jobs import JobContext, enqueue
from gardien.notice.vocabulary import LANGS, Lang
from gardien.requests.article15 import article15_information
from gardien.requests.decisions import REQUEST_EXECUTE
from gardien.requests.downloads import purge_packages
from gardien.requests.execution import (
    ExecutionSettings,
    TextRedactor,
    execution_handler,
)
from gardien.requests.package import Members
from gardien.requests.recipients import RECIPIENT_NOTICE, notice_handler
from gardien.requests.records import ExecutionOrder
from gardien.requests.summary import render_summary, summary_language
from gardien.settings import Settings
from gardien.store import Store, utcnow
from gardien.vault import Vault

PACKAGE_PURGE = "request.purge_packages"
PURGE_EVERY = dt.timedelta(hours=1)

Handler = Callable[[JobContext], None]


def request_handlers(
    settings: Settings, store: Store, vault: Vault, declaration: Declaration, actor: Actor
) -> dict[str, Handler]:
    """Every request handler ``gardien worker`` runs, keyed by job kind."""
    packages = settings.resolved_packages_dir
    execution = ExecutionSettings(
        packages_dir=packages,
        package_lifetime=dt.timedelta(days=settings.package_lifetime_days),
        public_url=settings.resolved_public_url,
        environ=dict(os.environ),
    )
    return {
        REQUEST_EXECUTE: execution_handler(
            store,
            vault,
            declaration,
            actor,
            execution,
            redactor=text_redactor(declaration),
            members=package_members(declaration, vault, actor),
        ),
        RECIPIENT_NOTICE: notice_handler(store, vault, declaration, actor),
        PACKAGE_PURGE: purge_handler(store, packages, actor),
    }


def schedule_request_jobs(store: Store) -> None:
    """Make sure this hour's package purge is queued (called when a worker starts)."""
    with store.engine.begin() as conn:
        enqueue(conn, PACKAGE_PURGE, {}, dedupe_key=_hour_key(utcnow()))


def text_redactor(declaration: Declaration) -> TextRedactor:
    """Free text with the personal data replaced, but for ``keep`` and the company's
    declared product names (the redaction room; its models load on first use)."""
    declared = [str(term) for term in declaration.redaction.keep]

    def redact_text(text: str, keep: Sequence[str]) -> str:
        from gardien.redact import redact

        return redact(text, lang="auto", operator="placeholder", keep=[*declared, *keep]).text

    return redact_text


def package_members(
    declaration: Declaration, vault: Vault, actor: Actor
) -> Callable[[ExecutionOrder, Connection | None], Members]:
    """The readable members of a package, first in the zip: the page the person opens
    (``summary.html``), the same Art. 15 information as JSON (``article15.json``), and
    their consents from the ledger with each receipt (``consents.json``)."""

    def for_order(order: ExecutionOrder, conn: Connection | None) -> Members:
        overview = _overview(conn, declaration, order, actor)
        # The request's language when the declaration publishes in it: a German
        # association's summary is never French sentences around English texts.
        lang: Lang = summary_language(declaration, order.language)
        # Consent receipts are in French or English only (consent.receipt).
        receipt_lang: Lang = lang if lang in LANGS else ("fr" if order.language == "fr" else "en")
        receipts = _receipts(conn, declaration, overview, receipt_lang, actor)

        def build(exported: Sequence[ExportedCollection]) -> Mapping[str, bytes]:
            information = article15_information(
                declaration, lang, datastores_found=exported,
                consents=overview if overview is not None else (),
            )  # fmt: skip
            return {
                "summary.html": render_summary(information, lang).encode("utf-8"),
                "article15.json": _json(information),
                "consents.json": _json(receipts),
            }

        return build

    return for_order


def _overview(
    conn: Connection | None, declaration: Declaration, order: ExecutionOrder, actor: Actor
) -> ConsentOverview | None:
    if conn is None or order.subject_id is None:
        return None
    return consent_overview(conn, declaration, order.subject_id, actor=actor)


def _receipts(
    conn: Connection | None,
    declaration: Declaration,
    overview: ConsentOverview | None,
    lang: Lang,
    actor: Actor,
) -> list[dict[str, Any]]:
    if conn is None or overview is None:
        return []
    return [
        {
            "purpose": event.purpose,
            "choice": event.kind.value,
            "at": event.occurred_at.isoformat(),
            "expires_at": event.expires_at.isoformat() if event.expires_at else None,
            "receipt_id": event.public_id,
            "receipt": receipt(conn, event.id, declaration, lang, actor=actor),
        }
        for event in overview.events
    ]


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def purge_handler(store: Store, directory: Path, actor: Actor) -> Handler:
    """Delete the files of packages taken or expired, then plan the next purge."""

    def handle(context: JobContext) -> None:
        def plan_next(conn: Connection) -> None:
            next_run = utcnow() + PURGE_EVERY
            enqueue(conn, PACKAGE_PURGE, {}, run_after=next_run, dedupe_key=_hour_key(next_run))

        context.external_step("purge", lambda: purge_packages(store, directory, actor=actor))
        context.step("plan", plan_next)

    return handle


def _hour_key(run_at: dt.datetime) -> str:
    return f"{PACKAGE_PURGE}:{run_at:%Y%m%d%H}"
