"""``/privacy-center``: where a person exercises their rights, with plain HTML forms.

The person chooses a request, gives their e-mail, and is sent a code; the
page of their request (``/privacy-center/requests/{id}``) takes the code and
then shows where the request stands. The request's status token never
appears in a URL or a page: it is kept in a cookie only this browser sends,
only to that request's page (``HttpOnly``, ``SameSite=Strict``, its own
path), so nobody else can open the page, not even with its address. Every
form carries the CSRF field of ``web/csrf.py``; the intake and the code go
through the same room functions, limits and audit entries as the API's
keyless requests, and an unknown person gets the same answers as a known one.

Every type of request is taken here: access, rectification (a declared data
category and its right value), portability, erasure, restriction (its Art.
18(1) ground), objection and consent withdrawal (the purposes they concern),
post-mortem directives (the directives and the people in charge of them);
what a type needs and the form lacks is said before anything is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import zip_longest
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from gardien.declaration.jurisdiction import takes_post_mortem_directives
from gardien.declaration.models import LegalBasis
from gardien.errors import (
    GardienError,
    IdentityError,
    RequestError,
    RequestGoneError,
    RequestNotFoundError,
    VerificationFailedError,
)
from gardien.notice.labels import category_label
from gardien.requests import Language, RequestChannel, RequestState, RequestType
from gardien.requests.intake import Submission, submit
from gardien.requests.verification import Verification, resend, verify, withdraw
from gardien.requests.verification import status as request_status
from gardien.requests.vocabulary import RestrictionGround
from gardien.web import csrf
from gardien.web.api.common import transaction
from gardien.web.api.requests import code_policy
from gardien.web.forms import form_value, refused_form, signed_form
from gardien.web.pages import PageLanguage, page_language, render
from gardien.web.runtime import Runtime, runtime_of

router = APIRouter(include_in_schema=False)

#: The requests this page takes, in the order it shows them (rectification when a declared
#: field can be corrected, withdrawal when a purpose rests on consent, post-mortem
#: directives when the company takes them).
OFFERED = (
    RequestType.ACCESS,
    RequestType.RECTIFICATION,
    RequestType.PORTABILITY,
    RequestType.ERASURE,
    RequestType.RESTRICTION,
    RequestType.OBJECTION,
    RequestType.WITHDRAWAL,
    RequestType.POST_MORTEM,
)
#: Rows of the rectification and trustee parts of the form.
CHANGE_ROWS = 3
TRUSTEE_ROWS = 3
#: The states from which the person may withdraw their request.
WITHDRAWABLE = frozenset(
    {
        RequestState.AWAITING_VERIFICATION,
        RequestState.VERIFIED,
        RequestState.APPROVED,
        RequestState.BLOCKED,
    }
)
#: How long the browser keeps a request's token: past any deadline with its extension.
TOKEN_COOKIE_DAYS = 120


def _token_cookie(request_id: str) -> str:
    return f"gardien_request_{request_id}"


def _request_path(request_id: str) -> str:
    return f"/privacy-center/requests/{request_id}"


def _purposes(runtime: Runtime, consent: bool) -> list[tuple[str, Any]]:
    """The purposes a person may object to (legitimate interest or public task) or
    withdraw consent from."""
    chosen = []
    for pid, purpose in runtime.declaration.purposes.items():
        basis = purpose.legal_basis
        # A purpose with operations is open to objection when one of them rests on
        # legitimate interest or a public task (Art. 21(1)).
        bases = {basis, *(o.legal_basis for o in purpose.operations)}
        if consent and basis is LegalBasis.CONSENT:
            chosen.append((pid, purpose.name))
        if not consent and bases & {LegalBasis.LEGITIMATE_INTEREST, LegalBasis.PUBLIC_TASK}:
            chosen.append((pid, purpose.name))
    return chosen


def _offered(runtime: Runtime) -> list[RequestType]:
    declaration = runtime.declaration
    hidden = set()
    if not _purposes(runtime, consent=True):
        hidden.add(RequestType.WITHDRAWAL)
    if not _correctable(runtime):
        hidden.add(RequestType.RECTIFICATION)
    if not takes_post_mortem_directives(declaration):
        hidden.add(RequestType.POST_MORTEM)
    return [kind for kind in OFFERED if kind not in hidden]


def _correctable(runtime: Runtime) -> list[str]:
    """The data categories a person may ask to correct: those the declared fields of the
    company's datastores hold, keys and references aside."""
    found: dict[str, None] = {}
    for store in runtime.declaration.datastores.values():
        for collection in store.collections.values():
            for declared in collection.fields.values():
                if declared.primary_key or declared.references is not None:
                    continue
                found.update(dict.fromkeys(declared.categories))
    return sorted(found)


def _center(
    request: Request,
    lang: PageLanguage,
    *,
    status: int = 200,
    error: str | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    runtime = runtime_of(request)
    field, cookie = csrf.issue(request)
    offered = _offered(runtime)
    response = render(
        request,
        "privacy_center.html.j2",
        lang,
        status=status,
        company=runtime.declaration.controller.name,
        csrf_field=csrf.FIELD,
        csrf=field,
        offered=[t.value for t in offered],
        grounds=[g.value for g in RestrictionGround],
        objectable=_purposes(runtime, consent=False),
        consented=_purposes(runtime, consent=True),
        correctable=[
            (key, category_label(key, lang, runtime.declaration)) for key in _correctable(runtime)
        ],
        change_rows=CHANGE_ROWS,
        trustee_rows=TRUSTEE_ROWS,
        deadline=str(runtime.declaration.rights.response_deadline),
        contact=runtime.declaration.rights.contact_email or runtime.declaration.controller.email,
        error=error,
        values=values or {},
    )
    csrf.set_cookie(request, response, cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/privacy-center", response_class=HTMLResponse)
def privacy_center(request: Request) -> HTMLResponse:
    return _center(request, page_language(request))


@router.post("/privacy-center/requests", response_class=HTMLResponse)
async def make_request(request: Request) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    form = await signed_form(request, runtime.intake_throttle)
    if form is None:
        return refused_form(request, lang)
    kind, email = form_value(form, "type"), form_value(form, "email")
    values = {
        "type": kind,
        "ground": form_value(form, "ground"),
        "purposes": form.get("purposes", []),
    }
    try:
        request_type = RequestType(kind)
        if request_type not in _offered(runtime):
            raise ValueError(kind)
    except ValueError:
        error = "Choisissez une demande." if lang == "fr" else "Choose a request."
        return _center(request, lang, status=422, error=error, values=values)
    missing = _missing(request_type, values, lang) or _missing_rows(request_type, form, lang)
    if missing is not None:
        return _center(request, lang, status=422, error=missing, values=values)
    details: dict[str, Any] = {}
    if request_type is RequestType.RESTRICTION:
        details["ground"] = values["ground"]
    if request_type in (RequestType.OBJECTION, RequestType.WITHDRAWAL):
        details["purposes"] = values["purposes"]
    if request_type is RequestType.RECTIFICATION:
        details["changes"] = _changes(form)
    if request_type is RequestType.POST_MORTEM:
        details["instructions"] = form_value(form, "instructions")
        details["trustees"] = _trustees(form)
    submission = Submission(request_type, {"email": email}, Language(lang), details, None)

    def run() -> Any:
        with transaction(runtime) as conn:
            return submit(
                conn, runtime.vault, runtime.declaration, submission,
                channel=RequestChannel.PUBLIC, actor=runtime.subject_actor(),
                codes=code_policy(runtime),
            )  # fmt: skip

    try:
        receipt = await run_in_threadpool(run)
    except GardienError as exc:
        return _center(request, lang, status=422, error=_said(exc, lang), values=values)
    response = RedirectResponse(f"{_request_path(receipt.id)}?lang={lang}", status_code=303)
    response.set_cookie(
        _token_cookie(receipt.id), receipt.status_token,
        max_age=TOKEN_COOKIE_DAYS * 86400, path=_request_path(receipt.id),
        httponly=True, samesite="strict", secure=csrf.is_https(request),
    )  # fmt: skip
    return response


def _missing(kind: RequestType, values: dict[str, Any], lang: PageLanguage) -> str | None:
    """What the form lacks for this kind of request, said before anything is recorded."""
    fr = lang == "fr"
    if kind is RequestType.RESTRICTION and values["ground"] not in set(RestrictionGround):
        return "Dites pourquoi limiter l’usage de vos données." if fr else "Say why to restrict."
    if kind is RequestType.OBJECTION and not values["purposes"]:
        return "Cochez au moins un traitement." if fr else "Tick at least one processing."
    if kind is RequestType.WITHDRAWAL and not values["purposes"]:
        return "Cochez au moins un consentement." if fr else "Tick at least one consent."
    return None


def _rows(form: dict[str, list[str]], *names: str) -> list[tuple[str, ...]]:
    """The rows of a repeated part of the form, those with every field filled."""
    rows = zip_longest(*(form.get(name, []) for name in names), fillvalue="")
    return [tuple(v.strip() for v in row) for row in rows if all(v.strip() for v in row)]


def _changes(form: dict[str, list[str]]) -> dict[str, str]:
    return dict(_rows(form, "change_what", "change_value"))  # type: ignore[arg-type]


def _trustees(form: dict[str, list[str]]) -> list[dict[str, str]]:
    return [{"name": n, "email": e} for n, e in _rows(form, "trustee_name", "trustee_email")]


def _missing_rows(kind: RequestType, form: dict[str, list[str]], lang: PageLanguage) -> str | None:
    fr = lang == "fr"
    if kind is RequestType.RECTIFICATION and not _changes(form):
        return (
            "Choisissez la donnée à corriger et écrivez sa valeur exacte."
            if fr
            else "Choose the data to correct and write its right value."
        )
    if kind is RequestType.POST_MORTEM and not (
        form_value(form, "instructions") and _trustees(form)
    ):
        return (
            "Écrivez vos directives et nommez au moins une personne (nom et adresse e-mail)."
            if fr
            else "Write your directives and name at least one person (name and e-mail address)."
        )
    return None


def _said(exc: GardienError, lang: PageLanguage) -> str:
    """What the person reads of a refusal, in their language."""
    if isinstance(exc, IdentityError):
        return (
            "Cette adresse e-mail n’est pas valide : vérifiez-la."
            if lang == "fr"
            else "This e-mail address is not valid: check it."
        )
    if lang == "fr":
        return "La demande n’a pas pu être enregistrée. Réessayez, ou écrivez-nous."
    return "The request could not be recorded. Try again, or write to us."


def _code_refused(exc: RequestError, lang: PageLanguage) -> str:
    """Why a code was not accepted, and what to do, in the person's language."""
    if isinstance(exc, VerificationFailedError) and exc.why == "wrong":
        left = exc.attempts_left
        if lang == "fr":
            tries = "1 essai restant" if left == 1 else f"{left} essais restants"
            return f"Ce n’est pas le code envoyé : {tries}. Vérifiez le dernier e-mail reçu."
        tries = "1 attempt" if left == 1 else f"{left} attempts"
        return f"That is not the code we sent: {tries} left. Check the latest e-mail."
    if isinstance(exc, RequestGoneError):
        if lang == "fr":
            return "Cette demande n’est plus ouverte : faites une nouvelle demande si besoin."
        return "This request is no longer open: make a new one if you need to."
    if lang == "fr":
        return "Ce code ne peut plus servir : demandez un nouveau code ci-dessous."
    return "This code can no longer be used: ask for a new code below."


def _status_page(
    request: Request, request_id: str, lang: PageLanguage, *, error: str | None = None,
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    runtime = runtime_of(request)
    token = request.cookies.get(_token_cookie(request_id), "")

    def read() -> Any:
        with transaction(runtime) as conn:
            return request_status(conn, request_id, token, actor=runtime.subject_actor())

    try:
        if not token:
            raise RequestNotFoundError("no token")
        answer = read()
    except RequestNotFoundError:
        return _unknown(request, lang)
    field, cookie = csrf.issue(request)
    response = render(
        request, "request_status.html.j2", lang, status=status,
        company=runtime.declaration.controller.name, answer=answer,
        awaiting=answer.state is RequestState.AWAITING_VERIFICATION,
        withdrawable=answer.state in WITHDRAWABLE,
        due=answer.due_at.date(), received=answer.received_at.date(),
        csrf_field=csrf.FIELD, csrf=field, error=error,
        sent=request.query_params.get("sent") == "1",
    )  # fmt: skip
    csrf.set_cookie(request, response, cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


def _unknown(request: Request, lang: PageLanguage) -> HTMLResponse:
    title = "Demande introuvable" if lang == "fr" else "Request not found"
    message = (
        "Cette page ne s’ouvre que dans le navigateur où la demande a été faite. "
        "Le lien envoyé par e-mail permet aussi de la suivre."
        if lang == "fr"
        else "This page opens only in the browser the request was made from. "
        "The link sent by e-mail lets you follow it too."
    )
    return render(request, "message.html.j2", lang, status=404, title=title, message=message)


@router.get("/privacy-center/requests/{request_id:hex32}", response_class=HTMLResponse)
def request_page(request_id: str, request: Request) -> HTMLResponse:
    return _status_page(request, request_id, page_language(request))


#: What a person's action on their request does: in one transaction, given the request
#: id, the token from its cookie and the form; its result is checked once committed.
Action = Callable[[Connection, Runtime, str, str, dict[str, list[str]]], Any]


async def _act(
    request: Request,
    request_id: str,
    action: Action,
    refusal: Callable[[RequestError, PageLanguage], str],
    *,
    refused_status: int = 422,
    then: str = "",
) -> Response:
    """A form posted from a request's page: its CSRF field checked, the address's budget
    counted, ``action`` run with the request's token, then back to the page (``then``
    added to its query), or the page again with what went wrong."""
    lang = page_language(request)
    runtime = runtime_of(request)
    form = await signed_form(request, runtime.verify_throttle)
    if form is None:
        return refused_form(request, lang)
    token = request.cookies.get(_token_cookie(request_id), "")

    def run() -> Any:
        with transaction(runtime) as conn:
            return action(conn, runtime, request_id, token, form)

    try:
        if not token:
            raise RequestNotFoundError("no token")
        outcome = await run_in_threadpool(run)
        if isinstance(outcome, Verification):
            outcome.check()  # a wrong code's count is committed first
    except RequestNotFoundError:
        return _unknown(request, lang)
    except RequestError as exc:
        said = refusal(exc, lang)
        return await run_in_threadpool(
            lambda: _status_page(request, request_id, lang, error=said, status=refused_status)
        )
    return RedirectResponse(f"{_request_path(request_id)}?lang={lang}{then}", status_code=303)


@router.post("/privacy-center/requests/{request_id:hex32}/verify", response_class=HTMLResponse)
async def verify_code(request_id: str, request: Request) -> Response:
    def action(conn: Connection, runtime: Runtime, rid: str, token: str, form: Any) -> Any:
        code = form_value(form, "code")[:12]
        return verify(conn, runtime.vault, rid, token, code, actor=runtime.subject_actor())

    return await _act(request, request_id, action, _code_refused)


@router.post("/privacy-center/requests/{request_id:hex32}/withdraw", response_class=HTMLResponse)
async def withdraw_request(request_id: str, request: Request) -> Response:
    """The person ends their own request (only with a token that was proven, or the
    first one: a second submission's token cannot end what someone else may have made)."""

    def action(conn: Connection, runtime: Runtime, rid: str, token: str, form: Any) -> Any:
        return withdraw(conn, rid, token=token, actor=runtime.subject_actor())

    def refusal(_exc: RequestError, lang: PageLanguage) -> str:
        if lang == "fr":
            return "Cette demande ne peut plus être retirée."
        return "This request can no longer be withdrawn."

    return await _act(request, request_id, action, refusal, refused_status=409)


@router.post("/privacy-center/requests/{request_id:hex32}/resend", response_class=HTMLResponse)
async def resend_code(request_id: str, request: Request) -> Response:
    def action(conn: Connection, runtime: Runtime, rid: str, token: str, form: Any) -> Any:
        codes = code_policy(runtime)
        return resend(conn, runtime.vault, rid, token, actor=runtime.subject_actor(), codes=codes)

    def refusal(_exc: RequestError, lang: PageLanguage) -> str:
        if lang == "fr":
            return "Aucun nouveau code ne peut plus être envoyé : faites une nouvelle demande."
        return "No new code can be sent for this request: make a new one."

    return await _act(request, request_id, action, refusal, then="&sent=1")
