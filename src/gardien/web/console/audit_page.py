"""``/console/audit``: the audit trail, searched, and the verification of its hash chain.

Search by action (the list of event types), by actor (as the trail names
them: ``user:…``, ``key:…``, ``cli:…``, ``worker``, ``subject``, or a kind such
as ``user:``) and by day, newest first, a hundred at a time; each search is
itself recorded (``audit.read``). The button "verify the chain" runs the
verification of ``gardien audit verify`` over the whole trail and says its
result: intact with the number of entries and the last entry's checkpoint, or
the first entry edited, removed or reordered. It is recorded too
(``audit.verify``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from gardien.audit import EVENT_TYPES
from gardien.audit.search import AuditQuery, search, verify_chain
from gardien.auth import Permission
from gardien.errors import AuditError
from gardien.web.api.common import transaction
from gardien.web.console.access import Staff, StaffRequirement
from gardien.web.console.pages import FormRefusedError, console_page, form_refused, signed_form
from gardien.web.pages import page_language
from gardien.web.runtime import Runtime, runtime_of

router = APIRouter(include_in_schema=False)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _page(request: Request, staff: Staff, *, verified: Any = None, status: int = 200) -> Response:
    runtime = runtime_of(request)
    lang = page_language(request)
    params = request.query_params
    asked = {name: params.get(name, "").strip()[:100] for name in ("action", "actor", "since",
                                                                    "until", "before")}  # fmt: skip
    error = None
    bad_day = [n for n in ("since", "until") if asked[n] and _day(asked[n]) is None]
    if bad_day:
        error = ("Une date n’est pas au format AAAA-MM-JJ." if lang == "fr"
                 else "A date is not written YYYY-MM-DD.")  # fmt: skip
    action = asked["action"] if asked["action"] in EVENT_TYPES else None
    before = int(asked["before"]) if asked["before"].isdigit() else None
    found: list[Any] = []
    if error is None:
        try:
            query = AuditQuery(
                action=action, actor=asked["actor"] or None, since=_day(asked["since"]),
                until=_day(asked["until"]), before_seq=before,
            )  # fmt: skip
            with transaction(runtime) as conn:
                found = search(conn, query, actor=staff.actor)
        except AuditError:
            error = ("Le premier jour est après le dernier." if lang == "fr"
                     else "The first day is after the last.")  # fmt: skip
    return console_page(
        request, "console_audit.html.j2", staff, status=status if error is None else 422,
        entries=found, asked=asked, actions=sorted(EVENT_TYPES), error=error,
        verified=verified, next_before=found[-1].seq if len(found) >= 100 else None,
    )  # fmt: skip


@router.get("/console/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.AUDIT_READ)),  # noqa: B008
) -> Response:
    return _page(request, staff)


def _checkpoint_key(runtime: Runtime) -> Any:
    from gardien.audit.checkpoints import CHECKPOINT_SECRET, latest_checkpoint, signing_key

    with runtime.store.engine.connect() as conn:
        if latest_checkpoint(conn) is None:
            return None
    return signing_key(runtime.vault.derived_secret(CHECKPOINT_SECRET)).public_key()


@router.post("/console/audit/verify", response_class=HTMLResponse)
async def verify_page(
    request: Request,
    staff: Staff = Depends(StaffRequirement(Permission.AUDIT_READ)),  # noqa: B008
) -> Response:
    runtime = runtime_of(request)
    try:
        await signed_form(request)
    except FormRefusedError:
        return form_refused(request, staff)

    def run() -> Any:
        return verify_chain(runtime.store, actor=staff.actor,
                            checkpoint_key=_checkpoint_key(runtime))  # fmt: skip

    result = await run_in_threadpool(run)
    return await run_in_threadpool(lambda: _page(request, staff, verified=result))
