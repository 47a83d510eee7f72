"""Building a demo: the same seed gives the same database, and bad input writes nothing.

Determinism is checked on a digest of every row (``content_digest``): twice
the same seed gives the same digest, on SQLite and PostgreSQL alike; another
seed gives another; the known person's rows do not depend on the seed.
Refusals (a declaration already there, a database with tables, an unknown
company, a URL that is not SQLite or PostgreSQL or cannot be reached) leave
the directory and the database as they were.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from demo_helpers import BACKENDS, datastore, person_rows, postgres_schema
from sqlalchemy import create_engine, text

from gardien.demo import COMPANIES, DemoResult, build, content_digest, discard, fill
from gardien.errors import DemoError


def _digest(result: DemoResult) -> str:
    engine = create_engine(result.database_url)
    try:
        with engine.connect() as connection:
            return content_digest(connection, result.company.metadata)
    finally:
        engine.dispose()


def _known_counts(result: DemoResult) -> dict[str, int]:
    engine = create_engine(result.database_url)
    try:
        with engine.connect() as connection:
            rows = person_rows(
                connection,
                result.company.metadata,
                datastore(result.company.name),
                result.identities,
            )
    finally:
        engine.dispose()
    return {name: len(ids) for name, ids in rows.items()}


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.mark.parametrize("company", list(COMPANIES))
def test_the_same_seed_gives_the_same_rows(tmp_path: Path, company: str) -> None:
    first = build(tmp_path / "a", company, people=80, seed=11)
    second = build(tmp_path / "b", company, people=80, seed=11)
    other = build(tmp_path / "c", company, people=80, seed=12)
    assert _digest(first) == _digest(second)
    assert _digest(first) != _digest(other)
    assert first.report.counts == second.report.counts


_DIGESTS = """
import sys, tempfile
from pathlib import Path
from sqlalchemy import create_engine
from gardien.demo import COMPANIES, content_digest, fill
for name, company in COMPANIES.items():
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'company.db'}"
    fill(url, name, people=60, seed=4)
    engine = create_engine(url)
    with engine.connect() as connection:
        print(name, content_digest(connection, company.metadata))
    engine.dispose()
"""


def test_the_rows_do_not_depend_on_the_process() -> None:
    """Set iteration order changes with each process's hash seed: no row may depend on it."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", _DIGESTS],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            check=True,
            timeout=300,
        ).stdout
        for hash_seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert len(runs[0].splitlines()) == len(COMPANIES)


@pytest.mark.parametrize("company", list(COMPANIES))
def test_the_known_person_is_the_same_for_every_seed(tmp_path: Path, company: str) -> None:
    one = build(tmp_path / "a", company, people=40, seed=1)
    two = build(tmp_path / "b", company, people=60, seed=99)
    counts = _known_counts(one)
    assert counts == _known_counts(two)
    assert one.identities == two.identities == COMPANIES[company].known.identities


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="needs GARDIEN_TEST_POSTGRES_URL")
@pytest.mark.parametrize("company", list(COMPANIES))
def test_sqlite_and_postgresql_hold_the_same_rows(tmp_path: Path, company: str) -> None:
    on_sqlite = build(tmp_path / "s", company, people=60, seed=5)
    with postgres_schema() as url:
        on_postgresql = build(tmp_path / "p", company, people=60, seed=5, url=url)
        assert _digest(on_sqlite) == _digest(on_postgresql)
        # The declaration never holds the password: it reads the URL from the environment.
        assert on_postgresql.environment == {"DEMO_DATABASE_URL": url}
        assert "url: {$env: DEMO_DATABASE_URL}" in on_postgresql.declaration.read_text()


def test_the_known_person_can_be_given_many_rows(empty_database: str) -> None:
    report = fill(empty_database, "amikeo", people=20, seed=3, known_person_rows=2_000)
    assert report.counts["activity_events"] >= 2_000


def test_postgresql_ids_continue_after_the_load(empty_database: str) -> None:
    fill(empty_database, "komin", people=10)
    engine = create_engine(empty_database)
    try:
        with engine.begin() as connection:
            before = connection.execute(text("SELECT max(id) FROM workspaces")).scalar_one()
            connection.execute(
                text("INSERT INTO workspaces (owner_id, title, created_at) VALUES (1, 'x', :now)"),
                {"now": "2025-07-01 00:00:00"},
            )
            after = connection.execute(text("SELECT max(id) FROM workspaces")).scalar_one()
    finally:
        engine.dispose()
    assert after == before + 1


# Refusals: nothing written ---------------------------------------------------------


def test_an_existing_declaration_is_never_overwritten(tmp_path: Path) -> None:
    directory = tmp_path / "demo"
    directory.mkdir()
    (directory / "privacy.yaml").write_text("controller: {}\n")
    with pytest.raises(DemoError, match="already exists"):
        build(directory, "komin", people=5)
    assert _files(directory) == ["privacy.yaml"]
    assert (directory / "privacy.yaml").read_text() == "controller: {}\n"


def test_a_sqlite_database_with_tables_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "company.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    before = database.read_bytes()
    with pytest.raises(DemoError, match="not empty"):
        build(tmp_path / "demo", "viky", people=5, url=f"sqlite:///{database}")
    assert not (tmp_path / "demo").exists()
    assert database.read_bytes() == before


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="needs GARDIEN_TEST_POSTGRES_URL")
def test_a_postgresql_database_with_tables_is_refused(tmp_path: Path) -> None:
    with postgres_schema() as url:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE orders (id integer PRIMARY KEY)"))
        with pytest.raises(DemoError, match="not empty"):
            build(tmp_path / "demo", "viky", people=5, url=url)
        with engine.connect() as connection:
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
            assert list(tables) == ["orders"]
        engine.dispose()
    assert not (tmp_path / "demo").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not valid"),
        ("mysql+pymysql://demo@localhost/company", "SQLite or PostgreSQL"),
        ("postgresql+psycopg://demo@127.0.0.1:1/company", "cannot reach"),
        ("sqlite:///no/such/directory/company.db", "does not exist"),
        ("sqlite://", "is a file"),
        ("sqlite:///:memory:", "is a file"),
    ],
)
def test_a_bad_url_is_refused_before_anything_is_written(
    tmp_path: Path, url: str, message: str
) -> None:
    with pytest.raises(DemoError, match=message):
        build(tmp_path / "demo", "komin", people=5, url=url)
    assert not (tmp_path / "demo").exists()


def test_an_unknown_company_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="choose one of viky, ai-feedback, amikeo"):
        build(tmp_path / "demo", "acme", people=5)
    assert not (tmp_path / "demo").exists()


def test_a_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> tuple[str, dict[str, str]]:
        raise DemoError("the example cannot be read")

    monkeypatch.setattr("gardien.demo.builder.declaration_text", broken)
    with pytest.raises(DemoError, match="cannot be read"):
        build(tmp_path / "demo", "activeviam", people=20)
    assert not (tmp_path / "demo").exists()


def test_discard_removes_the_database_and_the_declaration(
    empty_database: str, tmp_path: Path
) -> None:
    result = build(tmp_path / "demo", "ai-feedback", people=20, url=empty_database)
    discard(result)
    assert not result.declaration.exists()
    fill(empty_database, "ai-feedback", people=5)  # empty again: a new fill is accepted
