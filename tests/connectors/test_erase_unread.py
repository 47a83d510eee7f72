"""Rows erased without being read: a chain of collections that nothing else points at.

Activity events hang from sessions, which hang from a child or a device: when
every row of both goes and nothing is kept, neither is read first; their
deletion is two statements describing them, whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    insert,
    select,
)

from company_databases import company_database
from gardien.connectors import SqlConnector, erasure_order
from gardien.connectors.erase import Strategies, _deletable_unread, erase_person
from gardien.declaration import Declaration, load

POSTGRES = "GARDIEN_TEST_POSTGRES_URL"
URL_VARIABLE = "FAMILY_DATABASE_URL"
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
STRATEGIES = Strategies(secret=b"k" * 32, redact_text=lambda t: "[redacted]")

metadata = MetaData()
accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(100), index=True),
    Column("primary_child_id", Integer, ForeignKey("children.id", use_alter=True), index=True),
)  # fmt: skip
children = Table(
    "children", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), index=True),
)  # fmt: skip
devices = Table(
    "devices", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), index=True),
    Column("uuid", String(40), index=True),
)  # fmt: skip
sessions = Table(
    "sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("child_id", Integer, ForeignKey("children.id"), index=True),
    Column("device_id", Integer, ForeignKey("devices.id"), index=True),
)  # fmt: skip
events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id"), nullable=False, index=True),
    Column("body", String(100)),
)  # fmt: skip

ROWS: dict[str, list[dict[str, Any]]] = {
    "accounts": [
        {"id": 1, "email": "ana@example.com", "primary_child_id": None},
        {"id": 2, "email": "ben@example.com", "primary_child_id": None},
    ],
    "children": [{"id": 10, "account_id": 1}, {"id": 11, "account_id": 1},
                 {"id": 12, "account_id": 2}],
    "devices": [{"id": 100, "account_id": 1, "uuid": "u-ana"},
                {"id": 101, "account_id": 2, "uuid": "u-ben"}],
    "sessions": [
        {"id": 1000, "child_id": 10, "device_id": 100},  # reached both ways
        {"id": 1001, "child_id": 11, "device_id": None},
        {"id": 1002, "child_id": None, "device_id": 100},
        {"id": 1003, "child_id": 12, "device_id": 101},  # Ben's
        {"id": 1004, "child_id": None, "device_id": None},  # nobody's
    ],
    "events": [
        {"id": 5000 + n, "session_id": session, "body": f"event {n}"}
        for n, session in enumerate([1000, 1000, 1001, 1002, 1002, 1002, 1003, 1003, 1004])
    ],
}  # fmt: skip
ANAS = {"accounts": {1}, "children": {10, 11}, "devices": {100},
        "sessions": {1000, 1001, 1002}, "events": {5000, 5001, 5002, 5003, 5004, 5005}}  # fmt: skip


def _create(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(accounts), ROWS["accounts"])
        for name in ("children", "devices", "sessions", "events"):
            conn.execute(insert(metadata.tables[name]), ROWS[name])
        for account, child in ((1, 10), (2, 12)):
            conn.execute(
                accounts.update().where(accounts.c.id == account).values(primary_child_id=child)
            )


BACKENDS = ["sqlite", *(["postgresql"] if __import__("os").environ.get(POSTGRES) else [])]


@pytest.fixture(params=BACKENDS)
def family_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with company_database(
        _create, postgresql=request.param == "postgresql", directory=tmp_path, name="family"
    ) as url:
        monkeypatch.setenv(URL_VARIABLE, url)
        yield url


def _declaration(
    write_declaration: Callable[..., Path], url: str, *, held_events: bool = False
) -> Declaration:
    def ref(collection: str) -> dict[str, Any]:
        return {"references": {"collection": collection, "field": "id"}}

    def family(data: dict[str, Any]) -> None:
        data["datastores"] = {"app": {"url": {"$env": URL_VARIABLE}, "collections": {
            "accounts": {"erasure": "delete_row", "fields": {
                "id": {"primary_key": True},
                "email": {"identity": "email", "categories": ["user.contact.email"]},
                "primary_child_id": {**ref("children"), "erasure": "nullify"}}},
            "children": {"erasure": "delete_row",
                         "fields": {"id": {"primary_key": True}, "account_id": ref("accounts")}},
            "devices": {"erasure": "delete_row", "fields": {
                "id": {"primary_key": True}, "account_id": ref("accounts"),
                "uuid": {"identity": "device_id",
                         "categories": ["user.unique_id.pseudonymous"]}}},
            "sessions": {"erasure": "delete_row", "fields": {
                "id": {"primary_key": True}, "child_id": ref("children"),
                "device_id": ref("devices")}},
            "events": {"erasure": "delete_row", "fields": {
                "id": {"primary_key": True}, "session_id": ref("sessions"),
                "body": {"categories": ["user.behavior.activity"]}}},
        }}}  # fmt: skip
        if held_events:
            collections = data["datastores"]["app"]["collections"]
            collections["events"]["fields"]["held_since"] = {"erasure": "keep"}
            collections["events"]["legal_hold"] = {
                "reason": {"fr": "Preuve d'un litige.", "en": "Evidence in a dispute."},
                "duration": "5 years", "anchor": "held_since",
            }  # fmt: skip

    return load(write_declaration(family, name="family.yaml"))


def _contents(url: str) -> dict[str, dict[int, tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: {row[0]: tuple(row) for row in conn.execute(select(table))}
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("batch_size", [2, 500])
def test_sessions_and_their_events_go_without_being_read(
    write_declaration: Callable[..., Path], family_url: str, batch_size: int
) -> None:
    """Ana's sessions (from her children and her device) and their events are deleted by
    description: no SELECT of either, one DELETE each when the values fit one statement,
    several when they do not; Ben's rows and nobody's are byte for byte as they were."""
    declaration = _declaration(write_declaration, family_url)
    before = _contents(family_url)
    connector = SqlConnector(family_url, name="app")
    statements: list[str] = []
    event.listen(
        connector.engine, "before_cursor_execute",
        lambda _conn, _cursor, statement, *_rest: statements.append(" ".join(statement.split())),
    )  # fmt: skip
    try:
        report = erase_person(
            declaration, {"app": connector}, {"email": ["ana@example.com"]}, STRATEGIES,
            now=NOW, batch_size=batch_size,
        )  # fmt: skip
    finally:
        connector.close()
    after = _contents(family_url)
    for name, rows in before.items():
        assert set(after[name]) == set(rows) - ANAS[name], name
        assert {k: v for k, v in rows.items() if k not in ANAS[name]} == after[name], name
    counts = {c.collection: c.deleted for c in report.collections}
    assert counts["events"] == 6 and counts["sessions"] == 3
    reads = [s for s in statements if s.startswith("SELECT")]
    assert not [s for s in reads if "FROM sessions" in s or "FROM events" in s], reads
    on_events = [s for s in statements if s.startswith("DELETE FROM events")]
    on_sessions = [s for s in statements if s.startswith("DELETE FROM sessions")]
    if batch_size == 500:
        assert len(on_events) == 1 and len(on_sessions) == 1
    else:  # 2 children and 1 device: three lists of at most two values
        assert len(on_events) > 1 and len(on_sessions) > 1


def test_what_a_kept_row_may_point_at_is_read_again(
    write_declaration: Callable[..., Path], tmp_path: Path
) -> None:
    """Deleting without reading is for chains where every row goes: once events are under
    a legal hold, a kept event pins its session, so events and sessions are read and
    decided row by row; children, devices and accounts never qualify (an edge leaves them
    to collections that are read, or they hold an identity, or they are in the cycle)."""
    url = f"sqlite:///{tmp_path / 'unused.db'}"
    plain = _declaration(write_declaration, url)
    held = _declaration(write_declaration, url, held_events=True)
    assert _deletable_unread(plain, "app", erasure_order(plain, "app")) == {
        ("app", "sessions"), ("app", "events"),
    }  # fmt: skip
    assert _deletable_unread(held, "app", erasure_order(held, "app")) == set()
