"""RFC 9457 problem documents: the one shape of every API error, built here only.

Rooms raise ``GardienError`` subclasses, each of which names its problem type
(``gardien.errors``); this module only turns one into a response. A server
fault (5xx) never carries the error's message, which may name a file, a host
or a key id: it is logged, and the client gets a neutral detail. Request
validation errors list what was wrong without echoing the values sent, which
may be personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from gardien.errors import PROBLEM_TYPES, GardienError, ProblemType

PROBLEM_MEDIA_TYPE = "application/problem+json"
_log = logging.getLogger("gardien.web")
#: What a client is told of a server fault, by status.
_NEUTRAL_DETAIL = {
    500: "an unexpected error occurred; it has been logged",
    503: "the service cannot reach its database right now; retry in a moment",
}
_RETRY_AFTER_SECONDS = "5"
#: The problem type of each status Starlette and FastAPI raise ``HTTPException`` with
#: (a body they cannot parse is 400, never the 422 of a body that does not fit the schema).
_HTTP_STATUS_PROBLEMS = {
    400: "malformed-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    408: "request-timeout",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


@dataclass
class ProblemError(Exception):
    """An error to answer as a problem document."""

    slug: str
    detail: str
    extensions: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.slug not in PROBLEM_TYPES:
            raise ValueError(f"no problem type {self.slug!r} in gardien.errors.PROBLEM_TYPES")

    @property
    def type(self) -> ProblemType:
        return PROBLEM_TYPES[self.slug]


def problem_response(problem: ProblemError, instance: str | None = None) -> JSONResponse:
    kind = problem.type
    body: dict[str, Any] = {
        "type": kind.uri,
        "title": kind.title,
        "status": kind.status,
        "detail": problem.detail,
    }
    if instance is not None:
        body["instance"] = instance
    body.update(problem.extensions)
    headers = dict(problem.headers)
    if kind.status == 503:
        # Every 503 says when to come back, whoever raised it.
        headers.setdefault("Retry-After", _RETRY_AFTER_SECONDS)
    return JSONResponse(
        body, status_code=kind.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def problem_for_error(error: GardienError) -> ProblemError:
    """The problem document of a domain error: its class says which (``gardien.errors``)."""
    kind = error.problem
    if kind.reveals_detail:
        return ProblemError(kind.slug, error.message)
    _log.error("%s: %s", type(error).__name__, error.message)
    return ProblemError(kind.slug, _NEUTRAL_DETAIL.get(kind.status, kind.title))


def _validation_errors(errors: Sequence[Any], names: frozenset[str]) -> list[dict[str, str]]:
    """Field and message of each error; a location part that is not a name of the API's
    own schema (a key the client chose, such as an identity kind or an e-mail address
    used as one) is shown as ``*``, never echoed."""
    described = []
    for error in errors:
        location = [
            str(part) if isinstance(part, int) or part in names else "*"
            for part in error.get("loc", ())
            if part != "body"
        ]
        described.append({"field": ".".join(location) or "body", "message": error.get("msg", "")})
    return described


def schema_names(app: FastAPI) -> frozenset[str]:
    """Every property and parameter name of the app's OpenAPI document."""
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(properties)
            if node.get("in") in ("query", "path", "header") and isinstance(node.get("name"), str):
                names.add(node["name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(app.openapi())
    return frozenset(names)


def install_problem_handlers(app: FastAPI) -> None:
    """Every error leaves the app as a problem document."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(GardienError)
    async def _domain(request: Request, exc: GardienError) -> JSONResponse:
        return problem_response(problem_for_error(exc), request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            problem = ProblemError("malformed-request", "the request body is not valid JSON")
        else:
            problem = ProblemError(
                "invalid-request",
                "the request does not match the expected shape: see `errors`",
                {"errors": _validation_errors(errors, schema_names(request.app))},
            )
        return problem_response(problem, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        fallback = "internal-error" if exc.status_code >= 500 else "invalid-request"
        slug = _HTTP_STATUS_PROBLEMS.get(exc.status_code, fallback)
        kind = PROBLEM_TYPES[slug]
        detail = exc.detail if isinstance(exc.detail, str) and kind.reveals_detail else kind.title
        if exc.status_code == 404:
            detail = f"nothing is served at {request.url.path}"
        return problem_response(
            ProblemError(slug, detail, headers=exc.headers or {}), request.url.path
        )
