"""Who may open the console: the session cookie, and the permission each route requires.

Every console route but the sign-in page depends on one ``StaffRequirement``:
a live session (``gardien.auth.sessions``) from the cookie, and, when the
route names a permission, a role of the matrix that holds it
(``gardien.auth.roles``). Without a session a page sends the browser to the
sign-in page and a form is answered 401; with a role lacking the permission,
403. Both are pages in the reader's language (``refusal_page``), never a
problem document: the console is for browsers.

The cookie holds the session's random value, ``HttpOnly``, ``SameSite=Strict``,
``Path=/console``; over HTTPS it is ``Secure`` and named with the
``__Secure-`` prefix (a browser then refuses it from a page served without
TLS). The ``__Host-`` prefix would also forbid another domain's cookie, but it
requires ``Path=/``, which would send the session with every request to the
site's public pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from gardien.audit import Actor
from gardien.auth import (
    Permission,
    Role,
    SessionPolicy,
    StaffSession,
    StaffUser,
    allows,
    current_session,
    roles_with,
)
from gardien.web import csrf
from gardien.web.api.common import transaction
from gardien.web.pages import page_language
from gardien.web.runtime import Runtime, runtime_of

COOKIE = "gardien_console"
SECURE_COOKIE = "__Secure-gardien_console"
COOKIE_PATH = "/console"
LOGIN_PATH = "/console/login"
#: 30 minutes idle, 12 hours at most (``gardien.auth.sessions``).
SESSION_POLICY = SessionPolicy()


def cookie_name(request: Request) -> str:
    return SECURE_COOKIE if csrf.is_https(request) else COOKIE


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        cookie_name(request), token, path=COOKIE_PATH, httponly=True, samesite="strict",
        secure=csrf.is_https(request),
    )  # fmt: skip


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        cookie_name(request), path=COOKIE_PATH, httponly=True, samesite="strict",
        secure=csrf.is_https(request),
    )  # fmt: skip


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member of a console request, and how the trail names them."""

    user: StaffUser
    actor: Actor
    token: str
    expires_at: dt.datetime

    @property
    def role(self) -> Role:
        return self.user.role

    def may(self, permission: Permission) -> bool:
        return allows(self.user.role, permission)

    def __repr__(self) -> str:
        return f"Staff({self.user!r})"


def staff_actor(runtime: Runtime, user: StaffUser) -> Actor:
    return Actor(
        user.actor_name, user.role.value, runtime.declaration_version, blind=runtime.vault.blind_id
    )


class ConsoleRefusalError(Exception):
    """No live session (401), or a role without the route's permission (403)."""

    def __init__(
        self, status: int, permission: Permission | None = None, staff: Staff | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.permission = permission
        #: Who was refused (403): their page keeps the console's sections and a way back.
        self.staff = staff


class StaffRequirement:
    """A console route's dependency: a live session whose role holds ``permission`` (None:
    any staff member signed in). Typed, so that the tests and docs/console.md read each
    route's permission from it."""

    def __init__(self, permission: Permission | None) -> None:
        self.permission = permission

    def __repr__(self) -> str:
        return f"StaffRequirement({self.permission.value if self.permission else 'signed-in'})"

    async def __call__(self, request: Request) -> Staff:
        runtime = runtime_of(request)
        token = request.cookies.get(cookie_name(request), "")
        if not token:
            raise ConsoleRefusalError(401)

        def look_up() -> StaffSession | None:
            with transaction(runtime) as conn:
                return current_session(conn, token, policy=SESSION_POLICY)

        session = await run_in_threadpool(look_up)
        if session is None:
            raise ConsoleRefusalError(401)
        staff = Staff(session.user, staff_actor(runtime, session.user), token, session.expires_at)
        if self.permission is not None and not allows(session.user.role, self.permission):
            raise ConsoleRefusalError(403, self.permission, staff)
        return staff


def route_requirement(route: APIRoute) -> StaffRequirement | None:
    """The one ``StaffRequirement`` of a console route (None: the sign-in page)."""
    found = [d.call for d in route.dependant.dependencies if isinstance(d.call, StaffRequirement)]
    if len(found) > 1:
        raise RuntimeError(f"console route {route.path} has {len(found)} staff requirements")
    return found[0] if found else None


def refusal_page(request: Request, refusal: ConsoleRefusalError) -> Response:
    """What a refused browser gets: the sign-in page (a page), a 401 page (a form), or a 403
    page naming the roles that may."""
    lang = page_language(request)
    fr = lang == "fr"
    if refusal.status == 401:
        if request.method in ("GET", "HEAD"):
            return RedirectResponse(f"{LOGIN_PATH}?lang={lang}", status_code=303)
        title = "Session terminée" if fr else "Session ended"
        message = (
            "Votre session a expiré ou a été fermée : reconnectez-vous, puis recommencez."
            if fr
            else "Your session has expired or was closed: sign in again, then start over."
        )
        return _message(request, lang, 401, title, message, None)
    roles = roles_with(refusal.permission) if refusal.permission is not None else []
    allowed = ", ".join(r.value for r in roles if r is not Role.SERVICE)
    title = "Accès refusé" if fr else "Not allowed"
    message = (
        f"Votre rôle ne permet pas cette action. Rôles autorisés : {allowed}."
        if fr
        else f"Your role may not do this. Roles that may: {allowed}."
    )
    return _message(request, lang, 403, title, message, refusal.staff)


def _message(
    request: Request, lang: str, status: int, title: str, message: str, staff: Staff | None
) -> HTMLResponse:
    from gardien.web.console.pages import console_page  # it imports Staff from here

    return console_page(
        request, "console_message.html.j2", staff, status=status, title=title, message=message
    )
