"""The limits of `gardien serve`, over raw sockets to a real server process.

Clients that send too much or send garbage: a chunked body over the limit
(413), bodies that are not UTF-8 JSON (400). The limits belong to the HTTP
layer, not the store: these run on SQLite only.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

Server = Any  # the fixture's class lives in this folder's conftest

pytestmark = pytest.mark.parametrize("store_urls", ["sqlite"], indirect=True)


@pytest.fixture
def limited(
    server_env: dict[str, str], server_factory: Callable[..., Server], tmp_path: Path
) -> Iterator[Callable[..., Server]]:
    """Start a server with any further settings given."""
    started: list[Server] = []

    def start(**extra: str) -> Server:
        server = server_factory({**server_env, **extra}, tmp_path)
        started.append(server)
        return server

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def _connect(server: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.base_port), timeout=10)


def _read_response(sock: socket.socket) -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response


def _problem(response: http.client.HTTPResponse, status: int, slug: str) -> dict[str, Any]:
    body = response.read()
    assert response.status == status, body
    assert response.getheader("content-type") == "application/problem+json"
    problem: dict[str, Any] = json.loads(body)
    assert problem["type"] == f"/problems/{slug}" and problem["status"] == status
    return problem


def _request_head(path: str, token: str, extra: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: gardien\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    ).encode()


# Bodies --------------------------------------------------------------------------------


def test_a_chunked_body_over_the_limit_is_413_over_a_socket(limited: Callable[..., Server]) -> None:
    """10 MB sent chunked, with no Content-Length, as curl sends a file of unknown size:
    the server answers 413 as soon as the limit (64 KiB here) is passed, and closes."""
    server = limited()
    token = server.new_key("service")
    sock = _connect(server)
    sock.sendall(_request_head("/api/v1/subjects", token, "Transfer-Encoding: chunked\r\n"))
    piece = b" " * 65536
    sent = 0

    def upload() -> None:
        nonlocal sent
        try:
            for _ in range(160):
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server closed the connection after its answer

    uploader = threading.Thread(target=upload)
    uploader.start()
    response = _read_response(sock)
    problem = _problem(response, 413, "payload-too-large")
    assert "65536 bytes" in problem["detail"]
    assert response.getheader("connection") == "close"
    uploader.join(timeout=30)
    assert not uploader.is_alive()
    assert sent < 10 * 1024 * 1024, "the server read the whole 10 MB"
    sock.close()
    assert server.request("GET", "/healthz").status == 200


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b'{"identities": {"email": "a\xff@b.fr"}}', "UTF-8"),
        (b'{"identities": {"email": "a@b.fr"}, "attributes": {"x": NaN}}', "NaN"),
        (b'{"identities": {"user_id": "\\udc00"}}', "surrogate"),
        (
            b'{"identities": {"email": "a@b.fr"}, "attributes": {"x": '
            + b"[" * 5000
            + b"]" * 5000
            + b"}}",
            "64 levels",
        ),
    ],
    ids=["not-utf8", "nan", "lone-surrogate", "deep"],
)
def test_a_body_that_is_not_utf8_json_is_400_over_http(
    limited: Callable[..., Server], body: bytes, named: str
) -> None:
    server = limited()
    token = server.new_key("service")
    reply = server.request(
        "POST",
        "/api/v1/subjects",
        body,
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert reply.status == 400, reply.body
    assert reply.headers["content-type"] == "application/problem+json"
    problem = reply.json()
    assert problem["type"] == "/problems/malformed-request" and named in problem["detail"]
