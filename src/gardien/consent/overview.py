"""A subject's consents at a glance: the current choice per purpose, and the whole history.

What the privacy center and the console show, and what the API returns: for
each purpose the latest choice as it stands now (a choice past its lifetime
reads as expired), and whether a consent still given must be renewed because
the wording or the processing changed since. Reading it is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from gardien.audit import Actor, ConsentsRead
from gardien.consent.ledger import (
    ConsentEvent,
    ConsentState,
    EventKind,
    check_now,
    check_subject_id,
    history,
    states,
)
from gardien.consent.policy import ConsentPolicy, policy_for
from gardien.declaration import Declaration


@dataclass(frozen=True)
class Choice:
    """The standing choice of one subject for one purpose."""

    purpose: str
    status: EventKind
    event_id: int
    occurred_at: dt.datetime
    expires_at: dt.datetime | None
    #: A consent still given, but to a wording or a processing that has changed
    #: since (or to a purpose the declaration no longer has): ask again.
    needs_renewal: bool


@dataclass(frozen=True)
class ConsentOverview:
    subject_id: str
    choices: tuple[Choice, ...]
    events: tuple[ConsentEvent, ...]


def needs_renewal(policy: ConsentPolicy, state: ConsentState, now: dt.datetime) -> bool:
    """Whether a standing consent was given to something other than what is declared now."""
    if state.status_at(now) is not EventKind.GIVEN:
        return False
    purpose = policy.purposes.get(state.purpose)
    return purpose is None or not purpose.is_current(state.wording_hash, state.purpose_hash)


def consent_overview(
    conn: Connection,
    declaration: Declaration,
    subject_id: str,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
) -> ConsentOverview:
    """The subject's choices as they stand at ``now``, and every event; audited."""
    check_subject_id(subject_id)
    moment = check_now(now)
    policy = policy_for(declaration)
    choices = tuple(
        Choice(
            purpose=state.purpose,
            status=state.status_at(moment),
            event_id=state.event_id,
            occurred_at=state.occurred_at,
            expires_at=state.expires_at,
            needs_renewal=needs_renewal(policy, state, moment),
        )
        for state in states(conn, subject_id)
    )
    events = tuple(history(conn, subject_id))
    actor.record(conn, ConsentsRead(subject_blind_id=actor.subject(subject_id)))
    return ConsentOverview(subject_id=subject_id, choices=choices, events=events)
