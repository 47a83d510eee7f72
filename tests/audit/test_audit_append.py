"""Appending entries: typed events, the chain, refusals of personal values, pages, export."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import pytest
from audit_helpers import VERSION
from sqlalchemy import func, insert, select

from gardien.audit import (
    EVENT_TYPES,
    GENESIS_HASH,
    AuditEntry,
    AuditError,
    AuditEvent,
    ProcessingChecked,
    SubjectCreated,
    SubjectErased,
    append,
    audit_log,
    canonical_json,
    entries,
    event_record,
    export_jsonl,
)
from gardien.store import Store


def test_entries_are_chained_and_numbered(
    store: Store, fill: Callable[[int], list[AuditEntry]]
) -> None:
    written = fill(5)
    assert [e.seq for e in written] == [1, 2, 3, 4, 5]
    assert written[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(written):
        assert after.prev_hash == before.hash
    with store.engine.connect() as conn:
        read = entries(conn, limit=10)
    assert read == written


def test_hash_is_sha256_of_canonical_json(store: Store) -> None:
    at = dt.datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
    with store.engine.begin() as conn:
        entry = append(
            conn,
            SubjectCreated(subject_blind_id="s_1", subject_type="customer"),
            actor="cli:dpo",
            role="admin",
            declaration_version=None,
            now=at,
        )
    expected = {
        "action": "subject.create",
        "actor": "cli:dpo",
        "at": "2025-03-01T12:00:00.123456+00:00",
        "declaration_version": None,
        "details": {"subject_type": "customer"},
        "prev_hash": GENESIS_HASH,
        "purpose": None,
        "role": "admin",
        "subject_blind_id": "s_1",
    }
    blob = json.dumps(expected, sort_keys=True, separators=(",", ":")).encode()
    assert canonical_json(expected) == blob
    assert entry.hash == hashlib.sha256(blob).hexdigest()


def test_entry_rolls_back_with_the_change(store: Store) -> None:
    def change_then_fail() -> None:
        with store.engine.begin() as conn:
            append(
                conn,
                SubjectErased(subject_blind_id="s_1"),
                actor="gk_x",
                role="admin",
                declaration_version=VERSION,
            )
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_then_fail()
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 0
        # The next entry takes seq 1: no gap left by the rolled-back one.
        entry = append(
            conn,
            SubjectErased(subject_blind_id="s_1"),
            actor="gk_x",
            role="admin",
            declaration_version=VERSION,
        )
        conn.commit()
    assert entry.seq == 1


def test_checks_carry_their_explanation(store: Store) -> None:
    event = ProcessingChecked(
        subject_blind_id="s_9",
        purpose="newsletter",
        allowed=False,
        rule="consent.required",
        reason="consent withdrawn on 2025-01-02",
    )
    with store.engine.begin() as conn:
        entry = append(conn, event, actor="gk_x", role="product", declaration_version=VERSION)
    assert entry.action == "check"
    assert entry.details == {
        "allowed": False,
        "rule": "consent.required",
        "reason": "consent withdrawn on 2025-01-02",
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("jean.dupont@example.fr", "contains '@'"),
        ("+33 6 12 34 56 78", "long run of digits"),
        ("4111111111111111", "long run of digits"),
        ("FR76 3000 6000 0112 3456 7890 189", "long run of digits"),
        ("x" * 201, "keep at most 200"),
    ],
)
def test_personal_looking_details_are_refused(store: Store, value: str, message: str) -> None:
    event = ProcessingChecked(
        subject_blind_id="s_1", purpose="p", allowed=True, rule="r", reason=value
    )
    with pytest.raises(AuditError, match=message), store.engine.begin() as conn:
        append(conn, event, actor="gk_x", role="admin", declaration_version=VERSION)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 0


@pytest.mark.parametrize(
    "value", ["2025-01-02", "2025-01-02T10:00:00+00:00", VERSION, "order 42", "gk_1a2b"]
)
def test_dates_hashes_and_small_numbers_are_allowed(value: str) -> None:
    event = ProcessingChecked(
        subject_blind_id="s_1", purpose="p", allowed=True, rule="r", reason=value
    )
    assert event_record(event).details["reason"] == value


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("jean@example.fr", "looks personal"),
        ("0612345678", "looks personal"),
        ("has space", "not an identifier"),
    ],
)
def test_subject_must_be_a_blind_id(subject: str, message: str) -> None:
    with pytest.raises(AuditError, match=message):
        event_record(SubjectErased(subject_blind_id=subject))


def test_actor_must_not_be_an_email(store: Store) -> None:
    with pytest.raises(AuditError, match="actor looks personal"), store.engine.begin() as conn:
        append(
            conn,
            SubjectErased(subject_blind_id="s_1"),
            actor="dpo@example.fr",
            role="admin",
            declaration_version=None,
        )


def test_a_room_can_declare_its_own_event(store: Store) -> None:
    @dataclass(frozen=True, kw_only=True)
    class KeyRotated(AuditEvent):
        action: ClassVar[str] = "vault.rotate"
        keys: int

    with store.engine.begin() as conn:
        entry = append(
            conn, KeyRotated(keys=3), actor="cli:ops", role="admin", declaration_version=None
        )
    assert (entry.action, entry.details, entry.subject_blind_id) == (
        "vault.rotate",
        {"keys": 3},
        None,
    )


def test_event_without_action_is_refused() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Nameless(AuditEvent):
        pass

    with pytest.raises(AuditError, match="no valid action"):
        event_record(Nameless())


def test_registry_lists_the_built_in_events() -> None:
    assert {
        "subject.create",
        "subject.read",
        "consent.record",
        "check",
        "subject.erase",
        "audit.read",
    } <= set(EVENT_TYPES)
    assert all(cls.action == action for action, cls in EVENT_TYPES.items())


def test_pages_and_filters(store: Store, fill: Callable[[int], list[AuditEntry]]) -> None:
    written = fill(12)
    with store.engine.connect() as conn:
        first = entries(conn, limit=5)
        second = entries(conn, limit=5, after_seq=first[-1].seq)
        mine = entries(conn, limit=100, subject_blind_id="s_1")
        consents = entries(conn, limit=100, action="consent.record", subject_blind_id="s_1")
    assert [e.seq for e in first + second] == list(range(1, 11))
    assert [e.seq for e in mine] == [e.seq for e in written if e.subject_blind_id == "s_1"]
    assert consents and all(
        e.action == "consent.record" and e.subject_blind_id == "s_1" for e in consents
    )


@pytest.mark.parametrize("limit", [0, 1001])
def test_page_limit_is_bounded(store: Store, limit: int) -> None:
    with pytest.raises(AuditError, match="ask for 1 to 1000"), store.engine.connect() as conn:
        entries(conn, limit=limit)


def test_export_streams_jsonl(store: Store, fill: Callable[[int], list[AuditEntry]]) -> None:
    written = fill(25)
    out = io.StringIO()
    with store.engine.connect() as conn:
        assert export_jsonl(conn, out) == len(written)
        since = io.StringIO()
        assert export_jsonl(conn, since, since_seq=20) == len(written) - 20
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["seq"] for line in lines] == [e.seq for e in written]
    assert lines[0] == written[0].to_json()
    assert set(lines[0]) == {
        "seq",
        "at",
        "actor",
        "role",
        "action",
        "subject_blind_id",
        "purpose",
        "declaration_version",
        "details",
        "prev_hash",
        "hash",
    }
    assert json.loads(since.getvalue().splitlines()[0])["seq"] == 21


def test_export_batches_beyond_one_page(store: Store) -> None:
    """More entries than one batch (1,000): written with raw inserts to keep the test fast."""
    with store.engine.begin() as conn:
        conn.execute(
            insert(audit_log),
            [
                {
                    "seq": i,
                    "at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                    "actor": "a",
                    "role": "r",
                    "action": "x",
                    "details": "{}",
                    "prev_hash": "p",
                    "hash": "h",
                }
                for i in range(1, 2502)
            ],
        )
    out = io.StringIO()
    with store.engine.connect() as conn:
        assert export_jsonl(conn, out) == 2501
    assert out.getvalue().count("\n") == 2501


def test_docs_list_every_event_with_its_details() -> None:
    import dataclasses
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text("utf-8")
    for action, cls in EVENT_TYPES.items():
        row = next((line for line in docs.splitlines() if line.startswith(f"| `{action}` |")), "")
        assert f"`{cls.__name__}`" in row, f"docs/audit.md has no row for {action}"
        for field in dataclasses.fields(cls):
            if field.name not in ("subject_blind_id", "purpose"):
                assert f"`{field.name}`" in row, f"docs/audit.md: {action} lacks {field.name}"
