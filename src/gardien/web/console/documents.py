"""``/console/register``, ``/console/notice`` and ``/console/retention``: what is in force.

The register is the Art. 30 register of the declaration in force, as
``gardien register`` exports it (``notice.register.register_rows``): one
section per processing, each column with its value, in a language the notice is
published in (``?in=de``; by default the page's language when published, else
English, else the first published; another language is refused with 404). The
notice is the one ``/notice/fr`` and ``/notice/en`` publish (its body, in
the console's layout), with its version and date. The retention page is
``gardien retention plan`` of the moment, as a table: per sweep, the rows due
now, the oldest, those due within 30 days, the legal holds that suspend it;
the sweeps of recorded events and of gardien's own records come from the
store. Counts only: none of these pages shows a person's data, and none
changes anything (so none is audited, like the published notice).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from gardien.auth import Permission
from gardien.errors import GardienError
from gardien.notice import published_language, render_notice
from gardien.notice.notice import notice_date, notice_version
from gardien.notice.register import COLUMNS, register_language, register_rows
from gardien.store.types import utcnow
from gardien.web.console.access import Staff, StaffRequirement
from gardien.web.console.pages import console_page
from gardien.web.pages import page_language
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)

_MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.DOTALL)


@router.get("/console/register", response_class=HTMLResponse)
def register_page(
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.REQUESTS_READ)),  # noqa: B008
) -> HTMLResponse:
    runtime = runtime_of(request)
    declaration = runtime.declaration
    languages = list(declaration.notice.languages)
    asked = request.query_params.get("in")
    if asked is not None and asked not in languages:
        # Refused, not replaced: a register in another language than the one asked for
        # would be taken for it.
        return console_page(
            request, "console_register.html.j2", staff, status=404, entries=[],
            version=runtime.declaration_version[:12], languages=languages, shown=None,
            unknown=asked,
        )  # fmt: skip
    shown = register_language(
        declaration, asked or published_language(declaration, page_language(request))
    )
    rows = register_rows(declaration, utcnow().date(), shown)
    columns = [(c.key, c.header_in(shown)) for c in COLUMNS]
    entries = [
        {
            "name": row["name"],
            "reference": row["reference"],
            "cells": [(label, _cell(row.get(key, ""))) for key, label in columns],
        }
        for row in rows
    ]
    return console_page(
        request, "console_register.html.j2", staff, entries=entries,
        version=runtime.declaration_version[:12], languages=languages, shown=shown,
        unknown=None,
    )  # fmt: skip


def _cell(value: Any) -> list[str]:
    if isinstance(value, tuple | list):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


@router.get("/console/notice", response_class=HTMLResponse)
def notice_page(
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.REQUESTS_READ)),  # noqa: B008
) -> HTMLResponse:
    runtime = runtime_of(request)
    lang = page_language(request)
    notice_lang = published_language(runtime.declaration, lang)
    html = render_notice(runtime.declaration, notice_lang, "html")
    found = _MAIN.search(html)
    # The notice's own escaped HTML, rendered by gardien from the declaration: its <main>
    # only (its stylesheet and skip link are the standalone file's), marked with its own
    # language when the declaration does not publish it in the page's.
    main = found.group(1) if found else ""
    if main and notice_lang != lang:
        main = f'<div lang="{notice_lang}">{main}</div>'
    body = Markup(main)
    return console_page(
        request, "console_notice.html.j2", staff, body=body,
        notice_version=notice_version(runtime.declaration),
        effective=notice_date(runtime.declaration),
        declaration_version=runtime.declaration_version[:12],
    )  # fmt: skip


@router.get("/console/retention", response_class=HTMLResponse)
def retention_page(
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.AUDIT_READ)),  # noqa: B008
) -> HTMLResponse:
    from gardien.connectors import close_all, open_datastores
    from gardien.retention import event_sweeps, plan_events, plan_own, plan_retention

    runtime = runtime_of(request)
    declaration = runtime.declaration
    now = utcnow()
    planned: list[Any] = []
    problem = None
    try:
        connectors = open_datastores(declaration)
        try:
            planned.extend(plan_retention(declaration, connectors, now))
        finally:
            close_all(connectors)
    except GardienError as exc:
        problem = exc.message
    with runtime.store.engine.connect() as conn:
        if event_sweeps(declaration):
            planned.extend(plan_events(conn, declaration, now))
        planned.extend(plan_own(conn, declaration, now))
    rows = [p.as_json() for p in planned]
    return console_page(
        request, "console_retention.html.j2", staff, rows=rows, problem=problem, now=now,
    )  # fmt: skip
