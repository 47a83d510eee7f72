"""The console's pages in-process: sign-in and its refusals, the queue, a request's page and
its actions through the requests room, the documents in force, the audit trail, API keys.

Each action is checked for what a DPO depends on: the state it leaves, the
audit entries it appends under the staff member's name, and, when the form
lacks something or is forged, that nothing was written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import pytest
from console_staff import (
    PASSWORD,
    STAFF,
    csrf_of,
    sign_in,
    signed_in,
)
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from gardien.audit import audit_log
from gardien.auth import FailureThrottle, Role
from gardien.auth.tables import staff_sessions, staff_users
from gardien.jobs import jobs
from gardien.requests import RequestChannel, RequestState, RequestType, VerificationMethod
from gardien.requests.intake import AgentVerification, CodePolicy, Submission, submit
from gardien.requests.tables import requests
from gardien.store import Store
from gardien.web.runtime import Runtime


def _runtime(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def _request(
    client: TestClient,
    kind: RequestType = RequestType.ACCESS,
    *,
    verified: bool = True,
    received: dt.datetime | None = None,
) -> str:
    """A request about a new person: verified by an agent, or waiting for its code."""
    runtime = _runtime(client)
    email = f"p{uuid.uuid4().hex[:8]}@example.com"
    verification = AgentVerification(VerificationMethod.ID_DOCUMENT) if verified else None
    channel = RequestChannel.AGENT if verified else RequestChannel.PUBLIC
    with runtime.store.engine.begin() as conn:
        receipt = submit(
            conn, runtime.vault, runtime.declaration,
            Submission(kind, {"email": email}, verification=verification),
            channel=channel, actor=runtime.subject_actor(), codes=CodePolicy(), now=received,
        )  # fmt: skip
    return receipt.id


def _state(store: Store, request_id: str) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(select(requests.c.state).where(requests.c.id == request_id))
                   .scalar_one())  # fmt: skip


def _trail(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.actor, audit_log.c.action).order_by(audit_log.c.seq))
        return [(row.actor, row.action) for row in rows]


def _snapshot(store: Store) -> str:
    metadata = MetaData()
    metadata.reflect(store.engine)
    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name not in ("staff_sessions",):
                digest.update(repr(conn.execute(select(table)).all()).encode())
    return digest.hexdigest()


def _user_id(store: Store, role: Role) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(select(staff_users.c.id).where(staff_users.c.email == STAFF[role]))
                   .scalar_one())  # fmt: skip


# Signing in ---------------------------------------------------------------------------


def test_signing_in_opens_the_queue_and_signing_out_ends_the_session_in_the_store(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    answer = sign_in(client, STAFF[Role.DPO])
    assert answer.status_code == 303 and answer.headers["location"] == "/console?lang=en"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("gardien_console=") and "HttpOnly" in cookie
    assert "Path=/console" in cookie and "SameSite=strict" in cookie
    token = client.cookies["gardien_console"]
    with store.engine.connect() as conn:
        stored = conn.execute(select(staff_sessions.c.token_hash)).scalars().all()
    assert stored == [hashlib.sha256(token.encode()).digest()]  # only its hash
    queue = client.get("/console?lang=fr")
    assert queue.status_code == 200 and "Demandes des personnes" in queue.text
    assert queue.headers["cache-control"] == "no-store"
    out = client.post("/console/logout?lang=en", data={"csrf": csrf_of(queue)},
                      follow_redirects=False)  # fmt: skip
    assert out.status_code == 303 and out.headers["location"] == "/console/login?lang=en&out=1"
    # The old cookie, replayed, opens nothing: the session ended server-side.
    client.cookies.set("gardien_console", token, path="/console")
    assert client.get("/console", follow_redirects=False).status_code == 303
    user = _user_id(store, Role.DPO)
    assert (f"user:{user}", "user.login") in _trail(store)
    assert (f"user:{user}", "user.logout") in _trail(store)


def test_an_unknown_email_and_a_wrong_password_get_the_same_page(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    unknown = sign_in(client, "nobody@staff.example")
    wrong = sign_in(client, STAFF[Role.DPO], "not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    # The same page, but for the address typed, given back in its field.
    assert unknown.text.replace("nobody@", "dpo@") == wrong.text
    assert "do not open the console" in wrong.text
    assert "gardien_console" not in wrong.headers.get("set-cookie", "")
    trail = _trail(store)
    assert trail[-2:] == [("console", "user.login"), ("console", "user.login")]
    with store.engine.connect() as conn:
        details = conn.execute(select(audit_log.c.details).where(
            audit_log.c.action == "user.login")).scalars().all()  # fmt: skip
    assert all("example" not in d and "password" not in d for d in details)


def test_five_failures_lock_the_account_even_against_the_right_password(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    for _ in range(5):
        assert sign_in(client, STAFF[Role.AGENT], "a wrong password!").status_code == 401
    # A new budget for the address (tested below), to see the account's own lock.
    _runtime(client).throttle = FailureThrottle(100)
    locked = sign_in(client, STAFF[Role.AGENT])
    assert locked.status_code == 401 and "locked for 15 minutes" in locked.text
    # Another account is not locked by them.
    assert sign_in(client, STAFF[Role.DPO]).status_code == 303


def test_an_address_over_the_failure_budget_is_refused_before_any_password_is_checked(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    # The web tests' server allows 5 failed authentications a minute from one address.
    statuses = [sign_in(client, f"x{n}@staff.example").status_code for n in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    entries = len(_trail(store))
    refused = sign_in(client, STAFF[Role.DPO])  # the right password, but too many tries
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "try again in" in refused.text
    assert len(_trail(store)) == entries  # nothing was checked, nothing recorded


def test_a_forged_sign_in_form_is_refused(
    client: TestClient, staff_accounts: dict[Role, str]
) -> None:
    client.get("/console/login")
    forged = client.post("/console/login", data={"csrf": "0" * 64, "email": STAFF[Role.DPO],
                                                  "password": PASSWORD}, follow_redirects=False)  # fmt: skip
    assert forged.status_code == 403 and "gardien_console" not in forged.headers.get(
        "set-cookie", ""
    )


# The queue and a request's page ------------------------------------------------------


def test_the_queue_lists_open_requests_by_due_date_and_says_which_are_late(
    client: TestClient, staff_accounts: dict[Role, str]
) -> None:
    now = dt.datetime.now(dt.UTC)
    late = _request(client, RequestType.ERASURE, received=now - dt.timedelta(days=40))
    soon = _request(client, RequestType.ACCESS, received=now - dt.timedelta(days=27))
    fresh = _request(client, RequestType.ACCESS, verified=False)
    signed_in(client, Role.AGENT)
    page = client.get("/console?lang=en").text
    assert page.index(late) < page.index(soon) < page.index(fresh)
    late_row = page[page.rindex("<tr", 0, page.index(late)) : page.index(late)]
    soon_row = page[page.rindex("<tr", 0, page.index(soon)) : page.index(soon)]
    assert "Overdue" in late_row and "Within 7 days" in soon_row
    assert "1 overdue · 1 due within 7 days" in page
    erasures = client.get("/console?lang=en&type=erasure").text
    assert late in erasures and soon not in erasures
    waiting = client.get("/console?lang=en&state=awaiting_verification").text
    assert fresh in waiting and late not in waiting


def test_the_dpo_approves_a_verified_request_through_the_room(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    request_id = _request(client)
    csrf = signed_in(client, Role.DPO)
    page = client.get(f"/console/requests/{request_id}?lang=en")
    assert page.status_code == 200 and "Approve the request" in page.text
    assert "Identities given" in page.text  # a DPO may read them
    before = len(_trail(store))
    done = client.post(f"/console/requests/{request_id}/approve?lang=en", data={"csrf": csrf},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert _state(store, request_id) == RequestState.APPROVED
    user = f"user:{_user_id(store, Role.DPO)}"
    assert _trail(store)[before:] == [(user, "request.transition")]
    with store.engine.connect() as conn:
        kinds = conn.execute(select(jobs.c.kind)).scalars().all()
    assert "request.execute" in kinds
    after = client.get(done.headers["location"]).text
    assert "Request approved" in after and user in after  # the timeline names the DPO


def test_rejecting_or_extending_without_a_reason_does_nothing(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    request_id = _request(client)
    csrf = signed_in(client, Role.DPO)
    before = _snapshot(store)
    for action in ("reject", "extend"):
        answer = client.post(f"/console/requests/{request_id}/{action}?lang=fr",
                             data={"csrf": csrf, "reason": "  "})  # fmt: skip
        assert answer.status_code == 422 and "Donnez le motif" in answer.text
    assert _state(store, request_id) == RequestState.VERIFIED
    # The refused forms wrote nothing but the page's own read of the request.
    with store.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq.desc())
                               .limit(2)).scalars().all()  # fmt: skip
    assert actions == ["request.read", "request.read"]
    assert _snapshot(store) != before  # (only the trail moved)
    reject = client.post(f"/console/requests/{request_id}/reject?lang=en",
                         data={"csrf": csrf, "reason": "We hold no data about you."},
                         follow_redirects=False)  # fmt: skip
    assert reject.status_code == 303
    assert _state(store, request_id) == RequestState.REJECTED
    assert "We hold no data about you." in client.get(reject.headers["location"]).text


def test_the_deadline_is_extended_once_within_the_declared_extension(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    request_id = _request(client)
    csrf = signed_in(client, Role.DPO)
    too_far = (dt.date.today() + dt.timedelta(days=200)).isoformat()
    refused = client.post(f"/console/requests/{request_id}/extend?lang=en",
                          data={"csrf": csrf, "reason": "Complex.", "until": too_far})  # fmt: skip
    assert refused.status_code == 422 and "Not done:" in refused.text
    done = client.post(f"/console/requests/{request_id}/extend?lang=en",
                       data={"csrf": csrf, "reason": "Many datastores."}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    with store.engine.connect() as conn:
        row = conn.execute(select(requests).where(requests.c.id == request_id)).one()
    assert row.extended_until is not None and row.extension_reason == "Many datastores."
    page = client.get(done.headers["location"]).text
    assert "Extend the deadline" not in page  # once only
    again = client.post(f"/console/requests/{request_id}/extend?lang=en",
                        data={"csrf": csrf, "reason": "Again."})  # fmt: skip
    assert again.status_code in (409, 422) and "Not done:" in again.text


def test_an_agent_verifies_a_person_by_another_means_but_cannot_approve(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    request_id = _request(client, verified=False)
    csrf = signed_in(client, Role.AGENT)
    page = client.get(f"/console/requests/{request_id}?lang=en").text
    assert "Record the verification" in page and "Approve the request" not in page
    missing = client.post(f"/console/requests/{request_id}/verify?lang=en",
                          data={"csrf": csrf, "method": "id_document", "note": ""})  # fmt: skip
    assert missing.status_code == 422 and "the note is required" in missing.text
    assert _state(store, request_id) == RequestState.AWAITING_VERIFICATION
    code = client.post(f"/console/requests/{request_id}/verify?lang=en",
                       data={"csrf": csrf, "method": "email_code", "note": "x"})  # fmt: skip
    assert code.status_code == 422
    done = client.post(f"/console/requests/{request_id}/verify?lang=en",
                       data={"csrf": csrf, "method": "id_document", "note": "Passport seen."},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert _state(store, request_id) == RequestState.VERIFIED
    with store.engine.connect() as conn:
        row = conn.execute(select(requests).where(requests.c.id == request_id)).one()
    assert row.verification_method == "id_document" and row.code_hash is None
    assert b"Passport" not in bytes(row.verification_note_sealed)  # sealed
    after = client.get(done.headers["location"]).text
    assert "Passport seen." in after and "verified by staff: id_document" in after
    refused = client.post(f"/console/requests/{request_id}/approve?lang=en", data={"csrf": csrf})
    assert refused.status_code == 403
    assert _state(store, request_id) == RequestState.VERIFIED


def test_an_unknown_request_is_a_page_not_a_crash(
    client: TestClient, staff_accounts: dict[Role, str]
) -> None:
    csrf = signed_in(client, Role.DPO)
    missing = uuid.uuid4().hex
    assert client.get(f"/console/requests/{missing}?lang=en").status_code == 404
    answer = client.post(f"/console/requests/{missing}/approve?lang=en", data={"csrf": csrf})
    assert answer.status_code == 404 and "Request not found" in answer.text


# CSRF on every console form -----------------------------------------------------------

FORMS = [
    "/console/logout",
    "/console/requests/{id}/verify",
    "/console/requests/{id}/approve",
    "/console/requests/{id}/reject",
    "/console/requests/{id}/extend",
    "/console/audit/verify",
    "/console/keys",
    "/console/keys/{prefix}/revoke",
]


@pytest.mark.parametrize("form", FORMS)
def test_every_console_form_needs_this_browsers_csrf_field(
    client: TestClient, store: Store, staff_accounts: dict[Role, str], form: str
) -> None:
    from console_staff import signed_in as sign

    from gardien.auth import create_key

    request_id = _request(client, verified=form.endswith("approve"))
    with store.engine.begin() as conn:
        prefix = create_key(conn, Role.SERVICE, actor=_runtime(client).subject_actor()).key.prefix
    path = form.replace("{id}", request_id).replace("{prefix}", prefix)
    sign(client, Role.ADMIN)
    data: dict[str, Any] = {"reason": "r", "note": "n", "method": "in_person", "role": "service"}
    before = _snapshot(store)
    for forged in ({**data}, {**data, "csrf": "f" * 64}):
        answer = client.post(f"{path}?lang=en", data=forged, follow_redirects=False)
        assert answer.status_code == 403, path
        assert "This form has expired" in answer.text
    assert _snapshot(store) == before, f"a forged {form} changed something"


# Documents, audit, keys --------------------------------------------------------------


def test_the_register_notice_and_retention_plan_in_force(
    client: TestClient, staff_accounts: dict[Role, str]
) -> None:
    signed_in(client, Role.DPO)
    register = client.get("/console/register?lang=fr")
    assert register.status_code == 200 and "Base légale" in register.text
    notice = client.get("/console/notice?lang=en")
    assert notice.status_code == 200 and "Notice version" in notice.text
    assert "<style>" not in notice.text  # the page's stylesheet only (CSP)
    retention = client.get("/console/retention?lang=en")
    assert retention.status_code == 200 and "Due now" in retention.text


def test_the_register_is_shown_in_a_published_language_and_no_other(
    client: TestClient, staff_accounts: dict[Role, str]
) -> None:
    signed_in(client, Role.DPO)
    # The starter publishes in French and English: the page's language by default.
    english = client.get("/console/register?lang=en")
    assert english.status_code == 200
    assert "Lawful basis (Art. 6, and Art. 9 condition)" in english.text
    assert "Base légale" not in english.text and "(art. 6.1." not in english.text
    assert '<div lang="en">' in english.text and 'href="?in=fr&amp;lang=en"' in english.text
    french = client.get("/console/register?lang=en&in=fr")
    assert french.status_code == 200 and '<div lang="fr">' in french.text
    assert "Base légale" in french.text and "(art. 6.1." in french.text
    refused = client.get("/console/register?lang=en&in=de")
    assert refused.status_code == 404
    assert 'This declaration does not publish in "de"' in refused.text
    assert "Lawful basis" not in refused.text and "Base légale" not in refused.text
    hostile = client.get("/console/register", params={"lang": "en", "in": "<b>x</b>"})
    assert hostile.status_code == 404 and "<b>x</b>" not in hostile.text


def test_the_audit_trail_is_searched_and_its_chain_verified(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    csrf = signed_in(client, Role.DPO)
    user = f"user:{_user_id(store, Role.DPO)}"
    logins = client.get("/console/audit", params={"lang": "en", "action": "user.login"}).text
    table = logins.split("<tbody>")[1]
    assert "<code>user.login</code>" in table and "<code>user.create</code>" not in table
    mine = client.get("/console/audit", params={"lang": "en", "actor": user}).text
    assert f"<code>{user}</code>" in mine and "<code>test:suite</code>" not in mine
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    none = client.get("/console/audit", params={"lang": "en", "since": tomorrow}).text
    assert "No entry matches" in none
    bad = client.get("/console/audit", params={"lang": "en", "since": "yesterday"})
    assert bad.status_code == 422
    verified = client.post("/console/audit/verify?lang=en", data={"csrf": csrf})
    assert verified.status_code == 200 and "Chain intact" in verified.text
    assert _trail(store)[-2:] == [(user, "audit.verify"), (user, "audit.read")]
    # An entry edited behind gardien's back: the same button says where.
    with store.engine.begin() as conn:
        conn.execute(audit_log.update().where(audit_log.c.seq == 2).values(role="intruder"))
    broken = client.post("/console/audit/verify?lang=en", data={"csrf": csrf})
    assert "Chain broken at entry 2" in broken.text


def test_an_admin_creates_a_key_sees_its_secret_once_and_revokes_it(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    csrf = signed_in(client, Role.ADMIN)
    made = client.post("/console/keys?lang=en", data={"csrf": csrf, "role": "service",
                                                       "label": "product"})  # fmt: skip
    assert made.status_code == 200 and "it will never be shown again" in made.text
    token = made.text.split('id="new-key" class="secret">')[1].split("<")[0]
    assert token.startswith("gdn_")
    assert client.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 403  # a real key, of its role  # fmt: skip
    listing = client.get("/console/keys?lang=en").text
    assert token not in listing
    prefix = token.split("_")[1]
    revoked = client.post(f"/console/keys/{prefix}/revoke?lang=en", data={"csrf": csrf},
                          follow_redirects=False)  # fmt: skip
    assert revoked.status_code == 303
    user = f"user:{_user_id(store, Role.ADMIN)}"
    actions = [a for who, a in _trail(store) if who == user]
    assert actions[-2:] == ["key.create", "key.revoke"]
    bad_role = client.post("/console/keys?lang=en", data={"csrf": csrf, "role": "root"})
    assert bad_role.status_code == 422


def test_a_refused_role_is_told_who_may_and_keeps_its_console(
    client: TestClient, staff_accounts: dict[Role, str]
) -> None:
    signed_in(client, Role.DPO)
    refused = client.get("/console/keys?lang=en")
    assert refused.status_code == 403
    assert "Your role may not do this. Roles that may: admin." in refused.text
    assert "Sign out" in refused.text and "Back to the requests" in refused.text
    refused_fr = client.get("/console/keys?lang=fr")
    assert "Rôles autorisés : admin." in refused_fr.text


def test_a_requests_page_shows_each_attempt_to_notify_a_recipient(
    client: TestClient, store: Store, staff_accounts: dict[Role, str]
) -> None:
    """Art. 19: the DPO sees which recipients were told, each attempt and its answer (the
    log the worker's notice handler writes, tests/requests/test_execution.py)."""
    from gardien.requests.execution_tables import recipient_deliveries

    request_id = _request(client, RequestType.ERASURE)
    at = dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC)
    with store.engine.begin() as conn:
        conn.execute(
            recipient_deliveries.insert(),
            [
                {"request_id": request_id, "recipient": "newsletter_tool", "kind": "erasure",
                 "attempt": 1, "at": at, "status": 503, "delivered": False,
                 "reason": "the recipient answered 503"},
                {"request_id": request_id, "recipient": "newsletter_tool", "kind": "erasure",
                 "attempt": 2, "at": at + dt.timedelta(minutes=5), "status": 204,
                 "delivered": True, "reason": ""},
            ],
        )  # fmt: skip
    signed_in(client, Role.DPO)
    page = client.get(f"/console/requests/{request_id}?lang=en").text
    section = page.split("Recipients notified (Art. 19)", 1)[1].split("Timeline", 1)[0]
    rows = section.split("<tr>")[2:]
    assert len(rows) == 2
    assert "newsletter_tool" in rows[0] and "2026-12-06 09:30" in rows[0]
    assert "not delivered (503) — the recipient answered 503" in rows[0]
    assert "2026-12-06 09:35" in rows[1] and "delivered (204)" in rows[1]
    assert "not delivered" not in rows[1]
    assert "No notice sent" not in page
