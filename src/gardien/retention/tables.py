"""The retention room's tables: events the company's systems told gardien about.

``retention_events`` holds one row per event recorded for a person (an
account deletion): which event, when it happened, when gardien was told,
and the person's identities, sealed (AES-GCM under a vault secret, bound to
the event's id: never in clear), by which the sweeps of the bindings that
run from that event find the person's rows. ``retention_event_sweeps``
records each sweep done for an event; once every sweep bound to its event
is done the event is ``done``: its sealed identities are dropped at once,
and the row itself goes with gardien's own records
(``own_records.recorded_events``).

The migration ``0011_retention_events`` creates the same tables; a test compares them.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, PrimaryKeyConstraint, String, Table

from gardien.store.schema import metadata
from gardien.store.types import UtcDateTime

EVENT_ID_LENGTH = 32

retention_events = Table(
    "retention_events",
    metadata,
    # Random, 128 bits: an event can be neither guessed nor enumerated.
    Column("id", String(EVENT_ID_LENGTH), primary_key=True),
    Column("event", String(32), nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    # JSON {kind: value} sealed under the retention events key; NULL once done.
    Column("identities_sealed", LargeBinary, nullable=True),
    # The identity kinds given (never a value): what the plan and the console may show.
    Column("kinds", String(200), nullable=False),
    Column("done_at", UtcDateTime(), nullable=True),
    Column("declaration_version", String(64), nullable=True),
    # The sweeps' question: the events of a kind not done yet, by when they happened.
    Index("ix_retention_events_event_done_at", "event", "done_at", "occurred_at"),
)

retention_event_sweeps = Table(
    "retention_event_sweeps",
    metadata,
    Column(
        "event_id",
        String(EVENT_ID_LENGTH),
        ForeignKey(
            "retention_events.id",
            name="fk_retention_event_sweeps_event_id_retention_events",
            ondelete="CASCADE",
        ),
        nullable=False,
    ),
    # The sweep's step name (``datastore.collection:action``, shortened past 60 characters).
    Column("sweep", String(100), nullable=False),
    Column("swept_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("event_id", "sweep", name="pk_retention_event_sweeps"),
)
