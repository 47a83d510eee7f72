"""The last line: an exception no handler expected becomes a 500 problem, and its text goes nowhere.

Starlette's own last handler answers 500 and then re-raises the exception so
that the server logs it with its traceback, and an exception's text can
hold what the request carried (a database error quotes its parameters, a
``KeyError`` its key). This middleware sits outside every other one: it
answers the problem document itself, logs the exception's type and the path
only, and lets nothing propagate.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gardien.web.problems import ProblemError, problem_response

_log = logging.getLogger("gardien.web")


class ContainFaults:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # the point of this class: nothing escapes, nothing echoed
            _log.error("unexpected %s at %s", type(exc).__name__, scope.get("path", "?"))
            if started:
                return  # the client gets a truncated response; the connection is closed
            response = problem_response(
                ProblemError("internal-error", "an unexpected error occurred; it has been logged"),
                scope.get("path"),
            )
            await response(scope, receive, send)
