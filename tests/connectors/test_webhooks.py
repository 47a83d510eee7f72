"""Art. 19 notices reach a real HTTP receiver, signed; failures say whether to retry."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from gardien.connectors.webhooks import (
    SIGNATURE_HEADER,
    NoticeKind,
    RecipientNotice,
    deliver,
    verify_signature,
)
from gardien.errors import ConnectorError

SECRET = b"s" * 32
NOTICE = RecipientNotice(
    NoticeKind.ERASURE, "a" * 32, "Example SAS", {"email": ["alice@example.com"]}
)


class Receiver:
    def __init__(self) -> None:
        self.status = 204
        self.received: list[tuple[bytes, dict[str, str]]] = []


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((body, dict(self.headers)))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/gdpr"
    server.shutdown()
    server.server_close()


def test_a_notice_arrives_signed(receiver: tuple[Receiver, str]) -> None:
    state, url = receiver
    delivery = deliver(url, NOTICE, SECRET)
    assert delivery.delivered and delivery.status == 204
    [(body, headers)] = state.received
    assert verify_signature(body, headers[SIGNATURE_HEADER], SECRET)
    assert not verify_signature(body, headers[SIGNATURE_HEADER], b"x" * 32)
    assert not verify_signature(body + b" ", headers[SIGNATURE_HEADER], SECRET)
    sent = json.loads(body)
    assert sent["type"] == "gardien.erasure" and sent["identities"] == {
        "email": ["alice@example.com"]
    }


@pytest.mark.parametrize(("status", "retryable"), [(503, True), (429, True), (400, False)])
def test_a_refusal_says_whether_to_retry(
    receiver: tuple[Receiver, str], status: int, retryable: bool
) -> None:
    state, url = receiver
    state.status = status
    delivery = deliver(url, NOTICE, SECRET)
    assert (delivery.delivered, delivery.status, delivery.retryable) == (False, status, retryable)


def test_no_answer_is_retried() -> None:
    delivery = deliver("http://127.0.0.1:1/gdpr", NOTICE, SECRET, timeout=2)
    assert (delivery.delivered, delivery.status, delivery.retryable) == (False, None, True)


def test_only_https_leaves_the_host() -> None:
    with pytest.raises(ConnectorError, match="https://"):
        deliver("http://partner.example.com/gdpr", NOTICE, SECRET)
