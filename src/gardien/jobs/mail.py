"""Sending e-mail: to an SMTP server, or to a local outbox file.

The outbox is the embedded default: with no SMTP server set, every message
is appended to a JSON-lines file (mode 0600, fsync'd), so nothing is
silently dropped and an operator can send it by hand. ``mail.send`` is the
built-in job kind that sends the message in its payload.

Addresses are personal data: they appear in the message and the outbox,
never in a ``repr``, a log line or a job's ``last_error``.
"""

from __future__ import annotations

import fcntl
import json
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from gardien.errors import JobError, PermanentJobError
from gardien.store import utcnow

MAIL_SEND = "mail.send"
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Message:
    """One e-mail. Its ``repr`` hides the recipients and the body."""

    sender: str
    to: tuple[str, ...]
    subject: str
    body: str
    html: str | None = None
    message_id: str | None = None

    def __repr__(self) -> str:
        return f"Message(to=[{len(self.to)} recipient(s)], subject=[{len(self.subject)} chars])"

    @classmethod
    def from_payload(
        cls, payload: Mapping[str, Any], *, sender: str, message_id: str | None = None
    ) -> Message:
        """The message of a ``mail.send`` job; PermanentJobError if the payload is unusable."""
        to = payload.get("to")
        recipients = (to,) if isinstance(to, str) else tuple(to) if isinstance(to, list) else ()
        if not recipients or not all(isinstance(r, str) and "@" in r for r in recipients):
            raise PermanentJobError("mail.send payload needs 'to': an address or a list of them")
        for key in ("subject", "body"):
            if not isinstance(payload.get(key), str):
                raise PermanentJobError(f"mail.send payload needs {key!r} as text")
        html = payload.get("html")
        if html is not None and not isinstance(html, str):
            raise PermanentJobError("mail.send payload's 'html' must be text")
        return cls(
            sender=str(payload.get("from") or sender),
            to=recipients,
            subject=payload["subject"],
            body=payload["body"],
            html=html,
            message_id=message_id,
        )

    def to_email(self) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = ", ".join(self.to)
        email["Subject"] = self.subject
        email["Date"] = formatdate(localtime=False)
        if self.message_id:
            email["Message-ID"] = self.message_id
        email.set_content(self.body)
        if self.html is not None:
            email.add_alternative(self.html, subtype="html")
        return email


class Mailer(Protocol):
    """Where messages go. ``send`` returns once the message is safely handed over."""

    def send(self, message: Message) -> None: ...


class OutboxMailer:
    """Appends each message as one JSON line to a file only its owner can read."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"OutboxMailer({str(self.path)!r})"

    def send(self, message: Message) -> None:
        record = {
            "at": utcnow().isoformat(),
            "message_id": message.message_id,
            "from": message.sender,
            "to": list(message.to),
            "subject": message.subject,
            "body": message.body,
            "html": message.html,
        }
        data = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            # 0600 at creation: the outbox holds addresses and message bodies.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                # Several workers may share the outbox: one whole line at a time.
                fcntl.flock(fd, fcntl.LOCK_EX)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                _fsync_directory(self.path.parent)
        except OSError as exc:
            raise JobError(
                f"cannot write the mail outbox {self.path}: {exc.strerror}; check "
                "GARDIEN_OUTBOX and the directory's permissions"
            ) from None


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class SmtpMailer:
    """Sends through an SMTP server: ``smtps://`` for implicit TLS, ``smtp://`` with
    STARTTLS whenever the server offers it (and required before sending a password
    to any host but this one)."""

    def __init__(
        self, url: str, *, timeout: float = 30.0, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise JobError(
                "the SMTP URL is not valid: write smtp://user:password@host:587 "
                "(STARTTLS) or smtps://user:password@host:465 (TLS)"
            )
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()

    def __repr__(self) -> str:
        user = f"{self.username}:[secure]@" if self.username else ""
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"SmtpMailer('{scheme}://{user}{self.host}:{self.port}')"

    def send(self, message: Message) -> None:
        try:
            with self._connect() as client:
                if self.username:
                    client.login(self.username, self._password or "")
                client.send_message(message.to_email())
        except smtplib.SMTPResponseException as exc:
            # The server's text may quote the recipient: keep only its code.
            raise JobError(
                f"SMTP server {self.host}:{self.port} refused the message ({exc.smtp_code})"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise JobError(
                f"cannot send through SMTP server {self.host}:{self.port}: "
                f"{type(exc).__name__}; check GARDIEN_SMTP_URL"
            ) from None

    def _connect(self) -> smtplib.SMTP:
        if self.implicit_tls:
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self.ssl_context
            )
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            client.ehlo()
            if client.has_extn("starttls"):
                client.starttls(context=self.ssl_context)
                client.ehlo()
            elif self.username and self.host not in LOOPBACK:
                raise JobError(
                    f"SMTP server {self.host}:{self.port} does not offer STARTTLS: gardien "
                    "will not send the password in clear; use smtps:// or fix the server"
                )
        except BaseException:
            client.close()
            raise
        return client


def mailer_from_settings(smtp_url: str | None, outbox: Path) -> Mailer:
    """SMTP when a URL is set, else the outbox file."""
    return SmtpMailer(smtp_url) if smtp_url else OutboxMailer(outbox)
