"""What a request body may cost the server: its size and its time, as ASGI middleware.

A body over ``GARDIEN_MAX_BODY_BYTES`` is answered 413, whether its
Content-Length announced it or it was streamed (chunked) and counted as it
arrived; a body of which nothing arrives for ``GARDIEN_BODY_TIMEOUT_SECONDS``
is answered 408. The answer is sent from here, and the application behind is
told the client disconnected: nothing between here and the endpoint can turn
the refusal into another status. (An exception would not do: FastAPI turns
any exception raised while it reads a body into a 400 of its own, which is
how a streamed 10 MB body once got a 422.)

A response that starts before the body was read whole carries
``Connection: close``: the server then closes the connection rather than
read, and throw away, the rest of a body nobody asked for, for as long as
the client cares to send it.
"""

from __future__ import annotations

import asyncio
import dataclasses

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gardien.web.problems import ProblemError, problem_response

_DISCONNECT: Message = {"type": "http.disconnect"}
_CLOSE = (b"connection", b"close")


class BodyLimits:
    """Refuse a request body too large (413) or stalled (408), and close after an unread one."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_seconds: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_seconds = timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guard = _BodyGuard(self, scope, receive, send)
        if guard.announced is not None and guard.announced > self.max_bytes:
            await guard.refuse(self.too_large())
            return
        await self.app(scope, guard.receive, guard.send)

    def too_large(self) -> ProblemError:
        return ProblemError(
            "payload-too-large",
            f"the request body exceeds {self.max_bytes} bytes (GARDIEN_MAX_BODY_BYTES)",
        )

    def stalled(self) -> ProblemError:
        return ProblemError(
            "request-timeout",
            f"no part of the request body arrived for {self.timeout_seconds:g} seconds "
            "(GARDIEN_BODY_TIMEOUT_SECONDS): send the body without pausing, and check that "
            "Content-Length is the length of the body sent",
        )


class _BodyGuard:
    """One request's body as the application reads it: counted, timed, and answered for."""

    def __init__(self, limits: BodyLimits, scope: Scope, receive: Receive, send: Send) -> None:
        self.limits = limits
        self.scope = scope
        self._receive = receive
        self._send = send
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        self.announced = int(length) if length is not None and length.isdigit() else None
        #: Whether the whole body has been received (a request without one has it all).
        self.complete = b"transfer-encoding" not in headers and not self.announced
        self.received = 0
        self.response_started = False
        self.refused = False

    async def receive(self) -> Message:
        if self.refused:
            return _DISCONNECT
        if self.complete:
            # Only a disconnection can come now, whenever it comes: no timeout.
            return await self._receive()
        try:
            async with asyncio.timeout(self.limits.timeout_seconds):
                message = await self._receive()
        except TimeoutError:
            await self.refuse(self.limits.stalled())
            return _DISCONNECT
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limits.max_bytes:
                await self.refuse(self.limits.too_large())
                return _DISCONNECT
            if not message.get("more_body", False):
                self.complete = True
        return message

    async def send(self, message: Message) -> None:
        if self.refused:
            return  # the client has its answer already
        if message["type"] == "http.response.start":
            self.response_started = True
            if not self.complete:
                message = {**message, "headers": [*message.get("headers", []), _CLOSE]}
        await self._send(message)

    async def refuse(self, problem: ProblemError) -> None:
        """Answer ``problem`` and close the connection; the application gets no more body."""
        self.refused = True
        if self.response_started:
            return  # too late for another status; the response under way closes the connection
        self.response_started = True
        closing = dataclasses.replace(problem, headers={**problem.headers, "Connection": "close"})
        response = problem_response(closing, self.scope.get("path"))
        await response(self.scope, self._receive, self._send)
