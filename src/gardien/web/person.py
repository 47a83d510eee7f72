"""The privacy center's sign-in by e-mailed code, and the session cookie it sets.

``/privacy-center/consents`` (``web/consents_page.py``) shows the sign-in
form to a browser without a session: the person types their e-mail
(``POST /privacy-center/sign-in``), gardien e-mails a code (``signin``
room) and keeps the sign-in's id in a cookie for 15 minutes; the code typed
(``POST /privacy-center/sign-in/code``) opens a session whose id goes in
another cookie. Both cookies are ``HttpOnly``, ``SameSite=Strict``,
``Secure`` over HTTPS, and sent only under ``/privacy-center``. Every form
carries the CSRF field; each POST counts against the client address's
budget, as the request forms do. An address the company does not know gets
the same page, the same e-mail and the same timing of answers as a known one.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from gardien import signin
from gardien.errors import IdentityError
from gardien.web import csrf
from gardien.web.api.common import transaction
from gardien.web.api.requests import code_policy
from gardien.web.forms import form_value, refused_form, signed_form
from gardien.web.pages import PageLanguage, page_language, render
from gardien.web.runtime import Runtime, runtime_of

router = APIRouter(include_in_schema=False)

SIGNIN_COOKIE = "gardien_signin"
SESSION_COOKIE = "gardien_person"
COOKIE_PATH = "/privacy-center"
CONSENTS_PATH = "/privacy-center/consents"


def set_cookie(request: Request, response: Response, name: str, value: str, seconds: int) -> None:
    response.set_cookie(
        name, value, max_age=seconds, path=COOKIE_PATH,
        httponly=True, samesite="strict", secure=csrf.is_https(request),
    )  # fmt: skip


def drop_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path=COOKIE_PATH, httponly=True, samesite="strict", secure=csrf.is_https(request)
    )


def current_person(request: Request) -> signin.PersonSession | None:
    """The signed-in person of this browser (their session's idle clock reset), or None."""
    runtime = runtime_of(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    with transaction(runtime) as conn:
        return signin.session(conn, runtime.vault, token)


def signin_page(
    request: Request,
    lang: PageLanguage,
    *,
    status: int = 200,
    error: str | None = None,
    sent: bool = False,
    awaiting_code: bool | None = None,
) -> HTMLResponse:
    """The sign-in form: the e-mail, or the code once one was sent to this browser."""
    if awaiting_code is None:
        awaiting_code = bool(request.cookies.get(SIGNIN_COOKIE))
    runtime = runtime_of(request)
    field, cookie = csrf.issue(request)
    response = render(
        request, "person_signin.html.j2", lang, status=status,
        company=runtime.declaration.controller.name,
        branding=runtime.declaration.branding,
        awaiting_code=awaiting_code,
        minutes=runtime.settings.request_code_minutes,
        csrf_field=csrf.FIELD, csrf=field, error=error, sent=sent,
        signed_out=request.query_params.get("out") == "1",
    )  # fmt: skip
    csrf.set_cookie(request, response, cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


def _back(lang: PageLanguage, query: str = "") -> RedirectResponse:
    return RedirectResponse(f"{CONSENTS_PATH}?lang={lang}{query}", status_code=303)


@router.post("/privacy-center/sign-in", response_class=HTMLResponse)
async def ask_code(request: Request) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    form = await signed_form(request, runtime.intake_throttle)
    if form is None:
        return refused_form(request, lang)
    email = form_value(form, "email")

    def run() -> signin.Started:
        with transaction(runtime) as conn:
            return signin.start(
                conn, runtime.vault, email, lang=lang, codes=code_policy(runtime),
                actor=runtime.subject_actor(),
            )  # fmt: skip

    try:
        started = await run_in_threadpool(run)
    except IdentityError:
        error = (
            "Cette adresse e-mail n’est pas valide : vérifiez-la."
            if lang == "fr"
            else "This e-mail address is not valid: check it."
        )
        return signin_page(request, lang, status=422, error=error)
    if started.signin_id is None:
        return signin_page(request, lang, status=429, error=_address_limited(started, lang))
    response = _back(lang, "&sent=1")
    seconds = int(code_policy(runtime).lifetime.total_seconds())
    set_cookie(request, response, SIGNIN_COOKIE, started.signin_id, seconds)
    return response


def _address_limited(started: signin.Started, lang: PageLanguage) -> str:
    minutes = max(1, int(started.retry_after.total_seconds() // 60) + 1)
    if lang == "fr":
        return (
            f"Trop de codes ont été demandés pour cette adresse : réessayez dans {minutes} "
            "minutes, avec le dernier code reçu si vous l’avez."
        )
    return (
        f"Too many codes were asked for this address: try again in {minutes} minutes, "
        "or use the latest code you received."
    )


def _code_refused(check: signin.CodeCheck, lang: PageLanguage) -> str:
    fr = lang == "fr"
    if check.why == "wrong":
        left = check.attempts_left
        if fr:
            tries = "1 essai restant" if left == 1 else f"{left} essais restants"
            return f"Ce n’est pas le code envoyé : {tries}. Vérifiez le dernier e-mail reçu."
        tries = "1 attempt" if left == 1 else f"{left} attempts"
        return f"That is not the code we sent: {tries} left. Check the latest e-mail."
    if check.why == "expired":
        if fr:
            return "Ce code a expiré : demandez-en un nouveau ci-dessous."
        return "This code has expired: ask for a new one below."
    if fr:
        return "Ce code ne peut plus servir : demandez-en un nouveau ci-dessous."
    return "This code can no longer be used: ask for a new one below."


@router.post("/privacy-center/sign-in/code", response_class=HTMLResponse)
async def type_code(request: Request) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    form = await signed_form(request, runtime.verify_throttle)
    if form is None:
        return refused_form(request, lang)
    signin_id = request.cookies.get(SIGNIN_COOKIE, "")
    code = form_value(form, "code")[:12]

    def run() -> signin.CodeCheck:
        with transaction(runtime) as conn:
            return signin.check_code(
                conn, runtime.vault, signin_id[:64], code, actor=runtime.subject_actor()
            )

    check = await run_in_threadpool(run) if signin_id else signin.CodeCheck(why="unknown")
    if check.session_id is None:
        # A wrong code may be typed again; else the page offers the e-mail form again.
        again = check.why == "wrong"
        said = _code_refused(check, lang)
        page = await run_in_threadpool(
            lambda: signin_page(request, lang, status=403, error=said, awaiting_code=again)
        )
        if not again:
            drop_cookie(request, page, SIGNIN_COOKIE)
        return page
    response = _back(lang)
    drop_cookie(request, response, SIGNIN_COOKIE)
    set_cookie(
        request, response, SESSION_COOKIE, check.session_id, int(signin.LONGEST.total_seconds())
    )
    return response


@router.post("/privacy-center/sign-in/restart", response_class=HTMLResponse)
async def restart(request: Request) -> Response:
    """Forget this browser's sign-in under way: the e-mail form again (another address,
    or a new code)."""
    lang = page_language(request)
    runtime = runtime_of(request)
    if await signed_form(request, runtime.verify_throttle) is None:
        return refused_form(request, lang)
    response = _back(lang)
    drop_cookie(request, response, SIGNIN_COOKIE)
    return response


@router.post("/privacy-center/sign-out", response_class=HTMLResponse)
async def sign_out(request: Request) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    if await signed_form(request, runtime.verify_throttle) is None:
        return refused_form(request, lang)
    token = request.cookies.get(SESSION_COOKIE, "")

    def run(runtime: Runtime = runtime) -> bool:
        with transaction(runtime) as conn:
            return signin.end(conn, runtime.vault, token, actor=runtime.subject_actor())

    if token:
        await run_in_threadpool(run)
    response = _back(lang, "&out=1")
    drop_cookie(request, response, SESSION_COOKIE)
    return response


__all__ = ["current_person", "router", "signin_page"]
