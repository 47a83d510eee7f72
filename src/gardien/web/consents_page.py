"""``/privacy-center/consents``: the signed-in person's consents, to give or withdraw.

For each purpose of the declaration based on consent the page shows its
name, the person's standing choice (given, refused, withdrawn, expired or
none), when it was made and until when it lasts, the exact wording they
agreed to (read from the declaration in force when they agreed: if the
wording changed since, the page says when, and shows today's), and every
change with its receipt (Kantara v1.1, ``consent/receipt.py``) to download.
Giving and withdrawing go through ``consent.record_consent`` with the
channel ``privacy_center`` and a button's proof; a direct-marketing purpose
also has one button that records an objection (Art. 21(2)-(3)), as the
one-click unsubscribe link does (``consent.object_to_marketing``), no
reason asked. Giving consent again to a purpose the person objected to lifts
that objection (their new choice), audited as ``limit.lift``.

The person is whoever the session's proven e-mail names in the vault: a
page never takes a subject id, and a receipt of anyone else is "not found".
Without a session the page is the sign-in form (``web/person.py``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

import gardien.web.paths  # noqa: F401  (the hex32 path convertor)
from gardien.consent import (
    AgreedWording,
    Channel,
    CollectionMethod,
    ConsentEvent,
    EventKind,
    LimitKind,
    ProcessingLimit,
    Proof,
    active_limits,
    agreed_wording,
    check_choice,
    choice_lifetime,
    consent_overview,
    event_by_public_id,
    lift_limit,
    object_to_marketing,
    policy_for,
    receipt_in_force,
    record_consent,
)
from gardien.consent.ledger import current_state
from gardien.declaration.models import LegalBasis
from gardien.errors import SubjectErasedError, UnknownEventError
from gardien.signin import PersonSession
from gardien.web import csrf
from gardien.web.api.common import transaction
from gardien.web.forms import refused_form, signed_form
from gardien.web.pages import PageLanguage, page_language, render
from gardien.web.person import CONSENTS_PATH, current_person, signin_page
from gardien.web.runtime import Runtime, runtime_of

router = APIRouter(include_in_schema=False)

PurposeId = str
#: What the page says once a change is made (``?done=``).
DONE = ("given", "withdrawn", "objected")


@dataclass(frozen=True)
class PurposeView:
    """One consent purpose as the page shows it to the person."""

    id: str
    name: str
    #: Today's wording in the page's language: what giving consent now agrees to.
    wording: str
    lifetime: str
    direct_marketing: bool
    status: EventKind | None
    occurred_at: dt.datetime | None
    expires_at: dt.datetime | None
    agreed: AgreedWording | None
    objection: ProcessingLimit | None
    events: tuple[ConsentEvent, ...]


def _consent_purposes(runtime: Runtime) -> list[str]:
    return [
        pid
        for pid, purpose in runtime.declaration.purposes.items()
        if purpose.legal_basis is LegalBasis.CONSENT and purpose.consent is not None
    ]


def _views(
    conn: Connection, runtime: Runtime, person: PersonSession, lang: PageLanguage
) -> list[PurposeView]:
    """Every consent purpose with the person's standing choice; the read is audited."""
    declaration = runtime.declaration
    policy = policy_for(declaration)
    subject_id = runtime.vault.find(conn, "email", person.email)
    choices: dict[str, Any] = {}
    events: dict[str, list[ConsentEvent]] = {}
    objections: dict[str, ProcessingLimit] = {}
    if subject_id is not None:
        overview = consent_overview(conn, declaration, subject_id, actor=runtime.subject_actor())
        choices = {choice.purpose: choice for choice in overview.choices}
        for event in overview.events:
            events.setdefault(event.purpose, []).append(event)
        for limit in active_limits(conn, subject_id):
            if limit.kind is LimitKind.OBJECTION and limit.purpose is not None:
                objections.setdefault(limit.purpose, limit)
    views = []
    for pid in _consent_purposes(runtime):
        purpose = declaration.purposes[pid]
        assert purpose.consent is not None
        choice = choices.get(pid)
        own = events.get(pid, [])
        last = _agreed_event(own, choice.status) if choice else None
        lifetime, _rule = choice_lifetime(policy.purpose(pid), Channel.PRIVACY_CENTER.value)
        views.append(
            PurposeView(
                id=pid,
                name=purpose.name[lang],
                wording=purpose.consent.wording[lang],
                lifetime=str(lifetime),
                direct_marketing=purpose.direct_marketing,
                status=choice.status if choice else None,
                occurred_at=choice.occurred_at if choice else None,
                expires_at=choice.expires_at if choice else None,
                agreed=agreed_wording(conn, last, declaration) if last else None,
                objection=objections.get(pid),
                events=tuple(reversed(own)),
            )
        )
    return views


def _agreed_event(own: list[ConsentEvent], status: EventKind) -> ConsentEvent | None:
    """The event whose wording the page shows: the refusal itself, else the latest consent
    given (a withdrawal or an expiry ends that consent; its wording is the one agreed to)."""
    if status is EventKind.REFUSED:
        return own[-1] if own else None
    return next((e for e in reversed(own) if e.kind is EventKind.GIVEN), None)


def consents_page(
    request: Request, person: PersonSession, lang: PageLanguage, *, status: int = 200,
    error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    runtime = runtime_of(request)
    with transaction(runtime) as conn:
        views = _views(conn, runtime, person, lang)
    field, cookie = csrf.issue(request)
    done = request.query_params.get("done")
    done_purpose = request.query_params.get("purpose", "")
    names = {view.id: view.name for view in views}
    response = render(
        request, "person_consents.html.j2", lang, status=status,
        company=runtime.declaration.controller.name,
        branding=runtime.declaration.branding,
        views=views, csrf_field=csrf.FIELD, csrf=field, error=error,
        done=done if done in DONE and done_purpose in names else None,
        done_name=names.get(done_purpose, ""),
        contact=runtime.declaration.rights.contact_email or runtime.declaration.controller.email,
    )  # fmt: skip
    csrf.set_cookie(request, response, cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(CONSENTS_PATH, response_class=HTMLResponse)
def consents(request: Request) -> HTMLResponse:
    """The person's consents once signed in; the sign-in form before."""
    lang = page_language(request)
    person = current_person(request)
    if person is None:
        return signin_page(
            request, lang, sent=request.query_params.get("sent") == "1",
        )  # fmt: skip
    return consents_page(request, person, lang)


#: A change the person makes, in one transaction: given the runtime, the person, the
#: purpose and the proof of their click; returns nothing (the page reads the ledger).
Change = Callable[[Connection, Runtime, PersonSession, str, Proof, PageLanguage], None]


def _session_ended(request: Request, lang: PageLanguage) -> HTMLResponse:
    error = (
        "Votre session a pris fin : connectez-vous à nouveau, rien n’a été enregistré."
        if lang == "fr"
        else "Your session has ended: sign in again; nothing was recorded."
    )
    return signin_page(request, lang, status=401, error=error)


def _not_found(request: Request, lang: PageLanguage, *, receipt: bool = False) -> HTMLResponse:
    fr = lang == "fr"
    title = (
        ("Reçu introuvable" if fr else "Receipt not found")
        if receipt
        else ("Finalité introuvable" if fr else "Purpose not found")
    )
    message = (
        "Cette page ne montre que vos propres consentements."
        if fr
        else "This page shows only your own consents."
    )
    return render(request, "message.html.j2", lang, status=404, title=title, message=message)


async def _change(
    request: Request, purpose: str, change: Change, done: str, *, marketing: bool = False
) -> Response:
    """A button of the consents page: its CSRF field checked, the address's budget counted,
    the session required, ``change`` made, then back to the page saying it is done."""
    lang = page_language(request)
    runtime = runtime_of(request)
    form = await signed_form(request, runtime.verify_throttle)
    if form is None:
        return refused_form(request, lang)
    person = await run_in_threadpool(current_person, request)
    if person is None:
        return await run_in_threadpool(_session_ended, request, lang)
    declared = runtime.declaration.purposes.get(purpose)
    if purpose not in _consent_purposes(runtime) or (
        marketing and (declared is None or not declared.direct_marketing)
    ):
        return _not_found(request, lang)
    proof = Proof.collect(
        CollectionMethod.BUTTON,
        user_agent=request.headers.get("user-agent") or None,
        ip=_address(runtime, request),
    )

    def run() -> None:
        with transaction(runtime) as conn:
            change(conn, runtime, person, purpose, proof, lang)

    try:
        await run_in_threadpool(run)
    except SubjectErasedError:
        error = (
            "Vos données ont été effacées : plus rien ne peut être enregistré à votre sujet."
            if lang == "fr"
            else "Your data has been erased: nothing more can be recorded about you."
        )
        return await run_in_threadpool(
            lambda: consents_page(request, person, lang, status=409, error=error)
        )
    return RedirectResponse(
        f"{CONSENTS_PATH}?lang={lang}&done={done}&purpose={purpose}", status_code=303
    )


def _address(runtime: Runtime, request: Request) -> str | None:
    """The client address for the proof (truncated there), if it is an IP address."""
    import ipaddress

    address = runtime.clients.of(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _subject(conn: Connection, runtime: Runtime, person: PersonSession) -> str:
    """The person's subject id, registered under their proven e-mail if new; live."""
    subject_id = runtime.vault.find(conn, "email", person.email)
    if subject_id is None:
        registration = runtime.vault.register(
            conn, {"email": person.email}, actor=runtime.subject_actor()
        )
        subject_id = registration.subject_id
    runtime.vault.require_live(conn, subject_id)
    return subject_id


def _give(
    conn: Connection, runtime: Runtime, person: PersonSession, purpose: str, proof: Proof,
    lang: PageLanguage,
) -> None:  # fmt: skip
    actor = runtime.subject_actor()
    channel = Channel.PRIVACY_CENTER.value
    check_choice(runtime.declaration, purpose, "given", channel=channel, lang=lang)
    subject_id = _subject(conn, runtime, person)
    # Consent given again is the person's new word: their objection to it is lifted.
    for limit in active_limits(conn, subject_id, purpose):
        if limit.kind is LimitKind.OBJECTION and limit.purpose == purpose:
            lift_limit(conn, limit.id, actor=actor)
    record_consent(
        conn, runtime.declaration, subject_id, purpose, EventKind.GIVEN,
        channel=channel, proof=proof, lang=lang, actor=actor,
    )  # fmt: skip


def _withdraw(
    conn: Connection, runtime: Runtime, person: PersonSession, purpose: str, proof: Proof,
    lang: PageLanguage,
) -> None:  # fmt: skip
    subject_id = runtime.vault.find(conn, "email", person.email)
    if subject_id is None:
        return  # nothing was ever given: nothing to withdraw
    runtime.vault.require_live(conn, subject_id)
    state = current_state(conn, subject_id, purpose)
    if state is None or state.status is not EventKind.GIVEN:
        return
    record_consent(
        conn, runtime.declaration, subject_id, purpose, EventKind.WITHDRAWN,
        channel=Channel.PRIVACY_CENTER.value, proof=proof, lang=lang,
        actor=runtime.subject_actor(),
    )  # fmt: skip


def _object(
    conn: Connection, runtime: Runtime, person: PersonSession, purpose: str, proof: Proof,
    lang: PageLanguage,
) -> None:  # fmt: skip
    # An objection is never lost: recorded even for someone the company did not know yet.
    subject_id = _subject(conn, runtime, person)
    object_to_marketing(
        conn, runtime.declaration, subject_id, purpose,
        channel=Channel.PRIVACY_CENTER.value, method=CollectionMethod.BUTTON,
        actor=runtime.subject_actor(),
    )  # fmt: skip


@router.post(CONSENTS_PATH + "/{purpose}/give", response_class=HTMLResponse)
async def give(purpose: PurposeId, request: Request) -> Response:
    return await _change(request, purpose, _give, "given")


@router.post(CONSENTS_PATH + "/{purpose}/withdraw", response_class=HTMLResponse)
async def withdraw(purpose: PurposeId, request: Request) -> Response:
    return await _change(request, purpose, _withdraw, "withdrawn")


@router.post(CONSENTS_PATH + "/{purpose}/object", response_class=HTMLResponse)
async def object_to(purpose: PurposeId, request: Request) -> Response:
    return await _change(request, purpose, _object, "objected", marketing=True)


@router.get(CONSENTS_PATH + "/receipts/{receipt_id:hex32}")
def download_receipt(receipt_id: str, request: Request) -> Response:
    """The receipt of one of the person's own changes, as a JSON file to keep."""
    lang = page_language(request)
    runtime = runtime_of(request)
    person = current_person(request)
    if person is None:
        return _session_ended(request, lang)
    with transaction(runtime) as conn:
        subject_id = runtime.vault.find(conn, "email", person.email)
        try:
            event = event_by_public_id(conn, receipt_id)
        except UnknownEventError:
            event = None
        if event is None or subject_id is None or event.subject_id != subject_id:
            body = None
        else:
            body = receipt_in_force(
                conn, receipt_id, runtime.declaration, lang, actor=runtime.subject_actor()
            )
    if body is None:
        return _not_found(request, lang, receipt=True)
    name = f"consent-receipt-{event.occurred_at:%Y-%m-%d}-{receipt_id[:8]}.json" if event else ""
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
