"""``/console/login`` and ``/console/logout``: signing staff in and out.

The sign-in form (e-mail, password, CSRF field) goes through
``auth.users.sign_in``: one sentence for every failure (unknown e-mail,
wrong password, disabled or locked account), which also says that five
failures lock an account for 15 minutes, with the same status (401). Before
any password is checked, the client address must be within the budget of
the server's failed-authentication throttle (the one failed API keys
count against: ``GARDIEN_AUTH_FAILURE_LIMIT`` a minute); each failed
sign-in counts against it, and past it the page answers 429 with when to
retry. A success opens a server-side session (``auth.sessions``) and sets
its cookie (``access``). Signing out ends the session in the store, not only
in the browser.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from gardien.audit import Actor
from gardien.auth import SignIn, SignInOutcome, StaffUser, address_source, end_session, sign_in
from gardien.auth.sessions import open_session
from gardien.web.api.common import transaction
from gardien.web.console.access import (
    LOGIN_PATH,
    SESSION_POLICY,
    Staff,
    StaffRequirement,
    clear_session_cookie,
    set_session_cookie,
    staff_actor,
)
from gardien.web.console.pages import FormRefusedError, console_page, form_refused, one, signed_form
from gardien.web.pages import page_language
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)

#: How the trail names someone signing in who is not (yet) a known staff member.
UNKNOWN_ACTOR = "console"
MAX_EMAIL = 320
MAX_PASSWORD = 1024


def _failed(lang: str) -> str:
    if lang == "fr":
        return (
            "Cette adresse e-mail et ce mot de passe n’ouvrent pas la console. Après 5 essais "
            "manqués, un compte est bloqué 15 minutes."
        )
    return (
        "This e-mail address and password do not open the console. After 5 failed "
        "attempts, an account is locked for 15 minutes."
    )


@router.get("/console/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    signed_out = request.query_params.get("out") == "1"
    return console_page(
        request, "console_login.html.j2", None, error=None, email="", signed_out=signed_out
    )


@router.post("/console/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    try:
        form = await signed_form(request)
    except FormRefusedError:
        return form_refused(request, None)
    address = address_source(runtime.clients.of(request))
    refusal = runtime.throttle.refusal(address)
    if refusal is None:
        email, password = one(form, "email")[:MAX_EMAIL], (form.get("password") or [""])[0]

        def attempt() -> SignIn:
            def actor_for(user: StaffUser | None) -> Actor:
                if user is not None:
                    return staff_actor(runtime, user)
                return Actor(UNKNOWN_ACTOR, "anonymous", runtime.declaration_version)

            with transaction(runtime) as conn:
                return sign_in(conn, email, password[:MAX_PASSWORD], actor_for=actor_for)

        result = await run_in_threadpool(attempt)
        if result.outcome is SignInOutcome.SUCCESS and result.user is not None:
            user = result.user

            def start() -> str:
                with transaction(runtime) as conn:
                    return open_session(conn, user, policy=SESSION_POLICY)

            token = await run_in_threadpool(start)
            signed = RedirectResponse(f"/console?lang={lang}", status_code=303)
            set_session_cookie(request, signed, token)
            return signed
        refusal = await run_in_threadpool(runtime.throttle.record_failure, address)
        if refusal is None:
            return console_page(request, "console_login.html.j2", None, status=401,
                                error=_failed(lang), email=email, signed_out=False)  # fmt: skip
    wait = refusal.seconds
    error = (
        f"Trop d’essais manqués depuis cette adresse : réessayez dans {wait} s."
        if lang == "fr"
        else f"Too many failed attempts from this address: try again in {wait} s."
    )
    refused = console_page(request, "console_login.html.j2", None, status=429, error=error,
                           email="", signed_out=False)  # fmt: skip
    refused.headers["Retry-After"] = str(wait)
    return refused


@router.post("/console/logout", response_class=HTMLResponse)
async def logout(
    request: Request,
    staff: Staff = Depends(StaffRequirement(None)),  # noqa: B008
) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    try:
        await signed_form(request)
    except FormRefusedError:
        return form_refused(request, staff)

    def end() -> bool:
        with transaction(runtime) as conn:
            return end_session(conn, staff.token, actor=staff.actor)

    await run_in_threadpool(end)
    response = RedirectResponse(f"{LOGIN_PATH}?lang={lang}&out=1", status_code=303)
    clear_session_cookie(request, response)
    return response
