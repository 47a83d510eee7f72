"""``/console`` (the request queue) and ``/console/requests/{id}`` (one request and its actions).

The queue lists open requests by due date (the extended one when there is
one), says in words which are overdue and which fall due within 7 days, and
filters by state and type (GET parameters: a filtered queue can be
bookmarked). A request's page shows its facts, its timeline, what its
execution found per datastore collection (counts only: the values never
reach the console), the identities given (to roles that may read subjects),
the Art. 19 notices to recipients with each delivery attempt, and the forms
of the actions the staff member's role and the request's state allow.

Every action is a POST form with the CSRF field, through the same room
functions as the API and the CLI (``requests.decisions``, and
``requests.staff_verification`` for a verification by staff), in one
transaction with their audit entries. What a form lacks (a reason, a note)
is said on the page in the reader's language, and nothing is done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

import gardien.web.paths  # noqa: F401  (the hex32 path convertor)
from gardien.auth import Permission
from gardien.errors import RequestError, RequestNotFoundError
from gardien.requests import OPEN_STATES, RequestState, RequestType, VerificationMethod
from gardien.requests.decisions import approve, extend, list_requests, reject, request_detail
from gardien.requests.execution_report import collection_counts
from gardien.requests.recipients import deliveries
from gardien.requests.staff_verification import STAFF_METHODS, verify_by_staff
from gardien.store.types import utcnow
from gardien.web.api.common import transaction
from gardien.web.api.requests import mailing
from gardien.web.console import labels
from gardien.web.console.access import Staff, StaffRequirement
from gardien.web.console.pages import FormRefusedError, console_page, form_refused, one, signed_form
from gardien.web.pages import PageLanguage, page_language
from gardien.web.runtime import Runtime, runtime_of

router = APIRouter(include_in_schema=False)

#: "Due soon": within this many days.
DUE_SOON = dt.timedelta(days=7)
VERIFIABLE = frozenset({RequestState.RECEIVED, RequestState.AWAITING_VERIFICATION})
REJECTABLE = frozenset(
    {RequestState.RECEIVED, RequestState.AWAITING_VERIFICATION, RequestState.VERIFIED}
)
MAX_TEXT = 2000
#: The states in which an action's confirmation still holds (a reloaded page says it no more
#: once the request has moved on).
_DONE_STATES = {
    "verify": frozenset({RequestState.VERIFIED}),
    "approve": frozenset({RequestState.APPROVED, RequestState.IN_PROGRESS}),
    "reject": frozenset({RequestState.REJECTED}),
    "extend": OPEN_STATES,
}


def _urgency(due: dt.datetime, now: dt.datetime) -> str | None:
    if due < now:
        return "overdue"
    if due < now + DUE_SOON:
        return "soon"
    return None


@router.get("/console", response_class=HTMLResponse)
def queue_page(
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.REQUESTS_READ)),  # noqa: B008
) -> HTMLResponse:
    runtime = runtime_of(request)
    lang = page_language(request)
    asked_state = request.query_params.get("state", "")
    asked_type = request.query_params.get("type", "")
    state = RequestState(asked_state) if asked_state in set(RequestState) else None
    kind = RequestType(asked_type) if asked_type in set(RequestType) else None
    now = utcnow()
    with transaction(runtime) as conn:
        entries = list_requests(conn, actor=staff.actor, state=state, now=now)
    rows = [
        {
            "id": entry.id,
            "type": labels.word(labels.TYPES, entry.type.value, lang),
            "state": labels.word(labels.STATES, entry.state.value, lang),
            "received": entry.received_at.date(),
            "due": entry.effective_due.date(),
            "extended": entry.extended_until is not None,
            "urgency": _urgency(entry.effective_due, now),
        }
        for entry in entries
        if kind is None or entry.type is kind
    ]
    return console_page(
        request, "console_queue.html.j2", staff, rows=rows,
        states=[(s.value, labels.word(labels.STATES, s.value, lang)) for s in RequestState],
        types=[(t.value, labels.word(labels.TYPES, t.value, lang)) for t in RequestType],
        chosen_state=state.value if state else "", chosen_type=kind.value if kind else "",
        overdue=sum(1 for r in rows if r["urgency"] == "overdue"),
        soon=sum(1 for r in rows if r["urgency"] == "soon"),
    )  # fmt: skip


def _request_page(
    request: Request,
    request_id: str,
    staff: Staff,
    *,
    status: int = 200,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    runtime = runtime_of(request)
    lang = page_language(request)
    try:
        with transaction(runtime) as conn:
            detail = request_detail(
                conn, runtime.vault, request_id, actor=staff.actor,
                with_identities=staff.may(Permission.SUBJECTS_READ),
            )  # fmt: skip
            sent = deliveries(conn, request_id)
            counts = collection_counts(conn, request_id, detail.outcome)
    except RequestNotFoundError:
        return _not_found(request, staff)
    answer = detail.status
    state = answer.state
    due = answer.extended_until or answer.due_at
    outcome: dict[str, Any] = detail.outcome or {}
    done = request.query_params.get("done", "")
    actions = {
        "verify": state in VERIFIABLE and staff.may(Permission.REQUESTS_CREATE),
        "approve": state is RequestState.VERIFIED and staff.may(Permission.REQUESTS_DECIDE),
        "reject": state in REJECTABLE and staff.may(Permission.REQUESTS_DECIDE),
        "extend": state in OPEN_STATES
        and answer.extended_until is None
        and staff.may(Permission.REQUESTS_DECIDE),
    }
    return console_page(
        request, "console_request.html.j2", staff, status=status, error=error,
        values=values or {}, detail=detail, answer=answer,
        type_label=labels.word(labels.TYPES, answer.type.value, lang),
        state_label=labels.word(labels.STATES, state.value, lang),
        channel_label=labels.word(labels.CHANNELS, detail.channel, lang),
        method_label=(labels.word(labels.METHODS, detail.verification_method, lang)
                      if detail.verification_method else None),
        received=answer.received_at.date(), due=due.date(),
        urgency=_urgency(due, utcnow()) if state in OPEN_STATES else None,
        timeline=[
            {"at": step.at, "state": labels.word(labels.STATES, step.state, lang),
             "actor": step.actor, "who": labels.ACTORS.get(step.actor),
             "note": labels.timeline_note(step.note, lang)}
            for step in detail.timeline
        ],
        collections=counts,
        held=[
            {**kept, "until_day": dt.date.fromisoformat(str(kept["until"])[:10])}
            for kept in outcome.get("kept") or outcome.get("held") or []
        ],
        deliveries=sent, actions=actions,
        methods=[(m.value, labels.word(labels.METHODS, m.value, lang)) for m in STAFF_METHODS],
        extension=str(runtime.declaration.rights.extension),
        done=done,
        done_shown=state in _DONE_STATES.get(done, ()),
    )  # fmt: skip


def _not_found(request: Request, staff: Staff) -> HTMLResponse:
    lang = page_language(request)
    title = "Demande introuvable" if lang == "fr" else "Request not found"
    message = (
        "Aucune demande n’a cet identifiant : revenez à la liste des demandes."
        if lang == "fr"
        else "No request has this id: go back to the queue."
    )
    return console_page(request, "console_message.html.j2", staff, status=404, title=title,
                        message=message)  # fmt: skip


@router.get("/console/requests/{request_id:hex32}", response_class=HTMLResponse)
def request_page(
    request_id: str,
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.REQUESTS_READ)),  # noqa: B008
) -> HTMLResponse:
    return _request_page(request, request_id, staff)


def _missing(what: str, lang: PageLanguage) -> str:
    said = {
        "reason": ("Donnez le motif : il est communiqué à la personne.",
                   "Give the reason: the person is told it."),
        "note": ("Dites ce que vous avez vérifié : la note est obligatoire.",
                 "Say what you checked: the note is required."),
        "method": ("Choisissez comment l’identité a été vérifiée.",
                   "Choose how the identity was verified."),
        "until": ("La date demandée n’est pas une date (AAAA-MM-JJ).",
                  "The date asked for is not a date (YYYY-MM-DD)."),
        "long": (f"Le texte dépasse {MAX_TEXT} caractères.",
                 f"The text is longer than {MAX_TEXT} characters."),
    }  # fmt: skip
    return said[what][0 if lang == "fr" else 1]


async def _act(
    request: Request,
    request_id: str,
    staff: Staff,
    action: str,
) -> Response:
    lang = page_language(request)
    runtime = runtime_of(request)
    try:
        form = await signed_form(request)
    except FormRefusedError:
        return form_refused(request, staff)
    values = {name: one(form, name) for name in ("reason", "note", "method", "until")}
    problem = _check(action, values)
    if problem is not None:
        return await run_in_threadpool(
            lambda: _request_page(
                request, request_id, staff, status=422, error=_missing(problem, lang), values=values
            )
        )

    def run() -> None:
        with transaction(runtime) as conn:
            _do(conn, runtime, staff, request_id, action, values)

    try:
        await run_in_threadpool(run)
    except RequestNotFoundError:
        return _not_found(request, staff)
    except RequestError as exc:
        said = ("Action refusée : " if lang == "fr" else "Not done: ") + exc.message
        status = exc.problem.status
        return await run_in_threadpool(
            lambda: _request_page(
                request, request_id, staff, status=status, error=said, values=values
            )
        )
    return RedirectResponse(
        f"/console/requests/{request_id}?lang={lang}&done={action}", status_code=303
    )


def _check(action: str, values: dict[str, str]) -> str | None:
    if any(len(v) > MAX_TEXT for v in values.values()):
        return "long"
    if action in ("reject", "extend") and not values["reason"]:
        return "reason"
    if action == "verify":
        if values["method"] not in {m.value for m in STAFF_METHODS}:
            return "method"
        if not values["note"]:
            return "note"
    if action == "extend" and values["until"]:
        try:
            dt.date.fromisoformat(values["until"])
        except ValueError:
            return "until"
    return None


def _do(
    conn: Any, runtime: Runtime, staff: Staff, request_id: str, action: str, values: dict[str, str]
) -> None:
    actor = staff.actor
    if action == "verify":
        verify_by_staff(conn, runtime.vault, request_id, VerificationMethod(values["method"]),
                        values["note"], actor=actor)  # fmt: skip
    elif action == "approve":
        approve(conn, runtime.vault, request_id, actor=actor, mailing=mailing(runtime))
    elif action == "reject":
        reject(conn, request_id, values["reason"], actor=actor, mailing=mailing(runtime))
    else:
        until = dt.date.fromisoformat(values["until"]) if values["until"] else None
        extend(conn, runtime.declaration, request_id, values["reason"], actor=actor, until=until,
               mailing=mailing(runtime))  # fmt: skip


@router.post("/console/requests/{request_id:hex32}/verify", response_class=HTMLResponse)
async def verify_request(
    request_id: str,
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.REQUESTS_CREATE)),  # noqa: B008
) -> Response:
    return await _act(request, request_id, staff, "verify")


@router.post("/console/requests/{request_id:hex32}/approve", response_class=HTMLResponse)
async def approve_request(
    request_id: str,
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.REQUESTS_DECIDE)),  # noqa: B008
) -> Response:
    return await _act(request, request_id, staff, "approve")


@router.post("/console/requests/{request_id:hex32}/reject", response_class=HTMLResponse)
async def reject_request(
    request_id: str,
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.REQUESTS_DECIDE)),  # noqa: B008
) -> Response:
    return await _act(request, request_id, staff, "reject")


@router.post("/console/requests/{request_id:hex32}/extend", response_class=HTMLResponse)
async def extend_request(
    request_id: str,
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.REQUESTS_DECIDE)),  # noqa: B008
) -> Response:
    return await _act(request, request_id, staff, "extend")
