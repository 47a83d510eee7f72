"""The privacy center's posted HTML forms: reading one, checking that it came
from this browser's page (the CSRF field of ``web/csrf.py``) and counting it
against the address's budget, and the page a refused form gets.

The request, sign-in and consent pages (``privacy_center.py``, ``person.py``,
``consents_page.py``) all take their forms through here, so each is checked
and limited the same way.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse

from gardien.auth.throttle import FailureThrottle
from gardien.web import csrf
from gardien.web.api.requests import limit
from gardien.web.pages import PageLanguage, render
from gardien.web.problems import ProblemError
from gardien.web.runtime import runtime_of

#: Most fields a form may post (the request form's rows included).
MAX_FORM_FIELDS = 60

Form = dict[str, list[str]]


async def read_form(request: Request) -> Form:
    """The fields of an HTML form (``application/x-www-form-urlencoded``)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise ProblemError(
            "unsupported-media-type", "send the page's form (application/x-www-form-urlencoded)"
        )
    try:
        text = (await request.body()).decode("utf-8")
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise ProblemError(
            "malformed-request", "the form could not be read: send it as the page does"
        ) from None


async def signed_form(request: Request, throttle: FailureThrottle) -> Form | None:
    """The form, if its CSRF field is this browser's (else None: nothing is counted); the
    address's budget is counted (429 past it), as for the API's keyless calls."""
    form = await read_form(request)
    try:
        csrf.check(request, form_value(form, csrf.FIELD))
    except csrf.CsrfRefusedError:
        return None
    await limit(runtime_of(request), request, throttle)
    return form


def form_value(form: Form, name: str) -> str:
    """The first value of field ``name``, stripped; empty when the form lacks it."""
    values = form.get(name) or [""]
    return values[0].strip()


def refused_form(request: Request, lang: PageLanguage) -> HTMLResponse:
    """The page for a form that is not this browser's or has expired (403)."""
    message = (
        "Ce formulaire a expiré ou ne vient pas de cette page : rechargez la page et recommencez."
        if lang == "fr"
        else "This form has expired or did not come from this page: reload it and try again."
    )
    return render(request, "message.html.j2", lang, status=403, title=message, message="")
