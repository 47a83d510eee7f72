"""Verification: an intact chain passes; an edited, removed or moved entry is named."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Callable

import pytest
from audit_helpers import VERSION
from sqlalchemy import Connection, insert, text

from gardien.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditError,
    ChainFault,
    Checkpoint,
    SubjectRead,
    append,
    audit_log,
    verify,
)
from gardien.store import Store


def raw(store: Store, *statements: str) -> None:
    with store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_empty_trail_is_intact(store: Store) -> None:
    result = verify(store)
    assert (result.ok, result.entries_checked, result.exit_code, result.last_hash) == (
        True,
        0,
        0,
        GENESIS_HASH,
    )


def test_intact_chain(store: Store, fill: Callable[[int], list[AuditEntry]]) -> None:
    written = fill(7)
    result = verify(store)
    assert result.ok and result.entries_checked == 7 and result.exit_code == 0
    assert (result.last_seq, result.last_hash) == (7, written[-1].hash)
    with store.engine.connect() as conn:
        assert verify(conn) == result


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET subject_blind_id = 's_other' WHERE seq = 4",
        'UPDATE audit_log SET details = \'{"fields":["phone"]}\' WHERE seq = 4',
        "UPDATE audit_log SET action = 'subject.create' WHERE seq = 4",
        "UPDATE audit_log SET hash = '" + "a" * 64 + "' WHERE seq = 4",
        "UPDATE audit_log SET prev_hash = '" + "b" * 64 + "' WHERE seq = 4",
        "UPDATE audit_log SET details = 'not json' WHERE seq = 4",
    ],
)
def test_edited_entry_is_named(
    store: Store, fill: Callable[[int], list[AuditEntry]], statement: str
) -> None:
    fill(6)
    raw(store, statement)
    result = verify(store)
    assert (result.ok, result.exit_code, result.first_bad_seq, result.fault) == (
        False,
        1,
        4,
        ChainFault.EDITED,
    )
    assert result.entries_checked == 3
    assert result.problem == "entry 4 was edited: its hash does not match its fields"


@pytest.mark.parametrize("seq", [1, 3])
def test_removed_entry_is_named(
    store: Store, fill: Callable[[int], list[AuditEntry]], seq: int
) -> None:
    fill(6)
    raw(store, f"DELETE FROM audit_log WHERE seq = {seq}")
    result = verify(store)
    assert (result.ok, result.first_bad_seq, result.fault) == (False, seq, ChainFault.REMOVED)
    assert result.problem is not None and result.problem.startswith(f"entry {seq} was removed")


def test_removed_and_renumbered_is_named(
    store: Store, fill: Callable[[int], list[AuditEntry]]
) -> None:
    fill(6)
    raw(
        store,
        "DELETE FROM audit_log WHERE seq = 3",
        *(f"UPDATE audit_log SET seq = {n - 1} WHERE seq = {n}" for n in (4, 5, 6)),
    )
    result = verify(store)
    assert (result.first_bad_seq, result.fault) == (3, ChainFault.REMOVED)


def test_reordered_entry_is_named(store: Store, fill: Callable[[int], list[AuditEntry]]) -> None:
    fill(6)
    raw(
        store,
        "UPDATE audit_log SET seq = -1 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = 4",
        "UPDATE audit_log SET seq = 4 WHERE seq = -1",
    )
    result = verify(store)
    assert (result.ok, result.first_bad_seq, result.fault) == (False, 3, ChainFault.REORDERED)
    assert result.problem == "entry 3 was moved: it follows entry 4, not entry 2"


def test_rewritten_entry_with_recomputed_hash_breaks_the_next_link(
    store: Store, fill: Callable[[int], list[AuditEntry]]
) -> None:
    written = fill(6)
    forged = written[2].hashed_fields() | {"subject_blind_id": "s_other"}
    forged_hash = hashlib.sha256(
        json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    raw(
        store,
        f"UPDATE audit_log SET subject_blind_id = 's_other', hash = '{forged_hash}' WHERE seq = 3",
    )
    result = verify(store)
    assert (result.first_bad_seq, result.entries_checked) == (4, 3)
    assert result.problem is not None and "entry 3 was rewritten" in result.problem


def test_verify_streams_beyond_one_batch(store: Store) -> None:
    """2,500 chained entries written directly (fast), then one edited deep in the trail."""
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    rows, prev = [], GENESIS_HASH
    for seq in range(1, 2501):
        entry = AuditEntry(
            seq=seq,
            at=at,
            actor="a",
            role="r",
            action="x",
            subject_blind_id=None,
            purpose=None,
            declaration_version=None,
            details={},
            prev_hash=prev,
        )
        digest = entry.computed_hash()
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": "a",
                "role": "r",
                "action": "x",
                "details": "{}",
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    with store.engine.begin() as conn:
        conn.execute(insert(audit_log), rows)
    assert verify(store).entries_checked == 2500
    raw(store, "UPDATE audit_log SET actor = 'b' WHERE seq = 2222")
    result = verify(store)
    assert (result.first_bad_seq, result.entries_checked, result.fault) == (
        2222,
        2221,
        ChainFault.EDITED,
    )


def test_concurrent_appends_never_fork(store: Store) -> None:
    """Eight threads append at once; the chain stays one line with no gap."""
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                with store.engine.begin() as conn:
                    append(
                        conn,
                        SubjectRead(subject_blind_id=f"s_{n}_{i}"),
                        actor="gk_t",
                        role="admin",
                        declaration_version=VERSION,
                    )
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify(store)
    assert result.ok and result.entries_checked == 200, result.problem


def test_an_append_waiting_for_the_lock_chains_to_what_its_holder_committed(
    store: Store,
) -> None:
    """The head is read after the lock is granted, never from an older snapshot."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's advisory lock; SQLite serialises whole transactions")

    def read_by(conn: Connection, name: str) -> AuditEntry:
        event = SubjectRead(subject_blind_id=name)
        return append(conn, event, actor="gk_t", role="admin", declaration_version=VERSION)

    with store.engine.begin() as conn:
        read_by(conn, "s_first")
    waiting: list[AuditEntry] = []
    waiter: list[int] = []

    def wait_for_the_lock() -> None:
        with store.engine.begin() as conn:
            waiter.append(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
            waiting.append(read_by(conn, "s_waiting"))

    # Only the waiting connection's locks: other tests of this run append to their own
    # stores in the same database at the same time, under the same lock key.
    blocked = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid = :pid"
    )
    with store.engine.connect() as holder, store.engine.connect() as observer:
        with holder.begin():
            held = read_by(holder, "s_held")
            thread = threading.Thread(target=wait_for_the_lock)
            thread.start()
            deadline = time.monotonic() + 10
            while not waiter and time.monotonic() < deadline:
                time.sleep(0.01)
            assert waiter, "the waiting append never connected"
            pid = {"pid": waiter[0]}
            while not observer.execute(blocked, pid).scalar_one() and time.monotonic() < deadline:
                time.sleep(0.01)
            assert observer.execute(blocked, pid).scalar_one() == 1, "the append did not wait"
            assert waiting == []
        thread.join(timeout=10)
    assert [(e.seq, e.prev_hash) for e in waiting] == [(held.seq + 1, held.hash)]
    result = verify(store)
    assert result.ok and result.entries_checked == 3, result.problem


def test_a_checkpoint_catches_a_tail_cut_and_one_cut_then_rewritten(
    store: Store, fill: Callable[[int], list[AuditEntry]]
) -> None:
    written = fill(6)
    mark = Checkpoint.parse(f"4:{written[3].hash}")
    assert verify(store, mark).ok
    raw(store, "DELETE FROM audit_log WHERE seq >= 4")
    cut = verify(store, mark)
    assert (cut.ok, cut.fault, cut.first_bad_seq) == (False, ChainFault.CUT, 4)
    fill(3)  # new entries 4..6 chained properly after the cut: the chain is intact again
    assert verify(store).ok
    rewritten = verify(store, mark)
    assert (rewritten.ok, rewritten.fault, rewritten.first_bad_seq) == (False, ChainFault.CUT, 4)
    with store.engine.connect() as conn:
        assert verify(conn, mark) == rewritten


@pytest.mark.parametrize(
    "text", ["", "4", "4:", "-1:" + "a" * 64, "0:" + "a" * 64, "4:" + "A" * 64]
)
def test_a_malformed_checkpoint_says_what_is_expected(text: str) -> None:
    with pytest.raises(AuditError, match="SEQ:HASH"):
        Checkpoint.parse(text)
