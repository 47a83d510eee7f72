"""The store: migrations on both backends, declarations recorded under their version."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from actors import ACTOR
from gardien.declaration import declaration_version, load
from gardien.settings import Settings
from gardien.store import (
    Store,
    StoreError,
    apply_declaration,
    current_declaration,
    open_store,
    upgrade,
)
from gardien.vault import MasterKey, Vault

#: Each database of a store: its migrations' folder and the table Alembic keeps its revision in.
DATABASES = {"main": "alembic_version", "keystore": "keystore_version"}


def test_migrations_create_the_tables(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"declarations", "api_keys", "alembic_version"} <= tables


def _head(environment: str) -> set[str]:
    location = resources.files("gardien.store").joinpath("migrations", environment)
    return set(ScriptDirectory(str(location)).get_heads())


def _contents(engine: Engine) -> dict[str, Any]:
    """Every table of one database: its columns, its indexes and all its rows."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        return {
            name: (
                [column["name"] for column in inspector.get_columns(name)],
                sorted(index["name"] or "" for index in inspector.get_indexes(name)),
                sorted(
                    (tuple(row) for row in conn.execute(text(f'SELECT * FROM "{name}"'))),
                    key=repr,
                ),
            )
            for name in sorted(inspector.get_table_names())
        }


def test_upgrade_twice_is_harmless(store: Store, write_declaration: Callable[..., Path]) -> None:
    """Upgrading a store already at the newest revision (every `gardien serve` start does)
    leaves both databases at that revision, their schema as it was, and every row kept."""
    record = apply_declaration(store, load(write_declaration()), "privacy.yaml", actor=ACTOR)
    vault = Vault(store, MasterKey.generate())
    with store.engine.begin() as conn:
        subject = vault.register(conn, {"email": "alice@example.com"}, {"plan": "pro"}, actor=ACTOR)
    before = {"main": _contents(store.engine), "keystore": _contents(store.keystore)}
    assert before["main"]["declarations"][2] and before["keystore"]["data_keys"][2]

    upgrade(store)
    upgrade(store)

    after = {"main": _contents(store.engine), "keystore": _contents(store.keystore)}
    for environment, version_table in DATABASES.items():
        revisions = {row[0] for row in after[environment][version_table][2]}
        assert revisions == _head(environment), f"{environment} is not at its newest revision"
    assert after == before
    assert current_declaration(store) == record
    with store.engine.connect() as conn:
        assert vault.read(conn, subject.subject_id, actor=ACTOR).attributes == {"plan": "pro"}


def test_declaration_recorded_once_per_version(
    store: Store, write_declaration: Callable[..., Path]
) -> None:
    first = load(write_declaration())
    record = apply_declaration(store, first, "privacy.yaml", actor=ACTOR)
    assert record.version == declaration_version(first)
    assert apply_declaration(store, first, "privacy.yaml", actor=ACTOR) == record
    changed = load(write_declaration(lambda d: d["cookies"]["session"].update(lifetime="20 days")))
    second = apply_declaration(store, changed, "privacy.yaml", actor=ACTOR)
    assert second.version != record.version
    current = current_declaration(store)
    assert current is not None and current.version == second.version
    assert current.applied_at.tzinfo is not None


def test_version_ignores_key_order(write_declaration: Callable[..., Path]) -> None:
    def reorder(d: dict) -> None:  # type: ignore[type-arg]
        d["purposes"] = dict(reversed(list(d["purposes"].items())))

    assert declaration_version(load(write_declaration())) == declaration_version(
        load(write_declaration(reorder, name="other.yaml"))
    )


def test_unreachable_database_is_one_clear_error(tmp_path: Path) -> None:
    settings = Settings(
        config=tmp_path / "privacy.yaml",
        database_url="postgresql+psycopg://nobody:x@127.0.0.1:1/none",
    )
    with pytest.raises(StoreError, match="cannot open the database at postgresql"):
        upgrade(open_store(settings))


def test_unsupported_backend(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not supported: use SQLite or PostgreSQL"):
        open_store(Settings(config=tmp_path / "p.yaml", database_url="mysql://x@y/z"))


def test_password_is_hidden_in_errors(tmp_path: Path) -> None:
    settings = Settings(
        config=tmp_path / "privacy.yaml",
        database_url="postgresql+psycopg://nobody:hunter2@127.0.0.1:1/none",
    )
    with pytest.raises(StoreError) as caught:
        upgrade(open_store(settings))
    assert "hunter2" not in str(caught.value)


def test_stored_declaration_reads_back_the_version_in_force(
    store: Store, write_declaration: Callable[..., Path]
) -> None:
    from gardien.store import stored_declaration

    declaration = load(
        write_declaration(
            lambda d: d.update(datastores={"crm": {"url": {"$env": "CRM_URL"}, "collections": {}}})
        )
    )
    record = apply_declaration(store, declaration, "privacy.yaml", actor=ACTOR)
    with store.engine.connect() as conn:
        assert stored_declaration(conn, record.version) == declaration
        assert stored_declaration(conn, "f" * 64) is None


def test_sqlite_writers_in_threads_all_commit_and_a_failed_transaction_frees_the_lock(
    tmp_path: Path,
) -> None:
    import threading

    from sqlalchemy import text

    from gardien.store import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))

    def failing_transaction() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (-1)"))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        failing_transaction()

    def write(n: int) -> None:
        for i in range(25):
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": n * 100 + i})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 200
    engine.dispose()


def test_relaxed_durability_only_for_the_transaction_that_asks(store: Store) -> None:
    from sqlalchemy import text

    from gardien.store import relax_durability

    if store.engine.dialect.name != "postgresql":
        with store.engine.begin() as conn:
            relax_durability(conn)  # a no-op: SQLite's WAL mode already commits this way
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1  # NORMAL
        return
    with store.engine.begin() as conn:
        relax_durability(conn)
        assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
    with store.engine.begin() as conn:
        assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "on"


def test_relaxed_durability_keeps_the_transaction_whole(store: Store) -> None:
    from sqlalchemy import text

    from gardien.store import relax_durability

    if store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's durability is per connection")
    show = text("SHOW synchronous_commit")
    with store.engine.begin() as conn:
        conn.execute(text("CREATE TABLE relaxed (n integer)"))
    # Relaxed first thing (BEGIN and SET in one round trip): commits and rolls back.
    with store.engine.begin() as conn:
        relax_durability(conn)
        conn.execute(text("INSERT INTO relaxed VALUES (1)"))

    def failing() -> None:
        with store.engine.begin() as conn:
            relax_durability(conn)
            conn.execute(text("INSERT INTO relaxed VALUES (2)"))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        failing()
    # Relaxed after a statement, and under an isolation level of the transaction's own.
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO relaxed VALUES (3)"))
        relax_durability(conn)
        assert conn.execute(show).scalar_one() == "off"
    # Relaxed before SQLAlchemy begins (a plain connect): it begins on SET LOCAL.
    with store.engine.connect() as conn:
        relax_durability(conn)
        conn.execute(text("INSERT INTO relaxed VALUES (4)"))
        assert conn.execute(show).scalar_one() == "off"
        conn.commit()
    serializable = store.engine.execution_options(isolation_level="SERIALIZABLE")
    with serializable.begin() as conn:
        relax_durability(conn)
        assert conn.execute(show).scalar_one() == "off"
        assert conn.execute(text("SHOW transaction_isolation")).scalar_one() == "serializable"
    with store.engine.begin() as conn:
        assert conn.execute(show).scalar_one() == "on"
        assert conn.execute(text("SHOW transaction_isolation")).scalar_one() == "read committed"
        assert conn.execute(text("SELECT n FROM relaxed ORDER BY n")).scalars().all() == [1, 3, 4]
        conn.execute(text("DROP TABLE relaxed"))


def test_relaxing_a_lost_connection_fails_through_sqlalchemy(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from gardien.store import engine as store_engine
    from gardien.store import relax_durability

    if store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with store.engine.begin() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = create_engine(store.engine.url)
    with admin.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
    admin.dispose()
    monkeypatch.setattr(store_engine, "_readable", lambda _connection: False)
    with pytest.raises(OperationalError) as failed, store.engine.begin() as conn:
        relax_durability(conn)
    assert failed.value.connection_invalidated
    with store.engine.begin() as conn:
        relax_durability(conn)
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
