"""Request bodies a room must never see, in-process, on every endpoint that takes one.

Too large however it is sent: 413. Not UTF-8 JSON, or nested deeper than
``MAX_JSON_DEPTH``: 400. Stalled mid-way: 408. Each is a problem document,
and none writes anything. A response sent before the body was read whole
closes the connection, so the rest of that body is never read.
``tests/e2e/test_server_limits.py`` sends the same over real sockets to a real server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gardien.audit import audit_log
from gardien.auth import Role
from gardien.errors import PROBLEM_TYPES
from gardien.settings import Settings
from gardien.store import Store
from gardien.web import build_runtime, create_app
from gardien.web.media import MAX_JSON_DEPTH

Auth = Callable[[Role], dict[str, str]]

#: Every API endpoint that reads a JSON body.
BODY_ENDPOINTS = [
    "/api/v1/subjects",
    "/api/v1/subjects/lookup",
    "/api/v1/consents",
    "/api/v1/checks",
    "/api/v1/objections",
    "/api/v1/restrictions",
    "/api/v1/restrictions/lift",
    "/api/v1/unsubscribe-links",
    "/api/v1/redact",
    "/api/v1/redact/batch",
    "/api/v1/redact/restore",
]
JSON = {"content-type": "application/json"}


def _audit_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def _nested(depth: int) -> bytes:
    """A body whose arrays and objects nest ``depth`` levels, the body itself being one."""
    return (
        b'{"identity": {"email": "a@b.fr"}, "purpose": '
        + b"[" * (depth - 1)
        + b"]" * (depth - 1)
        + b"}"
    )


def _assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{slug}" and body["status"] == status
    assert body["detail"]
    return body


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
def test_a_streamed_body_over_the_limit_is_413(
    client: TestClient, auth: Auth, store: Store, path: str
) -> None:
    """Sent without Content-Length (chunked), the body is counted as it arrives."""
    before = _audit_count(store)

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):  # 40 x 8 KiB: five times GARDIEN_MAX_BODY_BYTES
            yield b"x" * 8192
        yield b'"}'

    response = client.post(path, content=chunks(), headers={**auth(Role.ADMIN), **JSON})
    body = _assert_problem(response, 413, "payload-too-large")
    assert "GARDIEN_MAX_BODY_BYTES" in body["detail"]
    assert response.headers["connection"] == "close"
    assert _audit_count(store) == before


MALFORMED = [
    pytest.param(b'{"identity": {"email": "a\xff@b.fr"}, "purpose": "x"}', "UTF-8", id="not-utf8"),
    pytest.param(
        '{"identity": {"email": "a@b.fr"}, "purpose": "é"}'.encode("latin-1"),
        "UTF-8",
        id="latin-1",
    ),
    pytest.param(
        '{"identity": {"email": "a@b.fr"}, "purpose": "x"}'.encode("utf-16"), "UTF-8", id="utf-16"
    ),
    pytest.param(b'{"identity": {"email": "a@b.fr"', "not valid JSON", id="truncated"),
    pytest.param(b'{"identity": {}, "purpose": NaN}', "NaN", id="nan"),
    pytest.param(b'{"identity": {}, "purpose": -Infinity}', "NaN", id="infinity"),
    pytest.param(b'{"identity": {"user_id": "\\ud800"}}', "surrogate", id="lone-surrogate"),
    pytest.param(b'{"identity": {"\\udfff": "x"}}', "surrogate", id="lone-surrogate-key"),
    pytest.param(_nested(MAX_JSON_DEPTH + 1), f"{MAX_JSON_DEPTH} levels", id="too-deep"),
    pytest.param(_nested(5_000), f"{MAX_JSON_DEPTH} levels", id="far-too-deep"),
    pytest.param(b"[" * 30_000, f"{MAX_JSON_DEPTH} levels", id="deep-and-unclosed"),
]


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
@pytest.mark.parametrize(("body", "named"), MALFORMED)
def test_a_body_that_is_not_utf8_json_is_400(
    client: TestClient, auth: Auth, store: Store, path: str, body: bytes, named: str
) -> None:
    before = _audit_count(store)
    response = client.post(path, content=body, headers={**auth(Role.ADMIN), **JSON})
    problem = _assert_problem(response, 400, "malformed-request")
    assert named in problem["detail"]
    # Never the value sent: the detail says what is wrong and where, not what was there.
    assert "b.fr" not in response.text and "\\ud800" not in problem["detail"]
    assert _audit_count(store) == before


def test_nesting_up_to_the_bound_reaches_the_schema(client: TestClient, auth: Auth) -> None:
    """At the bound the body is well-formed: the schema, not the parser, refuses a list
    where a purpose goes."""
    response = client.post(
        "/api/v1/checks", content=_nested(MAX_JSON_DEPTH), headers={**auth(Role.ADMIN), **JSON}
    )
    _assert_problem(response, 422, "invalid-request")


def test_a_byte_order_mark_is_still_accepted(client: TestClient, auth: Auth) -> None:
    # RFC 8259 §8.1 lets a parser ignore it, and the API always has.
    response = client.post(
        "/api/v1/subjects",
        content=b'\xef\xbb\xbf{"identities": {"email": "bom@example.com"}}',
        headers={**auth(Role.SERVICE), **JSON},
    )
    assert response.status_code == 201, response.text


def test_the_depth_bound_is_the_one_documented() -> None:
    said = f"nested deeper than {MAX_JSON_DEPTH} levels"
    assert said in PROBLEM_TYPES["malformed-request"].when
    assert said in (Path(__file__).parents[2] / "docs" / "api.md").read_text("utf-8")


# A body that stops arriving -----------------------------------------------------------


def _scope(path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }


async def _call_stalled(
    app: Any, scope: dict[str, Any], first_part: bytes
) -> tuple[list[dict[str, Any]], float]:
    """Call ``app`` with a body whose first part arrives and the rest never does."""
    sent: list[dict[str, Any]] = []
    parts = [{"type": "http.request", "body": first_part, "more_body": True}]

    async def receive() -> dict[str, Any]:
        if parts:
            return parts.pop()
        await asyncio.sleep(3600)  # the client stopped sending
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    loop = asyncio.get_running_loop()
    started = loop.time()
    # The guard of the test itself: without a body timeout the app would wait for ever.
    await asyncio.wait_for(app(scope, receive, send), timeout=15)
    return sent, loop.time() - started


@pytest.mark.parametrize("path", ["/api/v1/subjects", "/api/v1/checks", "/unsubscribe/token"])
def test_a_body_that_stops_arriving_is_408_and_closes(
    settings: Settings, store: Store, tokens: dict[Role, str], path: str
) -> None:
    app = create_app(
        settings.model_copy(update={"body_timeout_seconds": 1}), build_runtime(settings, store)
    )
    scope = _scope(
        path,
        {
            "authorization": f"Bearer {tokens[Role.ADMIN]}",
            "content-type": "application/json",
            "content-length": "100",
        },
    )
    if path.startswith("/unsubscribe"):
        # A page that never reads its body: it answers at once and the connection closes.
        scope["headers"][1] = (b"content-type", b"application/x-www-form-urlencoded")
        sent, elapsed = asyncio.run(_call_stalled(app, scope, b"List-Unsub"))
        start = sent[0]
        assert start["status"] == 400 and elapsed < 1
        assert (b"connection", b"close") in start["headers"]
        return
    before = _audit_count(store)
    sent, elapsed = asyncio.run(_call_stalled(app, scope, b'{"identity": '))
    start, body = sent[0], sent[1]
    assert start["status"] == 408
    assert (b"content-type", b"application/problem+json") in start["headers"]
    assert (b"connection", b"close") in start["headers"]
    assert b"/problems/request-timeout" in body["body"]
    assert b"GARDIEN_BODY_TIMEOUT_SECONDS" in body["body"]
    assert 0.9 < elapsed < 5
    assert _audit_count(store) == before


def test_a_response_before_the_body_is_read_closes_the_connection(
    client: TestClient, auth: Auth
) -> None:
    """A body answered before it was read (the unsubscribe page never reads its form, a
    body that is not JSON is refused unread) closes the connection: kept for a next
    request, its unread rest would be read and thrown away for as long as it came."""
    kept = client.post("/api/v1/checks", json={"identity": {}}, headers=auth(Role.SERVICE))
    assert kept.status_code == 422 and "connection" not in kept.headers
    page = client.post(
        "/unsubscribe/not-a-token",
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == 400 and page.headers["connection"] == "close"
    not_json = client.post(
        "/api/v1/checks",
        content=b"identity=a@b.fr",
        headers={**auth(Role.SERVICE), "content-type": "text/plain"},
    )
    assert not_json.status_code == 415 and not_json.headers["connection"] == "close"
