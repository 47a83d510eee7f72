"""The DPO's console (``/console``): staff-only pages over the rooms' own functions.

Signed in with a staff account (``gardien users``), a DPO, an agent or an
admin works the request queue, acts on a request, reads the register, the
notice and the retention plan in force, searches the audit trail and
verifies its chain, and (admins) manages API keys. ``access`` says who may
open each route; ``pages`` what every page shares. ``install_console`` adds
the one exception handler the console needs: a refused browser is answered
with a page (sign-in, 401 or 403), never a problem document.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from gardien.web.console import audit_page, documents, keys_page, login, requests_pages
from gardien.web.console.access import ConsoleRefusalError, refusal_page

#: Every console route, in one flat router (its routes are the parts' own ``APIRoute``s, so
#: the tests and the app see each route with its requirement).
router = APIRouter(include_in_schema=False)
for _part in (login, requests_pages, documents, audit_page, keys_page):
    router.routes.extend(_part.router.routes)


def install_console(app: FastAPI) -> None:
    """The console's refusals as pages."""

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleRefusalError)
        return refusal_page(request, exc)

    app.add_exception_handler(ConsoleRefusalError, refused)


__all__ = ["install_console", "router"]
