"""PostgreSQL's pool: dead connections are replaced at checkout, busy ones are not pinged."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from gardien.store import Store
from gardien.store import engine as store_engine


@pytest.fixture
def pg(store: Store) -> Engine:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the checkout policy is PostgreSQL's; SQLite has no server to lose")
    return store.engine


@pytest.fixture
def admin(pg: Engine) -> Iterator[Engine]:
    other = create_engine(pg.url)
    yield other
    other.dispose()


@pytest.fixture
def pings(pg: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every ping the pool makes, by the backend pid it pinged."""
    made: list[int] = []
    original = pg.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        made.append(dbapi_connection.info.backend_pid)
        return bool(original(dbapi_connection))

    monkeypatch.setattr(pg.dialect, "do_ping", counted)
    return made


def backend_pid(engine: Engine) -> int:
    with engine.begin() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(admin: Engine, pid: int) -> None:
    with admin.begin() as conn:
        # The timeout makes the call wait until the backend has exited.
        assert conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar()


def test_a_connection_used_moments_ago_is_not_pinged(pg: Engine, pings: list[int]) -> None:
    first = backend_pid(pg)
    for _ in range(20):
        assert backend_pid(pg) == first
    assert pings == []


def test_a_connection_idle_longer_than_the_window_is_pinged(
    pg: Engine, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "PING_AFTER_IDLE_SECONDS", 0.05)
    first = backend_pid(pg)
    time.sleep(0.1)
    assert backend_pid(pg) == first
    assert pings == [first]


def test_a_connection_the_server_ended_is_replaced_without_an_error(
    pg: Engine, admin: Engine, pings: list[int]
) -> None:
    # Ended just after being returned to the pool: inside the window, so no ping.
    first = backend_pid(pg)
    terminate(admin, first)
    second = backend_pid(pg)
    assert second != first
    assert pings == []


def test_a_connection_whose_ping_fails_is_replaced(
    pg: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "PING_AFTER_IDLE_SECONDS", 0.0)
    first = backend_pid(pg)
    original = pg.dialect.do_ping

    def fail_once(dbapi_connection: Any) -> bool:
        monkeypatch.setattr(pg.dialect, "do_ping", original)
        raise pg.dialect.loaded_dbapi.OperationalError("server closed the connection")

    monkeypatch.setattr(pg.dialect, "do_ping", fail_once)
    time.sleep(0.01)
    assert backend_pid(pg) != first


def test_a_connection_lost_without_a_sign_fails_one_transaction_then_the_pool_recovers(
    pg: Engine, admin: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What no check at checkout can see (a peer gone silent): the statement fails,
    # SQLAlchemy recognises a disconnect and replaces the pool's older connections.
    monkeypatch.setattr(store_engine, "_readable", lambda _connection: False)
    first = backend_pid(pg)
    terminate(admin, first)
    with pytest.raises(OperationalError) as failed, pg.begin() as conn:
        conn.execute(text("SELECT 1"))
    assert failed.value.connection_invalidated
    assert backend_pid(pg) != first
