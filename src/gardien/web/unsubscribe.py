"""The one-click unsubscribe page (RFC 8058): no login, no JavaScript.

GET shows a confirmation button and changes nothing (mail scanners follow
links); POST, from that button or from a mail provider's one-click
``List-Unsubscribe=One-Click`` request, records the objection.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gardien.consent import UnsubscribeTokenError, read_unsubscribe_token, unsubscribe
from gardien.errors import SubjectErasedError, SubjectNotFound
from gardien.web.pages import PageLanguage, page_language, render
from gardien.web.runtime import runtime_of

router = APIRouter(include_in_schema=False)

#: (French, English) of what each answer says: its title and, after the action, a line.
_TEXTS = {
    "confirm": (("Désinscription", None), ("Unsubscribe", None)),
    "invalid": (
        ("Lien invalide",
         "Ce lien de désinscription n’est pas valide : copiez-le en entier depuis le message "
         "reçu, ou écrivez-nous à l’adresse de notre politique de confidentialité."),
        ("Invalid link",
         "This unsubscribe link is not valid: copy it whole from the message you received, "
         "or write to the address given in our privacy notice."),
    ),
    "erased": (
        ("Données effacées", "Vos données ont été effacées : nous ne vous écrirons plus."),
        ("Data erased", "Your data has been erased: we will not write to you again."),
    ),
    "done": (
        ("Désinscription enregistrée", "C’est fait : vous ne recevrez plus ces messages."),
        ("Unsubscribed", "Done: you will not receive these messages any more."),
    ),
}  # fmt: skip


def _page(
    request: Request, what: str, status: int = 200, purpose: tuple[str, str] | None = None
) -> HTMLResponse:
    """The answer in the reader's language (the switch gives the other), in the pages'
    layout: a mail scanner and a person see the same page."""
    lang: PageLanguage = page_language(request)
    french, english = _TEXTS[what]
    title, message = french if lang == "fr" else english
    return render(
        request, "unsubscribe.html.j2", lang, status=status, title=title, message=message,
        purpose=(purpose[0] if lang == "fr" else purpose[1]) if purpose else None,
        company=runtime_of(request).declaration.controller.name,
    )  # fmt: skip


@router.get("/unsubscribe/{token}")
def confirm_page(token: str, request: Request) -> HTMLResponse:
    runtime = runtime_of(request)
    try:
        claim = read_unsubscribe_token(token, runtime.vault.derived_secret("unsubscribe"))
    except UnsubscribeTokenError:
        return _page(request, "invalid", status=400)
    purpose = runtime.declaration.purposes.get(claim.purpose)
    names = (purpose.name["fr"], purpose.name["en"]) if purpose else (claim.purpose, claim.purpose)
    return _page(request, "confirm", purpose=names)


@router.post("/unsubscribe/{token}")
def one_click(token: str, request: Request) -> HTMLResponse:
    runtime = runtime_of(request)
    secret = runtime.vault.derived_secret("unsubscribe")
    try:
        with runtime.store.engine.begin() as conn:
            claim = read_unsubscribe_token(token, secret)
            runtime.vault.require_live(conn, claim.subject_id)
            unsubscribe(conn, runtime.declaration, token, secret, actor=runtime.subject_actor())
    except UnsubscribeTokenError:
        return _page(request, "invalid", status=400)
    except (SubjectErasedError, SubjectNotFound):
        # Nothing is left to unsubscribe: the person's data is gone, and with it any
        # message sent to them. 409, as every other change to an erased subject.
        return _page(request, "erased", status=409)
    return _page(request, "done")
