"""Removing orphan data keys: keys in the key store whose subject never reached the store.

Registration writes a subject's data key before the subject's rows (see
``docs/vault.md``); when the caller's transaction then rolls back, or the
process dies in between, the key stays behind opening nothing. Harmless, but
clutter that grows with every refused request: the worker runs
:func:`purge_orphan_keys` once a day (``gardien.notifications``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from gardien.audit import Actor, OrphanKeysPurged
from gardien.store.migrate import Store
from gardien.store.types import utcnow
from gardien.vault.tables import data_keys, subjects


def purge_orphan_keys(
    store: Store,
    older_than: timedelta = timedelta(days=1),
    *,
    batch_size: int = 500,
    actor: Actor,
) -> int:
    """Delete data keys older than ``older_than`` with no subject row; how many were deleted.

    The age margin keeps the keys of registrations still in flight: their key is
    committed before their subject row is. A purge that deleted any is audited
    as ``key.purge_orphans`` with the count.
    """
    deleted = _purge(store, older_than, batch_size)
    if deleted:
        with store.engine.begin() as conn:
            actor.record(conn, OrphanKeysPurged(count=deleted))
    return deleted


def _purge(store: Store, older_than: timedelta, batch_size: int) -> int:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    cutoff = utcnow() - older_than
    deleted = 0
    last = ""
    while True:
        with store.keystore.connect() as keys:
            batch = list(
                keys.execute(
                    select(data_keys.c.subject_id)
                    .where(data_keys.c.created_at <= cutoff, data_keys.c.subject_id > last)
                    .order_by(data_keys.c.subject_id)
                    .limit(batch_size)
                ).scalars()
            )
        if not batch:
            return deleted
        last = batch[-1]
        with store.engine.connect() as main:
            known = set(
                main.execute(select(subjects.c.id).where(subjects.c.id.in_(batch))).scalars()
            )
        orphans = [subject_id for subject_id in batch if subject_id not in known]
        if orphans:
            with store.keystore.begin() as keys:
                result = keys.execute(
                    delete(data_keys).where(
                        data_keys.c.subject_id.in_(orphans), data_keys.c.created_at <= cutoff
                    )
                )
                deleted += result.rowcount
