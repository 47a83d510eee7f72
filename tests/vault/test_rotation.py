"""Master key rotation re-wraps every key, in resumable batches."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from actors import ACTOR
from gardien.store import Store
from gardien.vault import (
    DecryptionError,
    MasterKey,
    MasterKeyError,
    Vault,
    crypto,
    rotate_master_key,
)
from gardien.vault.tables import data_keys, vault_keys

SUBJECTS = 7


def _populate(store: Store, master: MasterKey) -> tuple[Vault, list[str], bytes]:
    vault = Vault(store, master)
    with store.engine.begin() as conn:
        ids = [
            vault.register(conn, {"email": f"p{i}@example.com"}, {"n": i}, actor=ACTOR).subject_id
            for i in range(SUBJECTS)
        ]
    unsubscribe = vault.derived_secret("unsubscribe")
    vault.blind_id(ids[0])  # creates the audit key
    return vault, ids, unsubscribe


def _wrappers(store: Store) -> list[str]:
    with store.keystore.connect() as conn:
        return [
            *conn.execute(select(data_keys.c.master_key_id)).scalars(),
            *conn.execute(select(vault_keys.c.master_key_id)).scalars(),
        ]


def test_rotation_rewraps_everything(store: Store, master_key: MasterKey) -> None:
    _vault, ids, unsubscribe = _populate(store, master_key)
    new = MasterKey.generate()
    total = len(_wrappers(store))
    assert total == SUBJECTS + 3  # blind_index, audit, unsubscribe
    assert rotate_master_key(store, master_key, new, batch_size=3, actor=ACTOR) == total
    assert set(_wrappers(store)) == {new.id}

    fresh = Vault(store, new)
    with store.engine.connect() as conn:
        assert [fresh.read(conn, s, actor=ACTOR).attributes for s in ids] == [
            {"n": i} for i in range(SUBJECTS)
        ]
        assert fresh.find(conn, "email", "p3@example.com") == ids[3]
    assert fresh.derived_secret("unsubscribe") == unsubscribe

    stale = Vault(store, master_key)
    with (
        store.engine.connect() as conn,
        pytest.raises(MasterKeyError, match=f"wrapped by master key {new.id}"),
    ):
        stale.read(conn, ids[0], actor=ACTOR)
    with store.keystore.connect() as conn:
        wrapped = conn.execute(
            select(data_keys.c.wrapped).where(data_keys.c.subject_id == ids[0])
        ).scalar_one()
    with pytest.raises(DecryptionError, match="wrapped data key does not authenticate"):
        crypto.unwrap_data_key(master_key, ids[0], wrapped)
    assert len(crypto.unwrap_data_key(new, ids[0], wrapped)) == 32


def test_rotation_is_resumable(store: Store, master_key: MasterKey) -> None:
    _vault, ids, _ = _populate(store, master_key)
    total = len(_wrappers(store))
    new = MasterKey.generate()
    progress: list[int] = []

    class RotationStoppedError(Exception):
        pass

    def stop_after_first_batch(done: int) -> None:
        progress.append(done)
        raise RotationStoppedError

    with pytest.raises(RotationStoppedError):
        rotate_master_key(
            store, master_key, new, batch_size=2, on_batch=stop_after_first_batch, actor=ACTOR
        )
    assert progress == [2]
    assert _wrappers(store).count(new.id) == 2
    # Half-rotated: each row is readable with the key its own id names.
    seen: list[int] = []
    assert (
        rotate_master_key(store, master_key, new, batch_size=2, on_batch=seen.append, actor=ACTOR)
        == total - 2
    )
    assert seen == sorted(seen) and seen[-1] == total - 2
    assert rotate_master_key(store, master_key, new, actor=ACTOR) == 0
    with store.engine.connect() as conn:
        assert Vault(store, new).read(conn, ids[-1], actor=ACTOR).attributes == {"n": SUBJECTS - 1}


def test_rotation_refuses_same_or_unknown_keys(store: Store, master_key: MasterKey) -> None:
    _populate(store, master_key)
    with pytest.raises(MasterKeyError, match="same as the old one"):
        rotate_master_key(store, master_key, MasterKey(master_key.reveal()), actor=ACTOR)
    stranger, new = MasterKey.generate(), MasterKey.generate()
    with store.keystore.begin() as conn:
        conn.execute(
            update(vault_keys).where(vault_keys.c.name == "audit").values(master_key_id=stranger.id)
        )
    with pytest.raises(
        MasterKeyError, match=f"wrapped by master key {stranger.id}, which is neither"
    ):
        rotate_master_key(store, master_key, new, actor=ACTOR)
    assert new.id not in _wrappers(store)  # refused before changing anything
    with pytest.raises(ValueError, match="batch_size"):
        rotate_master_key(store, master_key, new, batch_size=0, actor=ACTOR)


def test_rotation_of_an_empty_key_store(store: Store) -> None:
    assert rotate_master_key(store, MasterKey.generate(), MasterKey.generate(), actor=ACTOR) == 0
