"""The one-click unsubscribe page (RFC 8058): no login, no JavaScript.

GET shows a confirmation button and changes nothing (mail scanners follow
links); POST, from that button or from a mail provider's one-click
``List-Unsubscribe=One-Click`` request, records the objection.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gardien.consent import UnsubscribeTokenError, read_unsubscribe_token, unsubscribe
from gardien.errors import SubjectErasedError, SubjectNotFound
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(lang="fr", title=escape(title), body=body), status_code=status)


def _invalid(exc: UnsubscribeTokenError) -> HTMLResponse:
    return _page(
        "Lien invalide — Invalid link",
        f"<p>{escape(exc.message)}</p>",
        status=400,
    )


@router.get("/unsubscribe/{token}")
def confirm_page(token: str, request: Request) -> HTMLResponse:
    runtime = runtime_of(request)
    try:
        claim = read_unsubscribe_token(token, runtime.vault.derived_secret("unsubscribe"))
    except UnsubscribeTokenError as exc:
        return _invalid(exc)
    purpose = runtime.declaration.purposes.get(claim.purpose)
    name_fr = escape(purpose.name.fr) if purpose else escape(claim.purpose)
    name_en = escape(purpose.name.en) if purpose else escape(claim.purpose)
    form = (
        f'<p lang="fr">Ne plus recevoir : <strong>{name_fr}</strong>.</p>'
        f'<p lang="en">Stop receiving: <strong>{name_en}</strong>.</p>'
        f'<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
        f'<button type="submit">Me désinscrire — Unsubscribe</button></form>'
    )
    return _page("Désinscription — Unsubscribe", form)


@router.post("/unsubscribe/{token}")
def one_click(token: str, request: Request) -> HTMLResponse:
    runtime = runtime_of(request)
    secret = runtime.vault.derived_secret("unsubscribe")
    try:
        with runtime.store.engine.begin() as conn:
            claim = read_unsubscribe_token(token, secret)
            runtime.vault.require_live(conn, claim.subject_id)
            unsubscribe(conn, runtime.declaration, token, secret, actor=runtime.subject_actor())
    except UnsubscribeTokenError as exc:
        return _invalid(exc)
    except (SubjectErasedError, SubjectNotFound):
        # Nothing is left to unsubscribe: the person's data is gone, and with it any
        # message sent to them. 409, as every other change to an erased subject.
        return _page(
            "Données effacées — Data erased",
            '<p lang="fr">Vos données ont été effacées : nous ne vous écrirons plus.</p>'
            '<p lang="en">Your data has been erased: we will not write to you again.</p>',
            status=409,
        )
    return _page(
        "Désinscription enregistrée — Unsubscribed",
        '<p lang="fr">C’est fait : vous ne recevrez plus ces messages.</p>'
        '<p lang="en">Done: you will not receive these messages any more.</p>',
    )
