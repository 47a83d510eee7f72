"""What a person (or the agent acting for them) is told about a request: never more.

``Receipt`` is the answer to intake, the same shape for a new request, a
double submission, a known person and an unknown one. ``Status`` is what the
status token opens: state, due date, what happens next, a rejection's reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from gardien.requests.states import NEXT_STEP
from gardien.requests.vocabulary import RequestState, RequestType


@dataclass(frozen=True)
class Receipt:
    """The answer to intake. ``status_token`` is shown once: only its hash is kept."""

    id: str
    status_token: str
    state: RequestState
    due_at: dt.datetime

    def __repr__(self) -> str:
        return f"Receipt(id={self.id!r}, state={self.state.value!r}, status_token=[secure])"


@dataclass(frozen=True)
class Status:
    id: str
    type: RequestType
    state: RequestState
    received_at: dt.datetime
    due_at: dt.datetime
    extended_until: dt.datetime | None
    next_step: str
    rejection_reason: str | None
    completed_at: dt.datetime | None


def status_of(row: Row[Any]) -> Status:
    state = RequestState(row.state)
    return Status(
        id=row.id,
        type=RequestType(row.type),
        state=state,
        received_at=row.received_at,
        due_at=row.extended_until or row.due_at,
        extended_until=row.extended_until,
        next_step=NEXT_STEP[state],
        rejection_reason=row.rejection_reason if state is RequestState.REJECTED else None,
        completed_at=row.completed_at,
    )


def pending_status_of(row: Row[Any]) -> Status:
    """What a double submission's unproven token shows: what a new request would.

    Whoever typed an address may hold such a token; until the code proves the
    e-mail is theirs, they learn nothing of the open request (its state, when
    it was made, when it is due) beyond what their own submission told them.
    """
    state = RequestState.AWAITING_VERIFICATION
    received = row.pending_since or row.received_at
    return Status(
        id=row.id,
        type=RequestType(row.type),
        state=state,
        received_at=received,
        due_at=row.pending_due_at or row.due_at,
        extended_until=None,
        next_step=NEXT_STEP[state],
        rejection_reason=None,
        completed_at=None,
    )
