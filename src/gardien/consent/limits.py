"""Art. 18 restrictions and Art. 21 objections: limits on processing, per subject.

A limit names one purpose, or none to cover every purpose. Recording an
objection is idempotent (a mail client may POST a one-click unsubscribe
twice; the person objected once). Lifting a limit stamps ``lifted_at`` and
keeps the row, so the DPO can show when processing was limited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, or_, select, update

from gardien.audit import Actor, LimitLifted, LimitRecorded
from gardien.consent.ledger import check_now, check_subject_id
from gardien.consent.proof import parse_channel
from gardien.consent.tables import processing_limits
from gardien.errors import ConsentError


class LimitKind(StrEnum):
    OBJECTION = "objection"
    RESTRICTION = "restriction"


@dataclass(frozen=True)
class ProcessingLimit:
    id: int
    subject_id: str
    purpose: str | None
    kind: LimitKind
    channel: str
    declaration_version: str
    created_at: dt.datetime
    lifted_at: dt.datetime | None

    def covers(self, purpose: str) -> bool:
        return self.purpose is None or self.purpose == purpose


def _limit(row: Row[Any]) -> ProcessingLimit:
    return ProcessingLimit(
        id=row.id,
        subject_id=row.subject_id,
        purpose=row.purpose,
        kind=LimitKind(row.kind),
        channel=row.channel,
        declaration_version=row.declaration_version,
        created_at=row.created_at,
        lifted_at=row.lifted_at,
    )


def _record(
    conn: Connection,
    kind: LimitKind,
    subject_id: str,
    purpose: str | None,
    channel: str,
    declaration_version: str,
    now: dt.datetime | None,
    actor: Actor,
) -> ProcessingLimit:
    limit = _insert_once(conn, kind, subject_id, purpose, channel, declaration_version, now)
    # Recorded even when the limit was in force already: the person asked again.
    actor.record(
        conn,
        LimitRecorded(
            subject_blind_id=actor.subject(subject_id),
            purpose=purpose,
            kind=kind.value,
            channel=limit.channel,
        ),
    )
    return limit


def _insert_once(
    conn: Connection,
    kind: LimitKind,
    subject_id: str,
    purpose: str | None,
    channel: str,
    declaration_version: str,
    now: dt.datetime | None,
) -> ProcessingLimit:
    check_subject_id(subject_id)
    moment = check_now(now)
    channel_value = parse_channel(channel).value
    same = (
        processing_limits.c.purpose.is_(None)
        if purpose is None
        else processing_limits.c.purpose == purpose
    )
    existing = conn.execute(
        select(processing_limits)
        .where(
            processing_limits.c.subject_id == subject_id,
            processing_limits.c.kind == kind.value,
            processing_limits.c.lifted_at.is_(None),
            same,
        )
        .limit(1)
    ).first()
    if existing is not None:
        return _limit(existing)
    values: dict[str, Any] = {
        "subject_id": subject_id,
        "purpose": purpose,
        "kind": kind.value,
        "channel": channel_value,
        "declaration_version": declaration_version,
        "created_at": moment,
        "lifted_at": None,
    }
    key = conn.execute(insert(processing_limits).values(**values)).inserted_primary_key
    assert key is not None
    return ProcessingLimit(id=key[0], **{**values, "kind": kind})


def record_objection(
    conn: Connection,
    subject_id: str,
    purpose: str | None,
    channel: str,
    declaration_version: str,
    *,
    now: dt.datetime | None = None,
    actor: Actor,
) -> ProcessingLimit:
    """Record an Art. 21 objection (``purpose`` None: to every purpose); no login needed.

    It stops legitimate-interest and public-task processing and any direct
    marketing of the purposes it covers (see ``decide``). Audited as ``limit.record``.
    """
    return _record(
        conn, LimitKind.OBJECTION, subject_id, purpose, channel, declaration_version, now, actor
    )


def record_restriction(
    conn: Connection,
    subject_id: str,
    purpose: str | None,
    declaration_version: str,
    *,
    channel: str = "api",
    now: dt.datetime | None = None,
    actor: Actor,
) -> ProcessingLimit:
    """Record an Art. 18 restriction: data covered may be stored, not otherwise processed.

    Audited as ``limit.record``.
    """
    return _record(
        conn, LimitKind.RESTRICTION, subject_id, purpose, channel, declaration_version, now, actor
    )


def lift_restriction(
    conn: Connection,
    subject_id: str,
    purpose: str | None = None,
    *,
    now: dt.datetime | None = None,
    actor: Actor,
) -> int:
    """Lift active restrictions: on ``purpose`` only, or every one when ``purpose`` is None.

    Returns how many were lifted; audited as ``limit.lift`` with that count. The
    Art. 18(3) duty to tell the person before lifting belongs to the caller
    (the requests room).
    """
    check_subject_id(subject_id)
    moment = check_now(now)
    query = update(processing_limits).where(
        processing_limits.c.subject_id == subject_id,
        processing_limits.c.kind == LimitKind.RESTRICTION.value,
        processing_limits.c.lifted_at.is_(None),
    )
    if purpose is not None:
        query = query.where(processing_limits.c.purpose == purpose)
    lifted: int = conn.execute(query.values(lifted_at=moment)).rowcount
    actor.record(
        conn,
        LimitLifted(
            subject_blind_id=actor.subject(subject_id),
            purpose=purpose,
            kind=LimitKind.RESTRICTION.value,
            count=lifted,
        ),
    )
    return lifted


def lift_limit(
    conn: Connection, limit_id: int, *, now: dt.datetime | None = None, actor: Actor
) -> ProcessingLimit:
    """Lift one limit by id, e.g. an objection the person withdrew or the DPO overruled.

    Audited as ``limit.lift`` (count 0 when it was lifted already).
    """
    moment = check_now(now)
    row = conn.execute(select(processing_limits).where(processing_limits.c.id == limit_id)).first()
    if row is None:
        raise ConsentError(f"no processing limit has id {limit_id}: list them with active_limits")
    limit = _limit(row)
    count = 0
    if row.lifted_at is None:
        count = conn.execute(
            update(processing_limits)
            .where(processing_limits.c.id == limit_id, processing_limits.c.lifted_at.is_(None))
            .values(lifted_at=moment)
        ).rowcount
        limit = ProcessingLimit(**{**limit.__dict__, "lifted_at": moment})
    actor.record(
        conn,
        LimitLifted(
            subject_blind_id=actor.subject(limit.subject_id),
            purpose=limit.purpose,
            kind=limit.kind.value,
            count=count,
        ),
    )
    return limit


_COVERING = (
    select(processing_limits)
    .where(
        processing_limits.c.subject_id == bindparam("subject_id"),
        processing_limits.c.lifted_at.is_(None),
        or_(
            processing_limits.c.purpose == bindparam("purpose"),
            processing_limits.c.purpose.is_(None),
        ),
    )
    .order_by(processing_limits.c.id)
)


def active_limits(
    conn: Connection, subject_id: str, purpose: str | None = None
) -> list[ProcessingLimit]:
    """The subject's limits in force, oldest first; with ``purpose``, those covering it."""
    if purpose is not None:
        # The check's path: a statement built once, with the subject's index.
        rows = conn.execute(_COVERING, {"subject_id": subject_id, "purpose": purpose})
        return [_limit(row) for row in rows]
    query = select(processing_limits).where(
        processing_limits.c.subject_id == subject_id, processing_limits.c.lifted_at.is_(None)
    )
    return [_limit(row) for row in conn.execute(query.order_by(processing_limits.c.id))]
