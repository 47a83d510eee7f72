"""The privacy center's forms: a request made, its code typed, its page kept to its browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from request_helpers import Outbox
from sqlalchemy import func, select

from gardien.auth import Role
from gardien.requests.tables import requests
from gardien.store import Store
from gardien.web.csrf import COOKIE, FIELD

EMAIL = "alice@example.com"
CSRF = re.compile(rf'name="{FIELD}" value="([0-9a-f]+)"')


def _csrf(client: TestClient, path: str = "/privacy-center") -> str:
    page = client.get(path)
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


def _ask(client: TestClient, lang: str = "fr", **fields: Any) -> Any:
    form = {FIELD: _csrf(client), "type": "access", "email": EMAIL, **fields}
    return client.post(f"/privacy-center/requests?lang={lang}", data=form, follow_redirects=False)


def _count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(requests)).scalar_one())


def test_the_page_offers_each_request_with_a_signed_form(client: TestClient) -> None:
    page = client.get("/privacy-center", headers={"Accept-Language": "fr"})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert COOKIE in page.cookies and CSRF.search(page.text)
    for kind in ("access", "portability", "erasure", "restriction", "objection"):
        assert f'value="{kind}"' in page.text
    assert "Obtenir une copie de mes données" in page.text and "1\u00a0mois" in page.text
    english = client.get("/privacy-center?lang=en")
    assert "Get a copy of my data" in english.text and '<html lang="en">' in english.text


def test_a_request_made_verified_and_followed_in_its_browser(
    client: TestClient, outbox: Outbox, store: Store
) -> None:
    made = _ask(client)
    assert made.status_code == 303
    page_path = made.headers["location"].split("?")[0]
    request_id = page_path.rsplit("/", 1)[1]
    cookie = next(c for c in client.cookies.jar if c.name == f"gardien_request_{request_id}")
    assert cookie.path == page_path  # sent to this request's page only
    assert "status_token" not in made.headers["location"]
    waiting = client.get(made.headers["location"])
    assert waiting.status_code == 200 and "En attente du code" in waiting.text
    code = outbox.code_for(EMAIL)
    verified = client.post(
        f"{page_path}/verify?lang=fr", data={FIELD: _csrf(client, page_path), "code": code},
        follow_redirects=False,
    )  # fmt: skip
    assert verified.status_code == 303
    shown = client.get(verified.headers["location"])
    assert "Vérifiée" in shown.text and 'name="code"' not in shown.text
    assert _count(store) == 1


def test_nobody_else_opens_a_persons_request_page(client: TestClient, outbox: Outbox) -> None:
    made = _ask(client)
    path = made.headers["location"].split("?")[0]
    request_id = path.rsplit("/", 1)[1]
    token = client.cookies.get(f"gardien_request_{request_id}")
    assert token
    with TestClient(client.app) as stranger:
        assert stranger.get(path).status_code == 404
        # Another person's request's token does not open this one either.
        _ask(stranger, email="bob@example.com")
        theirs = next(c for c in stranger.cookies.jar if c.name.startswith("gardien_request_"))
        assert theirs.name != f"gardien_request_{request_id}"
        stranger.cookies.set(f"gardien_request_{request_id}", theirs.value, path=path)
        refused = stranger.get(path)
        assert refused.status_code == 404 and "navigateur" in refused.text
        code = outbox.code_for(EMAIL)
        form = {FIELD: _csrf(stranger), "code": code}
        assert stranger.post(f"{path}/verify", data=form).status_code == 404


def test_a_form_without_its_signed_field_changes_nothing(client: TestClient, store: Store) -> None:
    client.get("/privacy-center")  # the cookie, but a forged field
    forged = client.post(
        "/privacy-center/requests", data={FIELD: "0" * 64, "type": "access", "email": EMAIL}
    )
    assert forged.status_code == 403 and "expiré" in forged.text
    with TestClient(client.app) as fresh:  # no cookie at all
        assert fresh.post("/privacy-center/requests", data={"type": "access"}).status_code == 403
    assert _count(store) == 0


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"email": "not an address"}, "adresse e-mail n’est pas valide"),
        ({"type": "nonsense"}, "Choisissez une demande"),
        ({"type": "rectification"}, "Choisissez une demande"),
        ({"type": "restriction"}, "pourquoi limiter"),
        ({"type": "objection"}, "au moins un traitement"),
    ],
)
def test_what_is_wrong_is_said_and_nothing_is_recorded(
    client: TestClient, store: Store, fields: dict[str, str], said: str
) -> None:
    refused = _ask(client, **fields)
    assert refused.status_code == 422 and said in refused.text
    assert 'role="alert"' in refused.text
    assert _count(store) == 0


def test_a_wrong_code_says_how_many_tries_are_left(client: TestClient, outbox: Outbox) -> None:
    made = _ask(client, lang="en")
    path = made.headers["location"].split("?")[0]
    real = outbox.code_for(EMAIL)
    wrong = "000000" if real != "000000" else "111111"
    refused = client.post(
        f"{path}/verify?lang=en", data={FIELD: _csrf(client, path), "code": wrong}
    )
    assert refused.status_code == 422 and "attempts left" in refused.text
    resent = client.post(
        f"{path}/resend?lang=en", data={FIELD: _csrf(client, path)}, follow_redirects=True
    )
    assert "A new code has been sent" in resent.text
    fresh = outbox.code_for(EMAIL)
    assert client.post(f"{path}/verify", data={FIELD: _csrf(client, path), "code": fresh},
                       follow_redirects=True).status_code == 200  # fmt: skip


def test_an_unknown_person_gets_the_same_pages(client: TestClient, auth: Any) -> None:
    registered = client.post(
        "/api/v1/subjects", json={"identities": {"email": EMAIL}}, headers=auth(Role.ADMIN)
    )
    assert registered.status_code == 201, registered.text
    known = _ask(client)
    unknown = _ask(client, email="nobody-known@example.com")
    assert known.status_code == unknown.status_code == 303
    pages = [client.get(r.headers["location"]) for r in (known, unknown)]
    strip = re.compile(r"[0-9a-f]{32}|[0-9a-f]{64}|\d{1,2} \w+ \d{4}")
    assert strip.sub("", pages[0].text) == strip.sub("", pages[1].text)


def test_the_person_withdraws_their_request_from_its_page(client: TestClient) -> None:
    made = _ask(client, lang="en")
    path = made.headers["location"].split("?")[0]
    page = client.get(path + "?lang=en")
    assert "Withdraw my request" in page.text
    done = client.post(
        f"{path}/withdraw?lang=en", data={FIELD: _csrf(client, path)}, follow_redirects=True
    )
    assert done.status_code == 200 and "Withdrawn" in done.text
    assert "Withdraw my request" not in done.text and 'name="code"' not in done.text
    again = client.post(f"{path}/withdraw?lang=en", data={FIELD: _csrf(client)})
    assert again.status_code == 409 and "can no longer be withdrawn" in again.text


def test_post_mortem_directives_are_taken_with_their_trustees(
    client: TestClient, store: Store
) -> None:
    page = client.get("/privacy-center?lang=en")
    assert "Leave directives on my data after my death" in page.text
    missing = _ask(client, type="post_mortem", instructions="Close my account.")
    assert missing.status_code == 422 and "nommez au moins une personne" in missing.text
    assert _count(store) == 0
    made = _ask(
        client, type="post_mortem", instructions="Close my account.",
        trustee_name=["Jeanne Martin", ""], trustee_email=["jeanne@example.org", ""],
    )  # fmt: skip
    assert made.status_code == 303 and _count(store) == 1


@pytest.fixture
def shop_client(
    settings: Any, store: Store, write_declaration: Any
) -> Any:  # a company whose declared datastore holds names and e-mails
    from gardien.web import build_runtime, create_app

    def with_datastore(data: dict[str, Any]) -> None:
        data["datastores"] = {"app": {"url": "sqlite:///unused.db", "collections": {
            "accounts": {"fields": {
                "id": {"primary_key": True},
                "email": {"identity": "email", "categories": ["user.contact.email"]},
                "first_name": {"categories": ["user.name"]},
            }},
        }}}  # fmt: skip

    changed = settings.model_copy(update={"config": write_declaration(with_datastore)})
    with TestClient(create_app(changed, build_runtime(changed, store))) as test_client:
        yield test_client


def test_a_correction_names_the_data_and_its_right_value(shop_client: Any, store: Store) -> None:
    page = shop_client.get("/privacy-center?lang=en")
    assert 'value="rectification"' in page.text and 'value="user.name"' in page.text
    unsaid = _ask(shop_client, lang="en", type="rectification")
    assert unsaid.status_code == 422 and "Choose the data to correct" in unsaid.text
    made = _ask(
        shop_client, lang="en", type="rectification",
        change_what=["user.name", "", ""], change_value=["Alicia", "", ""],
    )  # fmt: skip
    assert made.status_code == 303 and _count(store) == 1


def test_no_correction_is_offered_without_a_declared_field(client: TestClient) -> None:
    page = client.get("/privacy-center?lang=en")
    assert 'value="rectification"' not in page.text  # the starter declares no datastore
    refused = _ask(client, type="rectification", change_what="user.name", change_value="A")
    assert refused.status_code == 422


@pytest.mark.parametrize(
    ("content", "kind", "status"),
    [
        (b'{"type": "access"}', "application/json", 415),
        (b"type=access&email=\xff\xfe", "application/x-www-form-urlencoded", 400),
        (b"&".join([b"purposes=x"] * 200), "application/x-www-form-urlencoded", 400),
    ],
)
def test_a_body_that_is_not_the_pages_form_is_a_problem_and_writes_nothing(
    client: TestClient, store: Store, content: bytes, kind: str, status: int
) -> None:
    client.get("/privacy-center")
    refused = client.post(
        "/privacy-center/requests", content=content, headers={"content-type": kind}
    )
    assert refused.status_code == status
    assert refused.headers["content-type"] == "application/problem+json"
    assert _count(store) == 0
