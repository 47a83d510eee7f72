"""Orphan data keys (registration rolled back after its key was written) can be purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from actors import ACTOR
from gardien.store import Store
from gardien.vault import Vault, purge_orphan_keys
from gardien.vault.tables import data_keys


def _keys(store: Store) -> int:
    with store.keystore.connect() as conn:
        return conn.execute(select(func.count()).select_from(data_keys)).scalar_one()


def test_purge_removes_only_old_orphans(store: Store, vault: Vault) -> None:
    with store.engine.begin() as conn:
        kept = [
            vault.register(conn, {"user_id": f"kept-{i}"}, actor=ACTOR).subject_id for i in range(3)
        ]
    for i in range(4):
        with store.engine.connect() as conn:
            conn.begin()
            vault.register(conn, {"user_id": f"rolled-back-{i}"}, actor=ACTOR)
            conn.rollback()
    assert _keys(store) == 7
    assert (
        purge_orphan_keys(store, actor=ACTOR) == 0
    )  # too recent: could be registrations in flight
    assert purge_orphan_keys(store, timedelta(0), batch_size=2, actor=ACTOR) == 4
    assert _keys(store) == 3
    assert purge_orphan_keys(store, timedelta(0), actor=ACTOR) == 0
    with store.engine.connect() as conn:
        assert [vault.read(conn, s, actor=ACTOR).identities for s in kept] == [
            {"user_id": [f"kept-{i}"]} for i in range(3)
        ]
    with pytest.raises(ValueError, match="batch_size"):
        purge_orphan_keys(store, batch_size=0, actor=ACTOR)
