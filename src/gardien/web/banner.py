"""The cookie banner's addresses: its script and stylesheet, its configuration, and where
choices go.

- ``GET /privacy-center/consent.js``: the script a company adds to its pages with
  one ``<script src=… defer>`` tag (``static/consent.js``, no dependency); it loads
  ``GET /privacy-center/consent.css`` (every rule under ``.gardien-banner``).
- ``GET /privacy-center/consent-config.json``: ``banner_config``, readable from any
  site (``Access-Control-Allow-Origin: *``: it holds only what the notice publishes)
  and cached five minutes.
- ``POST /privacy-center/consent-choices``: a visitor's choice, recorded in the
  consent ledger with its proof. Only the sites the declaration names
  (``banner.origins``, else the origin of ``controller.website``) may call it
  from a browser: the JSON body makes the browser ask first (a CORS preflight),
  and the answer names that one origin. No cookie is sent or set
  (``credentials: omit``), so no CSRF token can exist and none is needed: a call
  changes nothing but the choices of the random visitor id it carries, which only
  that visitor's browser knows. Each address may record
  ``GARDIEN_BANNER_CHOICE_LIMIT`` choices a minute (429 past it).

Every answer of the recording endpoint, a problem document included, carries the
CORS headers of an allowed origin, so the script can read why it was refused.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import threading
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool

from gardien.auth import FailureThrottle, MemoryCounters, StoreCounters, address_source
from gardien.consent.banner import (
    VISITOR_IDENTITY,
    BannerMethod,
    check_banner_choice,
    record_banner_choice,
)
from gardien.consent.proof import CollectionMethod, Proof
from gardien.errors import GardienError
from gardien.store import is_postgresql
from gardien.web.api.common import Body, transaction
from gardien.web.banner_config import banner_config, banner_version
from gardien.web.pages import static_bytes
from gardien.web.problems import ProblemError, problem_for_error, problem_response
from gardien.web.runtime import Runtime, runtime_of

router = APIRouter(include_in_schema=False)

SCRIPT = "consent.js"
STYLESHEET = "consent.css"
CHOICES_PATH = "/privacy-center/consent-choices"
#: The vault secret the shared counters of the banner's limit name addresses under.
THROTTLE_SECRET = "banner_choice_throttle"
_CACHE = "public, max-age=300"
_PREFLIGHT_SECONDS = "600"
_lock = threading.Lock()


class ChoiceIn(Body):
    """A visitor's choice, as the script sends it."""

    visitor: str = Field(pattern=r"^[0-9a-f]{32}$")
    version: str = Field(pattern=r"^[0-9a-f]{16}$")
    lang: Literal["fr", "en"]
    method: BannerMethod
    choices: Annotated[
        dict[Annotated[str, Field(max_length=100)], bool], Field(min_length=1, max_length=50)
    ]
    gpc: bool = False


def _origin_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def allowed_origins(runtime: Runtime) -> frozenset[str]:
    """The sites that may record choices: ``banner.origins``, else the website's origin,
    and gardien's own public origin."""
    declaration = runtime.declaration
    declared = set(declaration.banner.origins)
    if not declared:
        website = _origin_of(declaration.controller.website)
        if website:
            declared.add(website)
    own = _origin_of(runtime.settings.public_url)
    if own:
        declared.add(own)
    return frozenset(declared)


def _allowed(request: Request) -> str | None:
    """The request's origin when it may record choices (its own origin always may)."""
    origin = request.headers.get("origin")
    if origin is None:
        return None
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin == own or origin in allowed_origins(runtime_of(request)):
        return origin
    return None


def _cors(origin: str | None) -> dict[str, str]:
    headers = {"Vary": "Origin"}
    if origin is not None:
        headers["Access-Control-Allow-Origin"] = origin
    return headers


def _throttle(request: Request) -> FailureThrottle:
    """The banner's per-address budget, made on first use and shared by the app's requests
    (servers on one PostgreSQL store share their counts)."""
    state = request.app.state
    found: FailureThrottle | None = getattr(state, "banner_throttle", None)
    if found is not None:
        return found
    runtime = runtime_of(request)
    with _lock:
        found = getattr(state, "banner_throttle", None)
        if found is None:
            counters = (
                StoreCounters(
                    runtime.store.engine, lambda: runtime.vault.derived_secret(THROTTLE_SECRET)
                )
                if is_postgresql(runtime.store.engine)
                else MemoryCounters()
            )
            found = FailureThrottle(runtime.settings.banner_choice_limit, counters)
            state.banner_throttle = found
    return found


@router.get("/privacy-center/consent.js")
def script(request: Request) -> Response:
    body = static_bytes(SCRIPT)
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    headers = {"Cache-Control": _CACHE, "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/privacy-center/consent.css")
def stylesheet(request: Request) -> Response:
    """The banner's look, under ``.gardien-banner`` only; a site may override it."""
    body = static_bytes(STYLESHEET)
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    # Readable from any site: tools that audit a page (axe-core) fetch its stylesheets.
    headers = {"Cache-Control": _CACHE, "ETag": etag, "Access-Control-Allow-Origin": "*"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/css; charset=utf-8", headers=headers)


@router.get("/privacy-center/consent-config.json")
def config(request: Request) -> Response:
    document = banner_config(runtime_of(request).declaration)
    etag = f'"{document["version"]}"'
    headers = {"Cache-Control": _CACHE, "ETag": etag, "Access-Control-Allow-Origin": "*"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return JSONResponse(document, headers=headers)


@router.options(CHOICES_PATH)
def preflight(request: Request) -> Response:
    """The browser's question before a cross-site JSON POST: yes for a declared origin only."""
    origin = _allowed(request)
    asked = request.headers.get("access-control-request-method", "")
    if origin is None or asked.upper() != "POST":
        return Response(status_code=403, headers=_cors(None))
    return Response(
        status_code=204,
        headers={
            **_cors(origin),
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": _PREFLIGHT_SECONDS,
        },
    )


@router.post(CHOICES_PATH)
async def record_choice(request: Request) -> Response:
    """Record a visitor's choice; every answer carries the allowed origin's CORS headers."""
    origin = _allowed(request)
    try:
        answer = await _record(request, origin)
    except ProblemError as problem:
        return _with(problem_response(problem, request.url.path), origin)
    except GardienError as error:
        return _with(problem_response(problem_for_error(error), request.url.path), origin)
    return _with(JSONResponse(answer, status_code=201), origin)


def _with(response: Response, origin: str | None) -> Response:
    response.headers.update(_cors(origin))
    response.headers["Cache-Control"] = "no-store"
    return response


async def _body(request: Request) -> ChoiceIn:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise ProblemError("unsupported-media-type", "send the choice as application/json")
    try:
        data = json.loads(await request.body())
    except (UnicodeDecodeError, ValueError):
        raise ProblemError("malformed-request", "the request body is not valid JSON") from None
    try:
        return ChoiceIn.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"] if isinstance(p, int) or p in _FIELDS)
             or "body", "message": e["msg"]}
            for e in exc.errors()
        ]  # fmt: skip
        raise ProblemError(
            "invalid-request",
            "the choice does not match the expected shape: see `errors`",
            {"errors": errors},
        ) from None


#: The body's own field names: a key the client chose (a purpose id) is never echoed.
_FIELDS = frozenset(ChoiceIn.model_fields)


async def _record(request: Request, origin: str | None) -> dict[str, Any]:
    runtime = runtime_of(request)
    if origin is None:
        raise ProblemError(
            "origin-not-allowed",
            "choices are recorded only from the sites the declaration names: add this site's "
            "origin to banner.origins in privacy.yaml",
        )
    address = runtime.clients.of(request)
    refusal = await run_in_threadpool(_throttle(request).record_failure, address_source(address))
    if refusal is not None:
        raise ProblemError(
            "too-many-submissions",
            f"too many choices from this address; retry in {refusal.seconds} s",
            headers={"Retry-After": str(refusal.seconds)},
        )
    body = await _body(request)
    declaration = runtime.declaration
    if body.version != banner_version(declaration):
        raise ProblemError(
            "conflict",
            "the banner shown is not the one in force any more: reload the page and choose again",
        )
    # Global Privacy Control: only the exact value "1" is a signal (privacycg/gpc-spec).
    gpc = request.headers.get("sec-gpc") == "1" or body.gpc
    checked = check_banner_choice(declaration, body.choices, body.method, gpc=gpc, lang=body.lang)

    def proof_for(method: CollectionMethod) -> Proof:
        return Proof.collect(
            method,
            user_agent=request.headers.get("user-agent"),
            ip=address if _is_ip(address) else None,
            extra={"banner_version": body.version, "gpc": gpc, "origin": origin},
        )

    def run() -> list[Any]:
        actor = runtime.subject_actor()
        with transaction(runtime) as conn:
            subject_id = runtime.vault.register(
                conn, {VISITOR_IDENTITY: body.visitor}, actor=actor
            ).subject_id
            return record_banner_choice(
                conn, declaration, subject_id, checked, proof_for=proof_for, lang=body.lang,
                actor=actor,
            )  # fmt: skip

    events = await run_in_threadpool(run)
    return {
        "gpc": gpc,
        "gpc_refused": list(checked.gpc_refused),
        "choices": [
            {
                "purpose": event.purpose,
                "status": event.kind.value,
                "receipt_id": event.public_id,
                "expires_at": event.expires_at.isoformat() if event.expires_at else None,
            }
            for event in events
        ],
    }


def _is_ip(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True
