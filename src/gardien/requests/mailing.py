"""E-mails to the person who made a request, without their address in the jobs table.

A message to a requester is queued as a ``request.notify`` job whose payload
holds the request's sealed identities (ciphertext, copied from its row) and
the message; the handler opens the address with the vault and sends. So the
address is never in clear in a job's payload, a finished job keeps nothing
readable, and a message queued just before the request is shredded (an
erasure completes) still reaches the person.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from gardien.errors import PermanentJobError
from gardien.jobs import JobContext, Mailer, Message, enqueue
from gardien.requests.identities import RequestIdentities
from gardien.requests.sealing import IDENTITIES_FIELD, Sealer

REQUEST_NOTIFY = "request.notify"


@dataclass(frozen=True)
class PersonMessage:
    """A message to the requester, in their language, written by the caller."""

    subject: str
    body: str

    def __repr__(self) -> str:
        return f"PersonMessage(subject=[{len(self.subject)} chars], body=[{len(self.body)} chars])"


def queue_person_mail(
    conn: Connection,
    request_id: str,
    identities_sealed: bytes | None,
    message: PersonMessage,
    *,
    sender: str | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Queue ``message`` to the request's e-mail; None when its identities are gone."""
    if identities_sealed is None:
        return None
    payload: dict[str, Any] = {
        "request_id": request_id,
        "identities": base64.b64encode(bytes(identities_sealed)).decode("ascii"),
        "subject": message.subject,
        "body": message.body,
    }
    if sender:
        payload["from"] = sender
    return enqueue(conn, REQUEST_NOTIFY, payload, dedupe_key=dedupe_key)


def notify_handler(sealer: Sealer, mailer: Mailer, *, sender: str) -> Callable[[JobContext], None]:
    """The ``request.notify`` handler: open the address, send once (an external step)."""

    def handle(context: JobContext) -> None:
        payload = context.job.payload
        try:
            request_id = str(payload["request_id"])
            sealed = base64.b64decode(str(payload["identities"]))
            identities = RequestIdentities.from_json(
                sealer.open(request_id, IDENTITIES_FIELD, sealed)
            )
        except (KeyError, ValueError) as exc:
            raise PermanentJobError(
                f"request.notify payload is unusable ({type(exc).__name__})"
            ) from None
        if identities.email is None:
            return  # an agent's request about someone without an e-mail: staff write by post
        message = Message(
            sender=str(payload.get("from") or sender),
            to=(identities.email,),
            subject=str(payload["subject"]),
            body=str(payload["body"]),
            message_id=f"<request-{context.job.id}@gardien>",
        )
        context.external_step("send", lambda: mailer.send(message))

    return handle
