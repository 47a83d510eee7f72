"""The HTTP connections of ``gardien serve``: uvicorn's protocol, bounded in time and number.

uvicorn closes a connection left idle between two requests (its keep-alive
timeout, ``GARDIEN_KEEP_ALIVE_SECONDS``), but nothing closes one whose client
sends half a request and stops: it is held for ever, and enough of them hold
every file descriptor the process has. ``BoundedHttpProtocol`` adds:

- **a header timeout**: a connection that has not sent a request's complete
  headers within ``GARDIEN_HEADER_TIMEOUT_SECONDS`` of opening, or of the first
  byte of a further request on it, is closed. The time runs from the start,
  not from the last byte, so trickling a byte at a time does not renew it.
- **a bound on the request head**: a request line and headers over
  ``MAX_HEAD_BYTES`` are answered 400 and the connection closed. httptools
  has none, and buffers a header value whole: one client sent 81 MB of a
  single header in 8 s, which the server held in memory.
- **a connection limit**: while ``GARDIEN_MAX_CONNECTIONS`` connections are
  open, one more is answered 503 ``unavailable`` (with ``Retry-After``) as
  soon as its headers are in, and closed; it never reaches the application.

A request that is not HTTP at all is answered 400 ``malformed-request`` as a
problem document, like every other error, where uvicorn wrote plain text.

A body that stops arriving is answered by the application (408,
``web/limits.py``), which alone knows it is waiting for one. The protocol
extended is httptools', the one uvicorn picks when httptools is installed
(``uvicorn[standard]``, a dependency of gardien).
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from starlette.types import Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gardien.settings import Settings
from gardien.web.problems import ProblemError, problem_response

#: The most a request line and its headers may take, in bytes (a body has its own limit).
#: Counted as the bytes arrive, so the bound may be passed by one read of the socket.
MAX_HEAD_BYTES = 64 * 1024


class BoundedHttpProtocol(HttpToolsProtocol):
    """An HTTP/1.1 connection with a header timeout and a bounded request head, refused
    beyond the connection limit."""

    header_timeout: ClassVar[float] = 10.0
    max_connections: ClassVar[int] = 500
    _header_timer: asyncio.TimerHandle | None = None
    #: Whether a request head is being received, and how many bytes of it have come.
    _in_head = True
    _head_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            # Its requests go to the refusal instead of the application.
            self.app = _over_the_limit(self.max_connections)
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > MAX_HEAD_BYTES:
            self._refuse_and_close(
                f"the request line and headers exceed {MAX_HEAD_BYTES // 1024} KiB: send "
                "large values in the body"
            )

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to what its parser refuses (``msg`` is its own fixed text)."""
        self._refuse_and_close(
            "the request is not valid HTTP/1.1: check the request line, the headers and "
            "the framing of the body (Content-Length or chunked)"
        )

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        if self._header_timer is None:  # the first request's time runs from the connection
            self._start_header_timer()

    def on_headers_complete(self) -> None:
        self._stop_header_timer()
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def _refuse_and_close(self, detail: str) -> None:
        """Answer 400 before any request reached the application, and close."""
        if self.transport.is_closing():
            return
        response = problem_response(ProblemError("malformed-request", detail))
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in [*self.server_state.default_headers, *response.raw_headers]:
            head.append(b"%s: %s\r\n" % (name, value))
        head.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(head) + response.body)
        self.transport.close()

    def _start_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def _over_the_limit(max_connections: int) -> _Refusal:
    return _Refusal(
        ProblemError(
            "unavailable",
            f"the server has {max_connections} connections open (GARDIEN_MAX_CONNECTIONS); "
            "retry in a moment",
            headers={"Connection": "close"},
        )
    )


class _Refusal:
    """An ASGI application that answers every request with one problem."""

    def __init__(self, problem: ProblemError) -> None:
        self.problem = problem

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        await problem_response(self.problem, scope.get("path"))(scope, no_body, send)


def bounded_protocol(settings: Settings) -> type[asyncio.Protocol]:
    """The protocol class ``gardien serve`` gives uvicorn, with ``settings``' limits."""

    class Bounded(BoundedHttpProtocol):
        header_timeout = settings.header_timeout_seconds
        max_connections = settings.max_connections

    return Bounded
