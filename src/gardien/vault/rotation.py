"""Master key rotation: re-wrap every data key and vault key under a new master key.

Only the wrapping changes: data keys themselves, and so every ciphertext in
the main store, stay as they are. Work is done in batches, each its own
transaction on the key store; each row records the id of the master key
that wraps it, so an interrupted rotation run again skips the rows already
done (``gardien keys rotate-master`` calls this). The rotation is recorded
in the audit trail of the main store once it is complete.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, select, update

from gardien.audit import Actor, MasterKeyRotated, PublicId
from gardien.errors import MasterKeyError
from gardien.store.migrate import Store
from gardien.vault import crypto
from gardien.vault.masterkey import MasterKey
from gardien.vault.tables import data_keys, vault_keys

Rewrap = Callable[[MasterKey, MasterKey, str, bytes], bytes]


def _rewrap_data_key(old: MasterKey, new: MasterKey, subject_id: str, wrapped: bytes) -> bytes:
    return crypto.wrap_data_key(new, subject_id, crypto.unwrap_data_key(old, subject_id, wrapped))


def _rewrap_vault_key(old: MasterKey, new: MasterKey, name: str, wrapped: bytes) -> bytes:
    return crypto.wrap_vault_key(new, name, crypto.unwrap_vault_key(old, name, wrapped))


_TABLES: tuple[tuple[Table, str, Rewrap], ...] = (
    (vault_keys, "name", _rewrap_vault_key),
    (data_keys, "subject_id", _rewrap_data_key),
)


def rotate_master_key(
    store: Store,
    old: MasterKey,
    new: MasterKey,
    *,
    batch_size: int = 500,
    on_batch: Callable[[int], None] | None = None,
    actor: Actor,
) -> int:
    """Re-wrap every key under ``new``; the number of rows re-wrapped by this call.

    ``on_batch`` is called after each committed batch with the running count
    (for a progress bar). Running it again after an interruption finishes the
    job; running it when everything is done returns 0. A completed run is
    audited as ``key.rotate_master`` naming both master keys by their public id.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if old.id == new.id:
        raise MasterKeyError("the new master key is the same as the old one: generate a new one")
    _check_wrappers(store, old, new)
    done = 0
    for table, key_column, rewrap in _TABLES:
        while True:
            count = _rotate_batch(store, table, key_column, rewrap, old, new, batch_size)
            if count == 0:
                break
            done += count
            if on_batch is not None:
                on_batch(done)
    with store.engine.begin() as conn:
        actor.record(
            conn,
            MasterKeyRotated(
                old_master_id=PublicId(old.id), new_master_id=PublicId(new.id), rewrapped=done
            ),
        )
    return done


def _check_wrappers(store: Store, old: MasterKey, new: MasterKey) -> None:
    """Refuse to start if some row is wrapped by a key that is neither old nor new."""
    with store.keystore.connect() as connection:
        for table, _column, _rewrap in _TABLES:
            ids = set(connection.execute(select(table.c.master_key_id).distinct()).scalars())
            strangers = sorted(ids - {old.id, new.id})
            if strangers:
                raise MasterKeyError(
                    f"{table.name} holds keys wrapped by master key {', '.join(strangers)}, "
                    f"which is neither the old key ({old.id}) nor the new one ({new.id}): "
                    "give the master key currently in use as the old key"
                )


def _rotate_batch(
    store: Store,
    table: Table,
    key_column: str,
    rewrap: Rewrap,
    old: MasterKey,
    new: MasterKey,
    batch_size: int,
) -> int:
    column = table.c[key_column]
    with store.keystore.begin() as connection:
        rows = connection.execute(
            select(column, table.c.wrapped)
            .where(table.c.master_key_id == old.id)
            .order_by(column)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        for name, wrapped in rows:
            connection.execute(
                update(table)
                .where(column == name, table.c.master_key_id == old.id)
                .values(wrapped=rewrap(old, new, name, wrapped), master_key_id=new.id)
            )
    return len(rows)
