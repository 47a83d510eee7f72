"""``/console/keys``: API keys, for admins only (``keys:manage``): list, create, revoke.

The same room functions as ``gardien keys``: a new key's secret is shown once,
on the page that answers its creation (never stored, never shown again; the
page is not cached), and each creation and revocation is audited
(``key.create``, ``key.revoke``) under the admin's name.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from gardien.auth import AuthError, NewApiKey, Permission, Role, create_key, list_keys, revoke_key
from gardien.web.api.common import transaction
from gardien.web.console.access import Staff, StaffRequirement
from gardien.web.console.pages import FormRefusedError, console_page, form_refused, one, signed_form
from gardien.web.pages import page_language
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)
MAX_LABEL = 200


def _page(
    request: Request,
    staff: Staff,
    *,
    created: NewApiKey | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    runtime = runtime_of(request)
    with runtime.store.engine.connect() as conn:
        keys = list_keys(conn)
    return console_page(
        request, "console_keys.html.j2", staff, status=status, keys=keys, created=created,
        roles=[r.value for r in Role], error=error,
        revoked=request.query_params.get("revoked", "")[:16],
    )  # fmt: skip


@router.get("/console/keys", response_class=HTMLResponse)
def keys_page(
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.KEYS_MANAGE)),  # noqa: B008
) -> HTMLResponse:
    return _page(request, staff)


@router.post("/console/keys", response_class=HTMLResponse)
async def create_key_page(
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.KEYS_MANAGE)),  # noqa: B008
) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    try:
        form = await signed_form(request)
    except FormRefusedError:
        return form_refused(request, staff)
    label = one(form, "label")
    try:
        role = Role(one(form, "role"))
    except ValueError:
        error = "Choisissez un rôle." if lang == "fr" else "Choose a role."
        return await run_in_threadpool(lambda: _page(request, staff, error=error, status=422))
    if len(label) > MAX_LABEL:
        error = (f"Le libellé dépasse {MAX_LABEL} caractères." if lang == "fr"
                 else f"The label is longer than {MAX_LABEL} characters.")  # fmt: skip
        return await run_in_threadpool(lambda: _page(request, staff, error=error, status=422))

    def run() -> NewApiKey:
        with transaction(runtime) as conn:
            return create_key(conn, role, label, actor=staff.actor)

    created = await run_in_threadpool(run)
    return await run_in_threadpool(lambda: _page(request, staff, created=created))


@router.post("/console/keys/{prefix}/revoke", response_class=HTMLResponse)
async def revoke_key_page(
    prefix: str,
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.KEYS_MANAGE)),  # noqa: B008
) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    try:
        await signed_form(request)
    except FormRefusedError:
        return form_refused(request, staff)

    def run() -> None:
        with transaction(runtime) as conn:
            revoke_key(conn, prefix[:16], actor=staff.actor)

    try:
        await run_in_threadpool(run)
    except AuthError:
        error = "Aucune clé n’a ce préfixe." if lang == "fr" else "No key has this prefix."
        return await run_in_threadpool(lambda: _page(request, staff, error=error, status=404))
    return RedirectResponse(f"/console/keys?lang={lang}&revoked={prefix[:16]}", status_code=303)
