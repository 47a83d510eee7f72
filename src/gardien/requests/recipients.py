"""Art. 19: telling the recipients of a person's data that it was rectified, erased or restricted.

When a request changes a person's data, ``queue_notices`` queues one job per
recipient that receives identified or pseudonymised data (a purpose names
it) and declares a ``webhook``, unless ``rights.notify_recipients`` is off.
The identities the recipient needs to find the person ride in the job sealed
under the vault's ``recipient_notices`` secret, never in clear in the queue.
The worker's ``notice_handler`` makes one signed attempt per run
(``connectors.webhooks.deliver``), logs it in ``recipient_deliveries`` with
an audit entry, and lets the jobs room retry with backoff while retrying can
help; an answer retrying will not change ends the job failed, logged.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from gardien.audit import Actor, RecipientNoticeAttempted
from gardien.audit.guard import PublicId
from gardien.connectors.webhooks import Delivery, NoticeKind, RecipientNotice, deliver
from gardien.declaration import Declaration
from gardien.declaration.models import DataForm
from gardien.declaration.values import EnvRef
from gardien.errors import JobError, PermanentJobError
from gardien.jobs import JobContext, enqueue
from gardien.requests.execution_tables import recipient_deliveries
from gardien.store import Store, utcnow
from gardien.vault import Vault, crypto

RECIPIENT_NOTICE = "request.notify_recipient"
NOTICES_SECRET = "recipient_notices"
#: Backoff from 10 s doubling to the 1 h cap: about a day of attempts.
NOTICE_ATTEMPTS = 30
_SEALED_FIELD = "recipient-notice"


def recipients_to_notify(declaration: Declaration) -> list[str]:
    """The recipients told of changes: named by a purpose, receiving identifiable data,
    with a webhook; none if ``rights.notify_recipients`` is off."""
    if not declaration.rights.notify_recipients:
        return []
    named = {rid for purpose in declaration.purposes.values() for rid in purpose.recipients}
    return [
        rid
        for rid, recipient in declaration.recipients.items()
        if rid in named
        and recipient.webhook is not None
        and recipient.receives != DataForm.ANONYMISED
    ]


def queue_notices(
    conn: Connection,
    vault: Vault,
    declaration: Declaration,
    *,
    request_id: str,
    kind: NoticeKind,
    identities: Mapping[str, Sequence[str]],
    fields: Sequence[str] = (),
) -> list[str]:
    """Queue a notice job per recipient to notify, in ``conn``'s transaction; their ids."""
    recipients = recipients_to_notify(declaration)
    if not recipients:
        return []
    secret = vault.derived_secret(NOTICES_SECRET)
    sealed = crypto.seal_field(
        secret,
        request_id,
        _SEALED_FIELD,
        json.dumps({k: list(v) for k, v in identities.items()}, sort_keys=True).encode(),
    )
    for rid in recipients:
        enqueue(
            conn,
            RECIPIENT_NOTICE,
            {
                "request_id": request_id,
                "recipient": rid,
                "kind": kind.value,
                "fields": list(fields),
                "identities": sealed.hex(),
            },
            dedupe_key=f"notice:{request_id}:{rid}",
            max_attempts=NOTICE_ATTEMPTS,
        )
    return recipients


def deliveries(conn: Connection, request_id: str) -> list[dict[str, Any]]:
    """The delivery log of a request's notices, oldest first (no personal values)."""
    rows = conn.execute(
        select(recipient_deliveries)
        .where(recipient_deliveries.c.request_id == request_id)
        .order_by(recipient_deliveries.c.id)
    ).all()
    return [
        {
            "recipient": row.recipient,
            "kind": row.kind,
            "attempt": row.attempt,
            "at": row.at.isoformat(),
            "status": row.status,
            "delivered": row.delivered,
            "reason": row.reason,
        }
        for row in rows
    ]


Send = Callable[[str, RecipientNotice, bytes], Delivery]


def notice_handler(
    store: Store,
    vault: Vault,
    declaration: Declaration,
    actor: Actor,
    *,
    environ: Mapping[str, str] | None = None,
    send: Send = deliver,
) -> Callable[[JobContext], None]:
    """The worker's handler for ``request.notify_recipient`` jobs: one attempt a run."""

    def handle(context: JobContext) -> None:
        payload = context.job.payload
        request_id = str(payload["request_id"])
        rid = str(payload["recipient"])
        kind = NoticeKind(str(payload["kind"]))
        recipient = declaration.recipients.get(rid)
        if recipient is None or recipient.webhook is None:
            raise PermanentJobError(
                f"recipient {rid!r} has no webhook in the declaration in force: nothing to send"
            )
        env = os.environ if environ is None else environ
        url = _resolved(recipient.webhook.url, env, f"recipient {rid!r} webhook url")
        if recipient.webhook.secret is None:
            raise PermanentJobError(
                f"recipient {rid!r} declares a webhook without a secret: declare "
                "webhook.secret: {$env: NAME} so that notices are signed"
            )
        secret = _resolved(recipient.webhook.secret, env, f"recipient {rid!r} webhook secret")
        opened = crypto.open_field(
            vault.derived_secret(NOTICES_SECRET),
            request_id,
            _SEALED_FIELD,
            bytes.fromhex(str(payload["identities"])),
        )
        notice = RecipientNotice(
            kind=kind,
            request_id=request_id,
            controller=declaration.controller.name,
            identities=json.loads(opened),
            fields=tuple(payload.get("fields") or ()),
        )
        try:
            delivery = send(url, notice, secret.encode("utf-8"))
        except Exception as exc:  # a bad URL: the declaration is wrong, not the network
            delivery = Delivery(None, False, False, f"not sent ({type(exc).__name__})")
        with store.engine.begin() as conn:
            conn.execute(
                recipient_deliveries.insert().values(
                    request_id=request_id,
                    recipient=rid,
                    kind=kind.value,
                    attempt=context.job.attempts,
                    at=utcnow(),
                    status=delivery.status,
                    delivered=delivery.delivered,
                    reason=delivery.reason[:200],
                )
            )
            actor.record(
                conn,
                RecipientNoticeAttempted(
                    request_id=PublicId(request_id),
                    recipient=rid,
                    kind=kind.value,
                    attempt=context.job.attempts,
                    delivered=delivery.delivered,
                    status=delivery.status,
                ),
            )
        if delivery.delivered:
            return
        message = f"recipient {rid!r}: {delivery.reason}"
        if delivery.retryable:
            raise JobError(message)
        raise PermanentJobError(message)

    return handle


def _resolved(value: EnvRef | str, environ: Mapping[str, str], what: str) -> str:
    if isinstance(value, EnvRef):
        resolved = environ.get(value.env)
        if not resolved:
            raise PermanentJobError(
                f"{what} comes from ${value.env}, which is not set in the worker's environment"
            )
        return resolved
    return value
