"""Retention with the shapes real policies declare: an event of the company's own, data
kept without limit, and ``until`` with ``duration`` ("whichever comes first"), swept on
SQLite and PostgreSQL like any other rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    text,
)

import crm
from company_databases import company_database
from gardien.connectors.base import DueWhere
from gardien.connectors.memory import MemoryConnector
from gardien.declaration import Declaration, load_valid, validate
from gardien.retention import sweeps
from gardien.store import Store
from gardien.vault import Vault
from retention_sweeper import DONE, Sweeper, tables

REASON = {
    "fr": "ces journaux forment la preuve de l'historique des connexions",
    "en": "these logs are the record of past sign-ins",
}


def _session_event(data: dict[str, Any]) -> None:
    data["retention_events"] = {
        "session_closed": {"label": {"fr": "la fin de la session", "en": "the session ends"}}
    }


def test_a_rule_kept_without_limit_is_never_swept(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str
) -> None:
    def indefinitely(data: dict[str, Any]) -> None:
        data["retention"]["logs"] = {"indefinitely": REASON}

    declared = write_crm(indefinitely)
    assert not [s for s in sweeps(declared) if s.rule_id == "logs"]
    before = tables(crm_url)
    assert sweeper.run(declared) == DONE
    after = tables(crm_url)
    # Login 30 is more than a year old: under `logs: 1 year` it went; kept without limit,
    # it stays, and the notes bound to the same rule are not anonymised.
    assert after["logins"][30] == before["logins"][30]
    assert after["notes"] == before["notes"]


def test_a_company_event_runs_from_the_anchor_that_records_it(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str
) -> None:
    """``until: session_closed`` bound to the column recording when it happened: every row
    whose session has ended is due at once, like a built-in ``until`` event."""

    def until_closed(data: dict[str, Any]) -> None:
        _session_event(data)
        data["retention"]["logs"] = {"until": "session_closed"}

    declared = write_crm(until_closed)
    assert sweeper.run(declared) == DONE
    after = tables(crm_url)
    assert {30, 31, 32} & set(after["logins"]) == set()


def test_until_with_a_duration_enforces_the_duration_from_the_anchor(
    write_crm: Callable[..., Declaration], sweeper: Sweeper, crm_url: str
) -> None:
    """ "Until the session ends, for no longer than 1 year after collection": the year is
    counted from the binding's anchor (login 30, a year and a second old, goes; 31 stays).
    The event's own date is not read by the sweep (docs/declaration.md says so)."""

    def whichever_first(data: dict[str, Any]) -> None:
        _session_event(data)
        data["retention"]["logs"] = {
            "until": "session_closed",
            "duration": "1 year",
            "after": "collection",
        }

    declared = write_crm(whichever_first)
    assert sweeper.run(declared) == DONE
    after = tables(crm_url)
    assert 30 not in after["logins"] and 31 in after["logins"]


# Whichever comes first: `until_anchor` --------------------------------------------------

_metadata = MetaData()
_reviews = Table(
    "reviews", _metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(100)),
    Column("body", String(200)),
    Column("published_at", DateTime, nullable=False),
    Column("withdrawn_at", DateTime, nullable=True),
)  # fmt: skip
SECOND = dt.timedelta(seconds=1)
_ROWS = [
    # Published a year and a second ago, never withdrawn: its year is over.
    {"id": 1, "published_at": crm.ago(years=1) - SECOND, "withdrawn_at": None},
    # Published a year less a second ago, never withdrawn: it stays.
    {"id": 2, "published_at": crm.ago(years=1) + SECOND, "withdrawn_at": None},
    # Published a month ago, withdrawn yesterday: the withdrawal came first.
    {"id": 3, "published_at": crm.ago(days=30), "withdrawn_at": crm.ago(days=1)},
    # Published a month ago, withdrawal recorded for tomorrow (scheduled): not yet.
    {"id": 4, "published_at": crm.ago(days=30), "withdrawn_at": crm.ago(days=-1)},
]


def _create_reviews(engine: Engine) -> None:
    _metadata.create_all(engine)
    _insert(engine, _reviews, _ROWS)


def _insert(engine: Engine, table: Table, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for row in rows:
            conn.execute(table.insert().values(email=f"p{row['id']}@example.com", body="ok", **row))


def _on_backend(
    store: Store, tmp_path: Path, create: Callable[[Engine], None], name: str
) -> Iterator[str]:
    """The company database ``create`` fills, on the backend of the store under test."""
    postgresql = store.engine.dialect.name == "postgresql"
    with company_database(create, postgresql=postgresql, directory=tmp_path, name=name) as url:
        yield url


@pytest.fixture
def reviews_url(store: Store, tmp_path: Path) -> Iterator[str]:
    yield from _on_backend(store, tmp_path, _create_reviews, "reviews")


def _with_reviews(until_anchor: str | None) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        _session_event(data)
        data["retention_events"]["review_withdrawn"] = {
            "label": {"fr": "le retrait de l'avis", "en": "the review is withdrawn"}
        }
        data["retention"]["logs"] = {
            "until": "review_withdrawn", "duration": "1 year", "after": "collection",
        }  # fmt: skip
        binding: dict[str, Any] = {"rule": "logs", "anchor": "published_at"}
        if until_anchor is not None:
            binding["until_anchor"] = until_anchor
        data["datastores"] = {
            "site": {
                "url": {"$env": crm.URL_VARIABLE},
                "collections": {
                    "reviews": {
                        "retention": binding,
                        "fields": {
                            "id": {"primary_key": True},
                            "email": {"categories": ["user.contact.email"], "identity": "email"},
                            "body": {"categories": ["user.name"]},
                            "published_at": {},
                            "withdrawn_at": {},
                        },
                    }
                },
            }
        }

    return mutate


def _keys(url: str) -> set[int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(text("SELECT id FROM reviews"))}
    finally:
        engine.dispose()


def test_until_anchor_makes_a_row_due_at_whichever_comes_first(
    write_declaration: Callable[..., Path],
    store: Store,
    vault: Vault,
    reviews_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(crm.URL_VARIABLE, reviews_url)
    declared = load_valid(write_declaration(_with_reviews("withdrawn_at"), name="site.yaml"))
    assert Sweeper(store, vault, reviews_url).run(declared) == DONE
    assert _keys(reviews_url) == {2, 4}


def test_without_until_anchor_only_the_duration_is_enforced(
    write_declaration: Callable[..., Path],
    store: Store,
    vault: Vault,
    reviews_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(crm.URL_VARIABLE, reviews_url)
    declared = load_valid(write_declaration(_with_reviews(None), name="site.yaml"))
    assert Sweeper(store, vault, reviews_url).run(declared) == DONE
    assert _keys(reviews_url) == {2, 3, 4}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["datastores"]["site"]["collections"]["reviews"]["retention"].update(
                until_anchor="withdrawn_on"
            ),
            "until_anchor 'withdrawn_on' is not a declared field",
        ),
        (
            lambda d: d["retention"]["logs"].pop("duration"),
            "until_anchor is for a rule with both `until` and `duration`",
        ),
    ],
)
def test_a_wrong_until_anchor_is_refused(
    write_declaration: Callable[..., Path],
    change: Callable[[dict[str, Any]], None],
    expected: str,
) -> None:
    def mutate(data: dict[str, Any]) -> None:
        _with_reviews("withdrawn_at")(data)
        change(data)

    report = validate(write_declaration(mutate, name="site.yaml"))
    assert any(expected in p.message for p in report.errors), [str(p) for p in report.errors]


# Whichever comes first, then an archive phase --------------------------------------------

_archive = Table(
    "reviews_archive", _metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(100)),
    Column("body", String(200)),
    Column("published_at", DateTime, nullable=False),
    Column("withdrawn_at", DateTime, nullable=True),
)  # fmt: skip
_ARCHIVED = [
    # Withdrawn two years and a second ago: its archive year is over.
    {
        "id": 10,
        "published_at": crm.ago(years=2, days=30),
        "withdrawn_at": crm.ago(years=2) - SECOND,
    },
    # Withdrawn two years less a second ago: still archived.
    {
        "id": 11,
        "published_at": crm.ago(years=2, days=30),
        "withdrawn_at": crm.ago(years=2) + SECOND,
    },
    # Never withdrawn, published three years and a second ago: its year, then two archived.
    {"id": 12, "published_at": crm.ago(years=3) - SECOND, "withdrawn_at": None},
    # Never withdrawn, published three years less a second ago: still archived.
    {"id": 13, "published_at": crm.ago(years=3) + SECOND, "withdrawn_at": None},
]


def _create_reviews_and_archive(engine: Engine) -> None:
    _create_reviews(engine)
    _insert(engine, _archive, _ARCHIVED)


@pytest.fixture
def archived_url(store: Store, tmp_path: Path) -> Iterator[str]:
    yield from _on_backend(store, tmp_path, _create_reviews_and_archive, "archived")


def _with_archive(data: dict[str, Any]) -> None:
    _with_reviews("withdrawn_at")(data)
    data["retention"]["logs"]["archive"] = {
        "duration": "2 years",
        "reason": {"fr": "la prescription des actions", "en": "the limitation period"},
    }
    collections = data["datastores"]["site"]["collections"]
    collections["reviews"]["retention"]["archive"] = {"collection": "reviews_archive"}
    collections["reviews_archive"] = {"fields": dict(collections["reviews"]["fields"])}


def _keys_of(url: str, table: str) -> set[int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(text(f"SELECT id FROM {table}"))}
    finally:
        engine.dispose()


def test_with_an_archive_the_row_moves_at_whichever_comes_first_and_leaves_after_its_period(
    write_declaration: Callable[..., Path],
    store: Store,
    vault: Vault,
    archived_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Until the review is withdrawn, for no longer than a year; then two years archived":
    reviews 1 (its year over) and 3 (withdrawn) move to the archive, 2 and 4 stay; in the
    archive, 10 (withdrawn two years and a second ago) and 12 (published three years and a
    second ago, never withdrawn) go, 11 and 13 stay."""
    monkeypatch.setenv(crm.URL_VARIABLE, archived_url)
    report = validate(write_declaration(_with_archive, name="site.yaml"))
    assert not report.errors, [str(p) for p in report.errors]
    declared = load_valid(write_declaration(_with_archive, name="site.yaml"))
    assert Sweeper(store, vault, archived_url).run(declared) == DONE
    assert _keys_of(archived_url, "reviews") == {2, 4}
    assert _keys_of(archived_url, "reviews_archive") == {1, 3, 11, 13}


def test_the_memory_connector_reads_whichever_comes_first_the_same_way() -> None:
    """The in-memory connector (tests, plugins' reference) counts and deletes the rows
    the SQL connector does for the same ``DueWhere``."""
    connector = MemoryConnector({"reviews": [dict(r) for r in _ROWS]})
    now = crm.NOW.replace(tzinfo=None)
    due = DueWhere("published_at", crm.ago(years=1), ended="withdrawn_at", ended_before=now)
    without = DueWhere("published_at", crm.ago(years=1))
    with connector.transaction() as writer:
        assert writer.count_due("reviews", due, due).due == 2
        assert writer.count_due("reviews", without, without).due == 1
        assert writer.due_keys("reviews", "id", due, None, 10) == [1, 3]
        writer.delete_due("reviews", "id", due, None, 10)
    assert {r["id"] for r in connector.tables["reviews"]} == {2, 4}
