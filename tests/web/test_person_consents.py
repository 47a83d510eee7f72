"""The privacy center's consents: sign-in by code, give, withdraw, object, receipts, isolation."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gardien.audit.tables import audit_log
from gardien.auth import Role
from gardien.consent.tables import consent_events, processing_limits
from gardien.jobs import jobs
from gardien.settings import Settings
from gardien.signin.tables import person_sessions, person_signins
from gardien.store import Store
from gardien.web import build_runtime, create_app

CONSENTS = "/privacy-center/consents"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found is not None, html
    return found.group(1)


def _code(client: TestClient) -> str:
    """The code of the e-mail queued for this browser's sign-in (read from its job)."""
    signin_id = client.cookies.get("gardien_signin")
    store = client.app.state.runtime.store  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        for (payload,) in conn.execute(select(jobs.c.payload).order_by(jobs.c.id.desc())):
            data = payload if isinstance(payload, dict) else json.loads(payload)
            if data["request_id"] == signin_id:
                found = re.search(r"\b(\d{6})\b", data["subject"])
                assert found is not None
                return found.group(1)
    raise AssertionError("no code queued for this browser")


def _sign_in(client: TestClient, email: str, lang: str = "en") -> str:
    page = client.get(f"{CONSENTS}?lang={lang}")
    csrf = _csrf(page.text)
    asked = client.post(
        f"/privacy-center/sign-in?lang={lang}", data={"csrf": csrf, "email": email},
        follow_redirects=False,
    )  # fmt: skip
    assert asked.status_code == 303, asked.text
    typed = client.post(
        f"/privacy-center/sign-in/code?lang={lang}", data={"csrf": csrf, "code": _code(client)},
        follow_redirects=False,
    )  # fmt: skip
    assert typed.status_code == 303, typed.text
    return csrf


def _check(client: TestClient, auth: Callable[[Role], dict[str, str]], email: str) -> bool:
    answer = client.post(
        "/api/v1/checks", json={"identity": {"email": email}, "purpose": "newsletter"},
        headers=auth(Role.SERVICE),
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    allowed: bool = answer.json()["allowed"]
    return allowed


def _count(store: Store, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _actions(store: Store, since: int) -> list[str]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.action).where(audit_log.c.seq > since).order_by(audit_log.c.seq)
        )
        return [action for (action,) in rows]


def _last_seq(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(audit_log.c.seq), 0))).scalar_one())


def test_without_a_session_the_page_is_the_sign_in_form(client: TestClient) -> None:
    page = client.get(f"{CONSENTS}?lang=fr")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Votre adresse e-mail" in page.text and 'name="csrf"' in page.text
    assert "newsletter" not in page.text


def test_signing_in_sets_strict_cookies_under_the_privacy_center(client: TestClient) -> None:
    csrf = _csrf(client.get(CONSENTS).text)
    asked = client.post(
        "/privacy-center/sign-in", data={"csrf": csrf, "email": "a@example.com"},
        follow_redirects=False,
    )  # fmt: skip
    cookie = asked.headers["set-cookie"]
    assert cookie.startswith("gardien_signin=")
    for part in ("HttpOnly", "Path=/privacy-center", "SameSite=strict", "Max-Age=900"):
        assert part.lower() in cookie.lower(), part
    typed = client.post(
        "/privacy-center/sign-in/code", data={"csrf": csrf, "code": _code(client)},
        follow_redirects=False,
    )  # fmt: skip
    session = next(c for c in typed.headers.get_list("set-cookie") if "gardien_person=" in c)
    for part in ("HttpOnly", "Path=/privacy-center", "SameSite=strict"):
        assert part.lower() in session.lower(), part
    assert "secure" not in session.lower()  # plain HTTP on the test host; Secure over HTTPS
    page = client.get(CONSENTS + "?lang=en")
    assert "Sign out" in page.text and "Newsletter" in page.text


def test_an_unknown_address_gets_the_same_answers_as_a_known_one(
    client: TestClient, store: Store, auth: Callable[[Role], dict[str, str]]
) -> None:
    known = client.post(
        "/api/v1/subjects", json={"identities": {"email": "known@example.com"}},
        headers=auth(Role.ADMIN),
    )  # fmt: skip
    assert known.status_code == 201, known.text
    answers = []
    for email in ("known@example.com", "stranger@example.com"):
        client.cookies.clear()
        csrf = _csrf(client.get(CONSENTS).text)
        before = _last_seq(store)
        asked = client.post(
            "/privacy-center/sign-in", data={"csrf": csrf, "email": email},
            follow_redirects=False,
        )  # fmt: skip
        cookie = re.sub(
            r"gardien_signin=[0-9a-f]+", "gardien_signin=…", asked.headers["set-cookie"]
        )
        page = client.get(asked.headers["location"])
        answers.append(
            (asked.status_code, asked.headers["location"], cookie, _actions(store, before),
             page.text.replace(_csrf(page.text), "…"))
        )  # fmt: skip
    assert answers[0] == answers[1]
    assert _count(store, jobs) == 2  # a code went to each


def test_a_form_without_its_csrf_field_is_refused_and_writes_nothing(
    client: TestClient, store: Store
) -> None:
    client.get(CONSENTS)
    for data in ({"email": "a@example.com"}, {"email": "a@example.com", "csrf": "0" * 64}):
        refused = client.post("/privacy-center/sign-in", data=data)
        assert refused.status_code == 403
    assert _count(store, person_signins) == 0 and _count(store, jobs) == 0
    csrf = _sign_in(client, "a@example.com")
    before = _count(store, consent_events)
    forged = client.post(f"{CONSENTS}/newsletter/give", data={"csrf": "0" * 64})
    assert forged.status_code == 403 and _count(store, consent_events) == before
    assert client.post(f"{CONSENTS}/newsletter/give", data={"csrf": csrf}).status_code == 200


def test_wrong_codes_say_what_is_left_then_the_form_asks_for_a_new_code(
    client: TestClient, store: Store
) -> None:
    csrf = _csrf(client.get(CONSENTS).text)
    client.post("/privacy-center/sign-in?lang=en", data={"csrf": csrf, "email": "w@example.com"})
    right = _code(client)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        page = client.post(
            "/privacy-center/sign-in/code?lang=en", data={"csrf": csrf, "code": wrong}
        )
        assert page.status_code == 403
        assert f"{left} attempt" in page.text
    spent = client.post("/privacy-center/sign-in/code?lang=en", data={"csrf": csrf, "code": wrong})
    assert "can no longer be used" in spent.text and "Your e-mail address" in spent.text
    client.cookies.delete("gardien_signin", path="/privacy-center")
    # The count is the server's: the right code does not work any more, whatever the browser.
    assert _count(store, person_sessions) == 0


def test_give_then_withdraw_changes_the_check_and_each_has_a_receipt(
    client: TestClient, store: Store, auth: Callable[[Role], dict[str, str]]
) -> None:
    assert _check(client, auth, "p@example.com") is False
    csrf = _sign_in(client, "P@Example.com ")
    given = client.post(f"{CONSENTS}/newsletter/give?lang=en", data={"csrf": csrf})
    assert given.status_code == 200 and "Done: your consent to" in given.text
    assert _check(client, auth, "p@example.com") is True
    assert "Consent given on" in given.text and "The exact wording you agreed to" in given.text
    withdrawn = client.post(f"{CONSENTS}/newsletter/withdraw?lang=en", data={"csrf": csrf})
    assert "Consent withdrawn on" in withdrawn.text
    assert _check(client, auth, "p@example.com") is False
    with store.engine.connect() as conn:
        events = conn.execute(select(consent_events).order_by(consent_events.c.id)).all()
    assert [(e.kind, e.channel, e.collection_method) for e in events] == [
        ("given", "privacy_center", "button"), ("withdrawn", "privacy_center", "button"),
    ]  # fmt: skip
    links = re.findall(
        r'href="(/privacy-center/consents/receipts/[0-9a-f]{32}\?lang=en)"', withdrawn.text
    )
    assert len(links) == 2
    receipts = [client.get(link) for link in links]
    for answer in receipts:
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.headers["content-disposition"].startswith("attachment;")
    kinds = [r.json()["gardien"]["kind"] for r in receipts]
    assert kinds == ["withdrawn", "given"]  # newest first, as the page lists them
    assert receipts[1].json()["gardien"]["wording"] is not None
    assert receipts[1].json()["version"] == "KI-CR-v1.1.0"


def test_the_changes_are_audited(client: TestClient, store: Store) -> None:
    csrf = _sign_in(client, "audit@example.com")
    steps = [
        (f"{CONSENTS}/newsletter/give", ["subject.create", "consent.record"]),
        (f"{CONSENTS}/newsletter/withdraw", ["consent.record"]),
        (f"{CONSENTS}/newsletter/object", ["limit.record"]),
    ]
    for path, expected in steps:
        before = _last_seq(store)
        assert client.post(path, data={"csrf": csrf}, follow_redirects=False).status_code == 303
        assert _actions(store, before) == expected, path
    before = _last_seq(store)
    assert client.post("/privacy-center/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert _actions(store, before) == ["person.sign_out"]


def test_one_click_objection_to_marketing_withdraws_and_stops_the_check(
    client: TestClient, store: Store, auth: Callable[[Role], dict[str, str]]
) -> None:
    csrf = _sign_in(client, "m@example.com", lang="fr")
    client.post(f"{CONSENTS}/newsletter/give?lang=fr", data={"csrf": csrf})
    assert _check(client, auth, "m@example.com") is True
    page = client.post(f"{CONSENTS}/newsletter/object?lang=fr", data={"csrf": csrf})
    assert page.status_code == 200
    assert (
        "C’est fait : votre opposition à « Lettre d&#39;information » est enregistrée" in page.text
    )
    assert "Vous vous êtes opposé(e) à cette prospection le" in page.text
    assert "motif" not in page.text.lower() and "reason" not in page.text.lower()
    assert _check(client, auth, "m@example.com") is False
    with store.engine.connect() as conn:
        limit = conn.execute(select(processing_limits)).one()
        kinds = conn.execute(select(consent_events.c.kind).order_by(consent_events.c.id)).scalars()
        assert (limit.kind, limit.purpose, limit.channel) == (
            "objection",
            "newsletter",
            "privacy_center",
        )
        assert list(kinds) == ["given", "withdrawn"]
    # Giving consent again is the person's new word: it lifts their objection.
    client.post(f"{CONSENTS}/newsletter/give?lang=fr", data={"csrf": csrf})
    assert _check(client, auth, "m@example.com") is True


def test_only_consent_purposes_and_marketing_objections_are_taken(client: TestClient) -> None:
    csrf = _sign_in(client, "x@example.com")
    assert client.post(f"{CONSENTS}/service/give", data={"csrf": csrf}).status_code == 404
    assert client.post(f"{CONSENTS}/nothing/give", data={"csrf": csrf}).status_code == 404


def test_one_person_cannot_read_or_change_anothers_consents(
    settings: Settings, store: Store, auth: Callable[[Role], dict[str, str]]
) -> None:
    app = create_app(settings, build_runtime(settings, store))
    with TestClient(app) as alice, TestClient(app) as bob:
        a_csrf = _sign_in(alice, "alice@example.com")
        b_csrf = _sign_in(bob, "bob@example.com")
        bob.post(f"{CONSENTS}/newsletter/give?lang=en", data={"csrf": b_csrf})
        bobs = bob.get(f"{CONSENTS}?lang=en").text
        [receipt] = re.findall(r"/privacy-center/consents/receipts/[0-9a-f]{32}", bobs)
        # Alice's page shows none of Bob's choices, and Bob's receipt is not found for her.
        alices = alice.get(f"{CONSENTS}?lang=en").text
        assert "No consent recorded." in alices and receipt not in alices
        refused = alice.get(receipt + "?lang=en")
        assert refused.status_code == 404 and "Receipt not found" in refused.text
        assert bob.get(receipt).status_code == 200
        # Alice's withdrawal is hers: Bob's consent stands.
        alice.post(f"{CONSENTS}/newsletter/withdraw", data={"csrf": a_csrf})
        assert _check(bob, auth, "bob@example.com") is True
        # Bob's session cookie in Alice's browser is Bob's session: the cookie is the
        # secret, so it is HttpOnly, SameSite=Strict, path-scoped and never in a page.
        assert bob.cookies.get("gardien_person") not in bobs
        # No session: no receipt at all.
        bob.post("/privacy-center/sign-out", data={"csrf": b_csrf})
        assert bob.get(receipt).status_code == 401


def test_sign_out_ends_the_session_on_the_server(client: TestClient, store: Store) -> None:
    csrf = _sign_in(client, "s@example.com")
    token = client.cookies.get("gardien_person")
    assert token
    out = client.post("/privacy-center/sign-out?lang=en", data={"csrf": csrf})
    assert "You are signed out." in out.text
    # The old cookie, sent again, opens nothing: the session ended server-side.
    client.cookies.set("gardien_person", token, path="/privacy-center")
    page = client.get(f"{CONSENTS}?lang=en")
    assert "Your e-mail address" in page.text and "Sign out" not in page.text
    after = client.post(f"{CONSENTS}/newsletter/give?lang=en", data={"csrf": csrf})
    assert after.status_code == 401 and "nothing was recorded" in after.text
    assert _count(store, consent_events) == 0


def test_the_page_shows_the_wording_agreed_to_when_it_changed_since(
    settings: Settings, store: Store, write_declaration: Callable[..., Path]
) -> None:
    first = create_app(settings, build_runtime(settings, store))
    with TestClient(first) as client:
        csrf = _sign_in(client, "w@example.com")
        client.post(f"{CONSENTS}/newsletter/give?lang=en", data={"csrf": csrf})
        old = first.state.runtime.declaration.purposes["newsletter"].consent.wording.en
        cookies = dict(client.cookies)

    def reworded(data: dict[str, Any]) -> None:
        data["purposes"]["newsletter"]["consent"]["wording"]["en"] = "Send me offers and news."

    changed = settings.model_copy(update={"config": write_declaration(reworded, "v2.yaml")})
    with TestClient(create_app(changed, build_runtime(changed, store))) as client:
        for name, value in cookies.items():
            client.cookies.set(
                name, value, path="/privacy-center" if name != "gardien_csrf" else "/"
            )
        page = client.get(f"{CONSENTS}?lang=en").text
    assert f'<blockquote lang="en">{old}</blockquote>' in page.replace("&#39;", "'")
    assert "This wording changed on" in page and "Send me offers and news." in page
    assert "does not cover today’s: give it again" in page
    assert "Give my consent" in page and "Withdraw my consent" not in page


def test_over_https_both_cookies_are_secure(settings: Settings, store: Store) -> None:
    public = settings.model_copy(update={"public_url": "https://privacy.example.com"})
    app = create_app(public, build_runtime(public, store))
    with TestClient(app, base_url="https://testserver") as client:
        csrf = _csrf(client.get(CONSENTS).text)
        asked = client.post(
            "/privacy-center/sign-in", data={"csrf": csrf, "email": "h@example.com"},
            follow_redirects=False,
        )  # fmt: skip
        assert "secure" in asked.headers["set-cookie"].lower()
        typed = client.post(
            "/privacy-center/sign-in/code", data={"csrf": csrf, "code": _code(client)},
            follow_redirects=False,
        )  # fmt: skip
        [session] = [c for c in typed.headers.get_list("set-cookie") if "gardien_person=" in c]
        assert "secure" in session.lower() and "httponly" in session.lower()
        assert "Sign out" in client.get(f"{CONSENTS}?lang=en").text
