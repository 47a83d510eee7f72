"""RFC 9457 problem documents: the one shape of every API error, built here only.

Rooms raise ``GardienError`` subclasses; the web app maps each to a status
and a problem type (``ERROR_STATUS``). Request validation errors list what
was wrong without echoing the values sent, which may be personal data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from gardien.errors import GardienError

PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int

    @property
    def uri(self) -> str:
        return f"/problems/{self.slug}"


PROBLEM_TYPES: dict[str, ProblemType] = {
    t.slug: t
    for t in (
        ProblemType("malformed-request", "The request body is not valid JSON", 400),
        ProblemType("unauthenticated", "An API key is required", 401),
        ProblemType("forbidden", "This API key's role may not do this", 403),
        ProblemType("not-found", "No such resource", 404),
        ProblemType("method-not-allowed", "Method not allowed", 405),
        ProblemType("conflict", "The request conflicts with the current state", 409),
        ProblemType("payload-too-large", "The request body is too large", 413),
        ProblemType("unsupported-media-type", "Send JSON with Content-Type application/json", 415),
        ProblemType("invalid-request", "The request is not valid", 422),
        ProblemType("unknown-purpose", "The purpose is not declared", 422),
        ProblemType("not-consent-based", "The purpose does not rest on consent", 422),
        ProblemType("unknown-recipient", "The recipient is not declared", 422),
        ProblemType("undeclared-disclosure", "The purpose does not list this recipient", 422),
        ProblemType(
            "operator-not-allowed",
            "The operator would give the recipient more than its declared form",
            422,
        ),
        ProblemType("too-many-requests", "Too many failed authentications", 429),
        ProblemType("internal-error", "Internal error", 500),
        ProblemType("unavailable", "The service is not available", 503),
    )
}


@dataclass
class ProblemError(Exception):
    """An error to answer as a problem document."""

    slug: str
    detail: str
    extensions: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

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
    return JSONResponse(
        body, status_code=kind.status, media_type=PROBLEM_MEDIA_TYPE, headers=dict(problem.headers)
    )


# Domain errors by class name, so rooms need not import the web layer.
ERROR_STATUS: dict[str, str] = {
    "AuthError": "unauthenticated",
    "UnknownPurpose": "unknown-purpose",
    "SubjectNotFound": "not-found",
    "IdentityConflictError": "conflict",
    "SubjectErasedError": "conflict",
    "DataKeyMissingError": "conflict",
    # A wrong master key or a ciphertext that fails authentication is the
    # server's problem (misconfiguration or tampering), never the client's.
    "MasterKeyError": "internal-error",
    "DecryptionError": "internal-error",
    "NotConsentBasedError": "not-consent-based",
    "UnknownRecipientError": "unknown-recipient",
    "UnknownDisclosurePurposeError": "unknown-purpose",
    "UndeclaredDisclosureError": "undeclared-disclosure",
    "OperatorNotAllowedError": "operator-not-allowed",
    "ConsentError": "invalid-request",
    "VaultError": "invalid-request",
    "RedactionError": "invalid-request",
    "AuditError": "invalid-request",
    "DeclarationError": "invalid-request",
}


def problem_for_error(error: GardienError) -> ProblemError:
    for cls in type(error).__mro__:
        slug = ERROR_STATUS.get(cls.__name__)
        if slug is not None:
            return ProblemError(slug, error.message)
    return ProblemError("invalid-request", error.message)


def _validation_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    described = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        described.append({"field": ".".join(location) or "body", "message": error.get("msg", "")})
    return described


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
                {"errors": _validation_errors(errors)},
            )
        return problem_response(problem, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {
            404: "not-found",
            405: "method-not-allowed",
            413: "payload-too-large",
            415: "unsupported-media-type",
        }.get(exc.status_code, "invalid-request")
        detail = exc.detail if isinstance(exc.detail, str) else PROBLEM_TYPES[slug].title
        if exc.status_code == 404:
            detail = f"nothing is served at {request.url.path}"
        return problem_response(
            ProblemError(slug, detail, headers=exc.headers or {}), request.url.path
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Never echo the exception: it may hold personal data or secrets.
        return problem_response(
            ProblemError("internal-error", "an unexpected error occurred; it has been logged"),
            request.url.path,
        )
