"""Art. 19 notices: telling each recipient of the data that it was rectified, erased or restricted.

A recipient that declares a ``webhook`` receives an HTTPS ``POST`` of a JSON
notice, signed with HMAC-SHA256 under the webhook's secret (``$env``), the
way most webhook senders sign: the ``Gardien-Signature`` header is
``t=<unix time>,v1=<hex HMAC of "<t>.<body>">``, so the receiver checks both
the body and its freshness. ``deliver`` makes one attempt and says whether
to retry: a 2xx is delivered; a timeout, a connection error, a 408, 429 or
5xx may be retried (the jobs room retries with backoff); any other answer
will not change by retrying. Only ``https://`` URLs are used, and
``http://`` on the loopback (a receiver on the same host, in tests).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from gardien.errors import ConnectorError

SIGNATURE_HEADER = "Gardien-Signature"
TIMEOUT_SECONDS = 10.0
_RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})


class NoticeKind(StrEnum):
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"


@dataclass(frozen=True)
class RecipientNotice:
    """What a recipient is told: which request, what happened, whom it concerns."""

    kind: NoticeKind
    request_id: str
    controller: str
    #: The identities the recipient can find the person by (they already hold them).
    identities: Mapping[str, Sequence[str]]
    #: For a rectification: the declared categories or fields whose values changed.
    fields: Sequence[str] = ()

    def body(self) -> bytes:
        return json.dumps(
            {
                "type": f"gardien.{self.kind.value}",
                "request_id": self.request_id,
                "controller": self.controller,
                "identities": {k: list(v) for k, v in sorted(self.identities.items())},
                "fields": list(self.fields),
                "article": "GDPR Art. 19",
            },
            ensure_ascii=False,
            sort_keys=True,
        ).encode("utf-8")


@dataclass(frozen=True)
class Delivery:
    """One attempt: the status answered (None: no answer), and whether it is done."""

    status: int | None
    delivered: bool
    retryable: bool
    reason: str


def sign(body: bytes, secret: bytes, timestamp: int) -> str:
    mac = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(body: bytes, header: str, secret: bytes, *, tolerance: int = 300) -> bool:
    """How a receiver checks a notice (and how the tests do): right MAC, recent enough."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(body, secret, timestamp), header)


def check_url(url: str) -> str:
    parts = urlsplit(url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ConnectorError(
            "a recipient's webhook must be an https:// URL (notices carry personal data)"
        )
    return url


def deliver(
    url: str, notice: RecipientNotice, secret: bytes, *, timeout: float = TIMEOUT_SECONDS
) -> Delivery:
    """One signed POST of ``notice`` to ``url``."""
    body = notice.body()
    request = urllib.request.Request(
        check_url(url),
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "gardien (GDPR Art. 19 notice)",
            SIGNATURE_HEADER: sign(body, secret, int(time.time())),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return Delivery(None, False, True, f"no answer ({type(exc).__name__})")
    if 200 <= status < 300:
        return Delivery(status, True, False, "delivered")
    retryable = status in _RETRYABLE
    return Delivery(status, False, retryable, f"answered {status}")
