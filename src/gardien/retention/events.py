"""Events the company's systems tell gardien about, and the rules that run from them.

A binding ``retention: {rule: accounts, event: account_deletion}`` starts its
clock when the company's product tells gardien that the person's account
was deleted (``POST /api/v1/retention-events``, ``gardien retention event``),
not from a date column. ``record_event`` keeps the event, when it happened
and the person's identities, sealed under a vault secret bound to the
event's id (never in clear, in the store or the audit trail). For each
binding that runs from that event, the run's sweep then takes the events
whose period is over, finds the person's rows from those identities (the
connectors' ``locate``, as an erasure request does) in the bound collection,
(recorded before anything is done, so that a batch replayed after a crash
acts on the same rows and counts those already gone) and deletes or
anonymises them as for a date-column sweep (``engine.py``):
rows under their collection's legal hold, or needed by an open access or
portability request, stay, and the event is tried again by the next run.
An event every bound sweep has done is ``done``: its sealed identities are
dropped in the same transaction, and the row goes with gardien's own records
(``own_records.recorded_events``).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, insert, select, update

from gardien.audit import Actor
from gardien.audit.events import RetentionEventRecorded
from gardien.audit.guard import PublicId
from gardien.connectors.base import Connector, DueCount, Reader
from gardien.connectors.erase import Strategies
from gardien.connectors.locate import locate
from gardien.connectors.plan import plan_for
from gardien.declaration.models import RECORDED_EVENTS, Declaration, RetentionEvent
from gardien.errors import IdentityError, RetentionEventError
from gardien.retention.engine import BatchOutcome, _anonymise, _chunks, _delete, _plain, _rows
from gardien.retention.sweeps import Sweep, SweepAction, event_sweeps, not_early
from gardien.retention.tables import retention_event_sweeps, retention_events
from gardien.store import utcnow
from gardien.vault import Vault
from gardien.vault.crypto import open_field, seal_field
from gardien.vault.identities import normalise_all

#: The vault secret the identities of recorded events are sealed under.
EVENTS_SECRET = "retention_events"
IDENTITIES_FIELD = "retention_event.identities"
#: Events per batch of an event sweep: each is a locate of a few queries.
EVENTS_PER_BATCH = 200
#: A recorded event may say it happened this much later than gardien's clock (hosts'
#: clocks drift), not more: an event in the future would start a clock early.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class RecordedEvent:
    """An event recorded for a person; its repr holds no identity."""

    id: str
    event: RetentionEvent
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    kinds: tuple[str, ...]


def bound_to(declaration: Declaration, event: RetentionEvent) -> list[Sweep]:
    """The sweeps that run from ``event``."""
    return [sweep for sweep in event_sweeps(declaration) if sweep.event is event]


def searched_kinds(declaration: Declaration, event: RetentionEvent) -> set[str]:
    """The identity kinds the collections bound to ``event`` are searched by."""
    return {
        field.identity
        for sweep in bound_to(declaration, event)
        for field in declaration.datastores[sweep.datastore]
        .collections[sweep.collection]
        .fields.values()
        if field.identity is not None
    }


def record_event(
    conn: Connection,
    vault: Vault,
    declaration: Declaration,
    event: str,
    identities: Mapping[str, str],
    *,
    actor: Actor,
    occurred_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> RecordedEvent:
    """Record that ``event`` happened for the person ``identities`` name, in ``conn``'s
    transaction, with its audit entry. Everything is checked before anything is written:
    :class:`RetentionEventError` or :class:`IdentityError`, naming kinds, never values."""
    moment = now or utcnow()
    kind = _event(declaration, event)
    if not identities:
        raise IdentityError("give at least one identity of the person (e.g. email, user_id)")
    normal = {identity.kind: identity.value for identity in normalise_all(identities)}
    searched = searched_kinds(declaration, kind)
    if not searched & set(normal):
        raise RetentionEventError(
            f"none of the identities given ({', '.join(sorted(normal))}) is one the "
            f"collections bound to {kind.value!r} are searched by: give "
            f"{' or '.join(sorted(searched))}"
        )
    when = occurred_at or moment
    if when.tzinfo is None or when.utcoffset() is None:
        raise RetentionEventError(
            "the event's time has no time zone: give it with one (e.g. 2025-06-30T18:00:00Z)"
        )
    when = when.astimezone(dt.UTC)
    if when > moment + CLOCK_SKEW:
        raise RetentionEventError(
            "the event's time is in the future: record an event once it has happened"
        )
    event_id = secrets.token_hex(16)  # 128 random bits: never guessed nor enumerated
    # Only the kinds the sweeps search by are kept: the others would serve nothing.
    kept = {k: v for k, v in sorted(normal.items()) if k in searched}
    sealed = seal_field(
        vault.derived_secret(EVENTS_SECRET),
        event_id,
        IDENTITIES_FIELD,
        json.dumps(kept, sort_keys=True, ensure_ascii=False).encode("utf-8"),
    )
    kinds = tuple(kept)
    conn.execute(
        insert(retention_events).values(
            id=event_id, event=kind.value, occurred_at=when, recorded_at=moment,
            identities_sealed=sealed, kinds=",".join(kinds), done_at=None,
            declaration_version=actor.declaration_version,
        )
    )  # fmt: skip
    actor.record(
        conn, RetentionEventRecorded(event_id=PublicId(event_id), event=kind.value, kinds=kinds)
    )
    return RecordedEvent(event_id, kind, when, moment, kinds)


def _event(declaration: Declaration, event: str) -> RetentionEvent:
    recorded = ", ".join(sorted(e.value for e in RECORDED_EVENTS))
    try:
        kind = RetentionEvent(event)
    except ValueError:
        raise RetentionEventError(
            f"unknown event: gardien records {recorded}"
            if len(event) > 40 or not event.replace("_", "").isalnum()
            else f"unknown event {event!r}: gardien records {recorded}"
        ) from None
    if kind not in RECORDED_EVENTS:
        raise RetentionEventError(
            f"{kind.value!r} is a date the company's rows hold, not an event gardien "
            f"records: gardien records {recorded}"
        )
    if not bound_to(declaration, kind):
        raise RetentionEventError(
            f"no retention binding runs from {kind.value!r}, so nothing would be done with "
            f"it: bind a collection with `retention: {{rule: RULE_ID, event: {kind.value}}}` "
            "first"
        )
    return kind


# What is due ------------------------------------------------------------------------


def _waiting(sweep: Sweep) -> Any:
    """The events of ``sweep``'s kind it has not done yet (nor done for every sweep)."""
    assert sweep.event is not None
    done_here = exists().where(
        retention_event_sweeps.c.event_id == retention_events.c.id,
        retention_event_sweeps.c.sweep == sweep.step_name,
    )
    return and_(
        retention_events.c.event == sweep.event.value,
        retention_events.c.done_at.is_(None),
        retention_events.c.identities_sealed.is_not(None),
        ~done_here,
    )


def count_due(conn: Connection, sweep: Sweep, now: dt.datetime, horizon: dt.timedelta) -> DueCount:
    """Events whose period is over for ``sweep`` at ``now``, the oldest, and those that
    will be within ``horizon``."""
    due, soon = sweep.cutoff(now), sweep.cutoff(now + horizon)
    moment = retention_events.c.occurred_at
    row = conn.execute(
        select(
            func.count().filter(moment <= due),
            func.min(moment).filter(moment <= due),
            func.count().filter(and_(moment > due, moment <= soon)),
        ).where(_waiting(sweep))
    ).one()
    return DueCount(int(row[0]), row[1] if row[0] else None, int(row[2]))


def claim_events(
    conn: Connection, sweep: Sweep, now: dt.datetime, after: str | None, limit: int
) -> list[str]:
    """The ids of the next ``limit`` events due for ``sweep``, in id order after ``after``."""
    query = select(retention_events.c.id).where(
        _waiting(sweep), retention_events.c.occurred_at <= sweep.cutoff(now)
    )
    if after is not None:
        query = query.where(retention_events.c.id > after)
    return [row.id for row in conn.execute(query.order_by(retention_events.c.id).limit(limit))]


def open_identities(
    conn: Connection, vault: Vault, ids: Sequence[str]
) -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    """Each event's identities, opened (kind → values, as ``locate`` takes them); events
    gone or done since they were claimed are left out."""
    key = vault.derived_secret(EVENTS_SECRET)
    found: list[tuple[str, dict[str, tuple[str, ...]]]] = []
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            select(retention_events.c.id, retention_events.c.identities_sealed).where(
                retention_events.c.id.in_(chunk), retention_events.c.identities_sealed.is_not(None)
            )
        )
        for row in rows:
            opened = json.loads(open_field(key, row.id, IDENTITIES_FIELD, row.identities_sealed))
            found.append((str(row.id), {str(k): (str(v),) for k, v in opened.items()}))
    return sorted(found)


def mark_swept(
    conn: Connection, declaration: Declaration, sweep: Sweep, ids: Iterable[str], now: dt.datetime
) -> int:
    """Record that ``sweep`` has done the events ``ids``; those every sweep of their kind
    has done are done, their sealed identities dropped. How many became done."""
    assert sweep.event is not None
    listed = sorted(set(ids))
    if not listed:
        return 0
    for chunk in _chunks(listed):
        there = set(
            conn.execute(
                select(retention_event_sweeps.c.event_id).where(
                    retention_event_sweeps.c.event_id.in_(chunk),
                    retention_event_sweeps.c.sweep == sweep.step_name,
                )
            ).scalars()
        )
        fresh = [{"event_id": i, "sweep": sweep.step_name, "swept_at": now} for i in chunk]
        fresh = [row for row in fresh if row["event_id"] not in there]
        if fresh:
            conn.execute(insert(retention_event_sweeps), fresh)
    steps = [s.step_name for s in bound_to(declaration, sweep.event)]
    done = 0
    for chunk in _chunks(listed):
        counted = (
            select(retention_event_sweeps.c.event_id)
            .where(
                retention_event_sweeps.c.event_id.in_(chunk),
                retention_event_sweeps.c.sweep.in_(steps),
            )
            .group_by(retention_event_sweeps.c.event_id)
            .having(func.count() == len(steps))
        )
        finished = list(conn.execute(counted).scalars())
        if finished:
            done += conn.execute(
                update(retention_events)
                .where(retention_events.c.id.in_(finished), retention_events.c.done_at.is_(None))
                .values(done_at=now, identities_sealed=None)
            ).rowcount
    return done


# Acting on the person's rows --------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """The rows one batch of events will act on (their keys, as JSON keeps them), the
    events finished by it (none of their rows kept), and the rows kept: for an open
    request, or by their collection's legal hold."""

    keys: tuple[Any, ...]
    finished: tuple[str, ...]
    kept_for_requests: int = 0
    held: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "keys": list(self.keys), "finished": list(self.finished),
            "kept_for_requests": self.kept_for_requests, "held": self.held,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Located:
        return cls(
            tuple(data.get("keys", ())), tuple(str(i) for i in data.get("finished", ())),
            int(data.get("kept_for_requests", 0)), int(data.get("held", 0)),
        )  # fmt: skip


def locate_events(
    declaration: Declaration,
    connector: Connector,
    sweep: Sweep,
    people: Sequence[tuple[str, Mapping[str, Sequence[str]]]],
    now: dt.datetime,
    protected: Collection[Any] = (),
) -> Located:
    """The rows of ``sweep``'s collection that the people of ``people`` (event id and
    identities) have there, less those kept for an open request or by a row hold.
    Recorded before anything is done: replayed after a crash, the batch acts on the same
    keys and counts the rows already gone."""
    plan = plan_for(declaration)
    place = (sweep.datastore, sweep.collection)
    keys: list[Any] = []
    seen: set[Any] = set()
    finished: list[str] = []
    kept = held = 0
    with connector.reading() as reader:
        for event_id, identities in people:
            location = locate(
                plan, {sweep.datastore: reader}, identities,
                datastores=(sweep.datastore,), lookup_only=True,
            )  # fmt: skip
            found = [k for k in location.keys.get(place, ()) if k not in seen]
            seen.update(found)
            wanted = [k for k in found if _plain(k) not in protected]
            free = _not_held(reader, sweep, wanted, now)
            kept += len(found) - len(wanted)
            held += len(wanted) - len(free)
            if len(free) == len(found):
                finished.append(event_id)
            keys.extend(_plain(k) for k in free)
    return Located(tuple(keys), tuple(finished), kept, held)


def apply_located(
    declaration: Declaration,
    connectors: Mapping[str, Connector],
    sweep: Sweep,
    located: Located,
    events: int,
    strategies: Strategies,
    now: dt.datetime,
) -> BatchOutcome:
    """Do ``sweep``'s action to the rows ``located`` names, still there, in one transaction
    of its datastore (those no longer there are counted ``gone``)."""
    with connectors[sweep.datastore].transaction() as writer:
        if sweep.action is SweepAction.ANONYMISE:
            outcome = _anonymise(writer, sweep, located.keys, strategies)
        else:
            outcome = _delete(declaration, writer, sweep, located.keys, strategies, now)
    kept, held = located.kept_for_requests, located.held
    return BatchOutcome(
        len(located.keys) + kept + held, outcome.deleted, outcome.changed, 0, outcome.cascaded,
        gone=outcome.gone, kept_for_requests=kept, events=events, held=held,
    )  # fmt: skip


def _not_held(reader: Reader, sweep: Sweep, keys: Sequence[Any], now: dt.datetime) -> list[Any]:
    """``keys`` but the rows their collection's legal hold still keeps (its anchor after
    the hold's start, counted so that it is never early)."""
    if sweep.hold is None or not keys:
        return list(keys)
    until = not_early(sweep.hold.duration, now)
    anchor = sweep.hold.anchor
    held = {
        row[sweep.key]
        for row in _rows(reader, sweep.collection, sweep.key, keys, [sweep.key, anchor])
        if _after(row[anchor], until)
    }
    return [key for key in keys if key not in held]


def _after(value: Any, moment: dt.datetime) -> bool:
    """Whether a hold's anchor ``value`` (a date, a naive UTC or an aware time) is after
    ``moment``; NULL holds nothing."""
    if value is None:
        return False
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware > moment
    if isinstance(value, dt.date):
        return value > moment.date()
    if isinstance(value, str):
        return _after(dt.datetime.fromisoformat(value), moment)
    return False
