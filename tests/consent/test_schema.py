"""The migration creates exactly the tables the consent room declares; the public API is pinned."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import gardien.consent
from gardien.consent.tables import consent_events, consent_state, processing_limits
from gardien.store import Store
from gardien.store.schema import metadata

MINE = {"consent_events", "consent_state", "processing_limits"}


def test_migration_matches_metadata(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    ours = [d for d in differences if any(name in repr(d) for name in MINE)]
    assert ours == []


def test_hot_reads_are_indexed(store: Store) -> None:
    inspector = inspect(store.engine)
    assert inspector.get_pk_constraint("consent_state")["constrained_columns"] == [
        "subject_id",
        "purpose",
    ]
    limits = {tuple(ix["column_names"]) for ix in inspector.get_indexes("processing_limits")}
    assert ("subject_id", "lifted_at") in limits
    events = {tuple(ix["column_names"]) for ix in inspector.get_indexes("consent_events")}
    assert ("subject_id", "purpose", "id") in events


def test_tables_are_on_the_shared_metadata() -> None:
    for table in (consent_events, consent_state, processing_limits):
        assert metadata.tables[table.name] is table


def test_public_api() -> None:
    exported = set(gardien.consent.__all__)
    assert {
        "record_consent",
        "check",
        "decide",
        "Decision",
        "expire_due",
        "consents_needing_renewal",
        "queue_renewals",
        "receipt",
        "unsubscribe_token",
        "read_unsubscribe_token",
        "unsubscribe",
        "unsubscribe_headers",
        "record_objection",
        "record_restriction",
        "lift_restriction",
        "active_limits",
        "ConsentError",
        "UnknownPurpose",
        "policy_for",
        "Proof",
    } <= exported
    for name in exported:
        assert getattr(gardien.consent, name) is not None
    assert sorted(gardien.consent.__all__) == sorted(exported) and len(exported) == len(
        gardien.consent.__all__
    )
    assert issubclass(gardien.consent.UnknownPurpose, gardien.consent.ConsentError)
