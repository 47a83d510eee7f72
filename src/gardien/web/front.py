"""``/``: the front door. What is running, and where to go from here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gardien.web.pages import page_language, render
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def front_door(request: Request) -> HTMLResponse:
    runtime = runtime_of(request)
    declaration = runtime.declaration
    return render(
        request,
        "front.html.j2",
        page_language(request),
        company=declaration.controller.name,
        version=runtime.declaration_version[:12],
        effective=declaration.notice.effective_date,
        purposes=len(declaration.purposes),
        datastores=sorted(declaration.datastores),
    )
