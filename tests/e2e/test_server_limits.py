"""The limits of `gardien serve`, over raw sockets to a real server process.

Clients that send too much, send garbage, or stop sending: a chunked body
over the limit (413), bodies that are not UTF-8 JSON (400), what is not HTTP
and request heads over 64 KiB (400), connections that stall in their headers
or their body (closed, with a 408 for a body), idle keep-alive connections,
and more connections than the server takes (503). Meanwhile normal requests
are answered. The limits belong to the HTTP layer, not the store: these run
on SQLite only.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import selectors
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest

Server = Any  # the fixture's class lives in this folder's conftest

HEADER_TIMEOUT = 2
BODY_TIMEOUT = 2
KEEP_ALIVE = 1
#: Slack for a loaded machine: a connection must be closed by timeout + SLACK.
SLACK = 1.5

pytestmark = pytest.mark.parametrize("store_urls", ["sqlite"], indirect=True)


@pytest.fixture
def limited(
    server_env: dict[str, str], server_factory: Callable[..., Server], tmp_path: Path
) -> Iterator[Callable[..., Server]]:
    """Start a server with short timeouts, and any further settings given."""
    started: list[Server] = []

    def start(**extra: str) -> Server:
        env = {
            **server_env,
            "GARDIEN_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT),
            "GARDIEN_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT),
            "GARDIEN_KEEP_ALIVE_SECONDS": str(KEEP_ALIVE),
            **extra,
        }
        server = server_factory(env, tmp_path)
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


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server closes ``sock`` within ``within`` seconds (reading what it sends)."""
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            if not sock.recv(65536):
                return True
        except TimeoutError:
            return False
        except ConnectionError:
            return True
    return False


def _readable(socks: list[socket.socket]) -> list[socket.socket]:
    """The sockets with something to read now: data, or the end of the connection."""
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        return [cast(socket.socket, key.fileobj) for key, _ in selector.select(timeout=0)]


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


# Request heads ------------------------------------------------------------------------


def test_a_request_that_is_not_http_is_a_400_problem(limited: Callable[..., Server]) -> None:
    server = limited()
    sock = _connect(server)
    sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
    response = _read_response(sock)
    assert "HTTP/1.1" in _problem(response, 400, "malformed-request")["detail"]
    assert response.getheader("connection") == "close"
    assert _closed_by_server(sock, SLACK)
    sock.close()


def test_a_request_head_over_64_kib_is_refused_at_once(limited: Callable[..., Server]) -> None:
    """A header sent as fast as the socket takes it: the server stops at 64 KiB with a
    400, instead of buffering until the header timeout (81 MB in 8 s, measured)."""
    server = limited()
    sock = _connect(server)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: gardien\r\nX-Padding: ")
    started = time.monotonic()

    def pad() -> None:
        with contextlib.suppress(OSError):  # the server closes the connection
            for _ in range(64):
                sock.sendall(b"a" * 65536)

    padder = threading.Thread(target=pad)
    padder.start()
    response = _read_response(sock)
    assert "64 KiB" in _problem(response, 400, "malformed-request")["detail"]
    assert time.monotonic() - started < HEADER_TIMEOUT / 2
    padder.join(timeout=30)
    sock.close()
    assert server.request("GET", "/healthz", headers={"X-Padding": "a" * 60_000}).status == 200


# Connections that stop sending ---------------------------------------------------------


def test_connections_that_stop_sending_are_closed(limited: Callable[..., Server]) -> None:
    """Half headers, headers trickled a byte at a time, nothing at all, and a second
    request on a kept-alive connection that stops in its headers: each is closed
    within the header timeout. Headers and half a body: 408, then closed within the
    body timeout. Normal requests are answered all along."""
    server = limited()
    token = server.new_key("service")
    check = json.dumps({"identity": {"email": "a@b.fr"}, "purpose": "newsletter"}).encode()
    stalled: dict[str, list[socket.socket]] = {
        kind: [_connect(server) for _ in range(20)]
        for kind in ("half-headers", "trickle", "nothing", "second-request", "half-body")
    }
    started = time.monotonic()
    for sock in stalled["half-headers"]:
        sock.sendall(b"POST /api/v1/checks HTTP/1.1\r\nHost: gardien\r\nContent-Ty")
    for sock in stalled["second-request"]:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: gardien\r\n\r\n")
        response = _read_response(sock)
        assert response.status == 200
        response.read()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHo")
    for sock in stalled["half-body"]:
        sock.sendall(
            _request_head("/api/v1/checks", token, f"Content-Length: {len(check)}\r\n") + check[:10]
        )
    trickled = b"POST /api/v1/checks HTTP/1.1\r\nHost: gardien\r\nX-Padding: " + b"a" * 100

    # Nothing is closed early: half the header timeout on, every connection is open
    # (the trickling ones sending a byte every 0.2 s, as a slowloris client does).
    sent = 0
    while time.monotonic() - started < HEADER_TIMEOUT / 2:
        for sock in stalled["trickle"]:
            sock.sendall(trickled[sent : sent + 1])
        sent += 1
        assert server.request("GET", "/healthz").status == 200
        time.sleep(0.2)
    early = _readable([sock for socks in stalled.values() for sock in socks])
    assert not early, "closed or answered before the timeout"

    selector = selectors.DefaultSelector()
    for kind, socks in stalled.items():
        for sock in socks:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ, kind)
    received: dict[socket.socket, bytes] = {}
    lifetimes: dict[str, list[float]] = {kind: [] for kind in stalled}
    deadline = started + max(HEADER_TIMEOUT, BODY_TIMEOUT) + SLACK + 3
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.2):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                data = sock.recv(65536)
            except ConnectionError:
                data = b""
            if data:
                received[sock] = received.get(sock, b"") + data
                continue
            lifetimes[key.data].append(time.monotonic() - started)
            selector.unregister(sock)
        for sock in stalled["trickle"]:
            with contextlib.suppress(OSError):  # closed by the server already
                sock.send(trickled[sent : sent + 1])
        sent += 1
        assert server.request("GET", "/healthz").status == 200
    still_open = {key.data for key in selector.get_map().values()}
    assert not still_open, f"still open after {deadline - started:.1f} s: {still_open}"
    for kind in ("half-headers", "trickle", "nothing", "second-request"):
        assert max(lifetimes[kind]) < HEADER_TIMEOUT + SLACK, (kind, lifetimes[kind])
        assert all(sock not in received for sock in stalled[kind] if kind != "second-request")
    assert max(lifetimes["half-body"]) < BODY_TIMEOUT + SLACK
    for sock in stalled["half-body"]:
        head, _, body = received[sock].partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408 "), head
        assert b"connection: close" in head.lower()
        assert json.loads(body)["type"] == "/problems/request-timeout"
    for socks in stalled.values():
        for sock in socks:
            sock.close()


def test_an_idle_kept_alive_connection_is_closed(limited: Callable[..., Server]) -> None:
    server = limited()
    sock = _connect(server)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: gardien\r\n\r\n")
    response = _read_response(sock)
    response.read()
    answered = time.monotonic()
    assert response.status == 200 and not response.will_close
    assert _closed_by_server(sock, KEEP_ALIVE + SLACK)
    assert time.monotonic() - answered > KEEP_ALIVE * 0.8
    sock.close()


def test_connections_beyond_the_limit_are_answered_503(limited: Callable[..., Server]) -> None:
    """With 10 connections open, an eleventh is answered 503 and closed; once the idle
    ones have timed out, requests are served again."""
    server = limited(GARDIEN_MAX_CONNECTIONS="10")
    idle = [_connect(server) for _ in range(10)]
    time.sleep(0.3)  # let the server accept them all
    refused = _connect(server)
    refused.sendall(b"GET /healthz HTTP/1.1\r\nHost: gardien\r\n\r\n")
    response = _read_response(refused)
    problem = _problem(response, 503, "unavailable")
    assert "GARDIEN_MAX_CONNECTIONS" in problem["detail"]
    assert int(response.getheader("retry-after") or 0) > 0
    assert response.getheader("connection") == "close"
    assert _closed_by_server(refused, SLACK)
    refused.close()
    for sock in idle:
        assert _closed_by_server(sock, HEADER_TIMEOUT + SLACK)
        sock.close()
    assert server.request("GET", "/healthz").status == 200
