"""Transitions against the real store: each legal move writes a timeline row and an audit entry,
an illegal one writes nothing; the sweep expires requests left unverified for 7 days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from actors import actor_of
from gardien.audit import audit_log
from gardien.declaration import load_valid
from gardien.errors import IllegalTransitionError, RequestGoneError
from gardien.requests import (
    CodePolicy,
    RequestChannel,
    RequestState,
    RequestType,
    Submission,
    expire_unverified,
    submit,
    transition,
)
from gardien.requests.intake import AgentVerification
from gardien.requests.tables import request_events
from gardien.requests.vocabulary import VerificationMethod

S = RequestState


def _new(
    settings: Any, store: Any, vault: Any, *, verified: bool, at: dt.datetime | None = None
) -> str:
    verification = AgentVerification(VerificationMethod.POSTAL_MAIL) if verified else None
    email = f"carol{(at or dt.datetime.now(dt.UTC)).timestamp():.0f}@example.com"
    submission = Submission(RequestType.ACCESS, {"email": email},
                            verification=verification)  # fmt: skip
    with store.engine.begin() as conn:
        receipt = submit(conn, vault, load_valid(settings.config), submission,
                         channel=RequestChannel.AGENT if verified else RequestChannel.PUBLIC,
                         actor=actor_of(vault), codes=CodePolicy(), now=at)  # fmt: skip
    return receipt.id


def _counts(store: Any) -> tuple[int, int]:
    with store.engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(request_events)).scalar_one()
        audit = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    return events, audit


def test_the_whole_path_is_recorded_twice(settings: Any, store: Any, vault: Any) -> None:
    request_id = _new(settings, store, vault, verified=True)
    actor = actor_of(vault)
    for target in (S.APPROVED, S.IN_PROGRESS, S.BLOCKED, S.IN_PROGRESS, S.COMPLETED):
        before = _counts(store)
        with store.engine.begin() as conn:
            transition(conn, request_id, target, actor=actor)
        after = _counts(store)
        assert (after[0] - before[0], after[1] - before[1]) == (1, 1), target
    for target in S:
        before = _counts(store)
        with pytest.raises(IllegalTransitionError), store.engine.begin() as conn:
            transition(conn, request_id, target, actor=actor)
        assert _counts(store) == before


def test_unverified_requests_expire_after_seven_days(settings: Any, store: Any, vault: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    old = _new(settings, store, vault, verified=False, at=now - dt.timedelta(days=8))
    recent = _new(settings, store, vault, verified=False, at=now - dt.timedelta(days=6))
    assert recent != old
    with store.engine.begin() as conn:
        assert expire_unverified(conn, actor=actor_of(vault), now=now) == 1
    with pytest.raises(RequestGoneError), store.engine.begin() as conn:
        transition(conn, old, S.VERIFIED, actor=actor_of(vault))
