"""A worker reads the company's schemas when it starts, not in its first request."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from gardien.connectors import SqlConnector, locate, open_readers, plan_for
from gardien.declaration import load
from gardien.demo import build
from gardien.requests.execution import OpenDatastores


def test_a_warmed_worker_runs_no_catalog_query_in_its_first_request(tmp_path: Path) -> None:
    demo = build(tmp_path / "demo", "amikeo", people=20, seed=3)
    declaration = load(demo.declaration)
    datastores = OpenDatastores(declaration, demo.environment or {})
    datastores.warm()
    try:
        [connector] = datastores.get().values()
        assert isinstance(connector, SqlConnector)
        statements: list[str] = []
        event.listen(
            connector.engine, "before_cursor_execute",
            lambda _conn, _cursor, statement, *_rest: statements.append(statement),
        )  # fmt: skip
        with open_readers(datastores.get()) as readers:
            location = locate(
                plan_for(declaration), readers, {k: [v] for k, v in demo.identities.items()}
            )
    finally:
        datastores.reset()
    assert location.count() > 0
    catalog = [s for s in statements if "PRAGMA" in s or "sqlite_master" in s]
    assert statements and not catalog, catalog


def test_a_datastore_away_at_start_is_left_for_the_first_request(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Warming never fails the worker: the datastore is reconnected by the first request
    (which is then blocked with the reason if it is still away)."""
    demo = build(tmp_path / "demo", "amikeo", people=5, seed=3)
    source = demo.declaration.read_text("utf-8")
    declared_url = f'url: "{demo.database_url}"'
    assert declared_url in source
    demo.declaration.write_text(
        source.replace(declared_url, "url: {$env: DEMO_DATABASE_URL}"), "utf-8"
    )
    declaration = load(demo.declaration)
    away = {"DEMO_DATABASE_URL": f"sqlite:///{tmp_path / 'no-such-dir' / 'company.db'}"}
    datastores = OpenDatastores(declaration, away)
    with caplog.at_level("INFO", logger="gardien.requests.execution"):
        datastores.warm()
    assert "retried per request" in caplog.text
    first = datastores.get()  # opened afresh: the failed ones were closed
    try:
        assert first is datastores.get()
    finally:
        datastores.reset()
