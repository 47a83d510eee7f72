"""Restrictions (Art. 18) and objections (Art. 21): recorded, listed, lifted."""

from __future__ import annotations

import datetime as dt

import pytest
from consent_helpers import NOW, new_subject

from actors import ACTOR
from gardien.consent import (
    ConsentError,
    LimitKind,
    ProofError,
    active_limits,
    check,
    lift_limit,
    lift_restriction,
    record_objection,
    record_restriction,
)
from gardien.declaration import Declaration
from gardien.store import Store

LATER = NOW + dt.timedelta(days=1)


def test_restrictions_recorded_listed_lifted(store: Store, declaration: Declaration) -> None:
    subject = new_subject()
    with store.engine.begin() as conn:
        everything = record_restriction(conn, subject, None, "v1", now=NOW, actor=ACTOR)
        service = record_restriction(
            conn, subject, "service", "v1", channel="privacy_center", now=NOW, actor=ACTOR
        )
        objection = record_objection(conn, subject, "security", "web", "v1", now=NOW, actor=ACTOR)
        assert [x.id for x in active_limits(conn, subject)] == [
            everything.id,
            service.id,
            objection.id,
        ]
        assert [x.id for x in active_limits(conn, subject, "security")] == [
            everything.id,
            objection.id,
        ]
        assert service.kind is LimitKind.RESTRICTION and service.channel == "privacy_center"
        assert service.declaration_version == "v1" and service.created_at == NOW
        assert lift_restriction(conn, subject, "service", now=LATER, actor=ACTOR) == 1
        assert [x.id for x in active_limits(conn, subject)] == [everything.id, objection.id]
        assert lift_restriction(conn, subject, now=LATER, actor=ACTOR) == 1
        assert check(conn, declaration, subject, "service", now=LATER, actor=ACTOR).allowed
        assert not check(conn, declaration, subject, "security", now=LATER, actor=ACTOR).allowed
        lifted = lift_limit(conn, objection.id, now=LATER, actor=ACTOR)
        assert (
            lifted.lifted_at == LATER
            and lift_limit(conn, objection.id, actor=ACTOR).lifted_at == LATER
        )
        assert active_limits(conn, subject) == []
        assert check(conn, declaration, subject, "security", now=LATER, actor=ACTOR).allowed


def test_limit_errors(store: Store) -> None:
    with store.engine.begin() as conn:
        with pytest.raises(ConsentError, match="no processing limit has id 77"):
            lift_limit(conn, 77, actor=ACTOR)
        with pytest.raises(ProofError, match="channel 'fax' is not known"):
            record_objection(conn, new_subject(), None, "fax", "v1", actor=ACTOR)
        with pytest.raises(ConsentError, match="never an e-mail address"):
            record_restriction(conn, "bob@example.com", None, "v1", actor=ACTOR)
