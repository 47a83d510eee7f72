"""Requests with a body must say it is JSON: anything else is answered 415.

Without this check a body sent as text/plain would be read as a string and
rejected with a confusing shape error instead of naming the real mistake.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from gardien.web.problems import ProblemError, problem_response

_BODY_METHODS = {"POST", "PUT", "PATCH"}


class RequireJson:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in _BODY_METHODS
            and scope["path"].startswith(self.prefix)
        ):
            headers = dict(scope.get("headers", []))
            has_body = headers.get(b"content-length", b"0") != b"0" or (
                b"transfer-encoding" in headers
            )
            media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if has_body and media != b"application/json" and not media.endswith(b"+json"):
                response = problem_response(
                    ProblemError(
                        "unsupported-media-type",
                        "send the body as JSON with the header Content-Type: application/json",
                    ),
                    scope["path"],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
