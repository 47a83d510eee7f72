"""The download page of access and portability packages: a one-time link, no login.

GET shows what the link gives and a button, and changes nothing (mail
scanners and link previews follow links; they must not spend the person's
only download); POST from that button takes the package (once, atomically)
and streams the zip, decrypted chunk by chunk. A link used, expired or
unknown gets a page saying so and what to do, never which of the three.
"""

from __future__ import annotations

from html import escape

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
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        _PAGE.format(title=escape(title), body=body), status_code=status, headers=_NO_STORE
    )


def _gone() -> HTMLResponse:
    # One answer for used, expired and unknown links: the page tells nobody whether a
    # package ever existed at this address.
    return _page(
        "Lien expiré ou déjà utilisé — Link expired or already used",
        '<p lang="fr">Ce lien ne fonctionne plus : il a déjà servi ou il a expiré. Vous pouvez '
        "refaire une demande d'accès ; nous vous enverrons un nouveau lien.</p>"
        '<p lang="en">This link no longer works: it has been used or it has expired. You can '
        "make a new access request; we will send you a new link.</p>",
        status=410,
    )


@router.get("/downloads/{token}")
def confirm_page(token: str, request: Request) -> HTMLResponse:
    runtime = runtime_of(request)
    with runtime.store.engine.connect() as conn:
        state, record = package_state(conn, token)
    if state is not PackageState.READY or record is None:
        return _gone()
    until_fr = spoken_date(record.expires_at.date().isoformat(), "fr")
    until_en = spoken_date(record.expires_at.date().isoformat(), "en")
    size = f"{max(1, record.size // 1024)} KiB"
    return _page(
        "Vos données — Your data",
        f'<p lang="fr">Une archive ZIP de vos données ({size}) vous attend. Ce lien ne '
        f"fonctionne qu'une fois, jusqu'au {escape(until_fr)} : enregistrez le fichier.</p>"
        f'<p lang="en">A ZIP archive of your data ({size}) is ready. This link works once, '
        f"until {escape(until_en)}: save the file.</p>"
        '<form method="post"><button type="submit">Télécharger — Download</button></form>',
    )


@router.post("/downloads/{token}", response_model=None)
def download(token: str, request: Request) -> HTMLResponse | StreamingResponse:
    runtime = runtime_of(request)
    with runtime.store.engine.begin() as conn:
        state, record = take_package(conn, token, actor=runtime.subject_actor())
    if state is not PackageState.READY or record is None:
        return _gone()
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
