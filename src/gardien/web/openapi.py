"""The published OpenAPI document: every status an operation answers, and the declaration's values.

FastAPI documents the success status and a 422 of its own shape. gardien
answers every error as an RFC 9457 problem document (``web/problems.py``),
so the document is rewritten here, once per app:

- every operation lists the statuses any request may meet (authentication,
  role, validation, throttling, server faults), those of a request with a
  body (malformed, too large, not JSON, too slow), and those its route
  declares itself (``problems(404, 409)`` in the route's ``responses``), each
  with the ``Problem`` schema and ``application/problem+json``;
- the values a client may send are those of the declaration in force: a
  ``purpose`` is one of the declared purposes, the identity kinds gardien
  knows and those the datastores declare are listed.

A test runs schemathesis over this document and fails on any status it does
not list, and on any 5xx.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gardien.declaration import Declaration
from gardien.errors import PROBLEM_TYPES
from gardien.vault.identities import MAX_KIND_LENGTH, NORMALISERS

PROBLEM_MEDIA_TYPE = "application/problem+json"
#: Statuses any authenticated operation may answer.
ANY_REQUEST = (401, 403, 422, 429, 500, 503)
#: Statuses any operation that reads a request body may answer besides.
WITH_BODY = (400, 408, 413, 415)
_BODY_METHODS = frozenset({"post", "put", "patch"})

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem document; `type` is a URI under /problems/.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "e.g. /problems/unknown-purpose"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What was wrong and what to change."},
        "instance": {"type": "string", "description": "The path of the request."},
        "errors": {
            "type": "array",
            "description": "For an invalid request: each field and what was wrong with it "
            "(never the value sent).",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A route's own error statuses, for its ``responses=`` (the shape is filled in here)."""
    return {status: {"description": _titles(status)} for status in statuses}


def _titles(status: int) -> str:
    return "; ".join(kind.title for kind in PROBLEM_TYPES.values() if kind.status == status)


def install_openapi(app: FastAPI, declaration: Declaration) -> None:
    """Make ``app.openapi()`` return gardien's document, built once on first use."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app, declaration)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def build_openapi(app: FastAPI, declaration: Declaration) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            _document_problems(method, operation)
    _declare_values(schemas, declaration)
    return document


def _document_problems(method: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    statuses = set(ANY_REQUEST) | {int(s) for s in responses if s.isdigit() and int(s) >= 400}
    if method in _BODY_METHODS:
        statuses |= set(WITH_BODY)
    for status in sorted(statuses):
        declared = responses.get(str(status), {})
        responses[str(status)] = {
            "description": declared.get("description") or _titles(status),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        if status in (429, 503):
            responses[str(status)]["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
            }


def identity_kinds(declaration: Declaration) -> list[str]:
    """The identity kinds gardien normalises, and those the declaration's datastores name."""
    declared = {
        field.identity
        for store in declaration.datastores.values()
        for collection in store.collections.values()
        for field in collection.fields.values()
        if field.identity is not None
    }
    return sorted(set(NORMALISERS) | declared)


def _declare_values(schemas: dict[str, Any], declaration: Declaration) -> None:
    purposes = sorted(declaration.purposes)
    kinds = identity_kinds(declaration)
    for schema in schemas.values():
        properties = schema.get("properties", {})
        for name, prop in properties.items():
            if name == "purpose":
                for branch in _string_branches(prop):
                    branch["enum"] = purposes
                    branch.pop("pattern", None)
            elif name in ("identity", "identities"):
                prop["propertyNames"] = {"pattern": f"^[a-z][a-z0-9_]{{0,{MAX_KIND_LENGTH - 1}}}$"}
                prop["description"] = (
                    "Identities by kind. Known kinds: "
                    + ", ".join(kinds)
                    + "; another lower-case kind is kept as given."
                )


def _string_branches(prop: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The string schemas of a property (itself, or the string branch of an anyOf)."""
    if prop.get("type") == "string":
        yield prop
    for branch in prop.get("anyOf", []):
        if branch.get("type") == "string":
            yield branch
