"""What every console page shares: its layout's context, its CSRF field, its form reading.

``console_page`` renders a ``console_*.html.j2`` template with the signed-in
staff member, the links of the pages their role may open, and the CSRF field
of ``web/csrf.py`` (every console page has a form: the sign-out button). A
console page is never cached (``Cache-Control: no-store``). ``signed_form``
reads a posted form and refuses it (403 page, nothing done) unless its CSRF
field is this browser's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse

from gardien.auth import Permission
from gardien.web import csrf
from gardien.web.console.access import Staff
from gardien.web.pages import PageLanguage, page_language, render
from gardien.web.runtime import runtime_of

MAX_FIELDS = 20

#: The console's sections: path, French and English names, the permission they need.
SECTIONS = (
    ("/console", "Demandes", "Requests", Permission.REQUESTS_READ),
    ("/console/register", "Registre", "Register", Permission.REQUESTS_READ),
    ("/console/notice", "Notice", "Notice", Permission.REQUESTS_READ),
    ("/console/retention", "Conservation", "Retention", Permission.AUDIT_READ),
    ("/console/audit", "Journal d’audit", "Audit trail", Permission.AUDIT_READ),
    ("/console/keys", "Clés d’API", "API keys", Permission.KEYS_MANAGE),
)


class FormRefusedError(Exception):
    """The form is not one of this browser's console pages (CSRF), or cannot be read."""


def console_page(
    request: Request,
    template: str,
    staff: Staff | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = page_language(request)
    field, cookie = csrf.issue(request)
    runtime = runtime_of(request)
    sections = [
        (path, fr if lang == "fr" else en)
        for path, fr, en, permission in SECTIONS
        if staff is not None and staff.may(permission)
    ]
    response = render(
        request, template, lang, status=status, staff=staff, sections=sections,
        company=runtime.declaration.controller.name, csrf_field=csrf.FIELD, csrf=field,
        **context,
    )  # fmt: skip
    csrf.set_cookie(request, response, cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


async def signed_form(request: Request) -> dict[str, list[str]]:
    """The posted form, if it is URL-encoded and carries this browser's CSRF field."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise FormRefusedError
    try:
        text = (await request.body()).decode("utf-8")
        form = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise FormRefusedError from None
    try:
        csrf.check(request, one(form, csrf.FIELD))
    except csrf.CsrfRefusedError:
        raise FormRefusedError from None
    return form


def one(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


def form_refused(request: Request, staff: Staff | None) -> HTMLResponse:
    lang: PageLanguage = page_language(request)
    title = (
        "Ce formulaire a expiré ou ne vient pas de cette page : rechargez la page et recommencez."
        if lang == "fr"
        else "This form has expired or did not come from this page: reload it and try again."
    )
    return console_page(request, "console_message.html.j2", staff, status=403, title=title,
                        message="")  # fmt: skip
