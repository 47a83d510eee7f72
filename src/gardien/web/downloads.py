"""The download page of access and portability packages: a one-time link, no login.

GET shows what the link gives and a button, and changes nothing (mail
scanners and link previews follow links; they must not spend the person's
only download); POST from that button takes the package (once, atomically)
and streams the zip, decrypted chunk by chunk. A link used, expired or
unknown gets a page saying so and what to do, never which of the three.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from gardien.requests.completion import spoken_date
from gardien.requests.downloads import (
    PACKAGES_SECRET,
    PackageState,
    package_bytes,
    package_state,
    take_package,
)
from gardien.web.pages import PageLanguage, page_language, render
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)

_NO_STORE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


def _gone(request: Request, lang: PageLanguage) -> HTMLResponse:
    # One answer for used, expired and unknown links: the page tells nobody whether a
    # package ever existed at this address.
    fr = lang == "fr"
    response = render(
        request, "message.html.j2", lang, status=410,
        title="Lien expiré ou déjà utilisé" if fr else "Link expired or already used",
        message=(
            "Ce lien ne fonctionne plus : il a déjà servi ou il a expiré. Vous pouvez refaire "
            "une demande ; nous vous enverrons un nouveau lien."
            if fr
            else "This link no longer works: it has been used or it has expired. You can make "
            "a new request; we will send you a new link."
        ),
    )  # fmt: skip
    response.headers.update(_NO_STORE)
    return response


@router.get("/downloads/{token}")
def confirm_page(token: str, request: Request) -> HTMLResponse:
    runtime = runtime_of(request)
    lang = page_language(request)
    with runtime.store.engine.connect() as conn:
        state, record = package_state(conn, token)
    if state is not PackageState.READY or record is None:
        return _gone(request, lang)
    response = render(
        request, "download.html.j2", lang,
        company=runtime.declaration.controller.name,
        size=f"{max(1, record.size // 1024)}\u00a0KiB",
        until=spoken_date(record.expires_at.date().isoformat(), lang),
    )  # fmt: skip
    response.headers.update(_NO_STORE)
    return response


@router.post("/downloads/{token}", response_model=None)
def download(token: str, request: Request) -> HTMLResponse | StreamingResponse:
    runtime = runtime_of(request)
    with runtime.store.engine.begin() as conn:
        state, record = take_package(conn, token, actor=runtime.subject_actor())
    if state is not PackageState.READY or record is None:
        return _gone(request, page_language(request))
    chunks = package_bytes(
        runtime.settings.resolved_packages_dir,
        record,
        runtime.vault.derived_secret(PACKAGES_SECRET),
    )
    return StreamingResponse(
        chunks,
        media_type="application/zip",
        headers={
            **_NO_STORE,
            "Content-Disposition": f'attachment; filename="data-{record.request_id[:8]}.zip"',
        },
    )
