"""What an API request body must be: declared JSON (else 415) and well-formed (else 400).

Without the media type check a body sent as text/plain would be read as a
string and rejected with a confusing shape error instead of naming the real
mistake. The form check reads the body whole (``web/limits.py``, outside,
bounds its size and time), refuses what is not JSON as RFC 8259 defines it,
then hands the same bytes on. It is made here, once, rather than left to the
framework, whose parser accepts UTF-16, ``NaN`` and unpaired surrogate
escapes, recurses as deep as the body nests, and turns what it cannot
decode into the 422 of a body that does not fit the schema.
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gardien.web.problems import ProblemError, problem_response

#: How deep arrays and objects may nest in a request body, the body itself being
#: level 1. No endpoint needs more; parsing and validating deeper costs recursion.
MAX_JSON_DEPTH = 64

_BODY_METHODS = {"POST", "PUT", "PATCH"}
_SURROGATE = re.compile("[\ud800-\udfff]")


class _NotAJsonNumberError(ValueError):
    pass


def _refuse_constant(name: str) -> object:
    raise _NotAJsonNumberError(name)


def malformation(body: bytes) -> str | None:
    """Why ``body`` is not a JSON text gardien reads (UTF-8, RFC 8259, at most
    ``MAX_JSON_DEPTH`` deep), or ``None``. The reason names a position, never a value."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the request body is not valid UTF-8 (at byte {exc.start}): send JSON in UTF-8"
    # RFC 8259 §8.1 lets a parser ignore a byte order mark, and the API always has.
    text = text.removeprefix("\ufeff")
    too_deep = (
        f"the request body is nested deeper than {MAX_JSON_DEPTH} levels of arrays and objects"
    )
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except _NotAJsonNumberError:
        return "the request body is not valid JSON: NaN and infinities are not JSON numbers"
    except json.JSONDecodeError as exc:
        return (
            f"the request body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        )
    except RecursionError:
        return too_deep
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: list[object] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            return too_deep
        for child in children:
            if isinstance(child, str):
                # json.loads joins escaped surrogate pairs, so any surrogate left is unpaired.
                if not child.isascii() and _SURROGATE.search(child):
                    return (
                        "the request body holds an unpaired surrogate escape, which is not "
                        "Unicode text: send the character itself, in UTF-8"
                    )
            elif isinstance(child, dict | list):
                pending.append((child, depth + 1))
    return None


class RequireJson:
    """Refuse an API body that is not declared JSON (415) or is not well-formed JSON (400)."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            scope["type"] == "http"
            and scope["method"] in _BODY_METHODS
            and scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        has_body = headers.get(b"content-length", b"0") != b"0" or (b"transfer-encoding" in headers)
        if not has_body:
            await self.app(scope, receive, send)
            return
        media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if media != b"application/json" and not media.endswith(b"+json"):
            await self._refuse(
                scope,
                send,
                ProblemError(
                    "unsupported-media-type",
                    "send the body as JSON with the header Content-Type: application/json",
                ),
            )
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left, or web/limits.py answered it already
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        reason = malformation(body) if body else None
        if reason is not None:
            await self._refuse(scope, send, ProblemError("malformed-request", reason))
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, problem: ProblemError) -> None:
        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        await problem_response(problem, scope["path"])(scope, no_body, send)
