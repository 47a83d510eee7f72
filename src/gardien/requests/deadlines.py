"""When a request must be answered (GDPR Art. 12(3)), and the queue by due date.

The deadline is counted by the calendar from receipt: ``rights.response_deadline``
(one month by default) after the day received, at the same time of day, UTC;
31 January + 1 month is the last day of February (``Duration.after``,
Regulation 1182/71). It may be extended once, by at most
``rights.extension`` (two months by default) counted from the first due date,
with a reason, the person told. The functions here are pure but for the two
queue queries; ``decisions.extend`` writes an extension.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from gardien.declaration.values import Duration
from gardien.errors import RequestError
from gardien.requests.tables import requests
from gardien.requests.vocabulary import OPEN_STATES, RequestState, RequestType

DUE_SOON = dt.timedelta(days=7)


def due_date(received_at: dt.datetime, deadline: Duration) -> dt.datetime:
    """``deadline`` after ``received_at``, by the calendar, at the same time of day (UTC)."""
    received = received_at.astimezone(dt.UTC)
    day = deadline.after(received.date())
    return dt.datetime.combine(day, received.timetz())


def extension_bound(due_at: dt.datetime, extension: Duration) -> dt.datetime:
    """The latest date an extension may reach: ``extension`` after the first due date."""
    return due_date(due_at, extension)


def extended_due(
    due_at: dt.datetime,
    extended_until: dt.datetime | None,
    extension: Duration,
    until: dt.datetime | None = None,
) -> dt.datetime:
    """The new due date of an extension to ``until`` (default: as far as allowed).

    ``RequestError`` when the request was extended already (Art. 12(3) allows
    one extension), or ``until`` is not after the due date or beyond the bound.
    """
    if extended_until is not None:
        raise RequestError(
            "this request's deadline was extended already: Art. 12(3) allows one extension; "
            "answer by the extended date"
        )
    bound = extension_bound(due_at, extension)
    if until is None:
        return bound
    if until <= due_at:
        raise RequestError(
            f"the extended date must be after the current due date ({due_at:%Y-%m-%d})"
        )
    if until > bound:
        raise RequestError(
            f"an extension may reach {bound:%Y-%m-%d} at most ({extension} after the due "
            "date, as the declaration's rights.extension says)"
        )
    return until


@dataclass(frozen=True)
class QueueEntry:
    """One open request in the DPO's queue: nothing personal."""

    id: str
    type: RequestType
    state: RequestState
    channel: str
    received_at: dt.datetime
    due_at: dt.datetime
    extended_until: dt.datetime | None

    @property
    def effective_due(self) -> dt.datetime:
        return self.extended_until or self.due_at


def _effective_due() -> ColumnElement[Any]:
    return func.coalesce(requests.c.extended_until, requests.c.due_at)


def queue(
    conn: Connection,
    *,
    states: frozenset[RequestState] | None = None,
    due_before: dt.datetime | None = None,
    limit: int = 500,
) -> list[QueueEntry]:
    """Requests in ``states`` (default: open ones), by due date, optionally due before a date."""
    wanted = states if states is not None else OPEN_STATES
    due = _effective_due()
    query = (
        select(
            requests.c.id,
            requests.c.type,
            requests.c.state,
            requests.c.channel,
            requests.c.received_at,
            requests.c.due_at,
            requests.c.extended_until,
        )
        .where(requests.c.state.in_(sorted(s.value for s in wanted)))
        .order_by(due, requests.c.received_at, requests.c.id)
        .limit(limit)
    )
    if due_before is not None:
        query = query.where(due < due_before)
    return [
        QueueEntry(
            id=row.id,
            type=RequestType(row.type),
            state=RequestState(row.state),
            channel=row.channel,
            received_at=row.received_at,
            due_at=row.due_at,
            extended_until=row.extended_until,
        )
        for row in conn.execute(query)
    ]


def overdue(conn: Connection, now: dt.datetime) -> list[QueueEntry]:
    """Open requests whose (extended) due date has passed, oldest first."""
    return queue(conn, due_before=now)


def due_soon(
    conn: Connection, now: dt.datetime, within: dt.timedelta = DUE_SOON
) -> list[QueueEntry]:
    """Open requests due within ``within`` of ``now``, not yet overdue."""
    return [entry for entry in queue(conn, due_before=now + within) if entry.effective_due >= now]
