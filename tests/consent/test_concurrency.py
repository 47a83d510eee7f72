"""Concurrent writers: the state always equals the latest event, and no event is lost.

Runs on both backends; PostgreSQL is the one where it matters (several
``gardien serve`` processes), SQLite serialises writers with BEGIN IMMEDIATE.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from consent_helpers import NOW, PROOF, new_subject
from sqlalchemy import func, select

from actors import ACTOR
from gardien.consent import EventKind, current_state, expire_due, expiry, history, record_consent
from gardien.consent.tables import consent_events
from gardien.declaration import Declaration
from gardien.store import Store

WRITES_PER_THREAD = 30


def _run(workers: list[Callable[[], None]]) -> None:
    errors: list[BaseException] = []

    def guard(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)

        return run

    threads = [threading.Thread(target=guard(work)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


def test_two_writers_overlapping_subjects(store: Store, declaration: Declaration) -> None:
    subjects = [new_subject() for _ in range(4)]
    kinds = ["given", "refused", "withdrawn"]

    def writer(seed: int) -> Callable[[], None]:
        def work() -> None:
            chance = random.Random(seed)
            for _ in range(WRITES_PER_THREAD):
                with store.engine.begin() as conn:
                    record_consent(
                        conn, declaration, chance.choice(subjects), "newsletter", chance.choice(kinds),
                        channel="api", proof=PROOF, now=NOW,
                        actor=ACTOR,
                    )  # fmt: skip

        return work

    _run([writer(1), writer(2)])
    with store.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(consent_events)).scalar_one()
        assert count == 2 * WRITES_PER_THREAD
        for subject in subjects:
            latest = conn.execute(
                select(consent_events.c.id, consent_events.c.kind)
                .where(consent_events.c.subject_id == subject)
                .order_by(consent_events.c.id.desc())
                .limit(1)
            ).first()
            state = current_state(conn, subject, "newsletter")
            if latest is None:
                assert state is None
            else:
                assert state is not None and (state.event_id, state.status.value) == tuple(latest)


def test_expiry_sweep_never_outranks_a_fresh_consent(
    store: Store, declaration: Declaration, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: the sweep has selected a due consent; the person renews before it appends.

    Without the writer's row lock, the renewal would take an event id lower
    than the sweep's ``expired`` event, and the sweep would win.
    """
    subject = new_subject()
    later = NOW + dt.timedelta(days=200)
    with store.engine.begin() as conn:
        record_consent(
            conn,
            declaration,
            subject,
            "newsletter",
            "given",
            channel="web",
            proof=PROOF,
            now=NOW,
            actor=ACTOR,
        )
    selected = threading.Event()
    real_append = expiry.append_event

    def paused_append(*args: Any, **kwargs: Any) -> Any:
        selected.set()
        time.sleep(0.5)  # the renewer writes now, while the sweep holds its selection
        return real_append(*args, **kwargs)

    monkeypatch.setattr(expiry, "append_event", paused_append)

    def sweeper() -> None:
        with store.engine.begin() as conn:
            assert expire_due(conn, later, actor=ACTOR) == 1

    def renewer() -> None:
        assert selected.wait(timeout=30)
        with store.engine.begin() as conn:
            record_consent(
                conn,
                declaration,
                subject,
                "newsletter",
                "given",
                channel="web",
                proof=PROOF,
                now=later,
                actor=ACTOR,
            )

    _run([sweeper, renewer])
    with store.engine.connect() as conn:
        state = current_state(conn, subject, "newsletter")
        kinds = [e.kind for e in history(conn, subject)]
    assert kinds == [EventKind.GIVEN, EventKind.EXPIRED, EventKind.GIVEN]
    assert state is not None and state.status is EventKind.GIVEN and state.occurred_at == later
