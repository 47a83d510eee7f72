"""Pages and documents served without an API key: health, GPC, problem types."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from gardien.errors import PROBLEM_TYPES
from gardien.redact.nlp import pipeline_states
from gardien.web.headers import PAGE_POLICY
from gardien.web.problems import ProblemError
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def health(request: Request) -> dict[str, object]:
    """Liveness, the declaration in force, and whether each redaction model is loaded."""
    runtime = runtime_of(request)
    return {
        "status": "ok",
        "declaration_version": runtime.declaration_version,
        "redaction": pipeline_states(),
    }


@router.get("/.well-known/gpc.json")
def gpc(request: Request) -> JSONResponse:
    """Global Privacy Control support resource (privacycg/gpc-spec). ``lastUpdate`` (optional
    in the spec) is the declared effective date of the notice, never the day of the call:
    without one it is left out."""
    runtime = runtime_of(request)
    effective = runtime.declaration.notice.effective_date
    body: dict[str, object] = {"gpc": True}
    if effective is not None:
        body["lastUpdate"] = effective.isoformat()
    return JSONResponse(body)


@router.get("/notice/{lang}", response_class=HTMLResponse)
def notice(lang: str, request: Request) -> Response:
    """The privacy notice of the declaration in force, in a language it is published in."""
    from gardien.notice import published_language, render_notice

    runtime = runtime_of(request)
    languages = runtime.declaration.notice.languages
    if lang not in languages and lang in ("fr", "en"):
        # gardien's pages link to the notice in their own language (French or English):
        # a declaration that does not publish it there is shown in a language it does.
        target = published_language(runtime.declaration, lang)
        return RedirectResponse(f"/notice/{target}", status_code=307)
    if lang not in languages:
        raise ProblemError(
            "not-found",
            "the notice is published in "
            + ", ".join(f"{code} (/notice/{code})" for code in languages),
        )
    html = render_notice(runtime.declaration, published_language(runtime.declaration, lang), "html")
    return HTMLResponse(html, headers={"Content-Security-Policy": _notice_policy(html)})


def _notice_policy(html: str) -> str:
    """The pages' policy, with the notice's own inline stylesheets allowed by their hash
    (the notice is also published as a standalone file: its style travels with it)."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"
        for style in _STYLE.findall(html)
    )
    return PAGE_POLICY.replace("style-src 'self'", f"style-src 'self' {hashes}".rstrip())


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@router.get("/problems/{slug}")
def problem_type(slug: str) -> dict[str, object]:
    kind = PROBLEM_TYPES.get(slug)
    if kind is None:
        raise ProblemError("not-found", f"no problem type {slug!r}")
    return {"type": kind.uri, "title": kind.title, "status": kind.status, "when": kind.when}
