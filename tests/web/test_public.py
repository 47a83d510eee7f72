"""Pages served without a key: notice, GPC support resource, health, problem types."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from gardien.settings import Settings
from gardien.store import make_engine


def test_notice_is_served_in_both_languages(client: TestClient) -> None:
    french = client.get("/notice/fr")
    assert french.status_code == 200
    assert '<html lang="fr"' in french.text and "Example SAS" in french.text
    assert '<html lang="en"' in client.get("/notice/en").text
    missing = client.get("/notice/de")
    assert missing.status_code == 404 and missing.json()["type"] == "/problems/not-found"


def test_gpc_support_resource(client: TestClient) -> None:
    assert client.get("/.well-known/gpc.json").json() == {"gpc": True, "lastUpdate": "2026-01-01"}


def test_gpc_support_resource_without_a_declared_date_states_none(
    settings: Settings, store: object, write_declaration: Any
) -> None:
    from gardien.web import build_runtime, create_app

    def undated(data: dict[str, Any]) -> None:
        data.setdefault("notice", {}).pop("effective_date", None)

    changed = settings.model_copy(update={"config": write_declaration(undated)})
    with TestClient(create_app(changed, build_runtime(changed, store))) as undated_client:  # type: ignore[arg-type]
        assert undated_client.get("/.well-known/gpc.json").json() == {"gpc": True}


def test_health_names_the_declaration_version(client: TestClient, settings: Settings) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and len(body["declaration_version"]) == 64


def test_problem_types_are_described(client: TestClient) -> None:
    assert client.get("/problems/unknown-purpose").json()["status"] == 422
    assert client.get("/problems/nope").status_code == 404


def test_unknown_path_is_a_problem_document(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_new_sqlite_store_is_private(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    engine.dispose()
    for name in ("fresh.db",):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
